package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/publish"
)

// Publishing is export and publication as the screens use them;
// publish.Service implements it.
type Publishing interface {
	Prepare(ctx context.Context, docID int64) (*publish.Plan, error)
	Export(ctx context.Context, user string, docID int64, passphrase, dir string, progress func(done, total int64)) (*publish.Export, error)
	Publish(ctx context.Context, user string, docID int64, date, link string) (*review.Document, error)
	MarkAmended(ctx context.Context, user string, docID, successor int64) error
	MarkRepealed(ctx context.Context, user string, docID int64, date string) error
	OfficeAllowedSigners(ctx context.Context) ([]byte, error)
}

// GroupFingerprint writes a hex digest in blocks of four, the way a clerk
// reads it out over the phone to the website team.
func GroupFingerprint(hex string) string {
	var b strings.Builder
	for i := 0; i < len(hex); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(hex[i:min(i+4, len(hex))])
	}
	return b.String()
}

// defaultExportDir is where packages go unless the clerk picks a folder.
func defaultExportDir() string {
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, "发布包")
	}
	return "发布包"
}

// exportDialog is 导出发布包: what goes in, the folder and the clerk's
// passphrase; then a progress bar; then the path and fingerprint.
type exportDialog struct {
	app  *App
	doc  *review.Document
	plan *publish.Plan
	dlg  *dialog.CustomDialog

	dir      *widget.Entry
	pass     *widget.Entry
	progress *widget.ProgressBar
	status   *widget.Label
	start    *widget.Button
	body     *fyne.Container
	result   *publish.Export
	cancel   context.CancelFunc
	onShown  func() // runs once the dialog is up; for exportAtStart
}

// showExportDialog checks the document first (every refusal is shown
// before the passphrase is asked) and then opens the dialog.
func (a *App) showExportDialog(doc *review.Document) *exportDialog {
	pub := a.svc.Publishing
	if pub == nil {
		return nil
	}
	e := &exportDialog{app: a, doc: doc}
	a.Background(func(ctx context.Context) (err error) {
		e.plan, err = pub.Prepare(ctx, doc.ID)
		return err
	}, func(err error) {
		if err != nil {
			a.ShowError(review.WrapError(review.ErrorCode(err), err, "不能导出《%s》：%s", doc.Meta.Title, review.ErrorMessage(err)))
			return
		}
		e.show()
	})
	return e
}

func (e *exportDialog) show() {
	a := e.app
	items := container.NewVBox()
	for _, c := range e.plan.Contents() {
		l := widget.NewLabel("· " + c)
		l.Wrapping = fyne.TextWrapWord
		items.Add(l)
	}
	e.dir = widget.NewEntry()
	e.dir.SetText(defaultExportDir())
	pick := widget.NewButtonWithIcon("", theme.FolderOpenIcon(), func() {
		fd := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
			if err == nil && u != nil {
				e.dir.SetText(u.Path())
			}
		}, a.win)
		if l, err := storage.ListerForURI(storage.NewFileURI(e.dir.Text)); err == nil {
			fd.SetLocation(l)
		}
		fd.Show()
	})
	e.pass = widget.NewPasswordEntry()
	e.pass.SetPlaceHolder("经办人口令（解锁签名密钥）")
	e.pass.OnSubmitted = func(string) { e.run() }
	user := ""
	if u := a.CurrentUser(); u != nil {
		user = u.Label()
	}
	form := widget.NewForm(
		widget.NewFormItem("包文件名", widget.NewLabel(e.plan.FileName)),
		widget.NewFormItem("保存到", container.NewBorder(nil, nil, nil, pick, e.dir)),
		widget.NewFormItem("签名人", widget.NewLabel(user)),
		widget.NewFormItem("口令", e.pass),
	)
	e.progress = widget.NewProgressBar()
	e.progress.Hide()
	e.status = widget.NewLabel("")
	e.status.Wrapping = fyne.TextWrapWord
	e.start = widget.NewButtonWithIcon("导出并签名", theme.DocumentSaveIcon(), e.run)
	e.start.Importance = widget.HighImportance
	head := widget.NewLabelWithStyle("发布包将包含：", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.body = container.NewVBox(head, items, widget.NewSeparator(), form, e.progress, e.status)
	e.dlg = dialog.NewCustomWithoutButtons("导出发布包 — "+e.doc.Meta.Title, container.NewVScroll(e.body), a.win)
	closeBtn := widget.NewButton("关闭", func() {
		if e.cancel != nil {
			e.cancel()
		}
		e.dlg.Hide()
	})
	e.dlg.SetButtons([]fyne.CanvasObject{closeBtn, e.start})
	e.dlg.Resize(fyne.NewSize(640, 620))
	e.dlg.Show()
	a.win.Canvas().Focus(e.pass)
	if e.onShown != nil {
		e.onShown()
	}
}

