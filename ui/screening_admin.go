package ui

import (
	"context"
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	scr "qianfa/review/screen"
)

// tabKeywords is the 设置 tab where the administrator keeps keyword lists
// and the allow-list.
const tabKeywords = "敏感词表与白名单"

// newSettingsWithScreening is 设置: the keyword lists and allow-list beside
// the other settings (newSettingsTabs), so that screening adds a tab
// without taking the screen over.
func newSettingsWithScreening(a *App) fyne.CanvasObject {
	var keywords *container.TabItem
	if a.svc.Screening != nil {
		keywords = container.NewTabItem(tabKeywords, newKeywordSettings(a).content)
	}
	return newSettingsTabs(a, keywords)
}

// keywordSettings lists the keyword lists (name, ground, size) and the
// allow-list, and lets the administrator import a list from a text file,
// delete one, and add or remove allowed terms.
type keywordSettings struct {
	app   *App
	lists []scr.KeywordList
	allow []string

	listView  *widget.List
	allowView *widget.List
	name      *widget.Entry
	ground    *widget.RadioGroup
	importBtn *widget.Button
	deleteBtn *widget.Button
	allowTerm *widget.Entry
	allowBtn  *widget.Button
	removeBtn *widget.Button
	status    *widget.Label
	listSel   int
	allowSel  int
	content   fyne.CanvasObject
}

// groundOptions are the radio labels for the three grounds, in order.
var groundOptions = []string{scr.Art14.Label(), scr.Art15.Label(), scr.Art16.Label()}

func groundFromOption(s string) scr.Ground {
	for i, o := range groundOptions {
		if o == s {
			return []scr.Ground{scr.Art14, scr.Art15, scr.Art16}[i]
		}
	}
	return 0
}

func newKeywordSettings(a *App) *keywordSettings {
	k := &keywordSettings{app: a, listSel: -1, allowSel: -1}
	k.listView = widget.NewList(func() int { return len(k.lists) }, newTwoLineRow, func(i widget.ListItemID, o fyne.CanvasObject) {
		l := k.lists[i]
		sample := strings.Join(l.Terms[:min(5, len(l.Terms))], "、")
		if len(l.Terms) > 5 {
			sample += "……"
		}
		setTwoLines(o, fmt.Sprintf("%s · %s · %d 个词条", l.Name, l.Ground.Label(), len(l.Terms)), sample)
	})
	k.listView.OnSelected = func(i widget.ListItemID) { k.listSel = i; k.sync() }
	k.allowView = widget.NewList(func() int { return len(k.allow) }, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(k.allow[i]) })
	k.allowView.OnSelected = func(i widget.ListItemID) { k.allowSel = i; k.sync() }

	k.name = widget.NewEntry()
	k.name.SetPlaceHolder("词表名称，如：举报人姓名")
	k.ground = widget.NewRadioGroup(groundOptions, nil)
	k.ground.Required = true
	k.importBtn = widget.NewButtonWithIcon("从文本文件导入…", theme.Icon(theme.IconNameFolderOpen), k.chooseFile)
	k.importBtn.Importance = widget.HighImportance
	k.deleteBtn = widget.NewButtonWithIcon("删除所选词表", theme.Icon(theme.IconNameDelete), k.deleteList)
	k.allowTerm = widget.NewEntry()
	k.allowTerm.SetPlaceHolder("如：本单位公开的咨询电话 010-83930000")
	k.allowBtn = widget.NewButtonWithIcon("加入白名单", theme.Icon(theme.IconNameContentAdd), k.addAllow)
	k.removeBtn = widget.NewButtonWithIcon("移出所选", theme.Icon(theme.IconNameContentRemove), k.removeAllow)
	k.status = newStatusLabel()

	intro := widget.NewLabel("关键词表每行一词（# 开头的行为注释），须注明依据：《政府信息公开条例》第十四、十五或十六条。" +
		"同名词表再次导入即替换。白名单中的词条（如本单位公开的电话、邮箱）不作为筛查结果。")
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("名称", k.name), widget.NewFormItem("依据", k.ground))
	lists := container.NewBorder(
		container.NewVBox(widget.NewLabelWithStyle("关键词表", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), form,
			container.NewHBox(k.importBtn, k.deleteBtn)),
		nil, nil, nil, k.listView)
	allow := container.NewBorder(
		container.NewVBox(widget.NewLabelWithStyle("白名单", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewBorder(nil, nil, nil, k.allowBtn, k.allowTerm), container.NewHBox(k.removeBtn)),
		nil, nil, nil, k.allowView)
	split := container.NewHSplit(lists, allow)
	split.Offset = 0.6
	a.OnCurrentUserChanged(func(*review.User) { k.sync() })
	k.content = container.NewBorder(intro, k.status, nil, nil, split)
	k.reload()
	return k
}

