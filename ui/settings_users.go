package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/workflow"
)

// userEntry is one row of the user table: the user and the fingerprint of
// the key they sign with now ("" when none is valid).
type userEntry struct {
	review.User
	Key string
}

// userColumns are the user table's headings and widths.
var userColumns = []struct {
	title string
	width float32
}{{"登录名", 120}, {"姓名", 170}, {"角色", 230}, {"当前签名密钥", 450}, {"状态", 80}}

// userSettings is the 用户与角色 tab. Everyone sees who works here, with
// which roles and key; the administrator also creates users, changes their
// roles and stops or restores their access.
type userSettings struct {
	app  *App
	rows []userEntry
	sel  int

	table    *widget.Table
	create   *widget.Button
	editor   *fyne.Container // the selected user's roles and state; administrator only
	selected *widget.Label
	roles    *widget.CheckGroup
	save     *widget.Button
	toggle   *widget.Button
	readOnly *widget.Label
	status   *widget.Label
	form     *newUserForm // the open 新建用户 dialog, for tests
	content  fyne.CanvasObject
}

func roleNames() []string {
	out := make([]string, len(review.Roles))
	for i, r := range review.Roles {
		out[i] = string(r)
	}
	return out
}

// rolesOf turns checked role names back into roles, in the canonical order
// whatever the order they were ticked in.
func rolesOf(names []string) []review.Role {
	var out []review.Role
	for _, r := range review.Roles {
		if slices.Contains(names, string(r)) {
			out = append(out, r)
		}
	}
	return out
}

func joinRoles(rs []review.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, "、")
}

func newUserSettings(a *App) *userSettings {
	u := &userSettings{app: a, sel: -1}
	u.table = widget.NewTable(
		func() (int, int) { return len(u.rows), len(userColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) {
			if id.Row >= len(u.rows) {
				return
			}
			l := o.(*widget.Label)
			l.Importance = widget.MediumImportance
			l.SetText(u.cell(id.Row, id.Col))
			if u.rows[id.Row].Disabled {
				l.Importance = widget.LowImportance
				l.Refresh()
			}
		})
	u.table.ShowHeaderRow = true
	u.table.CreateHeader = func() fyne.CanvasObject { return bold("") }
	u.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		if id.Col >= 0 && id.Col < len(userColumns) {
			o.(*widget.Label).SetText(userColumns[id.Col].title)
		}
	}
	for i, c := range userColumns {
		u.table.SetColumnWidth(i, c.width)
	}
	u.table.OnSelected = func(id widget.TableCellID) { u.selectRow(id.Row) }

	u.create = widget.NewButtonWithIcon("新建用户…", theme.Icon(theme.IconNameContentAdd), u.showCreate)
	u.create.Importance = widget.HighImportance
	u.selected = bold("")
	u.roles = widget.NewCheckGroup(roleNames(), func([]string) { u.sync() })
	u.roles.Horizontal = true
	u.save = widget.NewButtonWithIcon("保存角色", theme.Icon(theme.IconNameDocumentSave), u.saveRoles)
	u.toggle = widget.NewButton("停用该用户", u.toggleDisabled)
	// Not wrapped: beside a button in an HBox a wrapping label gets one
	// character's width and would stretch the window to its height.
	u.readOnly = widget.NewLabel("只有管理员可以新建用户、修改角色或停用用户；此处仅供查看。")
	u.readOnly.Importance = widget.LowImportance
	u.status = newStatusLabel()

	intro := wrapLabel("每位用户一个口令，既用于登录，也用于解锁其签名密钥。一人可兼任多个角色，" +
		"但不能审查或签发自己起草的修订版，也不能在同一修订版上办理两个环节。停用的用户不能登录或审查，其已签署的决定仍可验证。")
	u.editor = container.NewVBox(widget.NewSeparator(), u.selected, u.roles, container.NewHBox(u.save, u.toggle))
	top := container.NewVBox(intro, container.NewHBox(u.create, u.readOnly))
	u.content = container.NewBorder(top, container.NewVBox(u.editor, u.status), nil, nil, u.table)
	a.OnCurrentUserChanged(func(*review.User) { u.reload() })
	u.sync()
	u.reload()
	return u
}

func (u *userSettings) cell(row, col int) string {
	r := u.rows[row]
	switch col {
	case 0:
		return r.Name
	case 1:
		return r.DisplayName
	case 2:
		return joinRoles(r.Roles)
	case 3:
		if r.Key == "" {
			return "（无有效密钥）"
		}
		return r.Key
	default:
		if r.Disabled {
			return "已停用"
		}
		return "在用"
	}
}