// exportAtStart opens document id and exports its package into dir with
// passphrase, leaving the dialog's result on screen (see Start). The user
// must already be logged in (Services.User).
func (a *App) exportAtStart(id int64, dir, passphrase string) {
	a.ShowDocument(id)
	var doc *review.Document
	a.Background(func(ctx context.Context) (err error) {
		doc, err = a.svc.Docs.Document(ctx, id)
		return err
	}, func(err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		if e := a.showExportDialog(doc); e != nil {
			e.onShown = func() {
				e.dir.SetText(dir)
				e.pass.SetText(passphrase)
				e.run()
			}
		}
	})
}

// run writes the package off the UI goroutine, moving the bar as payload
// bytes are written; the bar is updated at most once per percent so a
// 200 MB export does not flood the UI goroutine.
func (e *exportDialog) run() {
	a := e.app
	u := a.CurrentUser()
	if u == nil {
		e.status.SetText("请先登录。")
		return
	}
	if e.pass.Text == "" {
		e.status.SetText("请输入口令：导出时要用您的签名密钥对发布包签名。")
		return
	}
	e.start.Disable()
	e.pass.Disable()
	e.dir.Disable()
	e.progress.SetValue(0)
	e.progress.Show()
	e.status.SetText("正在写入并签名…")
	pub, dir, pass, id := a.svc.Publishing, strings.TrimSpace(e.dir.Text), e.pass.Text, e.doc.ID
	ctx, cancel := context.WithCancel(a.Context())
	e.cancel = cancel
	last := -1
	progress := func(done, total int64) {
		if total <= 0 {
			return
		}
		pct := int(done * 100 / total)
		if pct == last {
			return
		}
		last = pct
		a.do(func() { e.progress.SetValue(float64(pct) / 100) })
	}
	var res *publish.Export
	a.Background(func(context.Context) (err error) {
		defer cancel()
		res, err = pub.Export(ctx, u.Name, id, pass, dir, progress)
		return err
	}, func(err error) {
		e.pass.SetText("")
		if err != nil {
			e.start.Enable()
			e.pass.Enable()
			e.dir.Enable()
			e.progress.Hide()
			e.status.SetText("导出失败：" + review.ErrorMessage(err))
			return
		}
		e.done(res)
	})
}

