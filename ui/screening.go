package ui

import (
	"context"
	"fmt"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	scr "qianfa/review/screen"
	"qianfa/review/screening"
)

// tabScreening is the detail pane's tab for confidentiality screening.
const tabScreening = "保密筛查"

// screeningPane is the 保密筛查 tab of a document: the current revision's
// text with every finding highlighted, the findings listed beside it (open
// first), and the reviewer's actions: 确认, 排除 (with a justification) and
// 遮盖预览, which shows the redaction before it becomes a new revision.
type screeningPane struct {
	widget.BaseWidget
	app *App

	docID int64
	state *screening.State
	rows  []int // list row -> index into state.Items, open items first
	sel   int   // selected list row; -1 for none
	// firstOpen asks the next load to select the first open finding, for
	// a reviewer who lands on the tab to work through it.
	firstOpen bool
	gen       int // bumped per load, so a slow, stale answer is dropped

	summary  *widget.Label
	hint     *widget.Label
	text     *findingText
	list     *widget.List
	confirm  *widget.Button
	dismiss  *widget.Button
	preview  *widget.Button
	rescan   *widget.Button
	content  *fyne.Container
	empty    fyne.CanvasObject
	body     fyne.CanvasObject
	lastDlg  *dismissDialog // the dialog last opened, for tests
	lastPrev *redactDialog
}

func newScreeningPane(a *App) *screeningPane {
	p := &screeningPane{app: a, sel: -1}
	p.ExtendBaseWidget(p)
	p.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.summary.Wrapping = fyne.TextWrapWord
	p.hint = widget.NewLabel("")
	p.hint.Importance = widget.LowImportance
	p.hint.Wrapping = fyne.TextWrapWord
	p.text = newFindingText()
	p.list = widget.NewList(func() int { return len(p.rows) }, newFindingRow, p.updateRow)
	p.list.OnSelected = p.selectRow
	p.list.OnUnselected = func(widget.ListItemID) { p.sel = -1; p.syncButtons() }
	p.confirm = widget.NewButtonWithIcon("确认", theme.Icon(theme.IconNameConfirm), func() { p.decide(screening.StatusConfirmed, "", nil) })
	p.confirm.Importance = widget.DangerImportance
	p.dismiss = widget.NewButtonWithIcon("排除…", theme.Icon(theme.IconNameCancel), func() { p.showDismiss() })
	p.preview = widget.NewButtonWithIcon("遮盖预览…", theme.Icon(theme.IconNameVisibility), p.showPreview)
	p.preview.Importance = widget.HighImportance
	p.rescan = widget.NewButtonWithIcon("重新筛查", theme.Icon(theme.IconNameViewRefresh), func() { p.load(p.docID) })

	actions := container.NewVBox(widget.NewSeparator(), container.NewGridWithColumns(2, p.confirm, p.dismiss), p.hint)
	side := container.NewBorder(nil, actions, nil, nil, p.list)
	split := container.NewHSplit(p.text, side)
	split.Offset = 0.55
	top := container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewHBox(p.rescan, p.preview), p.summary),
		screeningLegend())
	p.body = container.NewBorder(top, nil, nil, nil, split)
	p.empty = placeholder(tabScreening, "选择一件文件后，这里列出其当前版本中可能不宜公开的内容。")
	p.content = container.NewStack(p.empty)
	a.OnCurrentUserChanged(func(*review.User) { p.syncButtons() })
	p.syncButtons()
	return p
}

// CreateRenderer implements fyne.Widget.
func (p *screeningPane) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(p.content)
}

// screeningLegend names each kind's colour, so the highlights can be read
// without the list.
func screeningLegend() fyne.CanvasObject {
	box := container.New(layout.NewRowWrapLayout())
	for _, k := range scr.Kinds() {
		sw := canvas.NewRectangle(kindColor(k, screening.StatusOpen))
		sw.CornerRadius = 2
		sw.SetMinSize(fyne.NewSize(14, 14))
		l := widget.NewLabel(k.Label())
		box.Add(container.NewHBox(container.NewCenter(sw), l))
	}
	return box
}

