package ui

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/comment"
)

// commentFake adds public comment to the fake workspace, with the domain's
// own rules, so that the screen is tested against what storage enforces.
type commentFake struct {
	*fakeStore
	cmu      sync.Mutex
	windows  map[int64]*comment.Window
	comments map[int64][]comment.Comment
	disposed int // DisposeComment calls that reached the store
	nextGrp  int64
}

var _ comment.Store = (*commentFake)(nil)

func newCommentFake() *commentFake {
	return &commentFake{fakeStore: newFakeStore(), windows: map[int64]*comment.Window{}, comments: map[int64][]comment.Comment{}}
}

func (s *commentFake) services() Services {
	sv := s.fakeStore.services()
	sv.Docs, sv.Comments = s, s
	return sv
}

func (s *commentFake) OpenCommentWindow(ctx context.Context, id int64, spec comment.WindowSpec, actor string) (*comment.Window, error) {
	doc, err := s.Document(ctx, id)
	if err != nil {
		return nil, err
	}
	if err := comment.CheckOpen(doc); err != nil {
		return nil, err
	}
	if spec.Kind, err = comment.RuleKind(doc.Meta.Kind, spec.Kind); err != nil {
		return nil, err
	}
	if err := spec.Check(calendar.Default()); err != nil {
		return nil, err
	}
	s.cmu.Lock()
	defer s.cmu.Unlock()
	w := &comment.Window{DocumentID: id, Revision: doc.CurrentRevision, Kind: spec.Kind, Start: spec.Start, End: spec.End,
		Channels: spec.Channels, Market: spec.Market, Reason: spec.Reason, OpenedBy: actor,
		History: []comment.WindowChange{{Start: spec.Start, End: spec.End, Reason: spec.Reason, Actor: actor}}}
	s.windows[id] = w
	c := *w
	return &c, nil
}

func (s *commentFake) ExtendCommentWindow(_ context.Context, id int64, end calendar.Date, reason, actor string) (*comment.Window, error) {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	w := s.windows[id]
	if err := w.CheckExtend(calendar.Default(), end, reason); err != nil {
		return nil, err
	}
	w.End = end
	w.History = append(w.History, comment.WindowChange{Start: w.Start, End: end, Reason: reason, Actor: actor, Extension: true})
	c := *w
	return &c, nil
}

func (s *commentFake) CommentWindow(_ context.Context, id int64) (*comment.Window, error) {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	w, ok := s.windows[id]
	if !ok {
		return nil, review.Errorf(review.ENOTFOUND, "文件 %d 尚未开启征求意见。", id)
	}
	c := *w
	c.History = slices.Clone(w.History)
	return &c, nil
}

func (s *commentFake) CommentDrafts(ctx context.Context) ([]comment.Draft, error) {
	s.cmu.Lock()
	ids := make([]int64, 0, len(s.windows))
	for id := range s.windows {
		ids = append(ids, id)
	}
	s.cmu.Unlock()
	slices.Sort(ids)
	var out []comment.Draft
	for _, id := range ids {
		doc, _ := s.Document(ctx, id)
		w, _ := s.CommentWindow(ctx, id)
		cs, _ := s.Comments(ctx, id)
		d := comment.Draft{Document: *doc, Window: *w, Comments: len(cs)}
		groups := map[int64]bool{}
		for _, c := range cs {
			if c.Late {
				d.Late++
			}
			if !groups[c.Group] {
				groups[c.Group] = true
				d.Groups++
				if c.Disposition == "" {
					d.Undisposed++
				}
			}
		}
		out = append(out, d)
	}
	return out, nil
}

