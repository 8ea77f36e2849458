package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// screen is one entry of the navigation column. make builds the screen's
// content once, the first time it is shown; it is kept afterwards so a
// screen's search and selection survive switching away and back.
type screen struct {
	title string
	icon  fyne.ThemeIconName // a name, not a resource: resolved against the theme in use
	make  func(*App) fyne.CanvasObject
}

// screens is the navigation column, in order. To add a screen, write
// screen_<name>.go with a constructor func(*App) fyne.CanvasObject and put
// one line here (or replace a placeholder's constructor).
var screens = []screen{
	{"我的待办", theme.IconNameList, newReviewInboxScreen},
	{"全部文件", theme.IconNameFolderOpen, newDocumentsScreen},
	{"征求意见", theme.IconNameMailCompose, newCommentsScreen},
	{"已发布", theme.IconNameConfirm, newPublishedScreen},
	{"设置", theme.IconNameSettings, newSettingsWithScreening},
}

// startScreen is shown when the window opens, before anyone logs in: the
// catalogue is where the work is.
const startScreen = "全部文件"

// placeholder is the content of a screen that a later issue will build: it
// says what will be there so nobody mistakes the empty screen for a fault.
func placeholder(title, text string) fyne.CanvasObject {
	h := widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	h.SizeName = theme.SizeNameSubHeadingText
	l := widget.NewLabel(text)
	l.Alignment = fyne.TextAlignCenter
	l.Wrapping = fyne.TextWrapWord
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(460, 160), container.NewVBox(h, l)))
}

// navigation is the screen column on the left and the stack that shows the
// selected screen.
type navigation struct {
	app   *App
	list  *widget.List
	stack *fyne.Container
	built map[string]fyne.CanvasObject
	cur   string
}

func newNavigation(a *App) *navigation {
	n := &navigation{app: a, stack: container.NewStack(), built: map[string]fyne.CanvasObject{}}
	n.list = widget.NewList(
		func() int { return len(screens) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.Icon(theme.IconNameList)), widget.NewLabel("我的待办"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(theme.Icon(screens[i].icon))
			row.Objects[1].(*widget.Label).SetText(screens[i].title)
		})
	n.list.OnSelected = func(i widget.ListItemID) { n.show(screens[i].title) }
	return n
}

// show makes the screen with the given title visible, building it on first
// use, and reports whether such a screen exists.
func (n *navigation) show(title string) bool {
	for i, s := range screens {
		if s.title != title {
			continue
		}
		obj, ok := n.built[title]
		if !ok {
			obj = s.make(n.app)
			n.built[title] = obj
		}
		n.cur = title
		n.stack.Objects = []fyne.CanvasObject{obj}
		n.stack.Refresh()
		n.list.Select(i) // no loop: List does not call OnSelected for the selected row
		return true
	}
	return false
}

// ShowScreen switches the main window to the screen with the given title (as
// in the navigation column) and reports whether it exists.
func (a *App) ShowScreen(title string) bool { return a.nav.show(title) }