// load screens the document's current revision and shows the result,
// keeping the selection on the same finding where it still exists.
func (p *screeningPane) load(id int64) {
	svc := p.app.svc.Screening
	if svc == nil || id == 0 {
		return
	}
	keep := ""
	if it := p.selected(); it != nil && id == p.docID {
		keep = it.Fingerprint
	}
	p.docID = id
	p.gen++
	gen := p.gen
	var st *screening.State
	p.app.Background(func(ctx context.Context) (err error) {
		st, err = svc.State(ctx, id)
		return err
	}, func(err error) {
		if gen != p.gen {
			return
		}
		if err != nil {
			p.app.ShowError(err)
			return
		}
		p.set(st, keep)
	})
}

// set shows st and selects the finding with fingerprint keep, if any.
func (p *screeningPane) set(st *screening.State, keep string) {
	p.state = st
	p.rows = p.rows[:0]
	for _, status := range screening.Statuses {
		for i, it := range st.Items {
			if it.Status == status {
				p.rows = append(p.rows, i)
			}
		}
	}
	p.sel = -1
	// The body goes in first, so that the list has its size when a
	// selection below scrolls it.
	if len(p.content.Objects) == 0 || p.content.Objects[0] != p.body {
		p.content.Objects = []fyne.CanvasObject{p.body}
		p.content.Refresh()
	}
	p.summary.SetText(st.Summary())
	p.text.Set(st.Text, st.Items)
	p.list.UnselectAll()
	p.list.Refresh()
	switch {
	case keep != "":
		p.selectWhere(func(it *screening.Item) bool { return it.Fingerprint == keep })
	case p.firstOpen:
		p.selectWhere(func(it *screening.Item) bool { return it.Status == screening.StatusOpen })
	}
	p.firstOpen = false
	p.syncButtons()
}

// selectWhere selects the first row whose item satisfies ok.
func (p *screeningPane) selectWhere(ok func(*screening.Item) bool) {
	for r, i := range p.rows {
		if ok(&p.state.Items[i]) {
			p.list.Select(r)
			return
		}
	}
}

// selected returns the item of the selected row, or nil.
func (p *screeningPane) selected() *screening.Item {
	if p.state == nil || p.sel < 0 || p.sel >= len(p.rows) {
		return nil
	}
	return &p.state.Items[p.rows[p.sel]]
}

func (p *screeningPane) selectRow(r widget.ListItemID) {
	if r < 0 || r >= len(p.rows) {
		return
	}
	p.sel = r
	p.text.Select(p.rows[r])
	p.syncButtons()
}

// mayDecide reports whether the current user may decide findings, and if
// not, why, in words for the hint line.
func (p *screeningPane) mayDecide() (bool, string) {
	u := p.app.CurrentUser()
	switch {
	case p.app.svc.Screening == nil:
		return false, ""
	case u == nil:
		return false, "请先选择当前用户。"
	case !u.Has(review.RoleConfidentiality):
		return false, "只有保密审查员可以确认、排除筛查项或作遮盖处理；“" + u.Label() + "”可查看结果。"
	}
	return true, ""
}

// syncButtons enables the actions the user and the selection allow.
func (p *screeningPane) syncButtons() {
	ok, why := p.mayDecide()
	it := p.selected()
	setEnabled(p.confirm, ok && it != nil && it.Status != screening.StatusConfirmed)
	setEnabled(p.dismiss, ok && it != nil && it.Status != screening.StatusDismissed)
	setEnabled(p.preview, ok && p.state != nil && p.state.Count(screening.StatusConfirmed) > 0)
	switch {
	case why != "":
		p.hint.SetText(why)
	case it == nil:
		p.hint.SetText("在列表中选择一项，正文将跳转到该处。")
	case it.Decision != nil:
		d := it.Decision
		s := fmt.Sprintf("%s于 %s 在第 %d 版%s", p.app.userLabel(d.Actor), beijing(d.At), d.Revision, d.Status)
		if d.Reason != "" {
			s += "，理由：" + d.Reason
		}
		p.hint.SetText(s)
	default:
		p.hint.SetText("确认：该内容不予公开，遮盖处理时替换为■；排除：可以公开，须写明理由。")
	}
}

func setEnabled(b *widget.Button, on bool) {
	if on {
		b.Enable()
	} else {
		b.Disable()
	}
}

