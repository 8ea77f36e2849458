package ui

import (
	"qianfa/review"
)

// Start is what the main window shows first. The zero Start is the usual
// start (the login, then 我的待办); scripts, demonstrations and the
// screenshots in docs/ use the others to land on a screen or on a view of
// one document.
type Start struct {
	View       string // one of StartViews; "" for the usual start
	Document   int64  // the document, for every view but comments
	ExportTo   string // for export: the folder the package goes to
	Passphrase string // for export: the logged-in clerk's passphrase
}

// The views a window can start on, as cmd/qianfa's --view flag spells them.
const (
	StartDocuments = "documents" // 全部文件, with the document selected if one is given
	StartComments  = "comments"  // the 征求意见 screen
	StartSettings  = "settings"  // the 设置 screen
	StartScreening = "screening" // a document's 保密筛查 tab
	StartExport    = "export"    // a document's export, result on screen
)

// StartViews lists every view Start accepts.
var StartViews = []string{StartDocuments, CompareViewSideBySide, CompareViewInline, CompareViewTable, StartScreening, StartComments, StartSettings, StartExport}

// Validate says in Chinese what is wrong with a start.
func (s Start) Validate() error {
	switch s.View {
	case "":
		return nil
	case StartComments, StartDocuments, StartSettings:
		return nil
	case CompareViewSideBySide, CompareViewInline, CompareViewTable, StartScreening, StartExport:
		if s.Document <= 0 {
			return review.Errorf(review.EINVALID, "视图“%s”须指明文件编号。", s.View)
		}
		if s.View == StartExport && s.ExportTo == "" {
			return review.Errorf(review.EINVALID, "导出须指明目录。")
		}
		return nil
	}
	return review.Errorf(review.EINVALID, "未知的视图“%s”。", s.View)
}

// startAt shows s. Logging in opens 我的待办, so a view inside the main
// window is shown again once, after the first login.
func (a *App) startAt(s Start) {
	switch s.View {
	case "":
		return
	case CompareViewSideBySide, CompareViewInline, CompareViewTable:
		a.ShowCompare(s.Document, s.View) // a window of its own
		return
	case StartExport:
		a.exportAtStart(s.Document, s.ExportTo, s.Passphrase)
		return
	}
	show := func() {
		switch {
		case s.View == StartComments:
			a.ShowScreen(commentsTitle)
		case s.View == StartSettings:
			a.ShowScreen(settingsTitle)
		case s.View == StartScreening:
			a.ShowScreening(s.Document)
		case s.Document > 0:
			a.ShowDocument(s.Document)
		default:
			a.ShowScreen(startScreen)
		}
	}
	show()
	again := true
	a.OnCurrentUserChanged(func(*review.User) {
		if again {
			again = false
			a.do(show)
		}
	})
}
