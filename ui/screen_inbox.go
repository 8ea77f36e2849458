package ui

import "fyne.io/fyne/v2"

// newInboxScreen is 我的待办 until the review workflow is built.
func newInboxScreen(*App) fyne.CanvasObject {
	return placeholder("我的待办", "这里将列出等待您办理的事项：待保密审查、待合法性审核、待签发和退回修改的文件，并按办理时限排序。")
}