// newFindingRow is a list row: a colour swatch for the kind, then kind and
// status, the excerpt, and the legal ground.
func newFindingRow() fyne.CanvasObject {
	sw := canvas.NewRectangle(color.Transparent)
	sw.CornerRadius = 2
	sw.SetMinSize(fyne.NewSize(6, 0))
	head := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Truncation = fyne.TextTruncateEllipsis
	excerpt := widget.NewLabel("")
	excerpt.Truncation = fyne.TextTruncateEllipsis
	ground := widget.NewLabel("")
	ground.Truncation = fyne.TextTruncateEllipsis
	ground.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, sw, nil, container.New(&rowLayout{}, head, excerpt, ground))
}

func (p *screeningPane) updateRow(r widget.ListItemID, o fyne.CanvasObject) {
	if p.state == nil || r < 0 || r >= len(p.rows) {
		return
	}
	it := &p.state.Items[p.rows[r]]
	c := o.(*fyne.Container)
	lines := c.Objects[0].(*fyne.Container)
	sw := c.Objects[1].(*canvas.Rectangle)
	sw.FillColor = kindColor(it.Kind, screening.StatusOpen)
	sw.Refresh()
	// Status first: it is what the reviewer scans the list for.
	head := string(it.Status) + " · " + it.Kind.Label()
	if it.List != "" {
		head += "（" + it.List + "）"
	}
	head += " " + it.Text
	lines.Objects[0].(*widget.Label).SetText(head)
	lines.Objects[1].(*widget.Label).SetText(it.Context)
	g := it.Ground.Label()
	if it.Decision != nil && it.Decision.Reason != "" {
		g += " · 理由：" + it.Decision.Reason
	}
	lines.Objects[2].(*widget.Label).SetText(g)
}

// decide records the user's decision on the selected finding, then screens
// again. answered, when not nil, is told the outcome instead of a refusal
// going to the error dialog: the dismissal dialog keeps its reason on screen.
func (p *screeningPane) decide(status screening.Status, reason string, answered func(error)) {
	it, u, svc := p.selected(), p.app.CurrentUser(), p.app.svc.Screening
	if it == nil || u == nil || svc == nil || p.state == nil {
		return
	}
	id, hash, fp := p.docID, p.state.Hash, it.Fingerprint
	p.app.Background(func(ctx context.Context) error {
		_, err := svc.Decide(ctx, u.Name, id, hash, fp, status, reason)
		return err
	}, func(err error) {
		switch {
		case answered != nil:
			answered(err)
		case err != nil:
			p.app.ShowError(err)
		}
		p.load(id)
	})
}

// dismissDialog asks why a finding may be published; the reason is required
// and is kept with the decision. A refusal (the document changed meanwhile)
// keeps the dialog open with the reason, to confirm once the tab has been
// screened again.
type dismissDialog struct {
	reason  *widget.Entry
	problem *widget.Label
	ok      *widget.Button
	dlg     *dialog.CustomDialog
}

func (p *screeningPane) showDismiss() *dismissDialog {
	it := p.selected()
	if it == nil {
		return nil
	}
	d := &dismissDialog{}
	d.reason = widget.NewMultiLineEntry()
	d.reason.SetPlaceHolder("例如：系本单位对外公布的咨询电话；当事人已书面同意公开")
	d.reason.Wrapping = fyne.TextWrapWord
	d.reason.SetMinRowsVisible(3)
	d.problem = widget.NewLabel("")
	d.problem.Importance = widget.DangerImportance
	d.problem.Wrapping = fyne.TextWrapWord
	what := widget.NewLabel(fmt.Sprintf("排除“%s”（%s，%s）：该内容可以公开。同一内容在后续修订版中不再询问，但仍显示为已排除。",
		it.Text, it.Kind.Label(), it.Ground))
	what.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButton("取消", func() { d.dlg.Hide() })
	d.ok = widget.NewButton("排除", func() {
		r := strings.TrimSpace(d.reason.Text)
		if r == "" {
			d.problem.SetText("请写明排除理由。")
			return
		}
		d.ok.Disable()
		d.problem.SetText("")
		p.decide(screening.StatusDismissed, r, func(err error) {
			d.ok.Enable()
			if err != nil {
				fyne.LogError("dismiss finding", err)
				d.problem.SetText(review.ErrorMessage(err))
				return
			}
			d.dlg.Hide()
		})
	})
	d.ok.Importance = widget.HighImportance
	body := container.NewVBox(what, widget.NewForm(widget.NewFormItem("理由（必填）", d.reason)), d.problem)
	d.dlg = dialog.NewCustomWithoutButtons("排除筛查项", body, p.app.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.ok})
	d.dlg.Resize(fyne.NewSize(560, 300))
	d.dlg.Show()
	p.app.win.Canvas().Focus(d.reason)
	p.lastDlg = d
	return d
}

