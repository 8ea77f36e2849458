package ui

import "fyne.io/fyne/v2"

// newPublishedScreen is 已发布 until publication records are built.
func newPublishedScreen(*App) fyne.CanvasObject {
	return placeholder("已发布", "这里将列出已发布的文件及其发布日期、网址和有效性（有效、已修订、已废止、失效），并可导出和核验发布包。")
}
