package ui

import "fyne.io/fyne/v2"

// newDocumentsScreen is 全部文件: the catalogue with search, filters and the
// detail pane. The App keeps the browser so that ShowDocument and the import
// flow can reach it.
func newDocumentsScreen(a *App) fyne.CanvasObject {
	if a.browser == nil {
		a.browser = newDocBrowser(a)
	}
	return a.browser
}

// ShowDocument switches to 全部文件 and shows the document with the given ID
// in the detail pane, for screens that link to a document.
func (a *App) ShowDocument(id int64) {
	a.ShowScreen("全部文件")
	a.browser.showDocument(id)
}
