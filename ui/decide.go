package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/workflow"
)

// decisionForm is the dialog in which a reviewer decides one stage: the
// outcome, a ground where something is withheld, a reason, and for legality
// the seven checks. Confirming checks the rules first and only then asks
// for the passphrase that unlocks the signing key, so nobody types it for
// a decision that would be refused.
type decisionForm struct {
	app    *App
	doc    review.Document
	hash   string // the revision the reviewer was shown
	stage  workflow.Stage
	onDone func()

	outcome *widget.RadioGroup
	ground  *widget.Select
	reason  *widget.Entry
	results [7]*widget.RadioGroup
	notes   [7]*widget.Entry
	status  *widget.Label
	dlg     *dialog.CustomDialog

	pass       *widget.Entry
	passStatus *widget.Label
	passDlg    *dialog.CustomDialog
}

// groundOption is how the ground menu names an article: number and gist.
func groundOption(g workflow.Ground) string {
	return string(g) + "：" + workflow.GroundSummary[g]
}

// showDecision opens the decision dialog for stage on doc, whose revision
// the user saw as hash; preset preselects an outcome (签发 or 退回修改 from
// the summary page). onDone runs after the decision is recorded.
func (a *App) showDecision(doc review.Document, hash string, stage workflow.Stage, preset workflow.Outcome, onDone func()) *decisionForm {
	f := &decisionForm{app: a, doc: doc, hash: hash, stage: stage, onDone: onDone}
	opts := make([]string, 0, 4)
	for _, o := range stage.Outcomes() {
		opts = append(opts, string(o))
	}
	f.outcome = widget.NewRadioGroup(opts, func(string) { f.syncGround() })
	f.outcome.Horizontal = true
	f.outcome.Required = true
	var grounds []string
	for _, g := range workflow.Grounds {
		grounds = append(grounds, groundOption(g))
	}
	f.ground = widget.NewSelect(grounds, nil)
	f.ground.PlaceHolder = "（不予公开、部分公开须选择依据）"
	f.reason = widget.NewMultiLineEntry()
	f.reason.SetMinRowsVisible(3)
	f.reason.SetPlaceHolder("理由或说明（退回修改、不合法、应当予以修改时必填）")
	f.status = widget.NewLabel("")
	f.status.Importance = widget.DangerImportance
	f.status.Wrapping = fyne.TextWrapWord

	form := widget.NewForm(widget.NewFormItem("决定", f.outcome))
	if stage == workflow.StageConfidentiality {
		form.Append("依据", f.ground)
	}
	form.Append("理由", f.reason)
	parts := []fyne.CanvasObject{
		wrapLabel(fmt.Sprintf("《%s》第 %d 版（%s）", doc.Meta.Title, doc.CurrentRevision, doc.IndexNo)),
		form,
	}
	if stage == workflow.StageLegality {
		parts = append(parts, section("审核内容（国办发〔2018〕115号第六条，逐项填写）"), f.checklistForm())
	}
	parts = append(parts, f.status)
	content := container.NewVScroll(container.NewVBox(parts...))
	confirm := widget.NewButtonWithIcon("确认并签名…", theme.Icon(theme.IconNameConfirm), f.confirm)
	confirm.Importance = widget.HighImportance
	f.dlg = dialog.NewCustomWithoutButtons(string(stage), content, a.win)
	f.dlg.SetButtons([]fyne.CanvasObject{widget.NewButton("取消", func() { f.dlg.Hide() }), confirm})
	size := fyne.NewSize(640, 420)
	if stage == workflow.StageLegality {
		size = fyne.NewSize(820, 640)
	}
	f.dlg.Resize(size)
	if preset != "" {
		f.outcome.SetSelected(string(preset))
	}
	f.syncGround()
	f.dlg.Show()
	return f
}

// checklistForm is the seven checks, each a result and a note.
func (f *decisionForm) checklistForm() fyne.CanvasObject {
	grid := container.NewVBox()
	var results []string
	for _, r := range workflow.CheckResults {
		results = append(results, string(r))
	}
	for i, q := range workflow.LegalityChecks {
		f.results[i] = widget.NewRadioGroup(results, nil)
		f.results[i].Horizontal = true
		f.notes[i] = widget.NewEntry()
		f.notes[i].SetPlaceHolder("说明（不通过时必填）")
		title := wrapLabel(fmt.Sprintf("（%d）%s", i+1, q))
		grid.Add(container.NewVBox(title, container.NewBorder(nil, nil, f.results[i], nil, f.notes[i])))
	}
	return grid
}

