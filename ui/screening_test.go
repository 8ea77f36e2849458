package ui

import (
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	scr "qianfa/review/screen"
	"qianfa/review/screening"
	"qianfa/review/workflow"
)

// fakeScreenStore is an in-memory screening.Store: decisions append-only,
// lists and allow-list in maps.
type fakeScreenStore struct {
	mu        sync.Mutex
	decisions []screening.Decision
	lists     []scr.KeywordList
	allow     []string
}

func (f *fakeScreenStore) FindingDecisions(_ context.Context, id int64) ([]screening.Decision, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []screening.Decision
	for _, d := range f.decisions {
		if d.DocumentID == id {
			out = append(out, d)
		}
	}
	return out, nil
}

func (f *fakeScreenStore) AddFindingDecision(_ context.Context, d *screening.Decision) error {
	if err := d.Validate(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	d.ID = int64(len(f.decisions) + 1)
	f.decisions = append(f.decisions, *d)
	return nil
}

func (f *fakeScreenStore) KeywordLists(context.Context) ([]scr.KeywordList, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.lists), nil
}

func (f *fakeScreenStore) SaveKeywordList(_ context.Context, l scr.KeywordList, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists = slices.DeleteFunc(f.lists, func(x scr.KeywordList) bool { return x.Name == l.Name })
	f.lists = append(f.lists, l)
	return nil
}

func (f *fakeScreenStore) DeleteKeywordList(_ context.Context, name, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lists = slices.DeleteFunc(f.lists, func(x scr.KeywordList) bool { return x.Name == name })
	return nil
}

func (f *fakeScreenStore) AllowList(context.Context) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.allow), nil
}

func (f *fakeScreenStore) AddAllowTerm(_ context.Context, term, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.allow = append(f.allow, term)
	return nil
}

func (f *fakeScreenStore) RemoveAllowTerm(_ context.Context, term, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.allow = slices.DeleteFunc(f.allow, func(x string) bool { return x == term })
	return nil
}

const honours = "关于表彰先进个人的决定\n\n王建国，身份证号110105196803150011，联系电话13801234567；\n" +
	"奖金发放账户：开户银行中国工商银行，卡号6222020200112233446。\n咨询电话：010-83930000。\n"

// screeningWorkspace is the UI workspace plus a commendation with four
// findings, an administrator, and a screening service over fakes.
func screeningWorkspace(text string) (*fakeStore, *fakeScreenStore, Services, int64) {
	s := workspace()
	s.users = append(s.users, review.User{Name: "zhao", DisplayName: "赵管理", Roles: []review.Role{review.RoleAdmin}})
	d := s.add("关于表彰先进个人的决定", review.KindOther, review.StatusConfidentiality, review.ValidityInForce, text)
	fs := &fakeScreenStore{}
	svc := s.services()
	svc.Screening = &screening.Service{Store: fs, Docs: s, Users: s, Now: func() time.Time { return s.now }}
	return s, fs, svc, d.ID
}

// openScreening opens the app on the document's 保密筛查 tab as user.
func openScreening(t *testing.T, svc Services, id int64, user string) (*App, *screeningPane) {
	t.Helper()
	a := openApp(t, svc)
	a.win.Resize(fyne.NewSize(1280, 800))
	for i := range a.users {
		if a.users[i].Name == user {
			a.setCurrentUser(&a.users[i])
		}
	}
	a.ShowScreening(id)
	a.wait()
	p := a.browser.detail.screening
	if a.browser.detail.tabs.Selected() != a.browser.detail.screeningTab {
		t.Fatal("保密筛查 tab not selected")
	}
	return a, p
}

// rowTexts renders every list row and returns its three lines.
func rowTexts(p *screeningPane) [][3]string {
	var out [][3]string
	for r := range p.rows {
		o := newFindingRow()
		p.updateRow(r, o)
		lines := o.(*fyne.Container).Objects[0].(*fyne.Container).Objects
		out = append(out, [3]string{lines[0].(*widget.Label).Text, lines[1].(*widget.Label).Text, lines[2].(*widget.Label).Text})
	}
	return out
}

