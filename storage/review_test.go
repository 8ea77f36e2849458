package storage

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/workflow"
)

const testPass = "测试口令12345678"

var cheapHashes sync.Once

// reviewFixture is a workspace with one user per role and a service over it.
type reviewFixture struct {
	db  *DB
	svc *workflow.Service
	now time.Time
}

func newReviewFixture(t *testing.T) *reviewFixture {
	t.Helper()
	// Production cost parameters are for people typing at a desk; the
	// stored format and the comparison are the same at any cost.
	cheapHashes.Do(func() { workflow.DefaultPassParams = workflow.PassParams{Memory: 1024, Time: 1, Threads: 1} })
	f := &reviewFixture{db: openTest(t), now: time.Date(2024, 9, 30, 2, 0, 0, 0, time.UTC)}
	f.db.Now = func() time.Time { return f.now }
	f.svc = &workflow.Service{Store: f.db, Docs: f.db, Users: f.db, Now: func() time.Time { return f.now }}
	// The administrator first: only an administrator may create the others.
	for _, u := range []struct {
		name string
		role review.Role
	}{{"admin", review.RoleAdmin}, {"clerk", review.RoleClerk}, {"conf", review.RoleConfidentiality}, {"legal", review.RoleLegal}, {"boss", review.RoleSignoff}} {
		f.addUser(t, u.name, u.role)
	}
	return f
}

func (f *reviewFixture) addUser(t *testing.T, name string, roles ...review.Role) {
	t.Helper()
	u, k, err := workflow.NewUser(name, "", roles, testPass, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.CreateUserWithKey(ctx, u, k, "admin"); err != nil {
		t.Fatal(err)
	}
}

func (f *reviewFixture) tick() { f.now = f.now.Add(time.Minute) }

func passAll() workflow.Checklist {
	var c workflow.Checklist
	for i := range c {
		c[i] = workflow.Check{Result: workflow.CheckPass, Note: "符合"}
	}
	return c
}

func (f *reviewFixture) decide(t *testing.T, user string, id int64, p workflow.Proposal) *review.Document {
	t.Helper()
	f.tick()
	_, d, err := f.svc.Decide(ctx, user, id, "", p, testPass)
	if err != nil {
		t.Fatalf("%s decides %s: %v", user, p.Outcome, err)
	}
	return d
}

func TestReviewStore_FullWalkRecordsStatusDecisionsAndAudit(t *testing.T) {
	f := newReviewFixture(t)
	doc, err := f.db.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: "某某管理办法", Kind: review.KindRule,
		Disclosure: review.DisclosureActive}, Text: "第一条 为了……", Author: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	f.tick()
	d, err := f.svc.Submit(ctx, "clerk", doc.ID, false)
	if err != nil || d.Status != review.StatusConfidentiality || !d.StageSince.Equal(f.now) {
		t.Fatalf("submit = %+v, %v", d, err)
	}
	steps := []struct {
		user string
		p    workflow.Proposal
		want review.Status
	}{
		{"conf", workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose}, review.StatusLegality},
		{"legal", workflow.Proposal{Stage: workflow.StageLegality, Outcome: workflow.OutcomeLawful, Checklist: passAll()}, review.StatusSignoff},
		{"boss", workflow.Proposal{Stage: workflow.StageSignoff, Outcome: workflow.OutcomeSign}, review.StatusApproved},
	}
	for _, s := range steps {
		d = f.decide(t, s.user, doc.ID, s.p)
		if d.Status != s.want || !d.StageSince.Equal(f.now) {
			t.Fatalf("after %s: status %q since %v, want %q since %v", s.p.Stage, d.Status, d.StageSince, s.want, f.now)
		}
	}
	decs, err := f.db.Decisions(ctx, doc.ID)
	if err != nil || len(decs) != 3 {
		t.Fatalf("decisions = %d, %v", len(decs), err)
	}
	if decs[1].Checklist != passAll() {
		t.Errorf("checklist did not survive storage: %+v", decs[1].Checklist)
	}
	res, err := f.svc.Verify(ctx, doc.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Err != nil {
			t.Errorf("stored %s decision does not verify: %v", r.Decision.Stage, r.Err)
		}
	}
	audit, _ := f.db.AuditEntries(ctx, review.AuditFilter{DocumentID: doc.ID})
	var decided int
	for _, e := range audit {
		if e.Action == review.ActionDecide {
			decided++
		}
	}
	if decided != 3 {
		t.Errorf("audit has %d decision entries, want 3", decided)
	}
	if b, err := f.db.VerifyAudit(ctx); err != nil || b != nil {
		t.Errorf("audit chain = %+v, %v", b, err)
	}
}

