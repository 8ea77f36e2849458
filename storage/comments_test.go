package storage

import (
	"strings"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/comment"
	"qianfa/review/compare"
	"qianfa/review/workflow"
)

const commentDraft = `某部危险化学品安全管理办法（征求意见稿）

第一条 为了加强危险化学品安全管理，制定本办法。
第二条 企业应当每年开展一次安全评价。
第三条 违反本办法第二条规定的，处一万元罚款。
第四条 本办法自发布之日起施行。
`

const commentFinal = `某部危险化学品安全管理办法

第一条 为了加强危险化学品安全管理，保障人民群众生命财产安全，制定本办法。
第二条 企业应当每三年开展一次安全评价。
第三条 违反本办法第二条规定的，处一万元罚款。
第四条 本办法自2025年1月1日起施行。
`

// approvedCommentDraft imports a comment draft and takes it through
// 保密审查 and 签发, as any publication.
func approvedCommentDraft(t *testing.T, f *reviewFixture) *review.Document {
	t.Helper()
	doc, err := f.db.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: "某部危险化学品安全管理办法（征求意见稿）",
		Kind: review.KindCommentDraft, Issuer: "某部", Disclosure: review.DisclosureActive}, Text: commentDraft, Author: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	f.tick()
	if _, err := f.svc.Submit(ctx, "clerk", doc.ID, true); err != nil {
		t.Fatal(err)
	}
	f.decide(t, "conf", doc.ID, workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose})
	d := f.decide(t, "boss", doc.ID, workflow.Proposal{Stage: workflow.StageSignoff, Outcome: workflow.OutcomeSign})
	if d.Status != review.StatusApproved {
		t.Fatalf("comment draft status %s after sign-off", d.Status)
	}
	return d
}

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, calendar.Location())
	if err != nil {
		panic(err)
	}
	return t
}

func web() []comment.Channel { return []comment.Channel{comment.ChannelWebsite, comment.ChannelEmail} }