// selectText selects the list row of the finding with the given text.
func selectText(t *testing.T, p *screeningPane, text string) {
	t.Helper()
	for r, i := range p.rows {
		if p.state.Items[i].Text == text {
			p.list.Select(r)
			return
		}
	}
	t.Fatalf("no finding %q", text)
}

func TestScreeningTab_ListsFindingsWithKindGroundAndStatusOpenFirst(t *testing.T) {
	_, fs, svc, id := screeningWorkspace(honours)
	// The office phone was dismissed on an earlier visit.
	st, _ := svc.Screening.State(context.Background(), id)
	landline := st.Items[3]
	fs.decisions = append(fs.decisions, screening.Decision{ID: 1, DocumentID: id, Fingerprint: landline.Fingerprint,
		Status: screening.StatusDismissed, Reason: "本单位公开电话", Actor: "li", Revision: 1, Kind: landline.Kind, Text: landline.Text})
	_, p := openScreening(t, svc, id, "li")
	rows := rowTexts(p)
	want := []string{"待处理 · 居民身份证号 110105196803150011", "待处理 · 手机号码 13801234567",
		"待处理 · 银行卡号 6222020200112233446", "已排除 · 固定电话 010-83930000"}
	if len(rows) != len(want) {
		t.Fatalf("rows = %q", rows)
	}
	for i, w := range want {
		if rows[i][0] != w {
			t.Errorf("row %d head = %q, want %q", i, rows[i][0], w)
		}
		if !strings.Contains(rows[i][2], "条例第十五条（商业秘密、个人隐私）") {
			t.Errorf("row %d ground = %q", i, rows[i][2])
		}
	}
	if !strings.Contains(rows[1][1], "联系电话13801234567") || !strings.Contains(rows[3][2], "理由：本单位公开电话") {
		t.Errorf("excerpt or reason missing: %q", rows)
	}
	if p.summary.Text != "第 1 版共 4 项筛查结果：待处理 3，已确认 0，已排除 1。" {
		t.Errorf("summary = %q", p.summary.Text)
	}
}

func TestFindingText_HighlightsEveryFindingInItsKindColour(t *testing.T) {
	test.NewTempApp(t)
	st := screening.Evaluate(scr.New(scr.Config{}), &review.Revision{DocumentID: 1, Number: 1, Text: honours}, nil)
	v := newFindingText()
	v.Resize(fyne.NewSize(2000, 600)) // wide: one visual line per paragraph
	v.Set(st.Text, st.Items)
	highlighted := map[string]scr.Kind{}
	for l := range v.lines {
		row := &fyne.Container{Layout: segLayout{}}
		v.fillLine(l, row)
		segs := v.segments(l)
		for i, s := range segs {
			bg := row.Objects[2*i].(*canvas.Rectangle)
			if s.item < 0 {
				if _, _, _, a := bg.FillColor.RGBA(); a != 0 {
					t.Errorf("plain text %q has a background", s.text)
				}
				continue
			}
			it := st.Items[s.item]
			if s.text != it.Text {
				t.Errorf("segment %q, finding %q", s.text, it.Text)
			}
			if bg.FillColor != kindColor(it.Kind, it.Status) {
				t.Errorf("%s highlighted in %v", it.Text, bg.FillColor)
			}
			highlighted[s.text] = it.Kind
		}
	}
	if len(highlighted) != 4 || highlighted["6222020200112233446"] != scr.KindBankCard {
		t.Errorf("highlighted = %v", highlighted)
	}
}

