package ui

import (
	"context"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/workflow"
)

// loginAs logs in through the login dialog the window opened.
func loginAs(t *testing.T, a *App, name, pass string) {
	t.Helper()
	a.showLogin()
	f := a.login
	for i := range a.users {
		if a.users[i].Name == name {
			f.user.SetSelected(userOption(&a.users[i]))
		}
	}
	test.Type(f.pass, pass)
	a.submitLogin(f)
	a.wait()
}

func TestLogin_ChecksThePassphrase(t *testing.T) {
	_, r, svc := reviewWorkspace(t)
	a := openApp(t, svc)
	if a.login == nil || a.CurrentUser() != nil {
		t.Fatal("with the workflow, the window should open on the login dialog and nobody logged in")
	}
	tests := []struct {
		name, user, pass string
		wantUser         string
		wantStatus       string
	}{
		{"wrong passphrase", "li", "不对的口令", "", "用户名或口令不正确。"},
		{"no user chosen", "", uiPass, "", "请选择用户。"},
		{"right passphrase", "li", uiPass, "li", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			loginAs(t, a, tt.user, tt.pass)
			got := ""
			if u := a.CurrentUser(); u != nil {
				got = u.Name
			}
			if got != tt.wantUser || (tt.wantStatus != "" && a.login.status.Text != tt.wantStatus) {
				t.Errorf("user %q, status %q; want %q, %q", got, a.login.status.Text, tt.wantUser, tt.wantStatus)
			}
		})
	}
	if len(r.failed) != 1 || r.failed[0] != "li" {
		t.Errorf("failed logins audited: %v", r.failed)
	}
	if a.userName.Text != "李审查（保密审查员）" {
		t.Errorf("top bar shows %q", a.userName.Text)
	}
}

func inbox(t *testing.T, a *App) *inboxScreen {
	t.Helper()
	a.ShowScreen("我的待办")
	a.wait()
	return a.nav.built["我的待办"].(*inboxScreen)
}

func inboxTitles(s *inboxScreen) []string {
	var out []string
	for _, it := range s.items {
		out = append(out, it.Document.Meta.Title)
	}
	return out
}

func TestInbox_OldestDeadlineFirstInRedAndAmber(t *testing.T) {
	s, _, svc := reviewWorkspace(t)
	// Today is Monday 2025-03-10. Written 2025-02-07: with the make-up
	// Saturday 02-08 the 20th working day is 03-06, past. Written 02-10:
	// due today. Written 03-03: due 03-31.
	addReviewDoc(s, "按时", review.KindNotice, review.StatusConfidentiality, "2025-03-03", "wang")
	addReviewDoc(s, "已逾期", review.KindNotice, review.StatusConfidentiality, "2025-02-07", "wang")
	addReviewDoc(s, "无时限", review.KindNotice, review.StatusConfidentiality, "", "wang")
	addReviewDoc(s, "今日到期", review.KindNotice, review.StatusConfidentiality, "2025-02-10", "wang")
	addReviewDoc(s, "本人起草", review.KindNotice, review.StatusConfidentiality, "2025-02-07", "li")
	addReviewDoc(s, "待签发的", review.KindNotice, review.StatusSignoff, "2025-02-07", "wang")
	a := openApp(t, svc)
	loginAs(t, a, "li", uiPass)
	sc := inbox(t, a)

	want := []string{"已逾期", "今日到期", "按时", "无时限"}
	if got := inboxTitles(sc); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("inbox = %v, want %v", got, want)
	}
	importance := []widget.Importance{widget.DangerImportance, widget.WarningImportance, widget.MediumImportance, widget.MediumImportance}
	for i := range want {
		row := newInboxRow()
		sc.updateRow(i, row)
		due := row.(*fyne.Container).Objects[1].(*fyne.Container).Objects[1].(*widget.Label)
		if due.Importance != importance[i] {
			t.Errorf("%s: due %q importance %v, want %v", want[i], due.Text, due.Importance, importance[i])
		}
	}
	if !strings.Contains(dueText(sc.items[0]), "已逾期") || !strings.Contains(dueText(sc.items[0]), "2025年3月6日") {
		t.Errorf("overdue row says %q", dueText(sc.items[0]))
	}

	// Another user sees other work.
	loginAs(t, a, "chen", uiPass)
	a.wait()
	if got := inboxTitles(sc); len(got) != 1 || got[0] != "待签发的" {
		t.Errorf("sign-off inbox = %v", got)
	}
}

