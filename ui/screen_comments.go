package ui

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/comment"
)

// commentsTitle is the screen's title in the navigation column.
const commentsTitle = "征求意见"

// newCommentsScreen is 征求意见: every comment draft on the left, the
// selected draft's window and comments on the right.
func newCommentsScreen(a *App) fyne.CanvasObject {
	store := a.svc.Comments
	if store == nil {
		return placeholder(commentsTitle, "当前工作区不支持征求意见管理。")
	}
	return newCommentsView(a, store)
}

// commentGroup is one row of the comment list: near-duplicates are shown
// once, with their count, since they are answered once.
type commentGroup struct {
	lead  comment.Comment
	nos   []int
	late  int
	count int
}

// commentsView is the 征求意见 screen. It is a widget so that tests can
// reach its parts.
type commentsView struct {
	widget.BaseWidget
	app   *App
	store comment.Store
	now   func() time.Time // tests fix the date

	drafts []comment.Draft // UI goroutine only
	list   *widget.List
	count  *widget.Label

	selected  int64 // document whose comments are shown, 0 for none
	window    *comment.Window
	articles  *comment.Articles
	comments  []comment.Comment
	groups    []commentGroup
	head      *widget.Label
	facts     *widget.Label
	history   *widget.Label
	groupList *widget.List
	actions   []*widget.Button
	detail    *fyne.Container

	content fyne.CanvasObject
}

func newCommentsView(a *App, store comment.Store) *commentsView {
	v := &commentsView{app: a, store: store, now: time.Now}
	v.ExtendBaseWidget(v)

	v.count = widget.NewLabel("")
	v.count.Importance = widget.LowImportance
	v.list = widget.NewList(func() int { return len(v.drafts) }, newDraftRow, v.updateDraftRow)
	v.list.OnSelected = func(i widget.ListItemID) {
		// refresh selects the shown draft again; only a new choice loads.
		if i < len(v.drafts) && v.drafts[i].Document.ID != v.selected {
			v.selectDraft(v.drafts[i].Document.ID)
		}
	}
	open := widget.NewButtonWithIcon("开启征求意见…", theme.Icon(theme.IconNameContentAdd), v.showOpenDialog)
	open.Importance = widget.HighImportance
	left := container.NewBorder(container.NewVBox(open, v.count), nil, nil, nil, v.list)

	v.head = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.head.Wrapping = fyne.TextWrapWord
	v.facts = wrapLabel("")
	v.history = wrapLabel("")
	v.history.Importance = widget.LowImportance
	v.groupList = widget.NewList(func() int { return len(v.groups) }, newGroupRow, v.updateGroupRow)
	v.groupList.OnSelected = func(i widget.ListItemID) {
		v.groupList.Unselect(i)
		if i < len(v.groups) {
			v.showDisposeDialog(v.groups[i].lead)
		}
	}
	extend := widget.NewButtonWithIcon("延长期限…", theme.Icon(theme.IconNameHistory), v.showExtendDialog)
	add := widget.NewButtonWithIcon("登记意见…", theme.Icon(theme.IconNameContentAdd), v.showAddDialog)
	imp := widget.NewButtonWithIcon("导入 CSV…", theme.Icon(theme.IconNameUpload), v.chooseCSV)
	report := widget.NewButtonWithIcon("生成意见采纳情况说明", theme.Icon(theme.IconNameDocument), v.showReport)
	report.Importance = widget.HighImportance
	v.actions = []*widget.Button{extend, add, imp, report}
	hint := widget.NewLabel("点击一条意见进行处理；内容相同或相近的意见合为一行，一并处理。")
	hint.Importance = widget.LowImportance
	top := container.NewVBox(v.head, v.facts, v.history, container.NewHBox(extend, add, imp, report), widget.NewSeparator(), hint)
	v.detail = container.NewBorder(top, nil, nil, nil, v.groupList)

	split := container.NewHSplit(left, container.NewStack(v.detail))
	split.Offset = 0.34
	v.content = split
	v.clearDetail()
	v.refresh()
	a.OnDocumentsChanged(v.refresh)
	return v
}

// CreateRenderer implements fyne.Widget.
func (v *commentsView) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(v.content)
}

func (v *commentsView) today() calendar.Date { return calendar.FromTime(v.now()) }

// actor is the name recorded for a change: the user at the desk.
func (v *commentsView) actor() (string, error) {
	u := v.app.CurrentUser()
	if u == nil {
		return "", review.Errorf(review.EFORBIDDEN, "请先登录，再办理征求意见事项。")
	}
	return u.Name, nil
}

