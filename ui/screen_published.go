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
	"qianfa/review/publish"
)

// publishedLimit bounds the listing; an office publishes hundreds of
// documents a year, not tens of thousands.
const publishedLimit = 2000

// publishedView is 已发布: the catalogue of what is on the website, with
// 发布日期, URL and 有效性, and the two changes a clerk makes to it.
type publishedView struct {
	app      *App
	hits     []review.DocumentHit
	list     *widget.List
	validity *widget.Select
	count    *widget.Label
	selected int
	amend    *widget.Button
	repeal   *widget.Button
	signers  *widget.Button
	content  fyne.CanvasObject
}

// newPublishedScreen is 已发布.
func newPublishedScreen(a *App) fyne.CanvasObject { return newPublishedView(a).content }

func newPublishedView(a *App) *publishedView {
	v := &publishedView{app: a, selected: -1}
	v.list = widget.NewList(func() int { return len(v.hits) }, newTwoLineRow, v.updateRow)
	v.list.OnSelected = func(i widget.ListItemID) { v.selected = i; v.updateButtons() }
	v.list.OnUnselected = func(widget.ListItemID) { v.selected = -1; v.updateButtons() }
	opts := []string{"全部有效性"}
	for _, x := range review.Validities {
		opts = append(opts, string(x))
	}
	v.validity = widget.NewSelect(opts, func(string) { v.load() })
	v.validity.SetSelectedIndex(0)
	v.count = widget.NewLabel("")
	v.amend = widget.NewButtonWithIcon("标记已修订…", theme.DocumentCreateIcon(), func() { v.showAmend() })
	v.repeal = widget.NewButtonWithIcon("标记已废止…", theme.DeleteIcon(), func() { v.showRepeal() })
	v.signers = widget.NewButtonWithIcon("导出签名人名单…", theme.DocumentSaveIcon(), v.exportSigners)
	open := widget.NewButtonWithIcon("查看文件", theme.VisibilityIcon(), func() {
		if h := v.current(); h != nil {
			// Through an interface: a direct call would make the screens
			// table depend on itself (ShowDocument → ShowScreen → screens).
			var o interface{ ShowDocument(int64) } = a
			o.ShowDocument(h.ID)
		}
	})
	v.updateButtons()
	a.OnDocumentsChanged(v.load)
	a.OnCurrentUserChanged(func(*review.User) { v.updateButtons() })
	v.load()
	bar := container.NewHBox(v.validity, v.count, widget.NewSeparator(), open, v.amend, v.repeal)
	top := container.NewBorder(nil, nil, nil, v.signers, bar)
	if a.svc.Publishing == nil {
		note := widget.NewLabel("此工作区未启用发布功能（需要审查流程与签名密钥）。")
		top = container.NewVBox(note, top)
	}
	v.content = container.NewBorder(top, nil, nil, nil, v.list)
	return v
}

func (v *publishedView) current() *review.DocumentHit {
	if v.selected < 0 || v.selected >= len(v.hits) {
		return nil
	}
	return &v.hits[v.selected]
}

