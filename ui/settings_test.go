package ui

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/workflow"
)

// settingsFixture is the review workspace with an administrator (zhou),
// calendar corrections and office settings that are kept, and a clock the
// test can move.
type settingsFixture struct {
	s        *fakeStore
	r        *fakeReview
	cal      *calendarReview
	settings *fakeSettings
	svc      Services
	now      time.Time
}

func newSettingsFixture(t *testing.T) *settingsFixture {
	t.Helper()
	s, r, svc := reviewWorkspace(t)
	f := &settingsFixture{s: s, r: r, svc: svc, now: reviewToday}
	admin, key, err := workflow.NewUser("zhou", "周管理", []review.Role{review.RoleAdmin}, uiPass, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	s.users = append(s.users, *admin)
	r.keys["zhou"] = []review.Key{*key}
	f.cal = &calendarReview{fakeReview: r, overrides: map[calendar.Date]calendar.Override{}}
	f.settings = &fakeSettings{s: review.Settings{OrgCode: "000014349", OrgName: "国家应急保障部", IndexPattern: "{org}/{year}-{seq:5}"}}
	f.svc.Review = &workflow.Service{Store: f.cal, Docs: s, Users: s, Now: func() time.Time { return f.now }}
	f.svc.Settings = f.settings
	return f
}

// open opens the window logged in as user.
func (f *settingsFixture) open(t *testing.T, user string) *App {
	t.Helper()
	a := openApp(t, f.svc)
	loginAs(t, a, user, uiPass)
	if a.CurrentUser() == nil || a.CurrentUser().Name != user {
		t.Fatalf("could not log in as %s", user)
	}
	return a
}

func (f *settingsFixture) user(t *testing.T, name string) review.User {
	t.Helper()
	u, err := f.s.User(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return *u
}

func tableCell(row int) widget.TableCellID { return widget.TableCellID{Row: row, Col: 0} }

func rowNamed(u *userSettings, name string) int {
	return slices.IndexFunc(u.rows, func(r userEntry) bool { return r.Name == name })
}

func TestSettings_AdministratorCreatesAUser(t *testing.T) {
	f := newSettingsFixture(t)
	a := f.open(t, "zhou")
	u := newUserSettings(a)
	a.wait()
	if !u.create.Visible() || len(u.rows) != 5 {
		t.Fatalf("create button visible %v, %d users listed", u.create.Visible(), len(u.rows))
	}
	if i := rowNamed(u, "li"); i < 0 || u.cell(i, 1) != "李审查" || u.cell(i, 2) != "保密审查员" ||
		!strings.HasPrefix(u.cell(i, 3), "SHA256:") || u.cell(i, 4) != "在用" {
		t.Fatalf("row for li: %+v", u.rows)
	}

	test.Tap(u.create)
	form := u.form
	if form == nil {
		t.Fatal("no 新建用户 dialog")
	}
	test.Type(form.name, "sun")
	test.Type(form.display, "孙经办")
	form.roles.SetSelected([]string{"法制审核员", "经办人"})
	test.Type(form.pass, "短口令")
	if !strings.Contains(form.strength.Text, "至少 8 个字符") {
		t.Errorf("strength hint for a short passphrase: %q", form.strength.Text)
	}
	test.Type(form.again, "短口令")
	test.Tap(form.ok)
	a.wait()
	if !strings.Contains(form.status.Text, "至少 8 个字符") || rowNamed(u, "sun") >= 0 {
		t.Fatalf("a weak passphrase was accepted: %q", form.status.Text)
	}
	form.pass.SetText("孙经办的口令-2025")
	form.again.SetText("孙经办的口令-2026")
	test.Tap(form.ok)
	a.wait()
	if form.status.Text != "两次输入的口令不一致。" {
		t.Fatalf("mismatch: %q", form.status.Text)
	}
	form.again.SetText("孙经办的口令-2025")
	test.Tap(form.ok)
	a.wait()

	i := rowNamed(u, "sun")
	if i < 0 {
		t.Fatalf("new user not listed; dialog says %q", form.status.Text)
	}
	if u.cell(i, 1) != "孙经办" || u.cell(i, 2) != "经办人、法制审核员" || !strings.HasPrefix(u.cell(i, 3), "SHA256:") {
		t.Errorf("row for sun: %q %q %q", u.cell(i, 1), u.cell(i, 2), u.cell(i, 3))
	}
	stored := f.user(t, "sun")
	if !slices.Equal(stored.Roles, []review.Role{review.RoleClerk, review.RoleLegal}) || workflow.CheckPassphrase(stored.PassHash, "孙经办的口令-2025") != nil {
		t.Errorf("stored user %+v", stored)
	}
	if ks := f.r.keys["sun"]; len(ks) != 1 || ks[0].Fingerprint != u.rows[i].Key {
		t.Errorf("keys of sun: %+v", ks)
	}
	if !strings.Contains(u.status.Text, "已新建用户 sun") {
		t.Errorf("status %q", u.status.Text)
	}
	if slices.IndexFunc(a.users, func(x review.User) bool { return x.Name == "sun" }) < 0 {
		t.Error("the login dialog does not offer the new user")
	}

	// The name is taken now: the dialog stays open with the reason.
	test.Tap(u.create)
	u.form.name.SetText("sun")
	u.form.roles.SetSelected([]string{"经办人"})
	u.form.pass.SetText("另一个口令-12345")
	u.form.again.SetText("另一个口令-12345")
	test.Tap(u.form.ok)
	a.wait()
	if !strings.Contains(u.form.status.Text, "已存在") {
		t.Errorf("duplicate name: %q", u.form.status.Text)
	}
}

func TestSettings_NonAdministratorOnlyReads(t *testing.T) {
	f := newSettingsFixture(t)
	a := f.open(t, "li")
	u := newUserSettings(a)
	a.wait()
	if u.create.Visible() || !u.readOnly.Visible() {
		t.Error("a confidentiality reviewer is offered 新建用户")
	}
	if len(u.rows) != 5 {
		t.Errorf("users listed: %d", len(u.rows))
	}
	u.table.Select(tableCell(rowNamed(u, "wang")))
	if u.editor.Visible() {
		t.Error("a confidentiality reviewer can edit roles")
	}
	// The service refuses even if a screen offered it.
	if err := f.svc.Review.SetRoles(context.Background(), "li", "wang", []review.Role{review.RoleAdmin}); review.ErrorCode(err) != review.EFORBIDDEN {
		t.Errorf("service let a non-administrator change roles: %v", err)
	}
	c := newCalendarSettings(a)
	o := newOfficeSettings(a)
	a.wait()
	if c.editor.Visible() || o.save.Visible() || !o.code.Disabled() {
		t.Error("a non-administrator may edit the calendar or the office settings")
	}
}

func TestSettings_AdministratorChangesRolesAndDisables(t *testing.T) {
	f := newSettingsFixture(t)
	a := f.open(t, "zhou")
	u := newUserSettings(a)
	a.wait()
	u.table.Select(tableCell(rowNamed(u, "li")))
	if !u.editor.Visible() || u.save.Disabled() == false {
		t.Fatal("the editor should show li's roles, unchanged, so 保存角色 is off")
	}
	u.roles.SetSelected([]string{"保密审查员", "法制审核员"})
	if u.save.Disabled() {
		t.Fatal("保存角色 stays off after a change")
	}
	test.Tap(u.save)
	a.wait()
	if got := f.user(t, "li").Roles; !slices.Equal(got, []review.Role{review.RoleConfidentiality, review.RoleLegal}) {
		t.Fatalf("stored roles %v; status %q", got, u.status.Text)
	}
	if i := rowNamed(u, "li"); u.cell(i, 2) != "保密审查员、法制审核员" || u.status.Text != "已将 li 的角色改为：保密审查员、法制审核员。" {
		t.Errorf("row %q, status %q", u.cell(i, 2), u.status.Text)
	}

	if u.toggle.Text != "停用该用户" {
		t.Fatalf("toggle reads %q", u.toggle.Text)
	}
	test.Tap(u.toggle)
	a.wait()
	if !f.user(t, "li").Disabled || u.cell(rowNamed(u, "li"), 4) != "已停用" || u.toggle.Text != "启用该用户" {
		t.Fatalf("li not disabled: status %q", u.status.Text)
	}
	if slices.IndexFunc(a.users, func(x review.User) bool { return x.Name == "li" }) >= 0 {
		t.Error("a disabled user is still offered at login")
	}
	test.Tap(u.toggle)
	a.wait()
	if f.user(t, "li").Disabled {
		t.Error("li not enabled again")
	}

	// The administrator cannot stop themselves from this screen.
	u.table.Select(tableCell(rowNamed(u, "zhou")))
	if !u.toggle.Disabled() {
		t.Error("the administrator may disable themselves")
	}
}

func TestSettings_LastAdministratorCannotBeDemoted(t *testing.T) {
	f := newSettingsFixture(t)
	a := f.open(t, "zhou")
	u := newUserSettings(a)
	a.wait()
	u.table.Select(tableCell(rowNamed(u, "zhou")))
	u.roles.SetSelected([]string{"经办人"})
	test.Tap(u.save)
	a.wait()
	if !strings.Contains(u.status.Text, "最后一位在用的管理员") {
		t.Errorf("status %q", u.status.Text)
	}
	if got := f.user(t, "zhou").Roles; !slices.Equal(got, []review.Role{review.RoleAdmin}) {
		t.Errorf("the last administrator's roles became %v", got)
	}
	if !slices.Equal(u.roles.Selected, []string{"管理员"}) || !a.isAdmin() {
		t.Errorf("after the refusal the boxes show %v; still admin %v", u.roles.Selected, a.isAdmin())
	}
}

func TestSettings_KeyRotationKeepsOldDecisionsVerifiable(t *testing.T) {
	f := newSettingsFixture(t)
	d := addReviewDoc(f.s, "关于密钥轮换的通知", review.KindNotice, review.StatusConfidentiality, "", "wang")
	if _, _, err := f.svc.Review.Decide(context.Background(), "li", d.ID, "",
		workflow.Proposal{Stage: workflow.StageConfidentiality, Outcome: workflow.OutcomeDisclose}, uiPass); err != nil {
		t.Fatal(err)
	}
	f.now = f.now.Add(time.Hour)
	a := f.open(t, "li")
	k := newKeySettings(a)
	a.wait()
	if len(k.keys) != 1 || !strings.Contains(k.who.Text, "李审查") {
		t.Fatalf("keys %d, header %q", len(k.keys), k.who.Text)
	}
	old := k.keys[0]

	test.Tap(k.rotate)
	test.Type(k.form.pass, "不对的口令-000")
	test.Tap(k.form.ok)
	a.wait()
	if k.form.status.Text != "口令不正确。" || len(f.r.keys["li"]) != 1 {
		t.Fatalf("wrong passphrase: %q, %d keys", k.form.status.Text, len(f.r.keys["li"]))
	}
	k.form.pass.SetText(uiPass)
	test.Tap(k.form.ok)
	a.wait()

	if len(k.keys) != 2 {
		t.Fatalf("keys shown %d; status %q", len(k.keys), k.form.status.Text)
	}
	cur, closed := k.keys[0], k.keys[1]
	if closed.Fingerprint != old.Fingerprint || !closed.ValidTo.Equal(f.now) || !cur.ValidFrom.Equal(f.now) || !cur.ValidTo.IsZero() {
		t.Errorf("old key %+v, new key %+v", closed, cur)
	}
	if !strings.Contains(k.status.Text, cur.Fingerprint) {
		t.Errorf("status %q", k.status.Text)
	}
	vs, err := f.svc.Review.Verify(context.Background(), d.ID)
	if err != nil || len(vs) != 1 || vs[0].Err != nil {
		t.Errorf("the decision signed with the old key: %v %+v", err, vs)
	}
}

func TestSettings_CalendarOverrideAddedAndRemoved(t *testing.T) {
	f := newSettingsFixture(t)
	a := f.open(t, "zhou")
	c := newCalendarSettings(a)
	a.wait()
	if c.years.Selected != "2025年" || !strings.Contains(c.notice.Text, "国务院办公厅关于2025年部分节假日安排的通知") {
		t.Fatalf("year %q, notice %q", c.years.Selected, c.notice.Text)
	}
	if i := slices.IndexFunc(c.days, func(d calendarDay) bool { return d.Date.String() == "2025-10-11" }); i < 0 ||
		dayLine(c.days[i]) != "2025-10-11 周六　班（调休上班）　国庆节、中秋节调休" {
		t.Fatalf("the make-up Saturday is missing: %v", c.days)
	}

	c.date.SetText("2025-06-03")
	c.kind.SetSelected(kindOff)
	c.note.SetText("防汛停工")
	test.Tap(c.add)
	a.wait()
	i := slices.IndexFunc(c.days, func(d calendarDay) bool { return d.Date.String() == "2025-06-03" })
	if i < 0 || !c.days[i].Admin || dayLine(c.days[i]) != "2025-06-03 周二　休　防汛停工　【管理员调整】" {
		t.Fatalf("override not shown: %q", c.status.Text)
	}
	cal, _ := f.svc.Review.Calendar(context.Background())
	if cal.IsWorkday(calendar.MustParse("2025-06-03")) {
		t.Error("the deadlines still count 2025-06-03 as a working day")
	}
	c.list.Select(i)
	if c.remove.Disabled() {
		t.Fatal("撤销所选调整 is off for an override")
	}
	test.Tap(c.remove)
	a.wait()
	if len(f.cal.overrides) != 0 || slices.IndexFunc(c.days, func(d calendarDay) bool { return d.Date.String() == "2025-06-03" }) >= 0 {
		t.Errorf("override not removed: %v; status %q", f.cal.overrides, c.status.Text)
	}
	if !strings.Contains(c.status.Text, "已撤销 2025-06-03 的调整") {
		t.Errorf("status %q", c.status.Text)
	}
	// A notice's own day cannot be "removed".
	c.list.Select(0)
	if !c.remove.Disabled() {
		t.Error("撤销所选调整 is on for an official day")
	}

	c.date.SetText("2025-13-01")
	test.Tap(c.add)
	a.wait()
	if !strings.Contains(c.status.Text, "不正确") && !strings.Contains(c.status.Text, "不存在") {
		t.Errorf("bad date: %q", c.status.Text)
	}
}

// A correction the workflow refuses (here: the administrator lost the
// role meanwhile) stays in the form with the reason in red.
func TestSettings_CalendarRefusalKeepsTheCorrection(t *testing.T) {
	f := newSettingsFixture(t)
	a := f.open(t, "zhou")
	c := newCalendarSettings(a)
	a.wait()
	f.s.mu.Lock() // behind the window's back, as another desk would
	for i := range f.s.users {
		if f.s.users[i].Name == "zhou" {
			f.s.users[i].Roles = []review.Role{review.RoleClerk}
		}
	}
	f.s.mu.Unlock()
	c.date.SetText("2025-06-03")
	c.note.SetText("防汛停工")
	test.Tap(c.add)
	a.wait()
	if len(f.cal.overrides) != 0 || c.status.Importance != widget.DangerImportance || c.status.Text == "" {
		t.Fatalf("overrides %v, status %q (%v)", f.cal.overrides, c.status.Text, c.status.Importance)
	}
	if c.date.Text != "2025-06-03" || c.note.Text != "防汛停工" {
		t.Errorf("the refused correction was cleared: date %q, note %q", c.date.Text, c.note.Text)
	}
}

func TestSettings_CalendarSaysWhenAYearHasNoNotice(t *testing.T) {
	f := newSettingsFixture(t)
	f.now = time.Date(2027, 3, 1, 2, 0, 0, 0, time.UTC)
	a := f.open(t, "zhou")
	c := newCalendarSettings(a)
	a.wait()
	if cal, _ := f.svc.Review.Calendar(context.Background()); cal.Covered(2027) {
		t.Skip("the shipped data now covers 2027; this test needs a year without a notice")
	}
	if c.years.Selected != "2027年" || !strings.Contains(c.notice.Text, "2027 年的国务院办公厅节假日安排通知尚未录入") || len(c.days) != 0 {
		t.Errorf("year %q, notice %q, %d days", c.years.Selected, c.notice.Text, len(c.days))
	}
	if c.years.Options[0] != "2019年" || c.years.Options[len(c.years.Options)-1] != "2028年" {
		t.Errorf("years offered %v", c.years.Options)
	}
	c.years.SetSelected("2024年")
	a.wait()
	if !strings.Contains(c.notice.Text, "2024 年依据") || len(c.days) == 0 {
		t.Errorf("2024: %q, %d days", c.notice.Text, len(c.days))
	}
}

func TestSettings_IndexPatternPreviewAndRefusal(t *testing.T) {
	f := newSettingsFixture(t)
	a := f.open(t, "zhou")
	o := newOfficeSettings(a)
	a.wait()
	if o.code.Text != "000014349" || o.preview.Text != "000014349/2026-00001（2026 年第 1 号）" {
		t.Fatalf("code %q, preview %q", o.code.Text, o.preview.Text)
	}
	o.pattern.SetText("")
	test.Type(o.pattern, "{org}-{year}-{seq:4}")
	if o.preview.Text != "000014349-2026-0001（2026 年第 1 号）" {
		t.Errorf("live preview %q", o.preview.Text)
	}

	for _, tt := range []struct{ pattern, want string }{
		{"{org}/{year}", "必须包含 {seq}"},
		{"{org}/{year}-{seq:5}{x}", "无法识别的字段"},
		{"{org}/{seq:5}", "须包含 {year}"},
		{"{year}-{seq:5}", "须包含 {org}"},
	} {
		o.pattern.SetText(tt.pattern)
		if !strings.Contains(o.preview.Text, tt.want) {
			t.Errorf("%s: preview %q, want %q", tt.pattern, o.preview.Text, tt.want)
		}
		test.Tap(o.save)
		a.wait()
		if !strings.Contains(o.status.Text, tt.want) || len(f.settings.saves) != 0 {
			t.Errorf("%s: saved (%d) or status %q", tt.pattern, len(f.settings.saves), o.status.Text)
		}
	}
	o.pattern.SetText("{org}/{year}-{seq:5}")
	o.code.SetText("0000 14349")
	test.Tap(o.save)
	a.wait()
	if !strings.Contains(o.status.Text, "机构代码“0000 14349”无效") || len(f.settings.saves) != 0 {
		t.Errorf("bad code: %q", o.status.Text)
	}

	o.code.SetText("000014350")
	o.name.SetText("国家应急保障部办公厅")
	o.pattern.SetText("{org}-{year}-{seq:6}")
	test.Tap(o.save)
	a.wait()
	want := review.Settings{OrgCode: "000014350", OrgName: "国家应急保障部办公厅", IndexPattern: "{org}-{year}-{seq:6}"}
	if f.settings.s != want || !slices.Equal(f.settings.saves, []string{"zhou"}) || !strings.HasPrefix(o.status.Text, "已保存") {
		t.Errorf("saved %+v by %v; status %q", f.settings.s, f.settings.saves, o.status.Text)
	}
}

func TestSettings_TabsAndStartView(t *testing.T) {
	f := newSettingsFixture(t)
	a := openApp(t, f.svc)
	tabs := newSettingsWithScreening(a).(*container.AppTabs)
	var titles []string
	for _, it := range tabs.Items {
		titles = append(titles, it.Text)
	}
	if !slices.Equal(titles, []string{tabUsers, tabKeys, tabCalendar, tabOffice}) {
		t.Errorf("tabs %v", titles)
	}

	b := newApp(test.NewTempApp(t), f.svc)
	b.debounce = 0
	b.startAt(Start{View: StartSettings})
	b.wait()
	loginAs(t, b, "zhou", uiPass)
	if b.nav.cur != settingsTitle {
		t.Errorf("start view settings shows %q", b.nav.cur)
	}
	b.win.Close()
	if err := (Start{View: StartSettings}).Validate(); err != nil || !slices.Contains(StartViews, StartSettings) {
		t.Errorf("settings is not a start view: %v", err)
	}
}