// decide fills the passphrase step and signs.
func signWith(t *testing.T, a *App, f *decisionForm, pass string) {
	t.Helper()
	if f.passDlg == nil {
		t.Fatalf("no passphrase asked; form says %q", f.status.Text)
	}
	test.Type(f.pass, pass)
	f.pass.OnSubmitted(f.pass.Text)
	a.wait()
}

func TestDecisionDialog_ConfidentialityApprovalIsSignedAndRecorded(t *testing.T) {
	s, r, svc := reviewWorkspace(t)
	d := addReviewDoc(s, "某某管理办法", review.KindRule, review.StatusConfidentiality, "", "wang")
	a := openApp(t, svc)
	loginAs(t, a, "li", uiPass)
	done := false
	f := a.showDecision(d, d.CurrentHash, workflow.StageConfidentiality, "", func() { done = true })
	if !f.ground.Disabled() {
		t.Error("ground enabled before an outcome that withholds")
	}
	f.outcome.SetSelected(string(workflow.OutcomePartial))
	if f.ground.Disabled() {
		t.Error("ground disabled for 部分公开")
	}
	f.ground.SetSelectedIndex(1)
	test.Type(f.reason, "遮盖举报人姓名")
	f.confirm()
	a.wait()
	signWith(t, a, f, uiPass)
	if !done || len(r.decisions) != 1 {
		t.Fatalf("decision not recorded: done %v, %d decisions, status %q / %q", done, len(r.decisions), f.status.Text, f.passStatus.Text)
	}
	got := r.decisions[0]
	if got.Outcome != workflow.OutcomePartial || got.Ground != workflow.GroundArt15 || got.Reason != "遮盖举报人姓名" || got.Actor != "li" {
		t.Errorf("recorded %+v", got)
	}
	if doc, _ := s.Document(context.Background(), d.ID); doc.Status != review.StatusLegality {
		t.Errorf("status %q, want 待合法性审核", doc.Status)
	}
}

func TestDecisionDialog_RefusalsKeepTheInput(t *testing.T) {
	tests := []struct {
		name   string
		user   string
		status review.Status
		author string
		fill   func(f *decisionForm)
		pass   string // "" stops before the passphrase
		want   string
	}{
		{"return without a reason", "li", review.StatusConfidentiality, "wang", func(f *decisionForm) {
			f.outcome.SetSelected(string(workflow.OutcomeReturn))
		}, "", "须写明理由"},
		{"withhold without a ground", "li", review.StatusConfidentiality, "wang", func(f *decisionForm) {
			f.outcome.SetSelected(string(workflow.OutcomeWithhold))
		}, "", "须注明依据"},
		{"no outcome chosen", "li", review.StatusConfidentiality, "wang", func(*decisionForm) {}, "", "请选择决定"},
		{"author reviews own draft", "li", review.StatusConfidentiality, "li", func(f *decisionForm) {
			f.outcome.SetSelected(string(workflow.OutcomeDisclose))
		}, "", "自己起草"},
		{"legality with an incomplete checklist", "zhao", review.StatusLegality, "wang", func(f *decisionForm) {
			f.outcome.SetSelected(string(workflow.OutcomeLawful))
			f.results[0].SetSelected(string(workflow.CheckPass))
		}, "", "第 2 项"},
		{"wrong passphrase", "li", review.StatusConfidentiality, "wang", func(f *decisionForm) {
			f.outcome.SetSelected(string(workflow.OutcomeDisclose))
		}, "不是我的口令", "口令不正确"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, r, svc := reviewWorkspace(t)
			d := addReviewDoc(s, "某某管理办法", review.KindRule, tt.status, "", tt.author)
			a := openApp(t, svc)
			loginAs(t, a, tt.user, uiPass)
			stage, _ := workflow.StageOf(tt.status)
			f := a.showDecision(d, d.CurrentHash, stage, "", nil)
			tt.fill(f)
			f.confirm()
			a.wait()
			msg := f.status.Text
			if tt.pass != "" {
				signWith(t, a, f, tt.pass)
				msg = f.passStatus.Text
			} else if f.passDlg != nil {
				t.Fatal("passphrase asked for a decision the rules refuse")
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("message %q, want %q", msg, tt.want)
			}
			if len(r.decisions) != 0 {
				t.Errorf("%d decisions recorded", len(r.decisions))
			}
			if f.outcome.Selected != "" && workflow.Outcome(f.outcome.Selected) != f.proposal().Outcome {
				t.Error("form input lost")
			}
		})
	}
}