func (s *commentFake) AddComments(ctx context.Context, id int64, ns []comment.NewComment, actor string) ([]comment.Comment, error) {
	w, err := s.CommentWindow(ctx, id)
	if err != nil {
		return nil, err
	}
	rev, err := s.Revision(ctx, id, w.Revision)
	if err != nil {
		return nil, err
	}
	arts := comment.ArticlesOf(rev.Text)
	for i := range ns {
		if err := ns[i].Validate(arts); err != nil {
			return nil, err
		}
	}
	s.cmu.Lock()
	defer s.cmu.Unlock()
	existing := s.comments[id]
	var texts, incoming []string
	for _, c := range existing {
		texts = append(texts, c.Text)
	}
	for _, n := range ns {
		incoming = append(incoming, n.Text)
	}
	match := comment.Assign(texts, incoming)
	all := slices.Clone(existing)
	for i, n := range ns {
		c := comment.Comment{ID: int64(len(all) + 1), DocumentID: id, No: len(all) + 1, SubmitterType: n.SubmitterType,
			Submitter: n.Submitter, ReceivedAt: n.ReceivedAt, Channel: n.Channel, Text: n.Text, Article: n.Article,
			Late: w.Late(n.ReceivedAt), CreatedBy: actor}
		if j := match[i]; j >= 0 {
			c.Group, c.Disposition, c.Reason = all[j].Group, all[j].Disposition, all[j].Reason
		} else {
			s.nextGrp++
			c.Group = s.nextGrp
		}
		all = append(all, c)
	}
	s.comments[id] = all
	return all[len(existing):], nil
}

func (s *commentFake) Comments(_ context.Context, id int64) ([]comment.Comment, error) {
	s.cmu.Lock()
	defer s.cmu.Unlock()
	cs := slices.Clone(s.comments[id])
	size, lead := map[int64]int{}, map[int64]int{}
	for _, c := range cs {
		size[c.Group]++
		if lead[c.Group] == 0 {
			lead[c.Group] = c.No
		}
	}
	for i := range cs {
		cs[i].GroupSize, cs[i].GroupLead = size[cs[i].Group], lead[cs[i].Group]
	}
	return cs, nil
}

func (s *commentFake) DisposeComment(_ context.Context, id int64, no int, d comment.Disposition, reason, actor string) ([]comment.Comment, error) {
	if err := comment.CheckDisposition(d, reason); err != nil {
		return nil, err
	}
	s.cmu.Lock()
	defer s.cmu.Unlock()
	s.disposed++
	cs := s.comments[id]
	g := cs[no-1].Group
	var out []comment.Comment
	for i := range cs {
		if cs[i].Group == g {
			cs[i].Disposition, cs[i].Reason, cs[i].DisposedBy = d, reason, actor
			out = append(out, cs[i])
		}
	}
	return out, nil
}

func (s *commentFake) CommentReport(ctx context.Context, id int64) (*comment.Report, error) {
	doc, _ := s.Document(ctx, id)
	w, _ := s.CommentWindow(ctx, id)
	cs, _ := s.Comments(ctx, id)
	draft, _ := s.Revision(ctx, id, w.Revision)
	final, _ := s.Revision(ctx, id, 0)
	return comment.Build(comment.Input{Document: *doc, Window: *w, Comments: cs, DraftText: draft.Text, FinalText: final.Text,
		FinalRevision: final.Number, Now: s.now})
}

func (s *commentFake) IssueCommentFeedback(context.Context, int64, string) (*review.Document, error) {
	return nil, review.Errorf(review.ECONFLICT, "测试中不生成文件。")
}

func (s *commentFake) PublicComment(ctx context.Context, id int64) (comment.Record, error) {
	w, err := s.CommentWindow(ctx, id)
	if err != nil {
		return comment.Record{}, nil
	}
	cs, _ := s.Comments(ctx, id)
	return comment.NewRecord(w, cs, calendar.Default()), nil
}

const uiDraft = "某部举报奖励办法（征求意见稿）\n\n第一条 为了鼓励举报，制定本办法。\n第二条 举报人可以通过网站举报。\n第三条 受理后十五个工作日内答复。\n"