// TestComments_LifeOfADraft follows one comment draft from review to the
// feedback document: window, comments, dispositions, final revision and the
// report with its article changes, and what legality review is told.
func TestComments_LifeOfADraft(t *testing.T) {
	f := newReviewFixture(t)
	doc, err := f.db.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: "未审的征求意见稿", Kind: review.KindCommentDraft,
		Disclosure: review.DisclosureActive}, Text: commentDraft, Author: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	spec := comment.WindowSpec{Kind: review.KindRule, Start: calendar.MustParse("2024-10-08"), End: calendar.MustParse("2024-11-06"), Channels: web()}
	if _, err := f.db.OpenCommentWindow(ctx, doc.ID, spec, "clerk"); review.ErrorCode(err) != review.ECONFLICT || !strings.Contains(review.ErrorMessage(err), "签发") {
		t.Fatalf("window on an unreviewed draft: %v", err)
	}

	doc = approvedCommentDraft(t, f)
	short := spec
	short.End = calendar.MustParse("2024-11-05")
	before := auditLen(t, f.db)
	if _, err := f.db.OpenCommentWindow(ctx, doc.ID, short, "clerk"); !strings.Contains(review.ErrorMessage(err), "不少于30日") {
		t.Fatalf("29-day window for a 规章: %v", err)
	}
	noKind := spec
	noKind.Kind = ""
	if _, err := f.db.OpenCommentWindow(ctx, doc.ID, noKind, "clerk"); !strings.Contains(review.ErrorMessage(err), "请注明") {
		t.Fatalf("征求意见稿 without a kind: %v", err)
	}
	if n := auditLen(t, f.db); n != before {
		t.Fatalf("refused openings wrote %d audit entries", n-before)
	}
	w, err := f.db.OpenCommentWindow(ctx, doc.ID, spec, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	if w.Revision != 1 || w.RevisionHash != doc.CurrentHash || len(w.History) != 1 || w.Kind != review.KindRule {
		t.Fatalf("window %+v", w)
	}

	f.now = at("2024-10-20 10:00")
	w, err = f.db.ExtendCommentWindow(ctx, doc.ID, calendar.MustParse("2024-11-15"), "意见较多，延长征求意见期限", "clerk")
	if err != nil {
		t.Fatal(err)
	}
	if len(w.History) != 2 || w.History[0].End != spec.End || !w.History[1].Extension || w.End.String() != "2024-11-15" {
		t.Fatalf("history after extension %+v", w.History)
	}

	campaign := "建议删除第三条的罚款规定，处罚过重，不利于小企业发展。"
	added, err := f.db.AddComments(ctx, doc.ID, []comment.NewComment{
		{SubmitterType: comment.SubmitterCompany, Submitter: "甲公司", ReceivedAt: at("2024-10-09 09:00"), Channel: comment.ChannelWebsite, Text: campaign, Article: "第三条"},
		{SubmitterType: comment.SubmitterCompany, Submitter: "乙公司", ReceivedAt: at("2024-10-10 09:00"), Channel: comment.ChannelEmail, Text: campaign + "！", Article: "3"},
		{SubmitterType: comment.SubmitterPerson, ReceivedAt: at("2024-10-11 15:00"), Text: "每年评价一次成本太高，建议改为每三年一次。", Article: "二"},
		{SubmitterType: comment.SubmitterOrganisation, Submitter: "某协会", ReceivedAt: at("2024-10-12 15:00"), Text: "建议明确施行日期，给企业准备时间。", Article: "4"},
		{SubmitterType: comment.SubmitterPerson, ReceivedAt: at("2024-10-13 15:00"), Text: "小区门口的路灯坏了，请尽快修理。"},
	}, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	if added[1].Group != added[0].Group || added[1].GroupSize != 2 || added[2].Group == added[0].Group {
		t.Fatalf("grouping: %+v", added)
	}
	if _, err := f.db.AddComments(ctx, doc.ID, []comment.NewComment{{ReceivedAt: at("2024-10-14 09:00"), Text: "第九条不合理", Article: "第九条"}}, "clerk"); review.ErrorCode(err) != review.EINVALID {
		t.Fatalf("comment on a missing article: %v", err)
	}

	// Answering one comment of a group answers the group.
	for _, d := range []struct {
		no     int
		disp   comment.Disposition
		reason string
	}{
		{2, comment.NotAdopted, "罚款数额符合上位法规定"},
		{3, comment.Adopted, ""},
		{4, comment.Adopted, ""},
		{5, comment.NotRelated, "属于市政设施维护，已转交有关部门"},
	} {
		if _, err := f.db.DisposeComment(ctx, doc.ID, d.no, d.disp, d.reason, "clerk"); err != nil {
			t.Fatalf("dispose %d: %v", d.no, err)
		}
	}
	if _, err := f.db.DisposeComment(ctx, doc.ID, 1, comment.Partly, "", "clerk"); !strings.Contains(review.ErrorMessage(err), "须写明理由") {
		t.Fatalf("部分采纳 without a reason: %v", err)
	}

	// A letter arrives after the window closed: kept, flagged, and it joins
	// the campaign's group and its answer.
	f.now = at("2024-11-18 09:00")
	late, err := f.db.AddComments(ctx, doc.ID, []comment.NewComment{{SubmitterType: comment.SubmitterCompany, Channel: comment.ChannelLetter,
		ReceivedAt: at("2024-11-17 10:00"), Text: campaign, Article: "3"}}, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	if !late[0].Late || late[0].Group != added[0].Group || late[0].Disposition != comment.NotAdopted || late[0].No != 6 {
		t.Fatalf("late comment %+v", late[0])
	}

	// The final text is a later revision of the same document, now a 规章.
	meta := doc.Meta
	meta.Title, meta.Kind = "某部危险化学品安全管理办法", review.KindRule
	if _, err := f.db.ReviseDocument(ctx, doc.ID, meta, commentFinal, "clerk", "根据征求意见修改"); err != nil {
		t.Fatal(err)
	}

	rec, err := f.db.PublicComment(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !rec.Held || rec.Revision != 1 || rec.Comments != 6 || rec.Considered != 6 || !rec.Extended || rec.End.String() != "2024-11-15" {
		t.Fatalf("legality review is told %+v", rec)
	}

	r, err := f.db.CommentReport(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if r.Total != 6 || r.Late != 1 || r.Groups != 4 || r.CommentRevision != 1 || r.FinalRevision != 2 ||
		r.ByDisposition[comment.NotAdopted] != 3 || r.ByDisposition[comment.Adopted] != 2 || r.ByDisposition[comment.NotRelated] != 1 {
		t.Fatalf("report counts %+v", r)
	}
	changes := map[string]*comment.ArticleFeedback{}
	for i := range r.Articles {
		changes[r.Articles[i].No] = &r.Articles[i]
	}
	if a := changes["2"]; a == nil || a.Change == nil || a.Change.Label != compare.Modified || !strings.Contains(a.Change.NewText, "每三年") {
		t.Errorf("第二条 feedback %+v", a)
	}
	if a := changes["3"]; a == nil || a.Items[0].Count != 3 || a.Items[0].Late != 1 || a.Change.Label != compare.Unchanged {
		t.Errorf("第三条 feedback %+v", a)
	}
	if len(r.Changes) != 3 {
		t.Errorf("changes %+v", r.Changes)
	}

	fb, err := f.db.IssueCommentFeedback(ctx, doc.ID, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	if fb.Meta.Kind != review.KindOther || fb.Meta.Title != "关于《某部危险化学品安全管理办法》征求意见采纳情况的说明" || fb.Status != review.StatusDraft {
		t.Fatalf("feedback document %+v", fb)
	}
	text, err := f.db.Revision(ctx, fb.ID, 0)
	if err != nil || !strings.Contains(text.Text, "第二条修改为：第二条 企业应当每三年开展一次安全评价。") {
		t.Fatalf("feedback text: %v\n%s", err, text.Text)
	}
	// The feedback enters review like any other publication.
	f.tick()
	if d, err := f.svc.Submit(ctx, "clerk", fb.ID, true); err != nil || d.Status != review.StatusConfidentiality {
		t.Fatalf("feedback submitted: %+v %v", d, err)
	}
	w, err = f.db.CommentWindow(ctx, doc.ID)
	if err != nil || w.State(calendar.FromTime(f.now)) != comment.StateAnswered || w.FeedbackDocument != fb.ID {
		t.Fatalf("window after feedback %+v %v", w, err)
	}

	before = auditLen(t, f.db)
	if _, err := f.db.AddComments(ctx, doc.ID, []comment.NewComment{{ReceivedAt: f.now, Text: "再补充一条"}}, "clerk"); review.ErrorCode(err) != review.ECONFLICT {
		t.Errorf("comment after feedback: %v", err)
	}
	if _, err := f.db.DisposeComment(ctx, doc.ID, 1, comment.Adopted, "", "clerk"); review.ErrorCode(err) != review.ECONFLICT {
		t.Errorf("disposition after feedback: %v", err)
	}
	if _, err := f.db.IssueCommentFeedback(ctx, doc.ID, "clerk"); review.ErrorCode(err) != review.ECONFLICT {
		t.Errorf("second feedback: %v", err)
	}
	if n := auditLen(t, f.db); n != before {
		t.Errorf("refused actions wrote %d audit entries", n-before)
	}
	entries, _ := f.db.AuditEntries(ctx, review.AuditFilter{DocumentID: doc.ID})
	kept := 0
	for _, e := range entries {
		if e.Action == review.ActionComment {
			kept++
		}
	}
	// open, extend, two batches of comments, four dispositions, feedback.
	if kept != 9 {
		t.Errorf("%d comment audit entries, want 9", kept)
	}
	if b, err := f.db.VerifyAudit(ctx); err != nil || b != nil {
		t.Errorf("audit chain %+v %v", b, err)
	}
}

func TestComments_FeedbackWaitsForTheEndAndForEveryAnswer(t *testing.T) {
	f := newReviewFixture(t)
	doc := approvedCommentDraft(t, f)
	spec := comment.WindowSpec{Kind: review.KindNormative, Start: calendar.MustParse("2024-10-08"), End: calendar.MustParse("2024-10-16"), Channels: web()}
	if _, err := f.db.OpenCommentWindow(ctx, doc.ID, spec, "clerk"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.OpenCommentWindow(ctx, doc.ID, spec, "clerk"); review.ErrorCode(err) != review.ECONFLICT {
		t.Fatalf("second opening: %v", err)
	}
	f.now = at("2024-10-10 09:00")
	if _, err := f.db.AddComments(ctx, doc.ID, []comment.NewComment{{ReceivedAt: f.now, Text: "同意。"}}, "clerk"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		now  string
		want string
	}{
		{"window still open", "2024-10-16 17:00", "尚未截止"},
		{"a comment unanswered", "2024-10-17 09:00", "尚未处理"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f.now = at(tt.now)
			if _, err := f.db.IssueCommentFeedback(ctx, doc.ID, "clerk"); !strings.Contains(review.ErrorMessage(err), tt.want) {
				t.Fatalf("feedback: %v, want %q", err, tt.want)
			}
		})
	}
	if _, err := f.db.DisposeComment(ctx, doc.ID, 1, comment.Adopted, "", "clerk"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.IssueCommentFeedback(ctx, doc.ID, "clerk"); err != nil {
		t.Fatalf("feedback once all is answered: %v", err)
	}
}

func TestComments_AreKeptAsReceived(t *testing.T) {
	f := newReviewFixture(t)
	doc := approvedCommentDraft(t, f)
	spec := comment.WindowSpec{Kind: review.KindRule, Start: calendar.MustParse("2024-10-08"), End: calendar.MustParse("2024-11-06"), Channels: web()}
	if _, err := f.db.OpenCommentWindow(ctx, doc.ID, spec, "clerk"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.AddComments(ctx, doc.ID, []comment.NewComment{{ReceivedAt: at("2024-10-09 10:00"), Text: "建议修改。"}}, "clerk"); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []string{
		`UPDATE comments SET text = '改过的意见'`,
		`DELETE FROM comments`,
		`UPDATE comment_window_changes SET end_date = '2024-10-09'`,
	} {
		if _, err := f.db.db.Exec(stmt); err == nil {
			t.Errorf("%s was allowed", stmt)
		}
	}
}

func TestCommentDrafts_ListCountsAndState(t *testing.T) {
	f := newReviewFixture(t)
	doc := approvedCommentDraft(t, f)
	spec := comment.WindowSpec{Kind: review.KindNormative, Market: true, Start: calendar.MustParse("2024-10-08"), End: calendar.MustParse("2024-11-06"), Channels: web()}
	if _, err := f.db.OpenCommentWindow(ctx, doc.ID, spec, "clerk"); err != nil {
		t.Fatal(err)
	}
	same := "建议延长过渡期。"
	if _, err := f.db.AddComments(ctx, doc.ID, []comment.NewComment{
		{ReceivedAt: at("2024-10-09 10:00"), Text: same}, {ReceivedAt: at("2024-10-09 11:00"), Text: same},
		{ReceivedAt: at("2024-11-07 11:00"), Text: "逾期的意见。"},
	}, "clerk"); err != nil {
		t.Fatal(err)
	}
	ds, err := f.db.CommentDrafts(ctx)
	if err != nil || len(ds) != 1 {
		t.Fatalf("drafts %v %v", ds, err)
	}
	d := ds[0]
	if d.Document.ID != doc.ID || d.Comments != 3 || d.Late != 1 || d.Groups != 2 || d.Undisposed != 2 || !d.Window.Market {
		t.Fatalf("draft %+v", d)
	}
	if got := d.Window.DaysLeft(calendar.MustParse("2024-11-04")); got != 3 || !d.Window.ClosingSoon(calendar.MustParse("2024-11-04")) {
		t.Errorf("days left %d", got)
	}
}

func auditLen(t *testing.T, db *DB) int {
	t.Helper()
	es, err := db.AuditEntries(ctx, review.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

// A comment recorded after the window closed is late only until the window
// is extended past the day it arrived: lateness follows the window's end as
// it stands, in the list, the counts and the report.
func TestComments_ExtensionBringsALateCommentBackInside(t *testing.T) {
	f := newReviewFixture(t)
	doc := approvedCommentDraft(t, f)
	spec := comment.WindowSpec{Kind: review.KindRule, Start: calendar.MustParse("2024-10-08"), End: calendar.MustParse("2024-11-06"), Channels: web()}
	if _, err := f.db.OpenCommentWindow(ctx, doc.ID, spec, "clerk"); err != nil {
		t.Fatal(err)
	}
	f.now = at("2024-11-08 09:00")
	added, err := f.db.AddComments(ctx, doc.ID, []comment.NewComment{{ReceivedAt: at("2024-11-07 10:00"), Text: "截止次日寄到的意见。"}}, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	if !added[0].Late {
		t.Fatalf("comment after the end not flagged late: %+v", added[0])
	}
	if _, err := f.db.ExtendCommentWindow(ctx, doc.ID, calendar.MustParse("2024-11-30"), "重新开放征求意见", "clerk"); err != nil {
		t.Fatal(err)
	}
	cs, err := f.db.Comments(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if cs[0].Late {
		t.Errorf("comment received 2024-11-07 is still late after the window was extended to 2024-11-30")
	}
	ds, err := f.db.CommentDrafts(ctx)
	if err != nil || len(ds) != 1 || ds[0].Late != 0 {
		t.Errorf("drafts %+v %v, want no late comment", ds, err)
	}
	r, err := f.db.CommentReport(ctx, doc.ID)
	if err != nil || r.Late != 0 {
		t.Errorf("report late = %+v %v, want 0", r, err)
	}
}
