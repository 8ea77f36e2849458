package storage

import (
	"strings"
	"testing"

	"qianfa/review"
	"qianfa/review/screen"
	"qianfa/review/screening"
	"qianfa/review/workflow"
)

// honoursText is a commendation with two people's ID numbers and phones.
const honoursText = "关于表彰先进个人的决定\n\n各有关单位：\n王建国，身份证号110105196803150011，联系电话13801234567；\n" +
	"李秀英，身份证号320102197507221027，联系电话13912345678。\n\n咨询电话：010-83930000。\n"

// screenFixture is the review fixture plus a screening service and an
// administrator.
type screenFixture struct {
	*reviewFixture
	scr *screening.Service
}

func newScreenFixture(t *testing.T) *screenFixture {
	t.Helper()
	f := &screenFixture{reviewFixture: newReviewFixture(t)}
	f.scr = &screening.Service{Store: f.db, Docs: f.db, Users: f.db, Now: f.db.Now}
	return f
}

// submitted creates a draft with text and sends it to 保密审查.
func (f *screenFixture) submitted(t *testing.T, text string) *review.Document {
	t.Helper()
	doc, err := f.db.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: "关于表彰先进个人的决定", Kind: review.KindNotice,
		Disclosure: review.DisclosureActive}, Text: text, Author: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Submit(ctx, "clerk", doc.ID, true); err != nil {
		t.Fatal(err)
	}
	return doc
}