// signedBy signs a proposal on the current revision without recording it,
// so a test can change the world before the store sees it.
func (f *reviewFixture) signedBy(t *testing.T, user string, id int64, p workflow.Proposal) *workflow.Decision {
	t.Helper()
	doc, _ := f.db.Document(ctx, id)
	rev, _ := f.db.Revision(ctx, id, 0)
	u, _ := f.db.User(ctx, user)
	keys, _ := f.db.Keys(ctx, user)
	signer, err := workflow.Unlock(u, &keys[len(keys)-1], testPass)
	if err != nil {
		t.Fatal(err)
	}
	d := workflow.NewDecision(doc, rev, user, p, f.now)
	if err := d.Sign(signer); err != nil {
		t.Fatal(err)
	}
	return d
}

func TestRecordDecision_RechecksInsideTheTransaction(t *testing.T) {
	approve := workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose}
	tests := []struct {
		name  string
		setup func(t *testing.T, f *reviewFixture, id int64) *workflow.Decision
		code  string
	}{
		{"document edited after signing", func(t *testing.T, f *reviewFixture, id int64) *workflow.Decision {
			d := f.signedBy(t, "conf", id, approve)
			rev, _ := f.db.Revision(ctx, id, 0)
			if _, err := f.db.ReviseDocument(ctx, id, rev.Meta, rev.Text+"补充。", "clerk", ""); err != nil {
				t.Fatal(err)
			}
			return d
		}, review.ECONFLICT},
		{"author signs their own draft", func(t *testing.T, f *reviewFixture, id int64) *workflow.Decision {
			f.addUser(t, "clerk2", review.RoleConfidentiality)
			rev, _ := f.db.Revision(ctx, id, 0)
			if _, err := f.db.ReviseDocument(ctx, id, rev.Meta, rev.Text+"补充。", "clerk2", ""); err != nil {
				t.Fatal(err)
			}
			if _, err := f.db.Submit(ctx, id, 2, "clerk", false); err != nil {
				t.Fatal(err)
			}
			return f.signedBy(t, "clerk2", id, approve)
		}, review.EFORBIDDEN},
		{"signature by another user's key", func(t *testing.T, f *reviewFixture, id int64) *workflow.Decision {
			d := f.signedBy(t, "legal", id, approve)
			d.Actor = "conf"
			d.Statement = d.ComputeStatement()
			return d
		}, review.EINVALID},
		{"outcome changed after signing", func(t *testing.T, f *reviewFixture, id int64) *workflow.Decision {
			d := f.signedBy(t, "conf", id, approve)
			d.Outcome = workflow.OutcomeReturn
			d.Reason = "伪造"
			return d
		}, review.EINVALID},
		{"wrong role", func(t *testing.T, f *reviewFixture, id int64) *workflow.Decision {
			return f.signedBy(t, "boss", id, approve)
		}, review.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newReviewFixture(t)
			doc := mustCreate(t, f.db, "关于某事的通知", "正文。")
			if _, err := f.svc.Submit(ctx, "clerk", doc.ID, false); err != nil {
				t.Fatal(err)
			}
			d := tt.setup(t, f, doc.ID)
			before, _ := f.db.Document(ctx, doc.ID)
			auditBefore, _ := f.db.AuditEntries(ctx, review.AuditFilter{})
			_, err := f.db.RecordDecision(ctx, d)
			if review.ErrorCode(err) != tt.code {
				t.Fatalf("RecordDecision = %v, want code %q", err, tt.code)
			}
			after, _ := f.db.Document(ctx, doc.ID)
			decs, _ := f.db.Decisions(ctx, doc.ID)
			auditAfter, _ := f.db.AuditEntries(ctx, review.AuditFilter{})
			if after.Status != before.Status || len(decs) != 0 || len(auditAfter) != len(auditBefore) {
				t.Errorf("a refused decision wrote something: status %q→%q, %d decisions, audit %d→%d",
					before.Status, after.Status, len(decs), len(auditBefore), len(auditAfter))
			}
		})
	}
}