// commentWorkspace holds two comment drafts: one closing in two days with
// a small campaign of identical comments, one closed, and an approved
// document without a window yet.
func commentWorkspace(t *testing.T) (*commentFake, time.Time) {
	t.Helper()
	s := newCommentFake()
	ctx := context.Background()
	today := time.Date(2025, 3, 28, 10, 0, 0, 0, calendar.Location())
	a := s.add("某部举报奖励办法（征求意见稿）", review.KindCommentDraft, review.StatusApproved, review.ValidityInForce, uiDraft)
	b := s.add("某部安全生产检查办法（征求意见稿）", review.KindCommentDraft, review.StatusApproved, review.ValidityInForce, uiDraft)
	s.add("某部行政许可实施办法", review.KindRule, review.StatusApproved, review.ValidityInForce, "第一条 为了规范行政许可，制定本办法。")
	web := []comment.Channel{comment.ChannelWebsite}
	if _, err := s.OpenCommentWindow(ctx, a.ID, comment.WindowSpec{Kind: review.KindRule, Start: calendar.MustParse("2025-03-01"), End: calendar.MustParse("2025-03-30"), Channels: web}, "wang"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.OpenCommentWindow(ctx, b.ID, comment.WindowSpec{Kind: review.KindNormative, Start: calendar.MustParse("2025-02-10"), End: calendar.MustParse("2025-02-20"), Channels: web}, "wang"); err != nil {
		t.Fatal(err)
	}
	at := func(d int) time.Time { return time.Date(2025, 3, d, 9, 0, 0, 0, calendar.Location()) }
	campaign := "建议把答复时限缩短为十个工作日。"
	if _, err := s.AddComments(ctx, a.ID, []comment.NewComment{
		{SubmitterType: comment.SubmitterPerson, ReceivedAt: at(2), Text: campaign, Article: "3"},
		{SubmitterType: comment.SubmitterPerson, ReceivedAt: at(3), Text: campaign, Article: "3"},
		{SubmitterType: comment.SubmitterCompany, ReceivedAt: at(4), Text: campaign + "！", Article: "3"},
		{SubmitterType: comment.SubmitterOrganisation, ReceivedAt: at(5), Text: "建议增加微信举报渠道。", Article: "2"},
	}, "wang"); err != nil {
		t.Fatal(err)
	}
	return s, today
}

func openComments(t *testing.T, s *commentFake, today time.Time) (*App, *commentsView) {
	t.Helper()
	a := openApp(t, s.services())
	a.ShowScreen(commentsTitle)
	v := a.nav.built[commentsTitle].(*commentsView)
	v.now = func() time.Time { return today }
	v.refresh()
	a.wait()
	return a, v
}

func TestCommentsScreen_ListsDraftsWithStateDaysLeftAndAmberWhenClosing(t *testing.T) {
	s, today := commentWorkspace(t)
	_, v := openComments(t, s, today)
	if n := v.list.Length(); n != 2 {
		t.Fatalf("%d drafts listed, want 2", n)
	}
	tests := []struct {
		row        int
		title      string
		facts      string
		importance widget.Importance
	}{
		{0, "某部举报奖励办法（征求意见稿）", "征求中 · 剩 3 天 · 意见 4 条 · 待处理 2 组", widget.WarningImportance},
		{1, "某部安全生产检查办法（征求意见稿）", "已截止 · 2025-02-20截止 · 意见 0 条", widget.MediumImportance},
	}
	for _, tt := range tests {
		row := newDraftRow()
		v.updateDraftRow(tt.row, row)
		objs := row.(*fyne.Container).Objects
		title, facts := objs[0].(*widget.Label), objs[1].(*widget.Label)
		if title.Text != tt.title || facts.Text != tt.facts || facts.Importance != tt.importance {
			t.Errorf("row %d = %q / %q (importance %v), want %q / %q (%v)", tt.row, title.Text, facts.Text, facts.Importance, tt.title, tt.facts, tt.importance)
		}
	}
}

func TestCommentsScreen_SelectingShowsGroupedComments(t *testing.T) {
	s, today := commentWorkspace(t)
	a, v := openComments(t, s, today)
	v.list.Select(0)
	a.wait()
	if len(v.groups) != 2 || v.groupList.Length() != 2 {
		t.Fatalf("groups %+v", v.groups)
	}
	row := newGroupRow()
	v.updateGroupRow(0, row)
	body := row.(*fyne.Container).Objects[0].(*fyne.Container)
	facts := body.Objects[1].(*widget.Label).Text
	if !strings.Contains(facts, "第 1、2、3 条 · 同类意见 3 条") || !strings.Contains(facts, "第三条") {
		t.Errorf("group row facts %q", facts)
	}
	if d := row.(*fyne.Container).Objects[1].(*widget.Label); d.Text != "待处理" {
		t.Errorf("disposition %q", d.Text)
	}
	if !strings.Contains(v.facts.Text, "意见 4 条（逾期 0 条），合并后 2 组，待处理 2 组") || v.facts.Importance != widget.WarningImportance {
		t.Errorf("facts %q (%v)", v.facts.Text, v.facts.Importance)
	}
	for _, b := range v.actions {
		if b.Disabled() {
			t.Errorf("%s disabled for an open window", b.Text)
		}
	}
}

func TestCommentsScreen_DispositionNeedsAReasonExceptAdopted(t *testing.T) {
	s, today := commentWorkspace(t)
	a, v := openComments(t, s, today)
	v.list.Select(0)
	a.wait()
	tests := []struct {
		name, as, reason, status string
		reached                  int
	}{
		{"不采纳 without reason stays in the dialog", string(comment.NotAdopted), "", "须写明理由", 0},
		{"nothing chosen", "", "", "请选择处理意见", 0},
		{"不采纳 with a reason", string(comment.NotAdopted), "与上位法规定一致，不宜缩短", "", 1},
		{"采纳 needs no reason", string(comment.Adopted), "", "", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := v.newDisposeForm(v.groups[0].lead)
			f.as.SetSelected(tt.as)
			f.reason.SetText(tt.reason)
			v.submitDispose(f)
			a.wait()
			if tt.status != "" && !strings.Contains(f.status.Text, tt.status) {
				t.Errorf("status %q, want %q", f.status.Text, tt.status)
			}
			if tt.status == "" && f.status.Text != "" {
				t.Errorf("refused: %q", f.status.Text)
			}
			if s.disposed != tt.reached {
				t.Errorf("store reached %d times, want %d", s.disposed, tt.reached)
			}
		})
	}
	// The whole group was answered at once.
	if g := v.groups[0]; g.lead.Disposition != comment.Adopted || g.count != 3 {
		t.Errorf("group after disposal %+v", g)
	}
}