// decideAll confirms every open finding whose text is in confirm and
// dismisses the rest.
func (f *screenFixture) decideAll(t *testing.T, id int64, confirm ...string) {
	t.Helper()
	st, err := f.scr.State(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range st.Open() {
		f.tick()
		status, reason := screening.StatusDismissed, "本单位公开的咨询电话"
		for _, c := range confirm {
			if it.Text == c {
				status, reason = screening.StatusConfirmed, ""
			}
		}
		if _, err := f.scr.Decide(ctx, "conf", id, st.Hash, it.Fingerprint, status, reason); err != nil {
			t.Fatalf("decide %s: %v", it.Text, err)
		}
	}
}

func TestFindingDecisions_AreAppendOnlyAndLatestCounts(t *testing.T) {
	f := newScreenFixture(t)
	doc := f.submitted(t, honoursText)
	st, err := f.scr.State(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	phone, _ := st.Find(st.Items[len(st.Items)-1].Fingerprint)
	if phone.Text != "010-83930000" {
		t.Fatalf("last finding = %q", phone.Text)
	}
	if _, err := f.scr.Decide(ctx, "conf", doc.ID, "", phone.Fingerprint, screening.StatusConfirmed, ""); err != nil {
		t.Fatal(err)
	}
	f.tick()
	if _, err := f.scr.Decide(ctx, "conf", doc.ID, "", phone.Fingerprint, screening.StatusDismissed, "本单位公开的咨询电话"); err != nil {
		t.Fatal(err)
	}
	ds, err := f.db.FindingDecisions(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 || ds[0].Status != screening.StatusConfirmed || ds[1].Status != screening.StatusDismissed ||
		ds[1].Revision != 1 || ds[1].Kind != screen.KindLandline || ds[1].Actor != "conf" {
		t.Fatalf("decisions = %+v", ds)
	}
	st, _ = f.scr.State(ctx, doc.ID)
	if it, _ := st.Find(phone.Fingerprint); it.Status != screening.StatusDismissed || it.Decision.Reason != "本单位公开的咨询电话" {
		t.Errorf("item = %+v, want the later dismissal", it)
	}
	for _, q := range []string{`UPDATE finding_decisions SET decision = '已确认'`, `DELETE FROM finding_decisions`} {
		if _, err := f.db.db.ExecContext(ctx, q); err == nil {
			t.Errorf("%s succeeded", q)
		}
	}
	audit, _ := f.db.AuditEntries(ctx, review.AuditFilter{DocumentID: doc.ID})
	if audit[0].Action != review.ActionScreen || !strings.Contains(audit[0].Detail, "理由：本单位公开的咨询电话") {
		t.Errorf("last audit entry = %+v", audit[0])
	}
}

func TestAddFindingDecision_RefusesWhatTheTransactionSeesDifferently(t *testing.T) {
	f := newScreenFixture(t)
	doc := f.submitted(t, honoursText)
	st, _ := f.scr.State(ctx, doc.ID)
	fp := st.Items[0].Fingerprint
	base := screening.Decision{DocumentID: doc.ID, Fingerprint: fp, Status: screening.StatusConfirmed, Actor: "conf",
		Revision: 1, Kind: screen.KindIDCard, Text: "110105196803150011"}
	tests := []struct {
		name string
		edit func(d *screening.Decision)
		code string
	}{
		{"clerk is not a confidentiality reviewer", func(d *screening.Decision) { d.Actor = "clerk" }, review.EFORBIDDEN},
		{"unknown user", func(d *screening.Decision) { d.Actor = "nobody" }, review.ENOTFOUND},
		{"revision no longer current", func(d *screening.Decision) { d.Revision = 1 }, review.ECONFLICT},
		{"dismissal without reason", func(d *screening.Decision) { d.Status = screening.StatusDismissed }, review.EINVALID},
		{"unknown document", func(d *screening.Decision) { d.DocumentID = 999 }, review.ENOTFOUND},
	}
	f.tick()
	if _, err := f.db.ReviseDocument(ctx, doc.ID, st2Meta(t, f, doc.ID), honoursText+"附件：名单\n", "clerk", "补附件"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := base
			d.Revision = 2
			tc.edit(&d)
			if err := f.db.AddFindingDecision(ctx, &d); review.ErrorCode(err) != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
		})
	}
	if ds, _ := f.db.FindingDecisions(ctx, doc.ID); len(ds) != 0 {
		t.Errorf("refused decisions were stored: %+v", ds)
	}
}

func st2Meta(t *testing.T, f *screenFixture, id int64) review.Metadata {
	t.Helper()
	r, err := f.db.Revision(ctx, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	return r.Meta
}

func TestDismissal_IsRememberedInTheNextRevision(t *testing.T) {
	f := newScreenFixture(t)
	doc := f.submitted(t, honoursText)
	f.decideAll(t, doc.ID) // dismiss everything
	f.tick()
	// The clerk adds a paragraph above: offsets move, fingerprints do not.
	if _, err := f.db.ReviseDocument(ctx, doc.ID, st2Meta(t, f, doc.ID), "（新增说明段落。）\n"+honoursText, "clerk", "补充说明"); err != nil {
		t.Fatal(err)
	}
	st, err := f.scr.State(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Revision != 2 || len(st.Items) != 5 {
		t.Fatalf("revision %d, %d items", st.Revision, len(st.Items))
	}
	for _, it := range st.Items {
		if it.Status != screening.StatusDismissed || it.Decision.Revision != 1 {
			t.Errorf("%s: status %s, decided on %+v", it.Text, it.Status, it.Decision)
		}
	}
}

func TestRedact_NewRevisionHoldsNoConfirmedTextAndPassesTheExportCheck(t *testing.T) {
	f := newScreenFixture(t)
	doc := f.submitted(t, honoursText)
	confirmed := []string{"110105196803150011", "13801234567", "320102197507221027", "13912345678"}
	f.decideAll(t, doc.ID, confirmed...)
	before, _ := f.db.Revision(ctx, doc.ID, 0)
	p, err := f.scr.Preview(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.tick()
	rev, err := f.scr.Redact(ctx, "conf", doc.ID, p.State.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if rev.Number != 2 || rev.Author != "conf" || rev.Note != screening.RedactionNote || rev.Text != p.Text {
		t.Fatalf("revision = #%d by %s (%q)", rev.Number, rev.Author, rev.Note)
	}
	for _, c := range confirmed {
		if strings.Contains(rev.Text, c) {
			t.Errorf("redacted revision still contains %s", c)
		}
	}
	if !strings.Contains(rev.Text, "010-83930000") || !strings.Contains(rev.Text, "■■■■■■■■■■■■■■■■■■") {
		t.Errorf("redacted text = %q", rev.Text)
	}
	if !screening.IsRedactionOf(before.Text, rev.Text) {
		t.Error("the new revision is not a pure redaction of the old")
	}
	if err := f.scr.CheckExport(ctx, doc.ID, rev.Text); err != nil {
		t.Errorf("export check on the redacted revision: %v", err)
	}
	if err := f.scr.CheckExport(ctx, doc.ID, before.Text); review.ErrorCode(err) != review.EINVALID {
		t.Errorf("export check on the unredacted revision: %v, want refusal", err)
	}
	// One audit entry, written with the revision in one transaction.
	audit, _ := f.db.AuditEntries(ctx, review.AuditFilter{DocumentID: doc.ID, Limit: 2})
	if audit[0].Action != review.ActionRedact || !strings.Contains(audit[0].Detail, "居民身份证号 2、手机号码 2") ||
		!strings.Contains(audit[0].Detail, "第 1 版 → 第 2 版") || audit[1].Action == review.ActionRedact {
		t.Errorf("audit = %+v", audit)
	}
	// The dismissed phone number stays visible as dismissed on revision 2.
	st, _ := f.scr.State(ctx, doc.ID)
	if len(st.Items) != 1 || st.Items[0].Status != screening.StatusDismissed {
		t.Errorf("items on the redacted revision = %+v", st.Items)
	}
}

func TestRecordDecision_ConfidentialityApprovalWaitsForScreening(t *testing.T) {
	f := newScreenFixture(t)
	approve := workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose}
	tests := []struct {
		name    string
		prepare func(t *testing.T, id int64)
		want    string // "" for success, else a word of the refusal
	}{
		{"open findings refuse", func(*testing.T, int64) {}, "待处理"},
		{"confirmed but not redacted refuses", func(t *testing.T, id int64) { f.decideAll(t, id, "13801234567") }, "未遮盖"},
		{"all dismissed approves", func(t *testing.T, id int64) { f.decideAll(t, id) }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := f.submitted(t, honoursText)
			tc.prepare(t, doc.ID)
			f.tick()
			if err := f.scr.CheckApproval(ctx, doc.ID); (err == nil) != (tc.want == "") {
				t.Errorf("CheckApproval = %v", err)
			}
			_, d, err := f.svc.Decide(ctx, "conf", doc.ID, "", approve, testPass)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("approval refused: %v", err)
			case tc.want == "" && d.Status != review.StatusSignoff: // a notice may skip legality review
				t.Errorf("status = %s", d.Status)
			case tc.want != "" && (review.ErrorCode(err) != review.ECONFLICT || !strings.Contains(review.ErrorMessage(err), tc.want)):
				t.Fatalf("err = %v, want a refusal about %s", err, tc.want)
			}
			if tc.want != "" {
				if ds, _ := f.db.Decisions(ctx, doc.ID); len(ds) != 0 {
					t.Errorf("refused approval was stored")
				}
			}
		})
	}
	t.Run("return and withhold need no screening", func(t *testing.T) {
		doc := f.submitted(t, honoursText)
		f.tick()
		if _, _, err := f.svc.Decide(ctx, "conf", doc.ID, "", workflow.Proposal{Stage: workflow.StageConfidentiality,
			Outcome: workflow.OutcomeReturn, Reason: "请删去个人信息"}, testPass); err != nil {
			t.Fatal(err)
		}
	})
}

func TestKeywordLists_AdminOnlyAuditedAndUsedByTheScreener(t *testing.T) {
	f := newScreenFixture(t)
	list := "# 内部项目代号\n天河工程\n北斗 行动\n\n"
	if _, err := f.scr.ImportKeywordList(ctx, "conf", "项目代号", screen.Art16, strings.NewReader(list)); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Fatalf("reviewer imported a list: %v", err)
	}
	if err := f.db.SaveKeywordList(ctx, screen.KeywordList{Name: "x", Ground: screen.Art16, Terms: []string{"a"}}, "conf"); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Fatalf("store let a reviewer save a list: %v", err)
	}
	l, err := f.scr.ImportKeywordList(ctx, "admin", "项目代号", screen.Art16, strings.NewReader(list))
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Terms) != 2 {
		t.Fatalf("terms = %q", l.Terms)
	}
	lists, _ := f.db.KeywordLists(ctx)
	if len(lists) != 1 || lists[0].Ground != screen.Art16 || lists[0].Terms[1] != "北斗 行动" {
		t.Fatalf("lists = %+v", lists)
	}
	if err := f.scr.AddAllowTerm(ctx, "admin", "010-83930000"); err != nil {
		t.Fatal(err)
	}
	if err := f.scr.AddAllowTerm(ctx, "admin", "010-83930000"); review.ErrorCode(err) != review.ECONFLICT {
		t.Errorf("duplicate allow term: %v", err)
	}
	doc := f.submitted(t, "关于天河工程的通知\n请北斗行动组配合。咨询电话：010-83930000。\n")
	st, err := f.scr.State(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range st.Items {
		got = append(got, string(it.Kind)+":"+it.Text+":"+it.Ground.String())
	}
	want := "keyword:天河工程:条例第十六条 keyword:北斗行动:条例第十六条"
	if strings.Join(got, " ") != want {
		t.Errorf("findings = %v, want %s (the allowed phone left out)", got, want)
	}
	if err := f.scr.DeleteKeywordList(ctx, "admin", "项目代号"); err != nil {
		t.Fatal(err)
	}
	if err := f.scr.RemoveAllowTerm(ctx, "admin", "010-83930000"); err != nil {
		t.Fatal(err)
	}
	if err := f.scr.RemoveAllowTerm(ctx, "admin", "010-83930000"); review.ErrorCode(err) != review.ENOTFOUND {
		t.Errorf("removing a missing term: %v", err)
	}
	audit, _ := f.db.AuditEntries(ctx, review.AuditFilter{Actor: "admin"})
	var details []string
	for _, e := range audit {
		if e.Action == review.ActionSettings {
			details = append(details, e.Detail)
		}
	}
	if len(details) != 4 || !strings.Contains(details[3], "导入关键词表“项目代号”（条例第十六条，2 个词条）") {
		t.Errorf("audit = %q", details)
	}
}

// The screener is built once per configuration: reused while the lists
// stand, rebuilt as soon as one changes, so a change is never missed.
func TestScreener_RebuiltOnlyWhenTheListsChange(t *testing.T) {
	f := newScreenFixture(t)
	a, err := f.scr.Screener(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := f.scr.Screener(ctx); b != a {
		t.Error("unchanged lists rebuilt the screener")
	}
	if err := f.scr.AddAllowTerm(ctx, "admin", "010-83930000"); err != nil {
		t.Fatal(err)
	}
	c, _ := f.scr.Screener(ctx)
	if c == a {
		t.Fatal("a changed allow-list kept the old screener")
	}
	if got := c.Scan("咨询电话：010-83930000。"); len(got) != 0 {
		t.Errorf("allowed number still found: %+v", got)
	}
}
