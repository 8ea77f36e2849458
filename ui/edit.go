package ui

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
)

// editDialog edits a document's metadata and text. Saving never overwrites:
// it calls ReviseDocument, which stores a new revision beside the old ones.
// On a validation error the dialog stays open with the input as typed and the
// reason in red, so nothing the clerk wrote is lost.
type editDialog struct {
	app *App
	doc *review.Document
	cur *review.Revision
	dlg *dialog.CustomDialog

	title, issuer, docNumber, writtenOn, subject, ground, note *widget.Entry
	kind, disclosure                                           *widget.Select
	text                                                       *widget.Entry    // whole text, for short documents
	long                                                       *paragraphEditor // for long ones
	problem                                                    *widget.Label
	save, cancel                                               *widget.Button
	saved                                                      *review.Revision // set once saving succeeded
}

// showEditDialog opens the editor on the document's current revision.
func (a *App) showEditDialog(doc *review.Document, cur *review.Revision) *editDialog {
	e := &editDialog{app: a, doc: doc, cur: cur}
	m := cur.Meta
	entry := func(v, hint string) *widget.Entry {
		w := widget.NewEntry()
		w.SetText(v)
		w.SetPlaceHolder(hint)
		return w
	}
	e.title = entry(m.Title, "")
	e.kind = widget.NewSelect(kindStrings(), nil)
	e.kind.SetSelected(string(m.Kind))
	e.issuer = entry(m.Issuer, "")
	e.docNumber = entry(m.DocNumber, "如：国发〔2019〕12号")
	e.writtenOn = entry(m.WrittenOn, "YYYY-MM-DD")
	e.subject = entry(m.Subject, "")
	disclosures := make([]string, len(review.Disclosures))
	for i, v := range review.Disclosures {
		disclosures[i] = string(v)
	}
	e.disclosure = widget.NewSelect(disclosures, nil)
	e.disclosure.SetSelected(string(m.Disclosure))
	e.ground = entry(m.DisclosureGround, "不予公开时必填，如：《政府信息公开条例》第十五条")
	var body fyne.CanvasObject
	if utf8.RuneCountInString(cur.Text) <= wholeTextLimit {
		e.text = widget.NewMultiLineEntry()
		e.text.Wrapping = fyne.TextWrapWord
		e.text.SetText(cur.Text)
		body = e.text
	} else {
		e.long = newParagraphEditor(cur.Text)
		body = e.long.content
	}
	e.note = entry("", "说明本次修改的内容和原因（必填）")
	e.problem = widget.NewLabel("")
	e.problem.Importance = widget.DangerImportance
	e.problem.Wrapping = fyne.TextWrapWord

	form := widget.NewForm(
		widget.NewFormItem("标题", e.title),
		widget.NewFormItem("文种", e.kind),
		widget.NewFormItem("发文机关", e.issuer),
		widget.NewFormItem("发文字号", e.docNumber),
		widget.NewFormItem("成文日期", e.writtenOn),
		widget.NewFormItem("主题分类", e.subject),
		widget.NewFormItem("公开属性", e.disclosure),
		widget.NewFormItem("公开依据", e.ground),
	)
	noteForm := widget.NewForm(widget.NewFormItem("修改说明", e.note))
	hint := widget.NewLabel("保存后生成新的修订版（第 " + strconv.Itoa(doc.CurrentRevision+1) + " 版），原有版本保留不变。")
	top := container.NewVBox(form, widget.NewLabel("正文"))
	bottom := container.NewVBox(noteForm, hint, e.problem)
	content := container.NewBorder(top, bottom, nil, nil, body)

	e.cancel = widget.NewButton("取消", func() { e.dlg.Hide() })
	e.save = widget.NewButton("保存为新版本", e.submit)
	e.save.Importance = widget.HighImportance
	e.dlg = dialog.NewCustomWithoutButtons("编辑："+m.Title, content, a.win)
	e.dlg.SetButtons([]fyne.CanvasObject{e.cancel, e.save})
	e.dlg.Resize(fyne.NewSize(900, 720))
	e.dlg.Show()
	return e
}

// bodyText is the text as edited so far, including a paragraph whose edit
// was not yet applied: saving should not drop what is on screen.
func (e *editDialog) bodyText() string {
	if e.long != nil {
		e.long.apply()
		return e.long.text()
	}
	return e.text.Text
}

// meta reads the form.
func (e *editDialog) meta() review.Metadata {
	return review.Metadata{
		Title:            strings.TrimSpace(e.title.Text),
		Kind:             review.Kind(e.kind.Selected),
		Issuer:           strings.TrimSpace(e.issuer.Text),
		DocNumber:        strings.TrimSpace(e.docNumber.Text),
		WrittenOn:        strings.TrimSpace(e.writtenOn.Text),
		Subject:          strings.TrimSpace(e.subject.Text),
		Disclosure:       review.Disclosure(e.disclosure.Selected),
		DisclosureGround: strings.TrimSpace(e.ground.Text),
	}
}

// submit checks what it can here, for an immediate answer, and leaves the
// rest (and the final word) to the store.
func (e *editDialog) submit() {
	a := e.app
	meta, text, note := e.meta(), e.bodyText(), strings.TrimSpace(e.note.Text)
	user := a.CurrentUser()
	var problem string
	switch err := meta.Validate(); {
	case user == nil:
		problem = "请先在窗口右上角选择当前用户。"
	case err != nil:
		problem = review.ErrorMessage(err)
	case strings.TrimSpace(text) == "":
		problem = "正文为空。"
	case review.RevisionHash(meta, text) == e.cur.Hash:
		problem = "内容没有改动，无需保存新版本。"
	case note == "":
		// The 修改说明 is what reviewers read first when a draft comes back;
		// an edit without one leaves them diffing blind.
		problem = "请填写修改说明。"
	}
	if problem != "" {
		e.problem.SetText(problem)
		return
	}
	e.problem.SetText("")
	e.save.Disable()
	e.cancel.Disable()
	id := e.doc.ID
	var rev *review.Revision
	a.Background(func(ctx context.Context) (err error) {
		rev, err = a.svc.Docs.ReviseDocument(ctx, id, meta, text, user.Name, note)
		return err
	}, func(err error) {
		e.save.Enable()
		e.cancel.Enable()
		if err != nil {
			fyne.LogError("revise document", err)
			e.problem.SetText(review.ErrorMessage(err))
			return
		}
		e.saved = rev
		e.dlg.Hide()
		a.DocumentsChanged()
	})
}
