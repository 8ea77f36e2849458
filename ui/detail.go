package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/calendar"
)

// Tab titles of the detail pane; tests and later screens refer to them.
const (
	tabInfo      = "基本信息"
	tabText      = "正文"
	tabRevisions = "修订记录"
	tabAudit     = "审计记录"
)

// infoFields are the 基本信息 rows, in the order a catalogue entry lists them.
var infoFields = []string{"标题", "文种", "发文机关", "发文字号", "成文日期", "主题分类", "公开属性", "索引号", "状态", "有效性", "当前版本", "经办人", "创建时间", "更新时间"}

// docDetail shows one document: metadata, text, revisions and audit trail.
type docDetail struct {
	widget.BaseWidget
	app *App

	doc   *review.Document
	cur   *review.Revision  // the current revision, for its text
	revs  []review.Revision // oldest first, as the store lists them
	audit []review.AuditEntry
	gen   int // bumped per load, so a slow, stale answer is dropped

	heading   *widget.Label
	edit      *widget.Button
	publish   *publishActions // 导出发布包 and 登记发布, shown for 已签发
	info      map[string]*widget.Label
	text      *textView
	revList   *widget.List
	revInfo   *widget.Label
	compare   *widget.Button // opens the comparison of two revisions
	revText   *textView
	auditList *widget.List
	tabs      *container.AppTabs

	// screening is the 保密筛查 tab; nil when the app has no screening service.
	screening    *screeningPane
	screeningTab *container.TabItem

	empty   fyne.CanvasObject
	body    fyne.CanvasObject
	content *fyne.Container
}

func newDocDetail(a *App) *docDetail {
	d := &docDetail{app: a, info: map[string]*widget.Label{}}
	d.ExtendBaseWidget(d)

	d.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.heading.SizeName = theme.SizeNameSubHeadingText
	d.heading.Wrapping = fyne.TextWrapWord
	d.edit = widget.NewButtonWithIcon("编辑", theme.Icon(theme.IconNameDocumentCreate), func() {
		if d.doc != nil && d.cur != nil {
			a.showEditDialog(d.doc, d.cur)
		}
	})
	d.edit.Disable()

	form := widget.NewForm()
	for _, f := range infoFields {
		l := widget.NewLabel("")
		l.Wrapping = fyne.TextWrapWord
		l.Selectable = true // a clerk copies the 索引号 and 发文字号 elsewhere
		d.info[f] = l
		form.Append(f, l)
	}

	d.text = newTextView()

	d.revList = widget.NewList(func() int { return len(d.revs) }, newTwoLineRow, d.updateRevRow)
	d.revInfo = widget.NewLabel("选择一个版本查看其正文。")
	d.revInfo.Wrapping = fyne.TextWrapWord
	d.revText = newTextView()
	d.revList.OnSelected = d.showRevision
	d.compare = widget.NewButtonWithIcon("比较…", theme.Icon(theme.IconNameViewRestore), func() {
		if d.doc != nil {
			a.compareRevisions(d.doc, d.revs, CompareViewSideBySide)
		}
	})
	revSplit := container.NewVSplit(container.NewBorder(container.NewHBox(d.compare), nil, nil, nil, d.revList),
		container.NewBorder(d.revInfo, nil, nil, nil, d.revText))
	revSplit.Offset = 0.35

	d.auditList = widget.NewList(func() int { return len(d.audit) }, newTwoLineRow, d.updateAuditRow)

	d.tabs = container.NewAppTabs(
		container.NewTabItem(tabInfo, container.NewVScroll(form)),
		container.NewTabItem(tabText, d.text),
		container.NewTabItem(tabRevisions, revSplit),
		container.NewTabItem(tabAudit, d.auditList),
	)
	if a.svc.Screening != nil {
		d.screening = newScreeningPane(a)
		d.screeningTab = container.NewTabItem(tabScreening, d.screening)
		d.tabs.Append(d.screeningTab)
	}
	d.publish = newPublishActions(a)
	d.body = container.NewBorder(container.NewBorder(nil, nil, nil, container.NewHBox(d.publish.box, d.edit), d.heading), nil, nil, nil, d.tabs)
	d.empty = placeholder("文件详情", "在左侧列表中选择一件文件，\n查看其基本信息、正文、修订记录和审计记录。")
	d.content = container.NewStack(d.empty)
	return d
}

// CreateRenderer implements fyne.Widget.
func (d *docDetail) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(d.content)
}