// current returns the selected row, if any.
func (u *userSettings) current() (*userEntry, bool) {
	if u.sel < 0 || u.sel >= len(u.rows) {
		return nil, false
	}
	return &u.rows[u.sel], true
}

func (u *userSettings) selectRow(row int) {
	u.sel = row
	if r, ok := u.current(); ok {
		u.selected.SetText(fmt.Sprintf("所选用户：%s（%s）", r.Label(), r.Name))
		u.roles.SetSelected(strings.Split(joinRoles(r.Roles), "、"))
	}
	u.sync()
}

// sync shows the administrator's controls to the administrator only, and
// enables them when they would do something.
func (u *userSettings) sync() {
	admin := u.app.isAdmin()
	if admin {
		u.create.Show()
		u.readOnly.Hide()
	} else {
		u.create.Hide()
		u.readOnly.Show()
	}
	r, ok := u.current()
	if !admin || !ok {
		u.editor.Hide()
		return
	}
	u.editor.Show()
	changed := !slices.Equal(rolesOf(u.roles.Selected), r.Roles)
	setEnabled(u.save, changed && len(u.roles.Selected) > 0)
	if r.Disabled {
		u.toggle.SetText("启用该用户")
	} else {
		u.toggle.SetText("停用该用户")
	}
	// Stopping oneself would lock the administrator out mid-session.
	setEnabled(u.toggle, r.Name != loginOf(u.app.CurrentUser()))
}

// reload reads the users and their current keys, keeping the selection.
func (u *userSettings) reload() {
	svc := u.app.svc.Review
	var rows []userEntry
	u.app.Background(func(ctx context.Context) error {
		users, err := u.app.svc.Users.Users(ctx)
		if err != nil {
			return err
		}
		now := time.Now()
		if svc.Now != nil {
			now = svc.Now()
		}
		for _, x := range users {
			keys, err := svc.Store.Keys(ctx, x.Name)
			if err != nil {
				return err
			}
			e := userEntry{User: x}
			if k, err := workflow.CurrentKey(keys, x.Name, now); err == nil {
				e.Key = k.Fingerprint
			}
			rows = append(rows, e)
		}
		return nil
	}, func(err error) {
		if err != nil {
			u.app.ShowError(err)
			return
		}
		var keep string
		if r, ok := u.current(); ok {
			keep = r.Name
		}
		u.rows = rows
		u.app.usersChanged(rows)
		u.table.Refresh()
		u.sel = -1
		if i := slices.IndexFunc(rows, func(r userEntry) bool { return r.Name == keep }); i >= 0 {
			u.table.Select(widget.TableCellID{Row: i, Col: 0})
			u.selectRow(i)
		} else {
			u.table.UnselectAll()
		}
		u.sync()
	})
}

// usersChanged takes the administrator's changes into the window: the
// login dialog's names, and the current user's roles (so that a new role
// shows its work at once).
func (a *App) usersChanged(rows []userEntry) {
	var active []review.User
	for _, r := range rows {
		if !r.Disabled {
			active = append(active, r.User)
		}
	}
	a.users = active // a new slice: a.user may point into the old one
	cur := a.CurrentUser()
	for i := range active {
		if cur != nil && active[i].Name == cur.Name && !slices.Equal(active[i].Roles, cur.Roles) {
			a.setCurrentUser(&active[i])
		}
	}
}

// change runs an administrator's change off the UI goroutine, reports it
// and reloads the table.
func (u *userSettings) change(work func(ctx context.Context, actor string) (string, error)) {
	actor := loginOf(u.app.CurrentUser())
	var msg string
	u.app.Background(func(ctx context.Context) (err error) {
		msg, err = work(ctx, actor)
		return err
	}, func(err error) {
		if err != nil {
			report(u.status, review.ErrorMessage(err), true)
			u.reload() // shows the roles as they are, not as they were ticked
			return
		}
		report(u.status, msg, false)
		u.reload()
	})
}

func (u *userSettings) saveRoles() {
	r, ok := u.current()
	if !ok {
		return
	}
	name, roles, svc := r.Name, rolesOf(u.roles.Selected), u.app.svc.Review
	u.change(func(ctx context.Context, actor string) (string, error) {
		return fmt.Sprintf("已将 %s 的角色改为：%s。", name, joinRoles(roles)), svc.SetRoles(ctx, actor, name, roles)
	})
}