func TestDecisionDialog_LegalityChecklistIsRecorded(t *testing.T) {
	s, r, svc := reviewWorkspace(t)
	d := addReviewDoc(s, "某某管理办法", review.KindRule, review.StatusLegality, "", "wang")
	a := openApp(t, svc)
	loginAs(t, a, "zhao", uiPass)
	f := a.showDecision(d, d.CurrentHash, workflow.StageLegality, "", nil)
	f.outcome.SetSelected(string(workflow.OutcomeAmend))
	for i := range f.results {
		f.results[i].SetSelected(string(workflow.CheckPass))
	}
	f.results[6].SetSelected(string(workflow.CheckFail))
	test.Type(f.notes[6], "未公开征求意见")
	test.Type(f.reason, "应先公开征求意见")
	f.confirm()
	a.wait()
	signWith(t, a, f, uiPass)
	if len(r.decisions) != 1 {
		t.Fatalf("not recorded: %q %q", f.status.Text, f.passStatus.Text)
	}
	c := r.decisions[0].Checklist
	if c[6].Result != workflow.CheckFail || c[6].Note != "未公开征求意见" || c[0].Result != workflow.CheckPass {
		t.Errorf("checklist = %+v", c)
	}
	if doc, _ := s.Document(context.Background(), d.ID); doc.Status != review.StatusReturned {
		t.Errorf("status %q, want 退回修改", doc.Status)
	}
}

// texts collects every label's text under o.
func texts(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch w := o.(type) {
		case *widget.Label:
			b.WriteString(w.Text + "\n")
		case *widget.Button:
			b.WriteString("[" + w.Text + "]\n")
		case *widget.Form:
			for _, it := range w.Items {
				b.WriteString(it.Text + "：")
				walk(it.Widget)
			}
		case *fyne.Container:
			for _, c := range w.Objects {
				walk(c)
			}
		case *container.Scroll:
			walk(w.Content)
		}
	}
	walk(o)
	return b.String()
}

// reviewedForSignoff makes a rule that passed both reviews, signed by the
// fake's users through the real service.
func reviewedForSignoff(t *testing.T, s *fakeStore, svc Services) review.Document {
	t.Helper()
	d := addReviewDoc(s, "某某行政许可实施办法", review.KindRule, review.StatusDraft, "2025-03-03", "wang")
	ctx := context.Background()
	if _, err := svc.Review.Submit(ctx, "wang", d.ID, false); err != nil {
		t.Fatal(err)
	}
	var pass workflow.Checklist
	for i := range pass {
		pass[i] = workflow.Check{Result: workflow.CheckPass, Note: "符合"}
	}
	for _, step := range []struct {
		user string
		p    workflow.Proposal
	}{
		{"li", workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose}},
		{"zhao", workflow.Proposal{Stage: workflow.StageLegality, Outcome: workflow.OutcomeLawful, Checklist: pass}},
	} {
		if _, _, err := svc.Review.Decide(ctx, step.user, d.ID, "", step.p, uiPass); err != nil {
			t.Fatal(err)
		}
	}
	doc, _ := s.Document(ctx, d.ID)
	return *doc
}