// load fetches a document with its current text, revisions and audit trail
// and shows them.
func (d *docDetail) load(id int64) {
	svc := d.app.svc
	d.gen++
	gen := d.gen
	var (
		doc   *review.Document
		cur   *review.Revision
		revs  []review.Revision
		audit []review.AuditEntry
	)
	d.app.Background(func(ctx context.Context) (err error) {
		if doc, err = svc.Docs.Document(ctx, id); err != nil {
			return err
		}
		if cur, err = svc.Docs.Revision(ctx, id, 0); err != nil {
			return err
		}
		if revs, err = svc.Docs.Revisions(ctx, id); err != nil {
			return err
		}
		if svc.Audit != nil {
			audit, err = svc.Audit.AuditEntries(ctx, review.AuditFilter{DocumentID: id})
		}
		return err
	}, func(err error) {
		if gen != d.gen {
			return
		}
		if err != nil {
			d.app.ShowError(err)
			return
		}
		d.set(doc, cur, revs, audit)
	})
}

// set fills every tab. Audit entries arrive newest first from the store; the
// tab keeps that order, as the question asked of it is "what happened last".
func (d *docDetail) set(doc *review.Document, cur *review.Revision, revs []review.Revision, audit []review.AuditEntry) {
	d.doc, d.cur, d.revs, d.audit = doc, cur, revs, audit
	m := doc.Meta
	disclosure := string(m.Disclosure)
	if m.DisclosureGround != "" {
		disclosure += "（依据：" + m.DisclosureGround + "）"
	}
	vals := map[string]string{
		"标题": m.Title, "文种": string(m.Kind), "发文机关": m.Issuer, "发文字号": m.DocNumber,
		"成文日期": m.WrittenOn, "主题分类": m.Subject, "公开属性": disclosure, "索引号": doc.IndexNo,
		"状态": string(doc.Status), "有效性": string(doc.Validity),
		"当前版本": fmt.Sprintf("第 %d 版（SHA-256 %s）", doc.CurrentRevision, hashPrefix(doc.CurrentHash)),
		"经办人":  d.app.userLabel(doc.CreatedBy),
		"创建时间": beijing(doc.CreatedAt),
		"更新时间": beijing(doc.UpdatedAt),
	}
	for _, f := range infoFields {
		v := vals[f]
		if v == "" {
			v = "—"
		}
		d.info[f].SetText(v)
	}
	d.heading.SetText(m.Title)
	d.text.SetText(cur.Text)
	d.revList.UnselectAll()
	d.revList.Refresh()
	d.revInfo.SetText("选择一个版本查看其正文。")
	d.revText.SetText("")
	d.auditList.Refresh()
	if d.screening != nil {
		d.screening.load(doc.ID)
	}
	d.edit.Enable()
	d.publish.set(doc)
	if len(d.content.Objects) == 0 || d.content.Objects[0] != d.body {
		d.content.Objects = []fyne.CanvasObject{d.body}
		d.content.Refresh()
	}
}

// showRevision shows the text of the revision selected in 修订记录.
func (d *docDetail) showRevision(i widget.ListItemID) {
	if i < 0 || i >= len(d.revs) {
		return
	}
	r := &d.revs[i]
	d.revInfo.SetText(fmt.Sprintf("第 %d 版 · %s · %s\nSHA-256 %s", r.Number, r.Meta.Title, d.app.userLabel(r.Author), r.Hash))
	d.revText.SetText(r.Text)
}

func (d *docDetail) updateRevRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(d.revs) {
		return
	}
	r := &d.revs[i]
	note := revisionNote(r)
	if note == "" {
		note = "（无修改说明）"
	}
	setTwoLines(o,
		fmt.Sprintf("第 %d 版 · %s · %s · %s", r.Number, d.app.userLabel(r.Author), beijing(r.CreatedAt), hashPrefix(r.Hash)),
		note)
}

func (d *docDetail) updateAuditRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(d.audit) {
		return
	}
	e := &d.audit[i]
	head := fmt.Sprintf("%s · %s · %s", e.At.In(calendar.Location()).Format("2006-01-02 15:04:05"), d.app.userLabel(e.Actor), e.Action.Label())
	if e.Revision > 0 {
		head += fmt.Sprintf(" · 第 %d 版", e.Revision)
	}
	setTwoLines(o, head, e.Detail)
}

// newTwoLineRow is a list row with a bold first line and a quieter second.
func newTwoLineRow() fyne.CanvasObject {
	a := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	a.Truncation = fyne.TextTruncateEllipsis
	b := widget.NewLabel("")
	b.Truncation = fyne.TextTruncateEllipsis
	return container.New(&rowLayout{}, a, b)
}

func setTwoLines(o fyne.CanvasObject, first, second string) {
	c := o.(*fyne.Container)
	c.Objects[0].(*widget.Label).SetText(first)
	c.Objects[1].(*widget.Label).SetText(second)
}

// revisionNote says what a revision changed: its 修改说明, or for an
// imported first revision the file it came from; "" when neither is known.
func revisionNote(r *review.Revision) string {
	if r.Note == "" && r.Source != "" {
		return "导入自 " + r.Source
	}
	return r.Note
}

// hashPrefix is enough of a SHA-256 to tell revisions apart by eye.
func hashPrefix(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}
