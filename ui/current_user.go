package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
)

// Who works at the desk. With the review workflow (Services.Review) a user
// logs in with their passphrase, checked against its argon2id hash; the
// same passphrase later unlocks their signing key for each decision.
// Without it (tests of other screens, a workspace without accounts) the
// first clerk works, as before login existed. It is kept to this file and
// CurrentUser so that nothing else depends on how the user was chosen.

// CurrentUser returns the user working at the desk, or nil when none is
// chosen yet. Callers must not modify the result.
func (a *App) CurrentUser() *review.User { return a.user }

// OnCurrentUserChanged registers fn to run when another user is chosen, for
// screens whose content depends on who works (the inbox).
func (a *App) OnCurrentUserChanged(fn func(*review.User)) {
	a.userListeners = append(a.userListeners, fn)
}

// setCurrentUser changes the user and tells the screens.
func (a *App) setCurrentUser(u *review.User) {
	a.user = u
	if a.userName != nil {
		if u == nil {
			a.userName.SetText("（未登录）")
		} else {
			a.userName.SetText(userOption(u))
		}
	}
	for _, fn := range a.userListeners {
		fn(u)
	}
}

// userPicker is the top bar's user: who is logged in, and a button to log
// in as someone else.
func (a *App) userPicker() fyne.CanvasObject {
	a.userName = widget.NewLabel("（未登录）")
	a.userName.TextStyle.Bold = true
	login := widget.NewButtonWithIcon("切换用户…", theme.Icon(theme.IconNameLogin), a.showLogin)
	return container.NewHBox(widget.NewLabel("当前用户："), a.userName, login)
}

// loadUsers reads the users, for names in lists and the login dialog, and
// asks who is working: the login dialog with the workflow, else the first
// clerk.
func (a *App) loadUsers() {
	if a.svc.Users == nil {
		return
	}
	var users []review.User
	a.Background(func(ctx context.Context) (err error) {
		users, err = a.svc.Users.Users(ctx)
		return err
	}, func(err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		a.users = a.users[:0]
		for _, u := range users {
			if !u.Disabled {
				a.users = append(a.users, u)
			}
		}
		if a.svc.Review != nil && a.svc.User != nil {
			a.loggedIn(a.svc.User)
			return
		}
		if a.svc.Review != nil {
			a.showLogin()
			return
		}
		for i := range a.users {
			if a.users[i].Has(review.RoleClerk) {
				a.setCurrentUser(&a.users[i])
				return
			}
		}
		if len(a.users) > 0 {
			a.setCurrentUser(&a.users[0])
		}
	})
}

// loginForm is the login dialog's content, kept as a value so tests can
// fill it.
type loginForm struct {
	user   *widget.Select
	pass   *widget.Entry
	status *widget.Label
	dlg    *dialog.CustomDialog
}

// showLogin asks for a user and their passphrase. A failed login keeps the
// dialog open with the reason, so the user can retype.
func (a *App) showLogin() {
	if a.svc.Review == nil {
		return
	}
	a.login = a.newLoginForm()
	a.login.dlg.Show()
	a.win.Canvas().Focus(a.login.pass)
}

func (a *App) newLoginForm() *loginForm {
	f := &loginForm{}
	opts := make([]string, len(a.users))
	for i := range a.users {
		opts[i] = userOption(&a.users[i])
	}
	f.user = widget.NewSelect(opts, nil)
	f.user.PlaceHolder = "（请选择用户）"
	if a.user != nil {
		f.user.SetSelected(userOption(a.user))
	}
	f.pass = widget.NewPasswordEntry()
	f.pass.SetPlaceHolder("口令")
	f.status = widget.NewLabel("")
	f.status.Importance = widget.DangerImportance
	f.status.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("用户", f.user), widget.NewFormItem("口令", f.pass))
	ok := widget.NewButtonWithIcon("登录", theme.Icon(theme.IconNameLogin), func() { a.submitLogin(f) })
	ok.Importance = widget.HighImportance
	f.pass.OnSubmitted = func(string) { a.submitLogin(f) }
	hint := widget.NewLabel("口令同时用于解锁您的签名密钥；审查决定须在确认时再次输入。")
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord
	body := container.NewVBox(form, f.status, hint)
	if a.svc.LoginHint != "" {
		extra := widget.NewLabel(a.svc.LoginHint)
		extra.Wrapping = fyne.TextWrapWord
		extra.Importance = widget.WarningImportance
		body.Add(extra)
	}
	f.dlg = dialog.NewCustomWithoutButtons("登录签发", container.NewGridWrap(fyne.NewSize(460, body.MinSize().Height+40), body), a.win)
	cancel := widget.NewButton("取消", func() { f.dlg.Hide() })
	f.dlg.SetButtons([]fyne.CanvasObject{cancel, ok})
	return f
}

// submitLogin checks the passphrase off the UI goroutine: argon2id is meant
// to take a noticeable moment.
func (a *App) submitLogin(f *loginForm) {
	i := f.user.SelectedIndex()
	if i < 0 || i >= len(a.users) {
		f.status.SetText("请选择用户。")
		return
	}
	name, pass := a.users[i].Name, f.pass.Text
	f.status.SetText("正在核对口令……")
	var u *review.User
	a.Background(func(ctx context.Context) (err error) {
		u, err = a.svc.Review.Login(ctx, name, pass)
		return err
	}, func(err error) {
		if err != nil {
			f.status.SetText(review.ErrorMessage(err))
			f.pass.SetText("")
			return
		}
		f.dlg.Hide()
		a.loggedIn(u)
	})
}

// loggedIn makes u the current user and opens their 我的待办: after logging
// in, the work waiting is what a reviewer wants to see.
func (a *App) loggedIn(u *review.User) {
	cur := u
	for j := range a.users {
		if a.users[j].Name == u.Name {
			a.users[j] = *u
			cur = &a.users[j]
		}
	}
	a.setCurrentUser(cur)
	a.ShowScreen("我的待办")
}

// userOption names a user with their roles, so the top bar and the login
// dialog show at a glance
// who may do what.
// Roles a display name already spells out (张伟（经办人）) are not repeated.
func userOption(u *review.User) string {
	label := u.Label()
	var roles []string
	for _, r := range u.Roles {
		if !strings.Contains(label, string(r)) {
			roles = append(roles, string(r))
		}
	}
	if len(roles) == 0 {
		return label
	}
	return fmt.Sprintf("%s（%s）", label, strings.Join(roles, "、"))
}

// userLabel is how audit and revision lists name a login: by display name
// when the user is known.
func (a *App) userLabel(name string) string {
	for i := range a.users {
		if a.users[i].Name == name {
			return a.users[i].Label()
		}
	}
	return name
}