// refresh reloads the list of comment drafts and the selected one.
func (v *commentsView) refresh() {
	var ds []comment.Draft
	v.app.Background(func(ctx context.Context) error {
		var err error
		ds, err = v.store.CommentDrafts(ctx)
		return err
	}, func(err error) {
		if err != nil {
			v.app.ShowError(err)
			return
		}
		// Open windows first, the one closing soonest on top: that is
		// where the work is; then those not started, closed, answered.
		today := v.today()
		slices.SortStableFunc(ds, func(a, b comment.Draft) int {
			if c := stateRank[a.Window.State(today)] - stateRank[b.Window.State(today)]; c != 0 {
				return c
			}
			return a.Window.End.Compare(b.Window.End)
		})
		v.drafts = ds
		v.count.SetText(fmt.Sprintf("共 %d 件征求意见稿", len(ds)))
		v.list.Refresh()
		if v.selected == 0 && len(ds) > 0 {
			v.selected = ds[0].Document.ID
		}
		if v.selected != 0 {
			for i := range ds {
				if ds[i].Document.ID == v.selected {
					v.list.Select(i)
				}
			}
			v.loadDetail(v.selected)
		}
	})
}

// stateRank orders the list by state.
var stateRank = map[comment.State]int{comment.StateOpen: 0, comment.StateNotStarted: 1, comment.StateClosed: 2, comment.StateAnswered: 3}

func newDraftRow() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("征求意见稿标题", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Truncation = fyne.TextTruncateEllipsis
	facts := widget.NewLabel("征求中 · 剩 30 天 · 意见 0 条")
	facts.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(title, facts)
}

// draftFacts is the second line of a draft's row.
func draftFacts(d *comment.Draft, today calendar.Date) string {
	w := &d.Window
	s := string(w.State(today))
	switch w.State(today) {
	case comment.StateNotStarted:
		s += fmt.Sprintf(" · %s开始", w.Start.String())
	case comment.StateOpen:
		if left := w.DaysLeft(today); left == 1 {
			s += " · 今日截止"
		} else {
			s += fmt.Sprintf(" · 剩 %d 天", left)
		}
	case comment.StateClosed:
		s += fmt.Sprintf(" · %s截止", w.End.String())
	}
	s += fmt.Sprintf(" · 意见 %d 条", d.Comments)
	if d.Late > 0 {
		s += fmt.Sprintf("（逾期 %d）", d.Late)
	}
	if d.Undisposed > 0 {
		s += fmt.Sprintf(" · 待处理 %d 组", d.Undisposed)
	}
	return s
}

func (v *commentsView) updateDraftRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(v.drafts) {
		return
	}
	d := &v.drafts[i]
	box := o.(*fyne.Container)
	box.Objects[0].(*widget.Label).SetText(d.Document.Meta.Title)
	facts := box.Objects[1].(*widget.Label)
	facts.SetText(draftFacts(d, v.today()))
	// A window about to close is amber: the office may still extend it or
	// remind colleagues, but not for long.
	switch {
	case d.Window.ClosingSoon(v.today()):
		facts.Importance = widget.WarningImportance
	case d.Window.State(v.today()) == comment.StateAnswered:
		facts.Importance = widget.SuccessImportance
	default:
		facts.Importance = widget.MediumImportance
	}
	facts.Refresh()
}

// selectDraft shows a draft's window and comments.
func (v *commentsView) selectDraft(id int64) {
	v.selected = id
	v.loadDetail(id)
}

func (v *commentsView) loadDetail(id int64) {
	var w *comment.Window
	var cs []comment.Comment
	var arts *comment.Articles
	v.app.Background(func(ctx context.Context) error {
		var err error
		if w, err = v.store.CommentWindow(ctx, id); err != nil {
			return err
		}
		if cs, err = v.store.Comments(ctx, id); err != nil {
			return err
		}
		rev, err := v.app.svc.Docs.Revision(ctx, id, w.Revision)
		if err != nil {
			return err
		}
		arts = comment.ArticlesOf(rev.Text)
		return nil
	}, func(err error) {
		if err != nil {
			v.app.ShowError(err)
			return
		}
		if v.selected != id {
			return // another draft was chosen meanwhile
		}
		v.window, v.comments, v.articles = w, cs, arts
		v.groups = groupComments(cs)
		v.showDetail()
	})
}

