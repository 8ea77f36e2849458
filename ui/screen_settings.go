package ui

import "fyne.io/fyne/v2"

// newSettingsScreen is 设置 until administration is built.
func newSettingsScreen(*App) fyne.CanvasObject {
	return placeholder("设置", "这里将由管理员维护用户与角色、签名密钥、敏感词表、索引号规则和节假日安排。")
}
