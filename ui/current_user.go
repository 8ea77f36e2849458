package ui

import (
	"context"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
)

// The current-user picker stands in for login until the review workflow
// adds passphrases and keys. It is kept to this file and CurrentUser so that
// replacing it touches nothing else.

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
	for _, fn := range a.userListeners {
		fn(u)
	}
}

// userPicker is the top bar's user choice; loadUsers fills it.
func (a *App) userPicker() fyne.CanvasObject {
	sel := widget.NewSelect(nil, nil)
	sel.PlaceHolder = "（请选择）"
	sel.OnChanged = func(string) {
		if i := sel.SelectedIndex(); i >= 0 && i < len(a.users) {
			a.setCurrentUser(&a.users[i])
		}
	}
	a.userSel = sel
	// Wide enough for a name and two roles; a Select is otherwise only as
	// wide as its placeholder.
	wide := container.NewGridWrap(fyne.NewSize(300, sel.MinSize().Height), sel)
	return container.NewHBox(widget.NewLabel("当前用户："), wide)
}

// loadUsers fills the picker and chooses a clerk, since importing drafts is
// what the first person at the desk usually does.
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
		var active []review.User
		for _, u := range users {
			if !u.Disabled {
				active = append(active, u)
			}
		}
		a.users = active
		opts := make([]string, len(active))
		pick := -1
		for i := range active {
			opts[i] = userOption(&active[i])
			if pick < 0 && active[i].Has(review.RoleClerk) {
				pick = i
			}
		}
		a.userSel.SetOptions(opts)
		if pick < 0 && len(active) > 0 {
			pick = 0
		}
		if pick >= 0 {
			a.userSel.SetSelectedIndex(pick)
		}
	})
}

// userOption names a user with their roles, so the picker shows at a glance
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