// done replaces the form with the result: where the package is and its
// fingerprint, with a copy button and the next step, 登记发布.
func (e *exportDialog) done(res *publish.Export) {
	a := e.app
	e.result = res
	path := widget.NewLabel(res.Path)
	path.Selectable = true
	path.Wrapping = fyne.TextWrapBreak
	fp := widget.NewLabelWithStyle(GroupFingerprint(res.SHA256), fyne.TextAlignLeading, fyne.TextStyle{Monospace: true, Bold: true})
	fp.Wrapping = fyne.TextWrapWord
	fp.Selectable = true
	copyBtn := widget.NewButtonWithIcon("复制指纹", theme.ContentCopyIcon(), func() {
		a.fyneApp.Clipboard().SetContent(res.SHA256)
		e.status.SetText("指纹已复制。")
	})
	e.status.SetText("")
	publishBtn := widget.NewButtonWithIcon("登记发布…", theme.ConfirmIcon(), func() {
		e.dlg.Hide()
		a.showPublishDialog(e.doc)
	})
	ok := widget.NewLabelWithStyle("✓ 发布包已导出并签名", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.body.Objects = []fyne.CanvasObject{
		ok,
		widget.NewForm(
			widget.NewFormItem("文件", path),
			widget.NewFormItem("大小", widget.NewLabel(publish.FormatSize(res.Size))),
			widget.NewFormItem("SHA-256 指纹", fp),
		),
		widget.NewLabel("请将指纹通过电话读给网站发布人员，与其收到的文件核对（sha256sum）。"),
		container.NewHBox(copyBtn, publishBtn),
		e.status,
	}
	e.body.Refresh()
	e.start.Hide()
	a.DocumentsChanged()
}

// publishForm is the 登记发布 dialog: the date the website published the
// document and its URL. A refusal (a date before 签发, a malformed URL)
// keeps it open with what was typed.
type publishForm struct {
	formDialog
	date, link *widget.Entry
}

// showPublishDialog opens 登记发布 for doc.
func (a *App) showPublishDialog(doc *review.Document) *publishForm {
	pub := a.svc.Publishing
	if pub == nil {
		return nil
	}
	f := &publishForm{date: widget.NewEntry(), link: widget.NewEntry()}
	f.date.SetText(a.today().String())
	f.link.SetPlaceHolder("https://")
	form := widget.NewForm(widget.NewFormItem("发布日期", f.date), widget.NewFormItem("网址", f.link))
	f.formDialog = a.newFormDialog("登记发布 — "+doc.Meta.Title, "登记", fyne.NewSize(560, 240), form, func() {
		u := a.CurrentUser()
		if u == nil {
			f.refuse(review.Errorf(review.EFORBIDDEN, "请先登录。"))
			return
		}
		date, link := strings.TrimSpace(f.date.Text), strings.TrimSpace(f.link.Text)
		var out *review.Document
		f.submit(func(ctx context.Context) (err error) {
			out, err = pub.Publish(ctx, u.Name, doc.ID, date, link)
			return err
		}, func() {
			dialog.ShowInformation("已登记发布", fmt.Sprintf("《%s》已发布（%s），可在“已发布”中查看。", out.Meta.Title, out.PublishedOn), a.win)
			a.DocumentsChanged()
		})
	})
	f.dlg.Show()
	return f
}

// publishActions are the detail pane's buttons for an approved document.
type publishActions struct {
	export, publish *widget.Button
	box             *fyne.Container
	doc             *review.Document
}

// newPublishActions builds 导出发布包 and 登记发布, hidden until set shows
// an approved document and the workspace can publish.
func newPublishActions(a *App) *publishActions {
	p := &publishActions{}
	p.export = widget.NewButtonWithIcon("导出发布包…", theme.UploadIcon(), func() {
		if p.doc != nil {
			a.showExportDialog(p.doc)
		}
	})
	p.publish = widget.NewButtonWithIcon("登记发布…", theme.ConfirmIcon(), func() {
		if p.doc != nil {
			a.showPublishDialog(p.doc)
		}
	})
	p.box = container.NewHBox(p.export, p.publish)
	p.box.Hide()
	if a.svc.Publishing == nil {
		p.box = container.NewHBox() // stays empty: nothing to publish with
	}
	return p
}

// set shows the buttons for a 已签发 document and hides them otherwise.
func (p *publishActions) set(doc *review.Document) {
	p.doc = doc
	if len(p.box.Objects) == 0 {
		return
	}
	if doc != nil && doc.Status == review.StatusApproved {
		p.box.Show()
	} else {
		p.box.Hide()
	}
}