func TestCommentsScreen_AddCommentJoinsItsGroupAndLateIsFlagged(t *testing.T) {
	s, today := commentWorkspace(t)
	a, v := openComments(t, s, today)
	v.list.Select(0)
	a.wait()
	f := v.newAddForm()
	if got := f.article.Options; len(got) != 4 || got[3] != "第三条" {
		t.Fatalf("article options %v", got)
	}
	f.text.SetText("建议把答复时限缩短为十个工作日")
	f.article.SetSelected("第三条")
	f.at.SetText("2025-03-31 09:00")
	v.submitAdd(f)
	a.wait()
	if f.status.Text != "" {
		t.Fatalf("refused: %s", f.status.Text)
	}
	if len(v.groups) != 2 || v.groups[0].count != 4 || v.groups[0].late != 1 {
		t.Fatalf("groups after adding %+v", v.groups)
	}
	f = v.newAddForm()
	v.submitAdd(f)
	a.wait()
	if !strings.Contains(f.status.Text, "意见内容为空") {
		t.Errorf("empty comment: %q", f.status.Text)
	}
}

// A second click on 登记 while the first is being stored must not register
// the comment twice.
func TestCommentsScreen_DoubleClickRegistersOnce(t *testing.T) {
	s, today := commentWorkspace(t)
	a, v := openComments(t, s, today)
	v.list.Select(0)
	a.wait()
	f := v.newAddForm()
	f.text.SetText("建议公布举报奖励的发放情况。")
	f.at.SetText("2025-03-20 09:00")
	test.Tap(f.ok)
	test.Tap(f.ok)
	a.wait()
	if f.status.Text != "" {
		t.Fatalf("refused: %s", f.status.Text)
	}
	if len(v.comments) != 5 {
		t.Errorf("%d comments after one registration, want 5", len(v.comments))
	}
	if f.ok.Disabled() {
		t.Error("登记 stays disabled after the answer")
	}
}