// admin returns the current user's login if they are the administrator.
func (k *keywordSettings) admin() (string, bool) {
	u := k.app.CurrentUser()
	return loginOf(u), u.Has(review.RoleAdmin)
}

func loginOf(u *review.User) string {
	if u == nil {
		return ""
	}
	return u.Name
}

// keywordsAdminOnly is the status line for a user who may only look.
const keywordsAdminOnly = "只有管理员可以维护关键词表和白名单。"

func (k *keywordSettings) sync() {
	_, ok := k.admin()
	setEnabled(k.importBtn, ok)
	setEnabled(k.deleteBtn, ok && k.listSel >= 0 && k.listSel < len(k.lists))
	setEnabled(k.allowBtn, ok)
	setEnabled(k.removeBtn, ok && k.allowSel >= 0 && k.allowSel < len(k.allow))
	switch {
	case !ok && k.status.Text == "":
		report(k.status, keywordsAdminOnly, false)
	case ok && k.status.Text == keywordsAdminOnly:
		report(k.status, "", false) // the administrator has logged in since
	}
}

// reload reads the lists and the allow-list.
func (k *keywordSettings) reload() {
	store := k.app.svc.Screening.Store
	var lists []scr.KeywordList
	var allow []string
	k.app.Background(func(ctx context.Context) (err error) {
		if lists, err = store.KeywordLists(ctx); err != nil {
			return err
		}
		allow, err = store.AllowList(ctx)
		return err
	}, func(err error) {
		if err != nil {
			k.app.ShowError(err)
			return
		}
		k.lists, k.allow, k.listSel, k.allowSel = lists, allow, -1, -1
		k.listView.UnselectAll()
		k.allowView.UnselectAll()
		k.listView.Refresh()
		k.allowView.Refresh()
		k.sync()
	})
}

// run does an administrator's change off the UI goroutine, then reports and
// reloads.
func (k *keywordSettings) run(work func(ctx context.Context, user string) (string, error)) {
	user, ok := k.admin()
	if !ok {
		return
	}
	var msg string
	k.app.Background(func(ctx context.Context) (err error) {
		msg, err = work(ctx, user)
		return err
	}, func(err error) {
		if err != nil {
			report(k.status, review.ErrorMessage(err), true)
			return
		}
		report(k.status, msg, false)
		k.allowTerm.SetText("")
		k.reload()
	})
}

// chooseFile asks for a keyword list file once name and ground are given.
func (k *keywordSettings) chooseFile() {
	if strings.TrimSpace(k.name.Text) == "" || k.ground.Selected == "" {
		report(k.status, "请先填写词表名称并选择依据。", true)
		return
	}
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil {
			k.app.ShowError(err)
			return
		}
		if rc == nil {
			return // cancelled
		}
		k.importFrom(rc)
	}, k.app.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".txt"}))
	d.Show()
}

// importFrom stores the list read from r under the name and ground in the
// form, and closes r.
func (k *keywordSettings) importFrom(r io.ReadCloser) {
	name, ground := strings.TrimSpace(k.name.Text), groundFromOption(k.ground.Selected)
	svc := k.app.svc.Screening
	k.run(func(ctx context.Context, user string) (string, error) {
		defer r.Close()
		l, err := svc.ImportKeywordList(ctx, user, name, ground, r)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("已导入关键词表“%s”：%d 个词条，依据%s。", l.Name, len(l.Terms), l.Ground), nil
	})
}

func (k *keywordSettings) deleteList() {
	if k.listSel < 0 || k.listSel >= len(k.lists) {
		return
	}
	name, svc := k.lists[k.listSel].Name, k.app.svc.Screening
	dialog.ShowConfirm("删除关键词表", "确定删除关键词表“"+name+"”？", func(ok bool) {
		if ok {
			k.run(func(ctx context.Context, user string) (string, error) {
				return "已删除关键词表“" + name + "”。", svc.DeleteKeywordList(ctx, user, name)
			})
		}
	}, k.app.win)
}

func (k *keywordSettings) addAllow() {
	term, svc := strings.TrimSpace(k.allowTerm.Text), k.app.svc.Screening
	k.run(func(ctx context.Context, user string) (string, error) {
		return "已加入白名单：" + term, svc.AddAllowTerm(ctx, user, term)
	})
}

func (k *keywordSettings) removeAllow() {
	if k.allowSel < 0 || k.allowSel >= len(k.allow) {
		return
	}
	term, svc := k.allow[k.allowSel], k.app.svc.Screening
	k.run(func(ctx context.Context, user string) (string, error) {
		return "已移出白名单：" + term, svc.RemoveAllowTerm(ctx, user, term)
	})
}