// updateButtons enables what the current user may do on the selection:
// validity changes for a clerk on a document still 有效, the signer list
// for the administrator.
func (v *publishedView) updateButtons() {
	u := v.app.CurrentUser()
	h := v.current()
	canEdit := v.app.svc.Publishing != nil && u.Has(review.RoleClerk) && h != nil && h.Validity == review.ValidityInForce
	for _, b := range []*widget.Button{v.amend, v.repeal} {
		if canEdit {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if v.app.svc.Publishing != nil && u.Has(review.RoleAdmin) {
		v.signers.Enable()
	} else {
		v.signers.Disable()
	}
}

func (v *publishedView) load() {
	f := review.DocumentFilter{Status: review.StatusPublished, Limit: publishedLimit}
	if i := v.validity.SelectedIndex(); i > 0 {
		f.Validity = review.Validities[i-1]
	}
	var hits []review.DocumentHit
	v.app.Background(func(ctx context.Context) (err error) {
		hits, err = v.app.svc.Docs.FindDocuments(ctx, f)
		return err
	}, func(err error) {
		if err != nil {
			v.app.ShowError(err)
			return
		}
		v.hits = hits
		v.selected = -1
		v.list.UnselectAll()
		v.list.Refresh()
		v.count.SetText(fmt.Sprintf("共 %d 件", len(hits)))
		v.updateButtons()
	})
}

func (v *publishedView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i < 0 || i >= len(v.hits) {
		return
	}
	h := &v.hits[i]
	url := h.PublishedURL
	if url == "" {
		url = "（未登记网址）"
	}
	setTwoLines(o, fmt.Sprintf("%s · %s", h.Meta.Title, h.Validity),
		fmt.Sprintf("发布日期 %s · 索引号 %s · %s", h.PublishedOn, h.IndexNo, url))
}

// showAmend picks the amending document among the catalogue (any that is
// not this one and not withheld) and links the two.
func (v *publishedView) showAmend() *formDialog {
	a, h := v.app, v.current()
	if h == nil {
		return nil
	}
	doc := h.Document
	pick := widget.NewSelect(nil, nil)
	pick.PlaceHolder = "选择修订后的文件"
	var ids []int64
	items := widget.NewForm(widget.NewFormItem("修订后的文件", pick))
	var f formDialog
	f = a.newFormDialog("标记已修订 — "+doc.Meta.Title, "标记", fyne.NewSize(640, 220), items, func() {
		i := pick.SelectedIndex()
		if i < 0 || i >= len(ids) {
			f.refuse(review.Errorf(review.EINVALID, "请选择修订后的文件。"))
			return
		}
		succ := ids[i]
		v.change(f, func(ctx context.Context, p Publishing, user string) error {
			return p.MarkAmended(ctx, user, doc.ID, succ)
		})
	})
	var all []review.DocumentHit
	a.Background(func(ctx context.Context) (err error) {
		all, err = a.svc.Docs.FindDocuments(ctx, review.DocumentFilter{Limit: publishedLimit})
		return err
	}, func(err error) {
		if err != nil {
			f.refuse(err)
			return
		}
		var labels []string
		for _, o := range all {
			if o.ID == doc.ID || o.Status == review.StatusWithheld {
				continue
			}
			labels = append(labels, fmt.Sprintf("%s（%s，%s）", o.Meta.Title, o.IndexNo, o.Status))
			ids = append(ids, o.ID)
		}
		pick.SetOptions(labels)
	})
	f.dlg.Show()
	return &f
}

// repealForm is the 标记已废止 dialog.
type repealForm struct {
	formDialog
	date *widget.Entry
}

// showRepeal asks for the 废止 date. A refusal (a malformed date, one before
// publication) keeps the dialog open with the date as typed.
func (v *publishedView) showRepeal() *repealForm {
	a, h := v.app, v.current()
	if h == nil {
		return nil
	}
	doc := h.Document
	f := &repealForm{date: widget.NewEntry()}
	f.date.SetText(a.today().String())
	items := widget.NewForm(widget.NewFormItem("废止日期", f.date))
	f.formDialog = a.newFormDialog("标记已废止 — "+doc.Meta.Title, "标记", fyne.NewSize(480, 200), items, func() {
		day := strings.TrimSpace(f.date.Text)
		v.change(f.formDialog, func(ctx context.Context, p Publishing, user string) error {
			return p.MarkRepealed(ctx, user, doc.ID, day)
		})
	})
	f.dlg.Show()
	return f
}

// change records a validity change from dialog f, which stays open with the
// reason if it is refused.
func (v *publishedView) change(f formDialog, fn func(ctx context.Context, p Publishing, user string) error) {
	a, p, u := v.app, v.app.svc.Publishing, v.app.CurrentUser()
	if p == nil {
		return
	}
	if u == nil {
		f.refuse(review.Errorf(review.EFORBIDDEN, "请先登录。"))
		return
	}
	f.submit(func(ctx context.Context) error { return fn(ctx, p, u.Name) }, a.DocumentsChanged)
}

// exportSigners saves the office's allowed_signers for the website team.
func (v *publishedView) exportSigners() {
	a, p := v.app, v.app.svc.Publishing
	if p == nil {
		return
	}
	var data []byte
	a.Background(func(ctx context.Context) (err error) {
		data, err = p.OfficeAllowedSigners(ctx)
		return err
	}, func(err error) {
		if err != nil {
			a.ShowError(err)
			return
		}
		fd := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
			if err != nil || w == nil {
				return
			}
			defer w.Close()
			if _, err := w.Write(data); err != nil {
				a.ShowError(review.WrapError(review.EINTERNAL, err, "无法写入 %s。", w.URI().Name()))
				return
			}
			dialog.ShowInformation("已导出签名人名单", "已保存 "+w.URI().Path()+"。\n请交网站发布人员，用于 ssh-keygen -Y verify 或 qianfa-cli verify --allowed-signers 核验发布包。", a.win)
		}, a.win)
		fd.SetFileName(publish.OfficeSignersFile)
		fd.Show()
	})
}