func TestReviseDocument_RestartsReviewAtConfidentiality(t *testing.T) {
	f := newReviewFixture(t)
	doc := mustCreate(t, f.db, "关于某事的通知", "正文。")
	f.svc.Submit(ctx, "clerk", doc.ID, true)
	d := f.decide(t, "conf", doc.ID, workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose})
	if d.Status != review.StatusSignoff {
		t.Fatalf("skipped legality: status %q", d.Status)
	}
	rev, _ := f.db.Revision(ctx, doc.ID, 0)
	if _, err := f.db.ReviseDocument(ctx, doc.ID, rev.Meta, "新正文。", "clerk", "改一处"); err != nil {
		t.Fatal(err)
	}
	_, _, err := f.svc.Decide(ctx, "boss", doc.ID, "", workflow.Proposal{Stage: workflow.StageSignoff, Outcome: workflow.OutcomeSign}, testPass)
	if review.ErrorCode(err) != review.ECONFLICT {
		t.Fatalf("sign-off after an edit = %v, want ECONFLICT", err)
	}
	if _, err := f.svc.Submit(ctx, "clerk", doc.ID, true); err != nil {
		t.Fatal(err)
	}
	// The same reviewer reviews the new text; the old decision stays.
	d = f.decide(t, "conf", doc.ID, workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose})
	decs, _ := f.db.Decisions(ctx, doc.ID)
	if d.Status != review.StatusSignoff || len(decs) != 2 || decs[0].Revision != 1 || decs[1].Revision != 2 {
		t.Fatalf("after re-review: %q, decisions %+v", d.Status, decs)
	}
}

func TestDecisions_AreAppendOnly(t *testing.T) {
	f := newReviewFixture(t)
	doc := mustCreate(t, f.db, "关于某事的通知", "正文。")
	f.svc.Submit(ctx, "clerk", doc.ID, false)
	f.decide(t, "conf", doc.ID, workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose})
	for _, q := range []string{`UPDATE decisions SET outcome = '不予公开'`, `DELETE FROM decisions`} {
		if _, err := f.db.db.Exec(q); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v", q, err)
		}
	}
}

func TestAddKey_RotationClosesTheOldKey(t *testing.T) {
	f := newReviewFixture(t)
	doc := mustCreate(t, f.db, "关于某事的通知", "正文。")
	f.svc.Submit(ctx, "clerk", doc.ID, false)
	f.decide(t, "conf", doc.ID, workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose})

	f.tick()
	u, _ := f.db.User(ctx, "conf")
	k, err := workflow.NewKey(u, testPass, f.now)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.db.AddKey(ctx, k, "conf"); err != nil {
		t.Fatal(err)
	}
	keys, _ := f.db.Keys(ctx, "conf")
	if len(keys) != 2 || !keys[0].ValidTo.Equal(f.now) || !keys[1].ValidTo.IsZero() || keys[1].Fingerprint != k.Fingerprint {
		t.Fatalf("keys after rotation: %+v", keys)
	}
	if res, _ := f.svc.Verify(ctx, doc.ID); len(res) != 1 || res[0].Err != nil {
		t.Fatalf("old decision after rotation: %+v", res)
	}
	old := *k
	old.ValidFrom = f.now.Add(-time.Hour)
	old.Fingerprint += "x"
	if err := f.db.AddKey(ctx, &old, "conf"); review.ErrorCode(err) != review.ECONFLICT {
		t.Errorf("key valid before the current one: %v", err)
	}
	if _, err := f.db.db.Exec(`UPDATE keys SET public_key = 'x' WHERE id = ?`, keys[0].ID); err == nil {
		t.Error("a key's public part could be rewritten")
	}
	if _, err := f.db.db.Exec(`UPDATE keys SET valid_to = '' WHERE id = ?`, keys[0].ID); err == nil {
		t.Error("a closed key could be reopened")
	}
}

func TestCreateUserWithKey_RefusesDuplicateAndWritesNothing(t *testing.T) {
	f := newReviewFixture(t)
	u, k, _ := workflow.NewUser("conf", "", []review.Role{review.RoleAdmin}, testPass, f.now)
	if err := f.db.CreateUserWithKey(ctx, u, k, "admin"); review.ErrorCode(err) != review.ECONFLICT {
		t.Fatalf("duplicate user: %v", err)
	}
	if keys, _ := f.db.Keys(ctx, "conf"); len(keys) != 1 {
		t.Errorf("conf has %d keys", len(keys))
	}
}

