package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/data/binding"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/calendar"
)

// allOption is the filter choice that does not filter.
const allOption = "全部"

// listLimit bounds one listing. The office's catalogue runs to thousands of
// documents; a list longer than this is a search that needs narrowing, and
// the count label says so.
const listLimit = 500

// timeLayout is how times read in lists: minutes are enough to tell edits
// apart at a desk, and seconds are in the audit tab.
const timeLayout = "2006-01-02 15:04"

// beijing formats t in the office's time zone, as every time on screen is.
func beijing(t time.Time) string { return t.In(calendar.Location()).Format(timeLayout) }

// docBrowser is 全部文件: search and filters over a result list on the left,
// the selected document's detail on the right. It is a widget so that the
// screen registry can hold it like any other content and tests can reach its
// parts.
type docBrowser struct {
	widget.BaseWidget
	app *App

	query    binding.String // the search text, bound to the entry
	count    binding.String // "共 N 件" under the filters
	search   *widget.Entry
	kind     *widget.Select
	status   *widget.Select
	validity *widget.Select
	list     *widget.List
	detail   *docDetail

	hits     []review.DocumentHit // current results; UI goroutine only
	selected int64                // ID of the document in the detail pane, 0 for none
	gen      int                  // bumped per search, so a slow, stale answer is dropped
	timer    *time.Timer          // debounce for typing
	started  bool                 // the first listing has been asked for
	opened   bool                 // a document has been opened automatically once

	content fyne.CanvasObject
}

func newDocBrowser(a *App) *docBrowser {
	b := &docBrowser{app: a, query: binding.NewString(), count: binding.NewString()}
	b.ExtendBaseWidget(b)

	b.search = widget.NewEntryWithData(b.query)
	b.search.Validator = nil // any text is a valid query; no tick beside it
	b.search.SetPlaceHolder("检索标题或正文（输入即查）")
	b.search.ActionItem = widget.NewIcon(theme.Icon(theme.IconNameSearch))

	b.kind = filterSelect(kindStrings(), b.searchNow)
	b.status = filterSelect(statusStrings(), b.searchNow)
	b.validity = filterSelect(validityStrings(), b.searchNow)

	b.list = widget.NewList(func() int { return len(b.hits) }, newHitRow, b.updateHitRow)
	b.list.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(b.hits) {
			b.showDocument(b.hits[i].ID)
		}
	}

	b.detail = newDocDetail(a)
	countLabel := widget.NewLabelWithData(b.count)
	filters := container.NewGridWithColumns(3,
		labelled("文种", b.kind), labelled("状态", b.status), labelled("有效性", b.validity))
	top := container.NewVBox(b.search, filters, countLabel)
	left := container.NewBorder(top, nil, nil, nil, b.list)
	split := container.NewHSplit(left, b.detail)
	split.Offset = 0.42
	b.content = split

	a.OnDocumentsChanged(b.refresh)
	// Last: the listener runs once on adding, which is the first listing,
	// and that needs the filters above.
	b.query.AddListener(binding.NewDataListener(b.scheduleSearch))
	return b
}

// CreateRenderer implements fyne.Widget.
func (b *docBrowser) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(b.content)
}

func labelled(name string, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewLabel(name), nil, o)
}

func filterSelect(opts []string, changed func()) *widget.Select {
	s := widget.NewSelect(append([]string{allOption}, opts...), nil)
	s.SetSelected(allOption)
	s.OnChanged = func(string) { changed() } // set after SetSelected: no search before the screen exists
	return s
}

// filter reads the view state into a store filter.
func (b *docBrowser) filter() review.DocumentFilter {
	q, _ := b.query.Get()
	f := review.DocumentFilter{Query: q, Limit: listLimit}
	if v := b.kind.Selected; v != allOption {
		f.Kind = review.Kind(v)
	}
	if v := b.status.Selected; v != allOption {
		f.Status = review.Status(v)
	}
	if v := b.validity.Selected; v != allOption {
		f.Validity = review.Validity(v)
	}
	return f
}

// scheduleSearch runs a search once typing pauses: one query per pause, not
// per keystroke, keeps a 10,000-document catalogue responsive.
func (b *docBrowser) scheduleSearch() {
	if b.timer != nil && b.timer.Stop() {
		b.app.pending.Done() // the stopped search never runs
	}
	if b.app.debounce <= 0 || !b.started {
		b.started = true // the listener's first call, when the screen opens: list at once
		b.searchNow()
		return
	}
	// A waiting search counts as pending work, so tests can wait for it.
	b.app.pending.Add(1)
	b.timer = time.AfterFunc(b.app.debounce, func() {
		defer b.app.pending.Done() // after queueing: a test's wait runs the search
		b.app.do(b.searchNow)
	})
}

