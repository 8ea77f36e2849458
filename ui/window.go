package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/assets"
)

// layout puts the top bar above, the navigation column left and the selected
// screen in the rest of the window.
func (a *App) layout() fyne.CanvasObject {
	a.nav.show(startScreen)
	left := container.NewBorder(nil, nil, nil, widget.NewSeparator(),
		container.NewGridWrap(fyne.NewSize(140, 0)), a.nav.list) // the empty grid fixes the column's width
	return container.NewBorder(
		container.NewVBox(a.topBar(), widget.NewSeparator()), nil,
		left, nil, a.nav.stack)
}

// topBar holds the actions that apply whatever screen is shown, and who is
// working. Buttons carry words, not just icons: the office's staff should not
// have to guess what a pictogram means.
func (a *App) topBar() fyne.CanvasObject {
	importFile := widget.NewButtonWithIcon("导入草稿…", theme.Icon(theme.IconNameContentAdd), a.chooseImportFile)
	importFile.Importance = widget.HighImportance
	importDir := widget.NewButtonWithIcon("导入文件夹…", theme.Icon(theme.IconNameFolderOpen), a.chooseImportFolder)
	refresh := widget.NewButtonWithIcon("刷新", theme.Icon(theme.IconNameViewRefresh), a.DocumentsChanged)
	hint := widget.NewLabel("也可将文件拖放到窗口中导入")
	hint.Importance = widget.LowImportance
	return container.NewBorder(nil, nil,
		container.NewHBox(importFile, importDir, refresh, hint), a.userPicker())
}

// mainMenu is the window's menu bar. The quit item is ours so that it reads
// 退出: Fyne adds an English "Quit" when the first menu lacks one.
func (a *App) mainMenu() *fyne.MainMenu {
	openKey := &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	findKey := &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}
	a.win.Canvas().AddShortcut(openKey, func(fyne.Shortcut) { a.chooseImportFile() })
	a.win.Canvas().AddShortcut(findKey, func(fyne.Shortcut) { a.focusSearch() })
	importItem := fyne.NewMenuItem("导入草稿…", a.chooseImportFile)
	importItem.Shortcut = openKey
	findItem := fyne.NewMenuItem("检索文件", a.focusSearch)
	findItem.Shortcut = findKey
	quit := fyne.NewMenuItem("退出", func() { a.fyneApp.Quit() })
	quit.IsQuit = true
	file := fyne.NewMenu("文件",
		importItem,
		fyne.NewMenuItem("导入文件夹…", a.chooseImportFolder),
		findItem,
		fyne.NewMenuItem("比较两个文件…", a.compareFiles),
		fyne.NewMenuItemSeparator(),
		quit,
	)
	help := fyne.NewMenu("帮助", fyne.NewMenuItem("关于签发…", a.showAbout))
	return fyne.NewMainMenu(file, help)
}

// focusSearch goes to 全部文件 and puts the cursor in its search box.
func (a *App) focusSearch() {
	a.ShowScreen("全部文件")
	a.win.Canvas().Focus(a.browser.search)
}

// showAbout names the program and carries the font licence, which the OFL
// requires to travel with the bundled font.
func (a *App) showAbout() {
	lic := widget.NewLabel(string(assets.FontLicence))
	lic.Wrapping = fyne.TextWrapWord
	scroll := container.NewVScroll(lic)
	scroll.SetMinSize(fyne.NewSize(560, 300))
	intro := widget.NewLabel("签发 Qianfa：政府信息公开发布审查。\n界面字体为思源黑体（Noto Sans CJK SC），依 SIL 开源字体许可证 1.1 随附：")
	intro.Wrapping = fyne.TextWrapWord
	dialog.ShowCustom("关于签发", "关闭", container.NewBorder(intro, nil, nil, nil, scroll), a.win)
}