func TestCommentsScreen_CSVImportWithColumnMapping(t *testing.T) {
	s, today := commentWorkspace(t)
	a, v := openComments(t, s, today)
	v.list.Select(1)
	a.wait()
	csv := "序号,身份,提交时间,条款,内容\n1,个人,2025-02-12 10:00,第二条,增加电话渠道。\n2,个人,2025-02-13,第九条,不存在的条款。\n3,企业,2025-02-25 08:00,,逾期的意见。\n"
	tab, err := comment.ReadTable([]byte(csv))
	if err != nil {
		t.Fatal(err)
	}
	f := v.newImportForm(tab, "导出.csv")
	if got := f.fields[comment.FieldText].Selected; got != "内容" {
		t.Errorf("text column guessed %q", got)
	}
	if got := f.fields[comment.FieldSubmitter].Selected; got != columnNone {
		t.Errorf("submitter column %q, want none", got)
	}
	f.fields[comment.FieldTime].SetSelected("序号") // a wrong choice first
	v.submitImport(f)
	a.wait()
	if len(v.comments) != 0 {
		t.Fatalf("a mapping that reads no time imported %d comments", len(v.comments))
	}
	f.fields[comment.FieldTime].SetSelected("提交时间")
	v.submitImport(f)
	a.wait()
	if len(v.comments) != 2 || !v.comments[1].Late || v.comments[0].Article != "2" {
		t.Fatalf("imported %+v", v.comments)
	}
	sum := importSummary(2, []comment.BadRow{{Line: 3, Reason: "征求意见稿没有“第九条”"}})
	l := sum.(*container.Scroll).Content.(*widget.Label)
	if !strings.Contains(l.Text, "已导入 2 条意见") || !strings.Contains(l.Text, "第 3 行：征求意见稿没有“第九条”") {
		t.Errorf("summary %q", l.Text)
	}
}

// The chosen CSV is read and parsed in the background, then the column
// dialog opens; a file that is not a CSV says so.
func TestCommentsScreen_ReadsTheChosenCSV(t *testing.T) {
	s, today := commentWorkspace(t)
	a, v := openComments(t, s, today)
	dir := t.TempDir()
	good := filepath.Join(dir, "导出.csv")
	if err := os.WriteFile(good, []byte("身份,提交时间,内容\n个人,2025-02-12 10:00,增加电话渠道。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := storage.Reader(storage.NewFileURI(good))
	if err != nil {
		t.Fatal(err)
	}
	v.readCSV(r)
	a.wait()
	if top := a.win.Canvas().Overlays().Top(); top == nil || !strings.Contains(allText(top), "导出.csv：UTF-8 编码，1 行意见") {
		t.Fatalf("column dialog not shown")
	}
}

func TestCommentsScreen_OpenWindowExplainsTheRuleWhenRefused(t *testing.T) {
	s, today := commentWorkspace(t)
	a, v := openComments(t, s, today)
	f := v.newOpenForm()
	a.wait()
	if len(f.docs) != 1 || f.docs[0].Meta.Title != "某部行政许可实施办法" {
		t.Fatalf("documents offered %v", f.doc.Options)
	}
	f.doc.SetSelected(f.doc.Options[0])
	if !strings.Contains(f.rule.Text, "不少于30日（《规章制定程序条例》第十五条）") {
		t.Errorf("rule %q", f.rule.Text)
	}
	if f.start.Text != "2025-03-29" || f.end.Text != "2025-04-27" {
		t.Errorf("proposed %s – %s", f.start.Text, f.end.Text)
	}
	f.end.SetText("2025-04-10")
	v.submitOpen(f)
	a.wait()
	if !strings.Contains(f.status.Text, "规章向社会公开征求意见的期限一般不少于30日") || !strings.Contains(f.status.Text, "理由") {
		t.Fatalf("refusal %q", f.status.Text)
	}
	f.reason.SetText("应对突发事件，情况紧急")
	v.submitOpen(f)
	a.wait()
	if f.status.Text != "" && !strings.Contains(f.status.Text, "规章") {
		t.Fatalf("status %q", f.status.Text)
	}
	if v.list.Length() != 3 || v.selected != f.docs[0].ID {
		t.Fatalf("after opening: %d drafts, selected %d", v.list.Length(), v.selected)
	}
}

func TestCommentsScreen_ReportPreview(t *testing.T) {
	s, today := commentWorkspace(t)
	a, v := openComments(t, s, today)
	v.list.Select(0)
	a.wait()
	r, err := s.CommentReport(context.Background(), v.selected)
	if err != nil {
		t.Fatal(err)
	}
	rv := v.newReportView(r)
	for _, want := range []string{"关于《某部举报奖励办法》征求意见采纳情况的说明", "共收到意见 4 条", "（同类意见 3 条）", "尚在研究"} {
		if !strings.Contains(rv.text.Text, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if !rv.issue.Disabled() {
		t.Error("feedback can be issued while the window is open and comments unanswered")
	}
}