// searchNow lists documents for the current query and filters.
func (b *docBrowser) searchNow() {
	if b.app.svc.Docs == nil {
		return
	}
	b.gen++
	gen, f := b.gen, b.filter()
	var hits []review.DocumentHit
	b.app.Background(func(ctx context.Context) (err error) {
		hits, err = b.app.svc.Docs.FindDocuments(ctx, f)
		return err
	}, func(err error) {
		if gen != b.gen {
			return // a newer search is under way
		}
		if err != nil {
			b.count.Set("检索失败：" + review.ErrorMessage(err))
			fyne.LogError("find documents", err)
			return
		}
		b.setHits(hits)
	})
}

// refresh repeats the current search, after documents changed.
func (b *docBrowser) refresh() {
	b.searchNow()
	if b.selected != 0 {
		b.detail.load(b.selected)
	}
}

func (b *docBrowser) setHits(hits []review.DocumentHit) {
	b.hits = hits
	switch n := len(hits); {
	case n == 0:
		b.count.Set("没有符合条件的文件")
	case n >= listLimit:
		b.count.Set(fmt.Sprintf("仅显示前 %d 件，请缩小检索范围", n))
	default:
		b.count.Set(fmt.Sprintf("共 %d 件", n))
	}
	// Rows without a snippet (no query) drop the snippet line instead of
	// showing a blank one: twice as many documents fit on screen.
	full, short := hitRowHeights()
	for i := range hits {
		if hits[i].Snippet == "" {
			b.list.SetItemHeight(i, short)
		} else {
			b.list.SetItemHeight(i, full)
		}
	}
	b.list.UnselectAll()
	b.list.Refresh()
	if b.selected == 0 && !b.opened && len(hits) > 0 {
		// The first listing opens the newest document, so the window
		// never opens on an empty half.
		b.opened = true
		b.list.Select(0)
		return
	}
	for i := range hits {
		if hits[i].ID == b.selected {
			b.list.Select(i) // keeps the highlight on the document still shown
			break
		}
	}
}

// showDocument shows a document in the detail pane.
func (b *docBrowser) showDocument(id int64) {
	if id == b.selected && b.detail.doc != nil && b.detail.doc.ID == id {
		return // re-selecting after a refresh must not reload twice
	}
	b.selected = id
	b.detail.load(id)
}

// hitRow is one result: title, a line of catalogue facts, and where the
// query matched.
type hitRow struct {
	title   *widget.Label
	meta    *widget.Label
	snippet *widget.RichText
}

func newHitRow() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	meta := widget.NewLabel("")
	meta.Truncation = fyne.TextTruncateEllipsis
	meta.SizeName = theme.SizeNameCaptionText // smaller, but not greyed: the 索引号 must stay legible
	snippet := widget.NewRichText()
	snippet.Truncation = fyne.TextTruncateEllipsis
	return container.New(&rowLayout{}, title, meta, snippet)
}

// hitRowHeights are a result row's height with and without its snippet line.
func hitRowHeights() (full, short float32) {
	row := newHitRow().(*fyne.Container)
	full = row.MinSize().Height
	return full, full - row.Objects[2].MinSize().Height + theme.Padding()
}

func (b *docBrowser) updateHitRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(b.hits) {
		return
	}
	h := &b.hits[i]
	c := o.(*fyne.Container)
	c.Objects[0].(*widget.Label).SetText(h.Meta.Title)
	c.Objects[1].(*widget.Label).SetText(hitFacts(h))
	rt := c.Objects[2].(*widget.RichText)
	rt.Segments = snippetSegments(h.Snippet, h.Matches)
	rt.Refresh()
}

// hitFacts is the catalogue line under a result's title.
func hitFacts(h *review.DocumentHit) string {
	idx := h.IndexNo
	if idx == "" {
		idx = "（无索引号）"
	}
	return fmt.Sprintf("%s · %s · %s · 更新于 %s", h.Meta.Kind, h.Status, idx, beijing(h.UpdatedAt))
}

// rowLayout stacks a result's lines tighter than a VBox: labels carry their
// own inner padding, and a VBox would add the theme padding again, making
// three-line rows needlessly tall.
type rowLayout struct{}

func (rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	gap := -theme.Padding()
	for _, o := range objs {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + gap
	}
}

func (rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for i, o := range objs {
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height
		if i > 0 {
			s.Height -= theme.Padding()
		}
	}
	return s
}

func kindStrings() []string {
	s := make([]string, len(review.Kinds))
	for i, k := range review.Kinds {
		s[i] = string(k)
	}
	return s
}

func statusStrings() []string {
	s := make([]string, len(review.Statuses))
	for i, v := range review.Statuses {
		s[i] = string(v)
	}
	return s
}

func validityStrings() []string {
	s := make([]string, len(review.Validities))
	for i, v := range review.Validities {
		s[i] = string(v)
	}
	return s
}