func (u *userSettings) toggleDisabled() {
	r, ok := u.current()
	if !ok {
		return
	}
	name, disable, svc := r.Name, !r.Disabled, u.app.svc.Review
	u.change(func(ctx context.Context, actor string) (string, error) {
		msg := "已启用用户 " + name + "。"
		if disable {
			msg = "已停用用户 " + name + "：不能再登录或审查，其已签署的决定仍可验证。"
		}
		return msg, svc.SetDisabled(ctx, actor, name, disable)
	})
}

// newUserForm is the 新建用户 dialog's content, kept as a value so tests
// can fill it.
type newUserForm struct {
	name, display *widget.Entry
	roles         *widget.CheckGroup
	pass, again   *widget.Entry
	strength      *widget.Label
	status        *widget.Label
	ok            *widget.Button
	dlg           *dialog.CustomDialog
}

// showCreate opens the 新建用户 dialog. A refusal (name taken, weak
// passphrase) keeps it open with the reason, so nothing typed is lost.
func (u *userSettings) showCreate() {
	if !u.app.isAdmin() {
		return
	}
	f := &newUserForm{name: widget.NewEntry(), display: widget.NewEntry(), pass: widget.NewPasswordEntry(), again: widget.NewPasswordEntry()}
	f.name.SetPlaceHolder("登录用，如 zhangwei；不含空格")
	f.display.SetPlaceHolder("如：张伟")
	f.roles = widget.NewCheckGroup(roleNames(), nil)
	f.roles.Horizontal = true
	f.strength = widget.NewLabel("")
	f.strength.Importance = widget.LowImportance
	f.pass.OnChanged = func(p string) { f.strength.SetText(strengthHint(p)) }
	f.strength.SetText(strengthHint(""))
	f.status = newStatusLabel()
	form := widget.NewForm(
		widget.NewFormItem("登录名", f.name), widget.NewFormItem("姓名", f.display),
		widget.NewFormItem("角色", f.roles),
		widget.NewFormItem("初始口令", f.pass), widget.NewFormItem("再输入一次", f.again))
	f.ok = widget.NewButtonWithIcon("新建", theme.Icon(theme.IconNameConfirm), func() { u.submitCreate(f) })
	f.ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("取消", theme.Icon(theme.IconNameCancel), func() { f.dlg.Hide() })
	hint := wrapLabel("系统同时为该用户生成签名密钥，由这一口令加密保护。请当面把口令告诉本人。")
	hint.Importance = widget.LowImportance
	body := container.NewVBox(form, f.strength, f.status, hint, container.NewHBox(layout.NewSpacer(), cancel, f.ok))
	f.dlg = dialog.NewCustomWithoutButtons("新建用户", container.NewGridWrap(fyne.NewSize(620, body.MinSize().Height+40), body), u.app.win)
	u.form = f
	f.dlg.Show()
	u.app.win.Canvas().Focus(f.name)
}

// strengthHint tells the administrator, as they type, whether the
// passphrase is long enough to protect a signing key.
func strengthHint(p string) string {
	if err := workflow.CheckPassphraseStrength(p); err != nil {
		return review.ErrorMessage(err)
	}
	return "口令长度符合要求。"
}

func (u *userSettings) submitCreate(f *newUserForm) {
	name, display := strings.TrimSpace(f.name.Text), strings.TrimSpace(f.display.Text)
	roles := rolesOf(f.roles.Selected)
	switch {
	case name == "":
		report(f.status, "请填写登录名。", true)
		return
	case len(roles) == 0:
		report(f.status, "请至少选择一个角色。", true)
		return
	case f.pass.Text != f.again.Text:
		report(f.status, "两次输入的口令不一致。", true)
		return
	}
	if err := workflow.CheckPassphraseStrength(f.pass.Text); err != nil {
		report(f.status, review.ErrorMessage(err), true)
		return
	}
	pass, svc, actor := f.pass.Text, u.app.svc.Review, loginOf(u.app.CurrentUser())
	f.ok.Disable()
	report(f.status, "正在生成签名密钥……", false)
	var key *review.Key
	u.app.Background(func(ctx context.Context) (err error) {
		_, key, err = svc.CreateUser(ctx, actor, name, display, roles, pass)
		return err
	}, func(err error) {
		f.ok.Enable()
		if err != nil {
			report(f.status, review.ErrorMessage(err), true)
			return
		}
		f.dlg.Hide()
		report(u.status, fmt.Sprintf("已新建用户 %s（%s），签名密钥 %s。", name, joinRoles(roles), key.Fingerprint), false)
		u.reload()
	})
}