// groupComments folds each group into its first comment, keeping the
// order of first arrival.
func groupComments(cs []comment.Comment) []commentGroup {
	var out []commentGroup
	at := map[int64]int{}
	for _, c := range cs {
		i, ok := at[c.Group]
		if !ok {
			i = len(out)
			at[c.Group] = i
			out = append(out, commentGroup{lead: c})
		}
		g := &out[i]
		g.nos = append(g.nos, c.No)
		g.count++
		if c.Late {
			g.late++
		}
	}
	return out
}

func (v *commentsView) clearDetail() {
	v.window, v.comments, v.groups = nil, nil, nil
	v.head.SetText("请在左侧选择一件征求意见稿")
	v.facts.SetText("经保密审查和签发的征求意见稿，可在此开启征求意见、登记和处理意见，并生成意见采纳情况说明。")
	v.history.SetText("")
	for _, b := range v.actions {
		b.Disable()
	}
	v.groupList.Refresh()
}

func (v *commentsView) draft() *comment.Draft {
	for i := range v.drafts {
		if v.drafts[i].Document.ID == v.selected {
			return &v.drafts[i]
		}
	}
	return nil
}

func (v *commentsView) showDetail() {
	w := v.window
	title := fmt.Sprintf("文件 %d", v.selected)
	if d := v.draft(); d != nil {
		title = d.Document.Meta.Title
	}
	v.head.SetText(title)
	today := v.today()
	facts := fmt.Sprintf("第 %d 版征求意见，%s至%s，%s", w.Revision, w.Start.Chinese(), w.End.Chinese(), w.State(today))
	if st := w.State(today); st == comment.StateOpen || st == comment.StateNotStarted {
		facts += fmt.Sprintf("（剩 %d 天）", w.DaysLeft(today))
	}
	facts += fmt.Sprintf("；渠道：%s；按%s期限", comment.JoinChannels(w.Channels), w.Kind)
	if w.Market {
		facts += "（涉及市场主体）"
	}
	open := 0
	late := 0
	for _, g := range v.groups {
		if g.lead.Disposition == "" {
			open++
		}
		late += g.late
	}
	facts += fmt.Sprintf("。\n意见 %d 条（逾期 %d 条），合并后 %d 组，待处理 %d 组。", len(v.comments), late, len(v.groups), open)
	v.facts.SetText(facts)
	v.facts.Importance = widget.MediumImportance
	if w.ClosingSoon(today) {
		v.facts.Importance = widget.WarningImportance
	}
	v.facts.Refresh()
	var hist []string
	for _, h := range w.History {
		what := "开启"
		if h.Extension {
			what = "延长"
		}
		s := fmt.Sprintf("%s：%s至%s（%s）", what, h.Start, h.End, v.app.userLabel(h.Actor))
		if h.Reason != "" {
			s += "，理由：" + h.Reason
		}
		hist = append(hist, s)
	}
	v.history.SetText("期限记录：" + strings.Join(hist, "；"))
	answered := !w.FeedbackAt.IsZero()
	for i, b := range v.actions {
		if answered && i < 3 {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	v.groupList.Refresh()
}

func newGroupRow() fyne.CanvasObject {
	text := widget.NewLabel("意见内容")
	text.Truncation = fyne.TextTruncateEllipsis
	facts := widget.NewLabel("第 1 条 · 个人 · 第三条 · 网站")
	facts.Importance = widget.LowImportance
	facts.Truncation = fyne.TextTruncateEllipsis
	disp := widget.NewLabel("待处理")
	disp.TextStyle.Bold = true
	return container.NewBorder(nil, nil, nil, disp, container.NewVBox(text, facts))
}

// groupFacts is the second line of a comment row; arts names the articles
// as the draft writes them (第五条), when known.
func groupFacts(g *commentGroup, arts *comment.Articles) string {
	c := &g.lead
	nos := make([]string, len(g.nos))
	for i, n := range g.nos {
		nos[i] = strconv.Itoa(n)
	}
	s := "第 " + strings.Join(nos, "、") + " 条"
	if len(nos) > 6 {
		s = fmt.Sprintf("第 %s…%d 条", strings.Join(nos[:3], "、"), g.nos[len(g.nos)-1])
	}
	if g.count > 1 {
		s += fmt.Sprintf(" · 同类意见 %d 条", g.count)
	}
	s += " · " + string(c.SubmitterType)
	if c.Submitter != "" {
		s += "（" + c.Submitter + "）"
	}
	switch {
	case c.Article != "" && arts != nil && arts.Label(c.Article) != "":
		s += " · " + arts.Label(c.Article)
	case c.Article != "":
		s += " · 第" + c.Article + "条"
	default:
		s += " · 全文"
	}
	s += " · " + string(c.Channel) + " · " + beijing(c.ReceivedAt)
	if g.late > 0 {
		s += fmt.Sprintf(" · 逾期 %d 条", g.late)
	}
	return s
}

func (v *commentsView) updateGroupRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(v.groups) {
		return
	}
	g := &v.groups[i]
	row := o.(*fyne.Container)
	body := row.Objects[0].(*fyne.Container)
	body.Objects[0].(*widget.Label).SetText(strings.Join(strings.Fields(g.lead.Text), " "))
	facts := body.Objects[1].(*widget.Label)
	facts.SetText(groupFacts(g, v.articles))
	disp := row.Objects[1].(*widget.Label)
	switch d := g.lead.Disposition; d {
	case "":
		disp.SetText("待处理")
		disp.Importance = widget.WarningImportance
	case comment.Adopted, comment.Partly:
		disp.SetText(string(d))
		disp.Importance = widget.SuccessImportance
	default:
		disp.SetText(string(d))
		disp.Importance = widget.MediumImportance
	}
	disp.Refresh()
}

// openForm is the 开启征求意见 dialog.
type openForm struct {
	formDialog
	docs     []review.DocumentHit
	doc      *widget.Select
	kind     *widget.Select
	start    *widget.Entry
	end      *widget.Entry
	channels *widget.CheckGroup
	market   *widget.Check
	reason   *widget.Entry
	rule     *widget.Label
}

// kindOwn is the kind option meaning "the document's own 文种".
const kindOwn = "按文件的文种"

func (v *commentsView) showOpenDialog() { v.newOpenForm().dlg.Show() }

// newOpenForm builds the dialog and fills its document choice with the
// approved documents that have no window yet.
func (v *commentsView) newOpenForm() *openForm {
	f := &openForm{}
	f.doc = widget.NewSelect(nil, nil)
	f.doc.PlaceHolder = "（选择已签发的文件）"
	f.kind = widget.NewSelect([]string{kindOwn, string(review.KindRule), string(review.KindNormative), string(review.KindOther)}, nil)
	f.kind.SetSelected(kindOwn)
	today := v.today()
	f.start = widget.NewEntry()
	f.start.SetText(today.AddDays(1).String())
	f.end = widget.NewEntry()
	var chans []string
	for _, c := range comment.Channels {
		chans = append(chans, string(c))
	}
	f.channels = widget.NewCheckGroup(chans, nil)
	f.channels.Horizontal = true
	f.channels.SetSelected([]string{string(comment.ChannelWebsite)})
	f.market = widget.NewCheck("涉及市场主体生产经营活动（行政规范性文件，不少于30日）", nil)
	f.reason = widget.NewEntry()
	f.reason.SetPlaceHolder("期限短于一般要求时必填，如：情况紧急")
	f.rule = wrapLabel("")
	f.rule.Importance = widget.LowImportance
	// Callbacks are set once every widget exists: SetSelected fires them.
	f.doc.OnChanged = func(string) { f.sync() }
	f.kind.OnChanged = func(string) { f.sync() }
	f.market.OnChanged = func(bool) { f.sync() }
	f.start.OnChanged = func(string) { f.proposeEnd() }
	form := widget.NewForm(
		widget.NewFormItem("文件", f.doc),
		widget.NewFormItem("期限依据", f.kind),
		widget.NewFormItem("开始日期", f.start),
		widget.NewFormItem("截止日期", f.end),
		widget.NewFormItem("渠道", f.channels),
		widget.NewFormItem("", f.market),
		widget.NewFormItem("缩短理由", f.reason),
	)
	f.formDialog = v.app.newFormDialog("开启征求意见", "开启", fyne.NewSize(640, 520), container.NewVBox(form, f.rule), func() { v.submitOpen(f) })
	f.sync()

	var hits []review.DocumentHit
	v.app.Background(func(ctx context.Context) error {
		for _, st := range []review.Status{review.StatusApproved, review.StatusPublished} {
			hs, err := v.app.svc.Docs.FindDocuments(ctx, review.DocumentFilter{Status: st, Limit: listLimit})
			if err != nil {
				return err
			}
			hits = append(hits, hs...)
		}
		return nil
	}, func(err error) {
		if err != nil {
			f.refuse(err)
			return
		}
		have := map[int64]bool{}
		for _, d := range v.drafts {
			have[d.Document.ID] = true
		}
		var opts []string
		for _, h := range hits {
			if !have[h.ID] {
				f.docs = append(f.docs, h)
				opts = append(opts, docOption(&h.Document))
			}
		}
		f.doc.SetOptions(opts)
		if len(opts) == 0 {
			f.status.SetText("没有可开启征求意见的文件：征求意见稿须先经保密审查和签发。")
		}
	})
	return f
}

func docOption(d *review.Document) string {
	return fmt.Sprintf("%d　《%s》（%s）", d.ID, d.Meta.Title, d.Meta.Kind)
}

// ruleKind is the kind whose minimum the form's choices lead to, "" when
// the document must name one.
func (f *openForm) ruleKind() review.Kind {
	if k := f.kind.Selected; k != kindOwn && k != "" {
		return review.Kind(k)
	}
	if i := f.doc.SelectedIndex(); i >= 0 && i < len(f.docs) {
		if k := f.docs[i].Meta.Kind; k != review.KindCommentDraft {
			return k
		}
	}
	return ""
}

// sync explains the rule that applies and proposes the earliest end.
func (f *openForm) sync() {
	k := f.ruleKind()
	if k == "" {
		f.rule.SetText("文件的文种为征求意见稿时，请在“期限依据”中选择规章、行政规范性文件或其他文件。")
	} else {
		f.rule.SetText(comment.RuleText(k, f.market.Checked))
	}
	f.proposeEnd()
}

func (f *openForm) proposeEnd() {
	start, err := calendar.Parse(f.start.Text)
	if err != nil {
		return
	}
	if k := f.ruleKind(); k != "" {
		f.end.SetText(calendar.Default().EarliestCommentEnd(string(k), start, f.market.Checked).String())
	}
}

func (v *commentsView) submitOpen(f *openForm) {
	i := f.doc.SelectedIndex()
	if i < 0 || i >= len(f.docs) {
		f.status.SetText("请选择要征求意见的文件。")
		return
	}
	id := f.docs[i].ID
	spec := comment.WindowSpec{Market: f.market.Checked, Reason: f.reason.Text}
	if k := f.kind.Selected; k != kindOwn {
		spec.Kind = review.Kind(k)
	}
	var err error
	if spec.Start, err = calendar.Parse(f.start.Text); err != nil {
		f.refuse(err)
		return
	}
	if spec.End, err = calendar.Parse(f.end.Text); err != nil {
		f.refuse(err)
		return
	}
	for _, c := range f.channels.Selected {
		spec.Channels = append(spec.Channels, comment.Channel(c))
	}
	actor, err := v.actor()
	if err != nil {
		f.refuse(err)
		return
	}
	f.submit(func(ctx context.Context) error {
		_, err := v.store.OpenCommentWindow(ctx, id, spec, actor)
		return err
	}, func() {
		v.selected = id
		v.app.DocumentsChanged()
	})
}

// extendForm is the 延长期限 dialog.
type extendForm struct {
	formDialog
	end    *widget.Entry
	reason *widget.Entry
}

func (v *commentsView) showExtendDialog() { v.newExtendForm().dlg.Show() }

func (v *commentsView) newExtendForm() *extendForm {
	f := &extendForm{end: widget.NewEntry(), reason: widget.NewMultiLineEntry()}
	if v.window != nil {
		f.end.SetText(v.window.End.AddDays(7).String())
	}
	f.reason.SetPlaceHolder("延长的理由（必填）")
	f.reason.SetMinRowsVisible(2)
	cur := ""
	if v.window != nil {
		cur = fmt.Sprintf("现截止日期：%s。延长后原期限仍保留在期限记录中。", v.window.End.Chinese())
	}
	form := widget.NewForm(widget.NewFormItem("新截止日期", f.end), widget.NewFormItem("理由", f.reason))
	f.formDialog = v.app.newFormDialog("延长征求意见期限", "延长", fyne.NewSize(560, 320), container.NewVBox(wrapLabel(cur), form), func() { v.submitExtend(f) })
	return f
}

func (v *commentsView) submitExtend(f *extendForm) {
	end, err := calendar.Parse(f.end.Text)
	if err != nil {
		f.refuse(err)
		return
	}
	actor, err := v.actor()
	if err != nil {
		f.refuse(err)
		return
	}
	id, reason := v.selected, f.reason.Text
	f.submit(func(ctx context.Context) error {
		_, err := v.store.ExtendCommentWindow(ctx, id, end, reason, actor)
		return err
	}, v.refresh)
}

// addForm is the 登记意见 dialog.
type addForm struct {
	formDialog
	text    *widget.Entry
	article *widget.Select
	typ     *widget.Select
	name    *widget.Entry
	at      *widget.Entry
	channel *widget.Select
}

// articleWhole is the article option for a comment on the whole draft.
const articleWhole = "全文（不针对具体条款）"

func (v *commentsView) showAddDialog() { v.newAddForm().dlg.Show() }

func (v *commentsView) newAddForm() *addForm {
	f := &addForm{text: widget.NewMultiLineEntry(), name: widget.NewEntry(), at: widget.NewEntry()}
	f.text.SetMinRowsVisible(5)
	f.text.Wrapping = fyne.TextWrapWord
	f.text.SetPlaceHolder("意见内容")
	opts := []string{articleWhole}
	if v.articles != nil {
		for _, no := range v.articles.Numbers() {
			opts = append(opts, v.articles.Label(no))
		}
	}
	f.article = widget.NewSelect(opts, nil)
	f.article.SetSelected(articleWhole)
	var types []string
	for _, t := range comment.SubmitterTypes {
		types = append(types, string(t))
	}
	f.typ = widget.NewSelect(types, nil)
	f.typ.SetSelected(string(comment.SubmitterPerson))
	f.name.SetPlaceHolder("可不填")
	f.at.SetText(beijing(v.now()))
	var chans []string
	for _, c := range comment.Channels {
		chans = append(chans, string(c))
	}
	f.channel = widget.NewSelect(chans, nil)
	f.channel.SetSelected(string(comment.ChannelWebsite))
	form := widget.NewForm(
		widget.NewFormItem("意见", f.text),
		widget.NewFormItem("针对条款", f.article),
		widget.NewFormItem("提交者类型", f.typ),
		widget.NewFormItem("提交者", f.name),
		widget.NewFormItem("收到时间", f.at),
		widget.NewFormItem("渠道", f.channel),
	)
	note := wrapLabel("截止后收到的意见照常登记，标为“逾期”。")
	note.Importance = widget.LowImportance
	f.formDialog = v.app.newFormDialog("登记意见", "登记", fyne.NewSize(640, 520), container.NewVBox(form, note), func() { v.submitAdd(f) })
	return f
}

func (v *commentsView) submitAdd(f *addForm) {
	at, err := comment.ParseTime(f.at.Text)
	if err != nil {
		f.refuse(err)
		return
	}
	n := comment.NewComment{SubmitterType: comment.SubmitterType(f.typ.Selected), Submitter: f.name.Text, ReceivedAt: at,
		Channel: comment.Channel(f.channel.Selected), Text: f.text.Text}
	if a := f.article.Selected; a != articleWhole {
		n.Article = a
	}
	actor, err := v.actor()
	if err != nil {
		f.refuse(err)
		return
	}
	id := v.selected
	f.submit(func(ctx context.Context) error {
		_, err := v.store.AddComments(ctx, id, []comment.NewComment{n}, actor)
		return err
	}, v.refresh)
}

// disposeForm is the dialog that answers a comment and its group.
type disposeForm struct {
	formDialog
	no     int
	as     *widget.RadioGroup
	reason *widget.Entry
}

func (v *commentsView) showDisposeDialog(c comment.Comment) { v.newDisposeForm(c).dlg.Show() }

func (v *commentsView) newDisposeForm(c comment.Comment) *disposeForm {
	f := &disposeForm{no: c.No, reason: widget.NewMultiLineEntry()}
	var opts []string
	for _, d := range comment.Dispositions {
		opts = append(opts, string(d))
	}
	f.as = widget.NewRadioGroup(opts, nil)
	f.as.Horizontal = true
	f.as.Required = true
	if c.Disposition != "" {
		f.as.SetSelected(string(c.Disposition))
	}
	f.reason.SetText(c.Reason)
	f.reason.SetMinRowsVisible(3)
	f.reason.Wrapping = fyne.TextWrapWord
	f.reason.SetPlaceHolder("理由（采纳以外必填，将写入意见采纳情况说明）")
	about := fmt.Sprintf("第 %d 条意见", c.No)
	if c.GroupSize > 1 {
		about += fmt.Sprintf("（与另外 %d 条相同或相近的意见一并处理）", c.GroupSize-1)
	}
	text := wrapLabel(c.Text)
	form := widget.NewForm(widget.NewFormItem("处理", f.as), widget.NewFormItem("理由", f.reason))
	f.formDialog = v.app.newFormDialog("处理意见", "确定", fyne.NewSize(640, 440),
		container.NewVBox(widget.NewLabelWithStyle(about, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), text, form),
		func() { v.submitDispose(f) })
	return f
}

func (v *commentsView) submitDispose(f *disposeForm) {
	d := comment.Disposition(f.as.Selected)
	if d == "" {
		f.status.SetText("请选择处理意见：采纳、部分采纳、不采纳或不涉及本文件。")
		return
	}
	// Checked here too, so the clerk reads the rule at once; the store
	// checks again in its transaction.
	if err := comment.CheckDisposition(d, f.reason.Text); err != nil {
		f.refuse(err)
		return
	}
	actor, err := v.actor()
	if err != nil {
		f.refuse(err)
		return
	}
	id, no, reason := v.selected, f.no, f.reason.Text
	f.submit(func(ctx context.Context) error {
		_, err := v.store.DisposeComment(ctx, id, no, d, reason, actor)
		return err
	}, v.refresh)
}

// chooseCSV asks for the website's CSV export, then for its columns.
func (v *commentsView) chooseCSV() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			v.app.ShowError(err)
			return
		}
		if r == nil {
			return
		}
		v.readCSV(r)
	}, v.app.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".CSV"}))
	fd.Show()
}