func TestFindingText_FindingSplitAcrossWrappedLines(t *testing.T) {
	test.NewTempApp(t)
	text := "身份证号110105196803150011。"
	st := screening.Evaluate(scr.New(scr.Config{}), &review.Revision{Number: 1, Text: text}, nil)
	v := newFindingText()
	v.Resize(fyne.NewSize(200, 600)) // narrow: the number wraps
	v.Set(text, st.Items)
	if len(v.lines) < 2 {
		t.Fatalf("%d lines", len(v.lines))
	}
	var joined strings.Builder
	for l := range v.lines {
		for _, s := range v.segments(l) {
			if s.item == 0 {
				joined.WriteString(s.text)
			}
		}
	}
	if joined.String() != "110105196803150011" {
		t.Errorf("highlighted across lines = %q", joined.String())
	}
}

func TestScreeningTab_OpensOnTheFirstOpenFindingAndSelectingJumpsToAnother(t *testing.T) {
	long := "身份证号110105196803150011。\n" + strings.Repeat("各单位要认真落实安全生产责任制，做好隐患排查治理工作。\n", 300) +
		"联系电话13801234567。\n"
	_, _, svc, id := screeningWorkspace(long)
	_, p := openScreening(t, svc, id, "li")
	if it := p.selected(); it == nil || it.Text != "110105196803150011" || p.text.list.GetScrollOffset() != 0 {
		t.Fatalf("landed on %+v at offset %v", it, p.text.list.GetScrollOffset())
	}
	selectText(t, p, "13801234567")
	if p.text.list.GetScrollOffset() <= 0 || p.text.selected != 1 {
		t.Errorf("offset %v, selected %d", p.text.list.GetScrollOffset(), p.text.selected)
	}
	if l := p.text.lineOf(p.state.Items[1].Start); !strings.Contains(p.text.lines[l].text, "13801234567") {
		t.Errorf("line of the finding = %q", p.text.lines[l].text)
	}
}

func TestScreeningTab_OnlyAReviewerDecidesAndDismissalNeedsAReason(t *testing.T) {
	s, fs, svc, id := screeningWorkspace(honours)
	a, p := openScreening(t, svc, id, "wang") // a clerk
	selectText(t, p, "13801234567")
	if !p.confirm.Disabled() || !p.dismiss.Disabled() || !strings.Contains(p.hint.Text, "只有保密审查员") {
		t.Fatalf("clerk may decide: confirm %v, hint %q", !p.confirm.Disabled(), p.hint.Text)
	}
	for i := range a.users {
		if a.users[i].Name == "li" {
			a.setCurrentUser(&a.users[i])
		}
	}
	if p.confirm.Disabled() || p.dismiss.Disabled() {
		t.Fatal("reviewer may not decide")
	}
	test.Tap(p.confirm)
	a.wait()
	a.wait() // the reload after the decision
	if len(fs.decisions) != 1 || fs.decisions[0].Status != screening.StatusConfirmed || fs.decisions[0].Actor != "li" {
		t.Fatalf("decisions = %+v", fs.decisions)
	}
	if it := p.selected(); it == nil || it.Text != "13801234567" || it.Status != screening.StatusConfirmed || !p.confirm.Disabled() {
		t.Errorf("selection after confirming = %+v", it)
	}

	selectText(t, p, "010-83930000")
	d := p.showDismiss()
	test.Tap(d.ok)
	a.wait()
	if d.problem.Text != "请写明排除理由。" || len(fs.decisions) != 1 {
		t.Fatalf("dismissed without a reason: %q, %d decisions", d.problem.Text, len(fs.decisions))
	}
	test.Type(d.reason, "本单位对外公布的咨询电话")
	// The document changes while the dialog is open: the refusal keeps
	// the dialog and the reason, and the tab screens the new revision.
	rev, err := s.ReviseDocument(context.Background(), id, s.revs[id][0].Meta, s.revs[id][0].Text+"\n附：联系人王经办。", "wang", "补充联系人")
	if err != nil {
		t.Fatal(err)
	}
	test.Tap(d.ok)
	a.wait()
	if !strings.Contains(d.problem.Text, "已被修改") || d.reason.Text != "本单位对外公布的咨询电话" || len(fs.decisions) != 1 {
		t.Fatalf("after a refusal: problem %q, reason %q, %d decisions", d.problem.Text, d.reason.Text, len(fs.decisions))
	}
	if top := a.win.Canvas().Overlays().Top(); top == nil || !strings.Contains(allText(top), "排除筛查项") {
		t.Fatal("the dismissal dialog closed on a refusal")
	}
	if p.state.Revision != rev.Number {
		t.Fatalf("tab shows revision %d after the refusal, want %d", p.state.Revision, rev.Number)
	}
	test.Tap(d.ok) // again, on the revision now shown
	a.wait()
	if top := a.win.Canvas().Overlays().Top(); top != nil && strings.Contains(allText(top), "排除筛查项") {
		t.Error("the dismissal dialog stays open after success")
	}
	last := fs.decisions[len(fs.decisions)-1]
	if last.Status != screening.StatusDismissed || last.Reason != "本单位对外公布的咨询电话" || last.Text != "010-83930000" {
		t.Errorf("dismissal = %+v", last)
	}
	if !strings.Contains(p.summary.Text, "待处理 2，已确认 1，已排除 1") {
		t.Errorf("summary = %q", p.summary.Text)
	}
}