// redactDialog shows the redacted text before it becomes a new revision.
type redactDialog struct {
	preview *screening.Preview
	view    *findingText
	accept  *widget.Button
	dlg     *dialog.CustomDialog
	created *review.Revision // set once the new revision is stored
}

// showPreview computes the redaction and shows it; accepting stores it.
func (p *screeningPane) showPreview() {
	svc, id := p.app.svc.Screening, p.docID
	if svc == nil || id == 0 {
		return
	}
	var pv *screening.Preview
	p.app.Background(func(ctx context.Context) (err error) {
		pv, err = svc.Preview(ctx, id)
		return err
	}, func(err error) {
		if err != nil {
			p.app.ShowError(err)
			return
		}
		p.lastPrev = p.openPreview(pv)
	})
}

func (p *screeningPane) openPreview(pv *screening.Preview) *redactDialog {
	d := &redactDialog{preview: pv, view: newFindingText()}
	d.view.Set(pv.Text, redactionMarks(pv.Text))
	info := widget.NewLabel(fmt.Sprintf("%s。\n确认后生成第 %d 版，修改说明“%s”；原文第 %d 版保留不变。审查阶段不变：遮盖属于保密审查，您可接着作出保密审查决定。",
		screening.RedactionDetail(pv.Items), pv.State.Revision+1, screening.RedactionNote, pv.State.Revision))
	info.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButton("取消", func() { d.dlg.Hide() })
	d.accept = widget.NewButton("确认遮盖并生成新修订版", func() { p.acceptRedaction(d) })
	d.accept.Importance = widget.HighImportance
	d.dlg = dialog.NewCustomWithoutButtons("遮盖预览", container.NewBorder(info, nil, nil, nil, d.view), p.app.win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.accept})
	d.dlg.Resize(fyne.NewSize(900, 640))
	d.dlg.Show()
	return d
}

// redactionMarks makes one highlight per run of ■, so the preview shows
// at a glance where text was removed.
func redactionMarks(text string) []screening.Item {
	var out []screening.Item
	start, i := -1, 0
	for _, r := range text + "\n" {
		switch {
		case r == scr.RedactionMark && start < 0:
			start = i
		case r != scr.RedactionMark && start >= 0:
			out = append(out, screening.Item{Finding: scr.Finding{Kind: scr.KindClassification, Start: start, End: i}, Status: screening.StatusConfirmed})
			start = -1
		}
		i++
	}
	return out
}

// acceptRedaction stores the previewed redaction as a new revision.
func (p *screeningPane) acceptRedaction(d *redactDialog) {
	svc, u := p.app.svc.Screening, p.app.CurrentUser()
	if svc == nil || u == nil {
		return
	}
	d.accept.Disable()
	id, hash := p.docID, d.preview.State.Hash
	var rev *review.Revision
	p.app.Background(func(ctx context.Context) (err error) {
		rev, err = svc.Redact(ctx, u.Name, id, hash)
		return err
	}, func(err error) {
		d.dlg.Hide()
		if err != nil {
			p.app.ShowError(err)
			return
		}
		d.created = rev
		p.app.DocumentsChanged()
		p.load(id)
	})
}

// ShowScreening switches to 全部文件, opens document id and its 保密筛查
// tab; cmd/qianfa uses it for a flag that lands there at start.
func (a *App) ShowScreening(id int64) {
	a.ShowDocument(id)
	if d := a.browser.detail; d.screening != nil {
		d.tabs.Select(d.screeningTab)
		if p := d.screening; p.state != nil && p.docID == id {
			p.selectWhere(func(it *screening.Item) bool { return it.Status == screening.StatusOpen })
		} else {
			p.firstOpen = true
		}
	}
}