// readCSV reads and parses the export off the UI goroutine (it may be
// megabytes, on a network drive), closes r, then asks for the columns.
func (v *commentsView) readCSV(r fyne.URIReadCloser) {
	name := r.URI().Name()
	var tab *comment.Table
	v.app.Background(func(context.Context) error {
		defer r.Close()
		data, err := io.ReadAll(io.LimitReader(r, comment.MaxCSVSize+1))
		if err != nil {
			return review.WrapError(review.EINVALID, err, "无法读取 %s。", name)
		}
		tab, err = comment.ReadTable(data)
		return err
	}, func(err error) {
		if err != nil {
			v.app.ShowError(err)
			return
		}
		v.newImportForm(tab, name).dlg.Show()
	})
}

// importForm maps a CSV's columns to comment fields, one Select per field.
type importForm struct {
	formDialog
	tab    *comment.Table
	name   string
	fields map[comment.Field]*widget.Select
	def    *widget.Select
}

// columnNone is the column option for a field left out of the import.
const columnNone = "（不导入）"

func (v *commentsView) newImportForm(tab *comment.Table, name string) *importForm {
	f := &importForm{tab: tab, name: name, fields: map[comment.Field]*widget.Select{}}
	guess := comment.GuessMapping(tab.Headers)
	form := widget.NewForm()
	for _, fld := range comment.Fields {
		opts := slices.Clone(tab.Headers)
		if !fld.Required() {
			opts = append([]string{columnNone}, opts...)
		}
		s := widget.NewSelect(opts, nil)
		s.PlaceHolder = "（选择列）"
		if g := guess[fld]; g != "" {
			s.SetSelected(g)
		} else if !fld.Required() {
			s.SetSelected(columnNone)
		}
		f.fields[fld] = s
		label := fld.Label()
		if fld.Required() {
			label += "＊"
		}
		form.Append(label, s)
	}
	var chans []string
	for _, c := range comment.Channels {
		chans = append(chans, string(c))
	}
	f.def = widget.NewSelect(chans, nil)
	f.def.SetSelected(string(comment.ChannelWebsite))
	form.Append("无渠道列时记为", f.def)
	intro := wrapLabel(fmt.Sprintf("%s：%s 编码，%d 行意见。请为每项选择所在的列（＊为必选）；有误的行将逐行报告，其余照常导入。", name, tab.Encoding, len(tab.Rows)))
	f.formDialog = v.app.newFormDialog("导入意见：选择列", "导入", fyne.NewSize(640, 520), container.NewVBox(intro, form), func() { v.submitImport(f) })
	return f
}

