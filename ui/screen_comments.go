package ui

import "fyne.io/fyne/v2"

// newCommentsScreen is 征求意见 until public comment is built.
func newCommentsScreen(*App) fyne.CanvasObject {
	return placeholder("征求意见", "这里将管理征求意见稿：征求意见期限、收到的意见逐条处理（采纳、部分采纳、不采纳及理由），并生成意见采纳情况说明。")
}