func TestScreeningTab_RedactionPreviewThenNewRevision(t *testing.T) {
	s, _, svc, id := screeningWorkspace(honours)
	a, p := openScreening(t, svc, id, "li")
	if !p.preview.Disabled() {
		t.Error("preview offered with nothing confirmed")
	}
	for _, txt := range []string{"110105196803150011", "13801234567", "6222020200112233446"} {
		selectText(t, p, txt)
		test.Tap(p.confirm)
		a.wait()
		a.wait()
	}
	test.Tap(p.preview)
	a.wait()
	d := p.lastPrev
	if d == nil {
		t.Fatal("no preview")
	}
	for _, txt := range []string{"110105196803150011", "13801234567", "6222020200112233446"} {
		if strings.Contains(d.preview.Text, txt) {
			t.Errorf("preview still shows %s", txt)
		}
	}
	if len(s.revs[id]) != 1 {
		t.Fatal("preview stored a revision")
	}
	test.Tap(d.accept)
	a.wait()
	a.wait()
	revs := s.revs[id]
	if len(revs) != 2 || revs[1].Author != "li" || revs[1].Note != screening.RedactionNote || revs[1].Text != d.preview.Text {
		t.Fatalf("revisions = %+v", revs)
	}
	last := s.audit[len(s.audit)-1]
	if d.created == nil || d.created.Number != 2 || last.Action != review.ActionRedact || !strings.Contains(last.Detail, "遮盖已确认的筛查项 3 项") {
		t.Errorf("created %+v, last audit %+v", d.created, last)
	}
	if p.state.Revision != 2 || len(p.state.Items) != 1 || p.state.Items[0].Text != "010-83930000" {
		t.Errorf("pane after redaction: revision %d, items %+v", p.state.Revision, p.state.Items)
	}
}