func TestSignoffSummary_ShowsBothReviewsAndSignsOff(t *testing.T) {
	s, r, svc := reviewWorkspace(t)
	d := reviewedForSignoff(t, s, svc)
	a := openApp(t, svc)
	loginAs(t, a, "chen", uiPass)
	sc := inbox(t, a)
	if len(sc.items) != 1 || sc.items[0].Stage != workflow.StageSignoff {
		t.Fatalf("sign-off inbox = %v", inboxTitles(sc))
	}
	sc.list.Select(0)
	a.wait()
	page := texts(sc.pane.body)
	for _, want := range []string{
		"签发：某某行政许可实施办法", "[签发…]", "[退回修改…]", "索引号：", "送审版本：第 1 版",
		"同意公开　李审查", "合法　赵法制", "（1）制定主体是否合法：通过（符合）", "（7）是否违反规范性文件制定程序",
		"此前没有签发过的版本", "办理时限：",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("summary lacks %q:\n%s", want, page)
		}
	}
	f := a.showDecision(d, d.CurrentHash, workflow.StageSignoff, workflow.OutcomeSign, sc.reload)
	if f.outcome.Selected != string(workflow.OutcomeSign) {
		t.Errorf("preset outcome %q", f.outcome.Selected)
	}
	f.confirm()
	a.wait()
	signWith(t, a, f, uiPass)
	if doc, _ := s.Document(context.Background(), d.ID); doc.Status != review.StatusApproved || len(r.decisions) != 3 {
		t.Fatalf("after 签发: %q, %d decisions", doc.Status, len(r.decisions))
	}
	a.wait()
	if len(sc.items) != 0 {
		t.Errorf("signed item still in the inbox: %v", inboxTitles(sc))
	}
}

func TestInbox_ClerkSeesDraftsWithSubmit(t *testing.T) {
	s, _, svc := reviewWorkspace(t)
	addReviewDoc(s, "待提交的通知", review.KindNotice, review.StatusDraft, "", "wang")
	a := openApp(t, svc)
	loginAs(t, a, "wang", uiPass)
	sc := inbox(t, a)
	if len(sc.items) != 1 || sc.items[0].Action != "提交审查" {
		t.Fatalf("clerk inbox = %+v", sc.items)
	}
	sc.list.Select(0)
	a.wait()
	if page := texts(sc.pane.body); !strings.Contains(page, "[提交审查…]") || !strings.Contains(page, "尚未作出保密审查决定") {
		t.Errorf("draft pane:\n%s", page)
	}
}

func TestUrgencyImportance(t *testing.T) {
	for _, tt := range []struct {
		u    calendar.Urgency
		want widget.Importance
	}{{calendar.Overdue, widget.DangerImportance}, {calendar.DueSoon, widget.WarningImportance}, {calendar.OnTime, widget.MediumImportance}} {
		if got := urgencyImportance(tt.u); got != tt.want {
			t.Errorf("%v → %v, want %v", tt.u, got, tt.want)
		}
	}
}

func TestLogin_CallerLoggedInOpensTheInbox(t *testing.T) {
	s, _, svc := reviewWorkspace(t)
	addReviewDoc(s, "待审的通知", review.KindNotice, review.StatusConfidentiality, "", "wang")
	u, err := svc.Review.Login(context.Background(), "li", uiPass)
	if err != nil {
		t.Fatal(err)
	}
	svc.User = u
	a := openApp(t, svc)
	a.wait()
	if a.login != nil || a.CurrentUser() == nil || a.CurrentUser().Name != "li" || a.nav.cur != "我的待办" {
		t.Fatalf("login dialog %v, user %v, screen %q", a.login != nil, a.CurrentUser(), a.nav.cur)
	}
	sc := a.nav.built["我的待办"].(*inboxScreen)
	if sc.pane.summary == nil || sc.pane.summary.Document.Meta.Title != "待审的通知" {
		t.Error("the most urgent item is not shown at once")
	}
}
