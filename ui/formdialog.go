package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
)

// formDialog is the frame the screens' small forms share: a form, a status
// line for refusals (in red, with the rule when there is one), and
// 取消/confirm buttons. Unlike dialog.NewForm it stays open on a refusal,
// so nothing the user typed is lost.
type formDialog struct {
	app    *App
	status *widget.Label
	ok     *widget.Button
	dlg    *dialog.CustomDialog
}

// newFormDialog builds, but does not show, a form dialog; submit runs when
// the confirm button is pressed.
func (a *App) newFormDialog(title, confirm string, size fyne.Size, body fyne.CanvasObject, submit func()) formDialog {
	f := formDialog{app: a, status: widget.NewLabel("")}
	f.status.Importance = widget.DangerImportance
	f.status.Wrapping = fyne.TextWrapWord
	content := container.NewVScroll(container.NewVBox(body, f.status))
	f.ok = widget.NewButtonWithIcon(confirm, theme.Icon(theme.IconNameConfirm), submit)
	f.ok.Importance = widget.HighImportance
	f.dlg = dialog.NewCustomWithoutButtons(title, content, a.win)
	f.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton("取消", func() { f.dlg.Hide() }), f.ok})
	f.dlg.Resize(size)
	return f
}

// refuse shows why the form was not accepted; the log keeps the chain.
func (f formDialog) refuse(err error) {
	fyne.LogError("qianfa", err)
	f.status.SetText(review.ErrorMessage(err))
}

// submit runs work off the UI goroutine with the confirm button disabled,
// so a second click cannot record the same thing twice. A refusal is shown
// in the dialog, which stays open with the input as typed; success closes
// the dialog and runs done.
func (f formDialog) submit(work func(ctx context.Context) error, done func()) {
	f.ok.Disable()
	f.status.SetText("")
	f.app.Background(work, func(err error) {
		f.ok.Enable()
		if err != nil {
			f.refuse(err)
			return
		}
		f.dlg.Hide()
		if done != nil {
			done()
		}
	})
}
