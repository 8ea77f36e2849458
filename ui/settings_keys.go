package ui

import (
	"context"
	"fmt"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
)

// keySettings is the 我的签名密钥 tab: the current user's keys, newest
// first, and making a new one. Every user has it, since a key is personal:
// only its owner's passphrase opens it.
type keySettings struct {
	app     *App
	keys    []review.Key // newest first
	now     time.Time
	who     *widget.Label
	list    *widget.List
	rotate  *widget.Button
	status  *widget.Label
	form    *rotateForm // the open 生成新密钥 dialog, for tests
	content fyne.CanvasObject
}

func newKeySettings(a *App) *keySettings {
	k := &keySettings{app: a}
	k.who = bold("")
	k.list = widget.NewList(func() int { return len(k.keys) }, newTwoLineRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		key := k.keys[i]
		state := "当前使用"
		if !key.ValidAt(k.now) {
			state = "已停用"
		}
		valid := fmt.Sprintf("有效期：%s 起至今", beijing(key.ValidFrom))
		if !key.ValidTo.IsZero() {
			valid = fmt.Sprintf("有效期：%s 至 %s", beijing(key.ValidFrom), beijing(key.ValidTo))
		}
		setTwoLines(o, fmt.Sprintf("%s · %s", key.Fingerprint, state), valid)
	})
	k.rotate = widget.NewButtonWithIcon("生成新密钥…", theme.Icon(theme.IconNameViewRefresh), k.showRotate)
	k.rotate.Importance = widget.HighImportance
	k.status = newStatusLabel()
	intro := wrapLabel("您的每项审查决定都以您自己的签名密钥（Ed25519）签署，密钥由您的口令加密保存。" +
		"生成新密钥后，旧密钥即时停用，但它在有效期内签署的决定仍可验证。怀疑口令或密钥泄露时，请修改口令并生成新密钥。")
	k.content = container.NewBorder(container.NewVBox(intro, container.NewHBox(k.who, layout.NewSpacer(), k.rotate)), k.status, nil, nil, k.list)
	a.OnCurrentUserChanged(func(*review.User) { k.status.SetText(""); k.reload() })
	k.reload()
	return k
}

func (k *keySettings) reload() {
	u := k.app.CurrentUser()
	if u == nil {
		k.keys = nil
		k.who.SetText("请先登录。")
		k.rotate.Disable()
		k.list.Refresh()
		return
	}
	k.who.SetText("当前用户：" + userOption(u))
	k.rotate.Enable()
	svc, name := k.app.svc.Review, u.Name
	var keys []review.Key
	k.app.Background(func(ctx context.Context) (err error) {
		keys, err = svc.Store.Keys(ctx, name)
		return err
	}, func(err error) {
		if err != nil {
			k.app.ShowError(err)
			return
		}
		if cur := k.app.CurrentUser(); cur == nil || cur.Name != name {
			return // another user logged in meanwhile; their reload follows
		}
		slices.Reverse(keys)
		k.keys, k.now = keys, time.Now()
		if svc.Now != nil {
			k.now = svc.Now()
		}
		k.list.Refresh()
	})
}

// rotateForm is the 生成新密钥 dialog's content.
type rotateForm struct {
	pass   *widget.Entry
	status *widget.Label
	ok     *widget.Button
	dlg    *dialog.CustomDialog
}

// showRotate asks for the passphrase, which encrypts the new key as it did
// the old one; a wrong one keeps the dialog open.
func (k *keySettings) showRotate() {
	u := k.app.CurrentUser()
	if u == nil {
		return
	}
	f := &rotateForm{pass: widget.NewPasswordEntry(), status: newStatusLabel()}
	f.pass.SetPlaceHolder("您的口令")
	f.ok = widget.NewButtonWithIcon("生成", theme.Icon(theme.IconNameConfirm), func() { k.submitRotate(f) })
	f.ok.Importance = widget.HighImportance
	f.pass.OnSubmitted = func(string) { k.submitRotate(f) }
	cancel := widget.NewButtonWithIcon("取消", theme.Icon(theme.IconNameCancel), func() { f.dlg.Hide() })
	body := container.NewVBox(
		wrapLabel("为“"+u.Label()+"”生成新签名密钥。当前密钥将即时停用，它签署过的决定仍可验证。"),
		widget.NewForm(widget.NewFormItem("口令", f.pass)), f.status,
		container.NewHBox(layout.NewSpacer(), cancel, f.ok))
	f.dlg = dialog.NewCustomWithoutButtons("生成新密钥", container.NewGridWrap(fyne.NewSize(460, body.MinSize().Height+60), body), k.app.win)
	k.form = f
	f.dlg.Show()
	k.app.win.Canvas().Focus(f.pass)
}

func (k *keySettings) submitRotate(f *rotateForm) {
	u := k.app.CurrentUser()
	if u == nil {
		return
	}
	name, pass, svc := u.Name, f.pass.Text, k.app.svc.Review
	f.ok.Disable()
	report(f.status, "正在生成签名密钥……", false)
	var key *review.Key
	k.app.Background(func(ctx context.Context) (err error) {
		key, err = svc.RotateKey(ctx, name, pass)
		return err
	}, func(err error) {
		f.ok.Enable()
		if err != nil {
			report(f.status, review.ErrorMessage(err), true)
			return
		}
		f.dlg.Hide()
		report(k.status, "已生成新签名密钥 "+key.Fingerprint+"；旧密钥已停用，其签署的决定仍可验证。", false)
		k.reload()
	})
}