// syncGround enables the ground only where the outcome withholds.
func (f *decisionForm) syncGround() {
	if workflow.Outcome(f.outcome.Selected).NeedsGround() {
		f.ground.Enable()
	} else {
		f.ground.ClearSelected()
		f.ground.Disable()
	}
}

// proposal is what the form says.
func (f *decisionForm) proposal() workflow.Proposal {
	p := workflow.Proposal{Stage: f.stage, Outcome: workflow.Outcome(f.outcome.Selected), Reason: f.reason.Text}
	if i := f.ground.SelectedIndex(); i >= 0 {
		p.Ground = workflow.Grounds[i]
	}
	if f.stage == workflow.StageLegality {
		for i := range p.Checklist {
			p.Checklist[i] = workflow.Check{Result: workflow.CheckResult(f.results[i].Selected), Note: f.notes[i].Text}
		}
	}
	return p
}

// confirm checks the decision against the rules and, if they allow it,
// asks for the passphrase.
func (f *decisionForm) confirm() {
	if f.outcome.Selected == "" {
		f.status.SetText("请选择决定。")
		return
	}
	user := f.app.CurrentUser()
	if user == nil {
		f.status.SetText("请先登录。")
		return
	}
	p := f.proposal()
	f.status.SetText("")
	f.app.Background(func(ctx context.Context) error {
		_, rev, err := f.app.svc.Review.Check(ctx, user.Name, f.doc.ID, p)
		if err == nil && rev.Hash != f.hash {
			err = review.Errorf(review.ECONFLICT, "《%s》在您审阅后已被修改，请关闭后重新审阅。", f.doc.Meta.Title)
		}
		if err == nil && f.app.svc.Screening != nil {
			// Open or unredacted findings refuse an approval before anyone types a passphrase.
			err = f.app.svc.Screening.CheckDecision(ctx, f.doc.ID, p)
		}
		return err
	}, func(err error) {
		if err != nil {
			f.status.SetText(review.ErrorMessage(err))
			return
		}
		f.askPassphrase(user.Name, p)
	})
}

// askPassphrase is the second step: the passphrase unlocks the user's key,
// and the decision is signed and recorded. A wrong passphrase keeps both
// dialogs open.
func (f *decisionForm) askPassphrase(user string, p workflow.Proposal) {
	f.pass = widget.NewPasswordEntry()
	f.pass.SetPlaceHolder("口令")
	f.passStatus = widget.NewLabel("")
	f.passStatus.Importance = widget.DangerImportance
	f.passStatus.Wrapping = fyne.TextWrapWord
	what := fmt.Sprintf("%s：%s", p.Stage, p.Outcome)
	if p.Ground != "" {
		what += "（依据" + string(p.Ground) + "）"
	}
	body := container.NewVBox(
		wrapLabel(fmt.Sprintf("您将以本人签名密钥签署：《%s》第 %d 版，%s。签名后不能撤回。", f.doc.Meta.Title, f.doc.CurrentRevision, what)),
		widget.NewForm(widget.NewFormItem("口令", f.pass)), f.passStatus)
	sign := widget.NewButtonWithIcon("签名", theme.Icon(theme.IconNameConfirm), func() { f.sign(user, p) })
	sign.Importance = widget.HighImportance
	f.pass.OnSubmitted = func(string) { f.sign(user, p) }
	f.passDlg = dialog.NewCustomWithoutButtons("签名确认", body, f.app.win)
	f.passDlg.SetButtons([]fyne.CanvasObject{widget.NewButton("取消", func() { f.passDlg.Hide() }), sign})
	f.passDlg.Resize(fyne.NewSize(520, 0))
	f.passDlg.Show()
	f.app.win.Canvas().Focus(f.pass)
}

func (f *decisionForm) sign(user string, p workflow.Proposal) {
	pass := f.pass.Text
	f.passStatus.SetText("正在签名……")
	f.app.Background(func(ctx context.Context) error {
		_, _, err := f.app.svc.Review.Decide(ctx, user, f.doc.ID, f.hash, p, pass)
		return err
	}, func(err error) {
		if err != nil {
			f.pass.SetText("")
			if review.ErrorCode(err) == review.EFORBIDDEN {
				f.passStatus.SetText(review.ErrorMessage(err))
				return
			}
			// Anything but the passphrase is a problem with the decision
			// itself: back to the form, which keeps the input.
			f.passDlg.Hide()
			f.status.SetText(review.ErrorMessage(err))
			return
		}
		f.passDlg.Hide()
		f.dlg.Hide()
		if f.onDone != nil {
			f.onDone()
		}
	})
}