func TestLogin(t *testing.T) {
	f := newReviewFixture(t)
	tests := []struct{ name, user, pass, code string }{
		{"right passphrase", "conf", testPass, ""},
		{"wrong passphrase", "conf", "不对的口令", review.EFORBIDDEN},
		{"unknown user reads the same", "nobody", testPass, review.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := f.svc.Login(ctx, tt.user, tt.pass)
			if review.ErrorCode(err) != tt.code {
				t.Fatalf("Login = %v, %v", u, err)
			}
			if err != nil && review.ErrorMessage(err) != "用户名或口令不正确。" {
				t.Errorf("message %q", review.ErrorMessage(err))
			}
		})
	}
	fails, _ := f.db.AuditEntries(ctx, review.AuditFilter{})
	n := 0
	for _, e := range fails {
		if e.Action == review.ActionLoginFails {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d failed logins audited, want 2", n)
	}
}

func TestCalendarOverrides_ChangeDeadlines(t *testing.T) {
	f := newReviewFixture(t)
	day := calendar.MustParse("2024-10-08") // a working Tuesday after National Day
	base, _ := f.svc.Calendar(ctx)
	if !base.IsWorkday(day) {
		t.Fatal("2024-10-08 should be a working day")
	}
	if err := f.db.SetCalendarOverride(ctx, calendar.Override{Date: day, Off: true, Note: "临时停工"}, "admin"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.SetCalendarOverride(ctx, calendar.Override{Date: day, Off: true, Note: "防汛停工"}, "admin"); err != nil {
		t.Fatal(err)
	}
	got, _ := f.db.CalendarOverrides(ctx)
	if len(got) != 1 || got[0].Note != "防汛停工" || !got[0].Off {
		t.Fatalf("overrides = %+v", got)
	}
	cal, _ := f.svc.Calendar(ctx)
	if cal.IsWorkday(day) || !cal.AddWorkdays(calendar.MustParse("2024-10-07"), 1).Equal(calendar.MustParse("2024-10-09")) {
		t.Error("override not applied to working days")
	}
	if err := f.db.RemoveCalendarOverride(ctx, day, "admin"); err != nil {
		t.Fatal(err)
	}
	if err := f.db.RemoveCalendarOverride(ctx, day, "admin"); review.ErrorCode(err) != review.ENOTFOUND {
		t.Errorf("removing twice: %v", err)
	}
}

func TestInbox_OrdersByDeadlineAndHidesWhatTheUserMayNotDo(t *testing.T) {
	f := newReviewFixture(t)
	mk := func(title, written string, author string) int64 {
		d, err := f.db.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: title, Kind: review.KindNotice,
			Disclosure: review.DisclosureActive, WrittenOn: written}, Text: "正文" + title, Author: author})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Submit(ctx, "clerk", d.ID, false); err != nil {
			t.Fatal(err)
		}
		return d.ID
	}
	f.addUser(t, "conf2", review.RoleConfidentiality, review.RoleClerk)
	late := mk("早已成文", "2024-08-01", "clerk")
	soon := mk("即将到期", "2024-09-03", "clerk")
	calm := mk("刚成文", "2024-09-29", "clerk")
	none := mk("无成文日期", "", "clerk")
	own := mk("自己起草", "2024-08-01", "conf2")
	items, err := f.svc.Inbox(ctx, &review.User{Name: "conf2", Roles: []review.Role{review.RoleConfidentiality}}, calendar.MustParse("2024-09-30"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, it := range items {
		ids = append(ids, it.Document.ID)
		if it.Document.ID == own {
			t.Error("the author's own draft is in their inbox")
		}
	}
	want := []int64{late, soon, calm, none}
	if len(ids) != len(want) {
		t.Fatalf("inbox = %v, want %v", ids, want)
	}
	for i := range want {
		if ids[i] != want[i] {
			t.Fatalf("inbox = %v, want %v", ids, want)
		}
	}
	urg := []calendar.Urgency{calendar.Overdue, calendar.DueSoon, calendar.OnTime, calendar.OnTime}
	for i, it := range items {
		if it.Urgency != urg[i] {
			t.Errorf("%s: urgency %v, want %v (due %v)", it.Document.Meta.Title, it.Urgency, urg[i], it.Due)
		}
	}
}

func TestInbox_LegalityDeadlineAndWarning(t *testing.T) {
	f := newReviewFixture(t)
	d, _ := f.db.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: "办法", Kind: review.KindRule,
		Disclosure: review.DisclosureActive}, Text: "正文", Author: "clerk"})
	f.svc.Submit(ctx, "clerk", d.ID, false)
	f.decide(t, "conf", d.ID, workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose})
	// Arrived Monday 2024-09-30 (Beijing); National Day week off, make-up
	// Saturday 10-12 worked: the 5th working day is 10-12 and the 15th is
	// 2024-10-25.
	legalUser := &review.User{Name: "legal", Roles: []review.Role{review.RoleLegal}}
	tests := []struct {
		today   string
		urgency calendar.Urgency
		warn    bool
	}{
		{"2024-10-08", calendar.OnTime, false},
		{"2024-10-12", calendar.OnTime, true},
		{"2024-10-21", calendar.OnTime, true},
		{"2024-10-22", calendar.DueSoon, true},
		{"2024-10-28", calendar.Overdue, false},
	}
	for _, tt := range tests {
		t.Run(tt.today, func(t *testing.T) {
			items, err := f.svc.Inbox(ctx, legalUser, calendar.MustParse(tt.today))
			if err != nil || len(items) != 1 {
				t.Fatalf("inbox = %+v, %v", items, err)
			}
			it := items[0]
			if it.Due.String() != "2024-10-25" || it.DueWhat != "合法性审核时限" || it.Urgency != tt.urgency || (it.Warning != "") != tt.warn {
				t.Errorf("item = due %v (%s), %v, warning %q", it.Due, it.DueWhat, it.Urgency, it.Warning)
			}
		})
	}
}