func (f *importForm) mapping() comment.Mapping {
	m := comment.Mapping{}
	for fld, s := range f.fields {
		if s.Selected != "" && s.Selected != columnNone {
			m[fld] = s.Selected
		}
	}
	return m
}

func (v *commentsView) submitImport(f *importForm) {
	if v.articles == nil {
		f.status.SetText("请先选择征求意见稿。")
		return
	}
	imp, err := f.tab.Comments(f.mapping(), v.articles, f.name, comment.Channel(f.def.Selected))
	if err != nil {
		f.refuse(err)
		return
	}
	actor, err := v.actor()
	if err != nil {
		f.refuse(err)
		return
	}
	id := v.selected
	var added []comment.Comment
	f.submit(func(ctx context.Context) error {
		if len(imp.Comments) == 0 {
			return nil
		}
		var err error
		added, err = v.store.AddComments(ctx, id, imp.Comments, actor)
		return err
	}, func() {
		v.refresh()
		dialog.ShowCustom("导入结果", "关闭", importSummary(len(added), imp.Bad), v.app.win)
	})
}

// importSummary says how many comments came in and lists the rows that did
// not, by line, so the clerk can fix them in the export.
func importSummary(n int, bad []comment.BadRow) fyne.CanvasObject {
	lines := []string{fmt.Sprintf("已导入 %d 条意见。", n)}
	if len(bad) > 0 {
		lines = append(lines, fmt.Sprintf("%d 行未导入：", len(bad)))
		for _, b := range bad {
			lines = append(lines, fmt.Sprintf("第 %d 行：%s", b.Line, b.Reason))
		}
	}
	l := wrapLabel(strings.Join(lines, "\n"))
	scroll := container.NewVScroll(l)
	scroll.SetMinSize(fyne.NewSize(520, min(float32(60+24*len(bad)), 360)))
	return scroll
}