func TestKeywordSettings_AdministratorImportsListsAndAllowsTerms(t *testing.T) {
	_, fs, svc, _ := screeningWorkspace(honours)
	a := openApp(t, svc)
	k := newKeywordSettings(a)
	a.wait()
	if !k.importBtn.Disabled() {
		t.Fatal("a clerk may import keyword lists")
	}
	for i := range a.users {
		if a.users[i].Name == "zhao" {
			a.setCurrentUser(&a.users[i])
		}
	}
	if k.importBtn.Disabled() || k.allowBtn.Disabled() {
		t.Fatal("the administrator may not import")
	}
	if k.status.Text == keywordsAdminOnly {
		t.Error("the administrator is told only the administrator may change the lists")
	}
	test.Tap(k.allowBtn) // nothing typed: refused, in red
	a.wait()
	if !strings.Contains(k.status.Text, "不能为空") || k.status.Importance != widget.DangerImportance {
		t.Errorf("empty allow term: status %q (%v)", k.status.Text, k.status.Importance)
	}
	k.chooseFile()
	if k.status.Text != "请先填写词表名称并选择依据。" {
		t.Errorf("status without name and ground = %q", k.status.Text)
	}
	k.name.SetText("项目代号")
	k.ground.SetSelected(scr.Art16.Label())
	k.importFrom(io.NopCloser(strings.NewReader("# 代号\n天河工程\n北斗行动\n")))
	a.wait()
	a.wait()
	if len(k.lists) != 1 || k.lists[0].Ground != scr.Art16 || len(k.lists[0].Terms) != 2 {
		t.Fatalf("lists = %+v", k.lists)
	}
	if !strings.Contains(k.status.Text, "2 个词条") {
		t.Errorf("status = %q", k.status.Text)
	}
	k.allowTerm.SetText("010-83930000")
	test.Tap(k.allowBtn)
	a.wait()
	a.wait()
	if !slices.Equal(fs.allow, []string{"010-83930000"}) || len(k.allow) != 1 || k.allowTerm.Text != "" {
		t.Errorf("allow = %q, shown %q", fs.allow, k.allow)
	}
	// The lists now drive screening: the code name is found, the allowed
	// phone is not.
	found, _ := svc.Screening.Scan(context.Background(), "关于天河工程的通知。咨询电话：010-83930000。")
	if len(found) != 1 || found[0].Text != "天河工程" || found[0].List != "项目代号" {
		t.Errorf("findings = %+v", found)
	}
}

func TestSettings_HasAKeywordTabOnlyWithScreening(t *testing.T) {
	_, _, svc, _ := screeningWorkspace(honours)
	a := openApp(t, svc)
	hasKeywords := func(o fyne.CanvasObject) bool {
		tabs, ok := o.(*container.AppTabs)
		return ok && slices.ContainsFunc(tabs.Items, func(it *container.TabItem) bool { return it.Text == tabKeywords })
	}
	if !hasKeywords(newSettingsWithScreening(a)) {
		t.Error("settings without the keyword tab")
	}
	b := openApp(t, workspace().services())
	if hasKeywords(newSettingsWithScreening(b)) {
		t.Error("keyword tab shown without a screening service")
	}
	if b.browser.detail.screening != nil {
		t.Error("保密筛查 tab shown without a screening service")
	}
}

func TestDecisionDialog_ApprovalWaitsForScreeningBeforeThePassphrase(t *testing.T) {
	s, r, svc := reviewWorkspace(t)
	svc.Screening = &screening.Service{Store: &fakeScreenStore{}, Docs: s, Users: s}
	d := addReviewDoc(s, "关于联系电话13801234567的通知", review.KindNotice, review.StatusConfidentiality, "", "wang")
	a := openApp(t, svc)
	loginAs(t, a, "li", uiPass)
	f := a.showDecision(d, d.CurrentHash, workflow.StageConfidentiality, "", nil)
	f.outcome.SetSelected(string(workflow.OutcomeDisclose))
	f.confirm()
	a.wait()
	if f.passDlg != nil || !strings.Contains(f.status.Text, "1 项筛查结果待处理") {
		t.Fatalf("approval with an open finding went on: passphrase asked %v, status %q", f.passDlg != nil, f.status.Text)
	}
	// Sending it back needs no screening.
	f.outcome.SetSelected(string(workflow.OutcomeReturn))
	test.Type(f.reason, "请删去个人电话")
	f.confirm()
	a.wait()
	signWith(t, a, f, uiPass)
	if len(r.decisions) != 1 || r.decisions[0].Outcome != workflow.OutcomeReturn {
		t.Errorf("decisions = %+v", r.decisions)
	}
}