// Two reviewers redact one after the other: the first one's redactions are
// still in the text the second one decides on, so the first may decide
// 保密审查 on it and nothing else, as the second may.
func TestRedactionChain_EveryRedactorStaysOnConfidentiality(t *testing.T) {
	f := newReviewFixture(t)
	f.addUser(t, "both", review.RoleConfidentiality, review.RoleLegal)
	d, err := f.db.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: "某某管理办法", Kind: review.KindRule, Disclosure: review.DisclosureActive},
		Text: "张三，电话13801234567，身份证110101199003070038。", Author: "clerk"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Submit(ctx, "clerk", d.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.RedactDocument(ctx, d.ID, "张三，电话■■■■■■■■■■■，身份证110101199003070038。", "both", "", ""); err != nil {
		t.Fatal(err)
	}
	last, err := f.db.RedactDocument(ctx, d.ID, "张三，电话■■■■■■■■■■■，身份证■■■■■■■■■■■■■■■■■■。", "conf", "", "")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := f.db.Revision(ctx, d.ID, last.Number)
	if err != nil {
		t.Fatal(err)
	}
	revs, err := f.db.Revisions(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"conf", "both"}
	if !slices.Equal(stored.Redactors, want) || !slices.Equal(revs[2].Redactors, want) || !slices.Equal(revs[1].Redactors, []string{"both"}) || revs[0].Redactors != nil {
		t.Fatalf("redactors: stored %v, listed %v %v %v", stored.Redactors, revs[0].Redactors, revs[1].Redactors, revs[2].Redactors)
	}
	f.decide(t, "conf", d.ID, workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomePartial, Ground: workflow.GroundArt15})
	f.tick()
	_, _, err = f.svc.Decide(ctx, "both", d.ID, "", workflow.Proposal{Stage: workflow.StageLegality, Outcome: workflow.OutcomeLawful, Checklist: passAll()}, testPass)
	if review.ErrorCode(err) != review.EFORBIDDEN || !strings.Contains(review.ErrorMessage(err), "遮盖处理") {
		t.Fatalf("an earlier redactor decided legality on the redacted text: %v", err)
	}
	items, err := f.svc.Inbox(ctx, &review.User{Name: "both", Roles: []review.Role{review.RoleConfidentiality, review.RoleLegal}}, calendar.FromTime(f.now))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 0 {
		t.Fatalf("inbox offers the earlier redactor legality review: %+v", items)
	}
}

// The inbox lists all the work, not the first page of a listing: the store
// bounds an unlimited listing at 500 documents.
func TestInbox_ListsMoreThanOnePage(t *testing.T) {
	f := newReviewFixture(t)
	const n = defaultLimit + 3
	for i := range n {
		if _, err := f.db.CreateDocument(ctx, review.NewDocument{Meta: review.Metadata{Title: fmt.Sprintf("通知%d", i), Kind: review.KindNotice},
			Text: "正文", Author: "clerk"}); err != nil {
			t.Fatal(err)
		}
	}
	clerk, err := f.db.User(ctx, "clerk")
	if err != nil {
		t.Fatal(err)
	}
	items, err := f.svc.Inbox(ctx, clerk, calendar.FromTime(f.now))
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != n {
		t.Fatalf("inbox lists %d drafts of %d", len(items), n)
	}
}