// reportView is the preview of 意见采纳情况说明.
type reportView struct {
	report *comment.Report
	text   *widget.Label
	issue  *widget.Button
	dlg    *dialog.CustomDialog
}

func (v *commentsView) showReport() {
	id := v.selected
	var r *comment.Report
	v.app.Background(func(ctx context.Context) error {
		var err error
		r, err = v.store.CommentReport(ctx, id)
		return err
	}, func(err error) {
		if err != nil {
			v.app.ShowError(err)
			return
		}
		v.newReportView(r).dlg.Show()
	})
}

func (v *commentsView) newReportView(r *comment.Report) *reportView {
	rv := &reportView{report: r, text: wrapLabel(r.Text())}
	scroll := container.NewVScroll(rv.text)
	save := widget.NewButtonWithIcon("保存 HTML…", theme.Icon(theme.IconNameDocumentSave), func() { v.saveReportHTML(r) })
	rv.issue = widget.NewButtonWithIcon("存为文件并送审", theme.Icon(theme.IconNameMailSend), func() { v.issueFeedback(rv) })
	rv.issue.Importance = widget.HighImportance
	if v.window != nil && (!v.window.FeedbackAt.IsZero() || !v.today().After(v.window.End) || r.Undisposed > 0) {
		// Feedback is issued once, after the window has closed and every
		// comment is answered; the preview and the HTML are always there.
		rv.issue.Disable()
	}
	rv.dlg = dialog.NewCustomWithoutButtons("意见采纳情况说明（预览）", scroll, v.app.win)
	rv.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton("关闭", func() { rv.dlg.Hide() }), save, rv.issue})
	rv.dlg.Resize(fyne.NewSize(820, 640))
	return rv
}

