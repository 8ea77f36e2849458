package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/calendar"
)

// officeSettings is the 机构与索引号 tab: the office's code and name and the
// 索引号 pattern, with a preview that follows each keystroke so the
// administrator sees the number a document will get before saving.
type officeSettings struct {
	app     *App
	code    *widget.Entry
	name    *widget.Entry
	pattern *widget.Entry
	preview *widget.Label
	save    *widget.Button
	note    *widget.Label
	status  *widget.Label
	loaded  bool
	content fyne.CanvasObject
}

func newOfficeSettings(a *App) *officeSettings {
	o := &officeSettings{app: a, code: widget.NewEntry(), name: widget.NewEntry(), pattern: widget.NewEntry()}
	o.code.SetPlaceHolder("如 000014349")
	o.name.SetPlaceHolder("如：国家应急保障部")
	o.pattern.SetPlaceHolder("如 {org}/{year}-{seq:5}")
	o.preview = widget.NewLabel("")
	o.preview.TextStyle.Monospace = true
	o.preview.Wrapping = fyne.TextWrapWord
	for _, e := range []*widget.Entry{o.code, o.name, o.pattern} {
		e.OnChanged = func(string) { o.updatePreview() }
	}
	o.save = widget.NewButtonWithIcon("保存", theme.Icon(theme.IconNameDocumentSave), o.saveSettings)
	o.save.Importance = widget.HighImportance
	o.note = wrapLabel("只有管理员可以修改机构信息和索引号规则；此处仅供查看。")
	o.note.Importance = widget.LowImportance
	o.status = newStatusLabel()
	form := widget.NewForm(
		widget.NewFormItem("机构代码", o.code), widget.NewFormItem("机构名称", o.name),
		widget.NewFormItem("索引号规则", o.pattern), widget.NewFormItem("预览", o.preview))
	help := wrapLabel("索引号规则可用的字段：{org} 机构代码，{year} 成文年份，{seq} 当年序号，{seq:5} 序号补足 5 位（如 00001）。" +
		"例如 {org}/{year}-{seq:5} 得到 000014349/2025-00216。索引号一经分配不再重复使用；修改规则只影响此后新建的文件。")
	help.Importance = widget.LowImportance
	o.content = container.NewVBox(form, help, container.NewHBox(o.save), o.note, o.status)
	o.content = container.NewVScroll(o.content)
	a.OnCurrentUserChanged(func(*review.User) { o.sync() })
	o.sync()
	o.reload()
	return o
}

// sync lets only the administrator edit.
func (o *officeSettings) sync() {
	admin := o.app.isAdmin()
	for _, e := range []*widget.Entry{o.code, o.name, o.pattern} {
		if admin {
			e.Enable()
		} else {
			e.Disable()
		}
	}
	if admin {
		o.save.Show()
		o.note.Hide()
	} else {
		o.save.Hide()
		o.note.Show()
	}
	setEnabled(o.save, o.loaded)
}

func (o *officeSettings) reload() {
	store := o.app.svc.Settings
	var s review.Settings
	o.app.Background(func(ctx context.Context) (err error) {
		s, err = store.Settings(ctx)
		return err
	}, func(err error) {
		if err != nil {
			o.app.ShowError(err)
			return
		}
		o.code.SetText(s.OrgCode)
		o.name.SetText(s.OrgName)
		o.pattern.SetText(s.IndexPattern)
		o.loaded = true
		o.sync()
		o.updatePreview()
	})
}

// form returns the settings as typed.
func (o *officeSettings) form() review.Settings {
	return review.Settings{OrgCode: strings.TrimSpace(o.code.Text), OrgName: strings.TrimSpace(o.name.Text),
		IndexPattern: strings.TrimSpace(o.pattern.Text)}
}

// previewYear is the year the preview numbers in: the coming year, whose
// first document will be the first to carry a number under a pattern saved
// now for good.
func (o *officeSettings) previewYear() int {
	now := time.Now()
	if n := o.app.svc.Review; n != nil && n.Now != nil {
		now = n.Now()
	}
	return calendar.FromTime(now).Year() + 1
}

// updatePreview shows the first 索引号 of the coming year under the typed
// pattern, or what is wrong with it.
func (o *officeSettings) updatePreview() {
	s, year := o.form(), o.previewYear()
	n, err := previewIndexNo(s, year)
	if err != nil {
		o.preview.Importance = widget.DangerImportance
		o.preview.SetText(review.ErrorMessage(err))
		return
	}
	o.preview.Importance = widget.MediumImportance
	o.preview.SetText(fmt.Sprintf("%s（%d 年第 1 号）", n, year))
}

// previewIndexNo checks s and renders the first number of year under it.
func previewIndexNo(s review.Settings, year int) (string, error) {
	if err := s.Validate(); err != nil {
		return "", err
	}
	return review.FormatIndexNo(s.IndexPattern, s.OrgCode, year, 1)
}

func (o *officeSettings) saveSettings() {
	if !o.app.isAdmin() {
		return
	}
	s := o.form()
	if err := s.Validate(); err != nil {
		report(o.status, review.ErrorMessage(err), true)
		return
	}
	store, actor := o.app.svc.Settings, loginOf(o.app.CurrentUser())
	o.app.Background(func(ctx context.Context) error { return store.SaveSettings(ctx, s, actor) }, func(err error) {
		if err != nil {
			report(o.status, review.ErrorMessage(err), true)
			return
		}
		report(o.status, "已保存。此后新建的文件按新规则编号。", false)
	})
}