func (v *commentsView) saveReportHTML(r *comment.Report) {
	fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			v.app.ShowError(err)
			return
		}
		if w == nil {
			return
		}
		werr := r.WriteHTML(w)
		if cerr := w.Close(); werr == nil {
			werr = cerr
		}
		if werr != nil {
			v.app.ShowError(review.WrapError(review.EINTERNAL, werr, "保存 %s 失败。", w.URI().Name()))
		}
	}, v.app.win)
	fd.SetFileName(comment.FeedbackTitle(r.Title) + ".html")
	fd.Show()
}

func (v *commentsView) issueFeedback(rv *reportView) {
	actor, err := v.actor()
	if err != nil {
		v.app.ShowError(err)
		return
	}
	id := v.selected
	var d *review.Document
	v.app.Background(func(ctx context.Context) error {
		var err error
		d, err = v.store.IssueCommentFeedback(ctx, id, actor)
		return err
	}, func(err error) {
		if err != nil {
			v.app.ShowError(err)
			return
		}
		rv.dlg.Hide()
		v.app.DocumentsChanged()
		dialog.ShowInformation("已生成", fmt.Sprintf("《%s》已存为文件 %d（索引号 %s），请在“全部文件”中提交审查。", d.Meta.Title, d.ID, d.IndexNo), v.app.win)
	})
}
