package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
)

// settingsTitle is the screen's name in the navigation column.
const settingsTitle = "设置"

// The tabs of 设置, besides the keyword lists (tabKeywords).
const (
	tabUsers    = "用户与角色"
	tabKeys     = "我的签名密钥"
	tabCalendar = "节假日安排"
	tabOffice   = "机构与索引号"
)

// newSettingsTabs builds 设置: what the administrator maintains (users and
// roles, the holiday calendar, the office and its 索引号 pattern) and what
// every user maintains for themselves (their signing key). Everyone sees
// every tab, read-only where they may not change it, so that a reviewer can
// check which calendar their deadlines follow. keywords, when not nil, is
// screening's tab, placed among the administrator's lists.
func newSettingsTabs(a *App, keywords *container.TabItem) *container.AppTabs {
	var items []*container.TabItem
	if a.svc.Review == nil {
		// Without the workflow there are no accounts, keys or deadlines to
		// administer; only the office settings remain.
		items = append(items, container.NewTabItem(tabUsers,
			placeholder(tabUsers, "未启用审查流程：没有用户账户、签名密钥和办理时限可管理。")))
	} else {
		items = append(items,
			container.NewTabItem(tabUsers, newUserSettings(a).content),
			container.NewTabItem(tabKeys, newKeySettings(a).content))
	}
	if keywords != nil {
		items = append(items, keywords)
	}
	if a.svc.Review != nil {
		items = append(items, container.NewTabItem(tabCalendar, newCalendarSettings(a).content))
	}
	if a.svc.Settings != nil {
		items = append(items, container.NewTabItem(tabOffice, newOfficeSettings(a).content))
	}
	return container.NewAppTabs(items...)
}

// isAdmin reports whether the user at the desk is an active administrator.
// Tabs use it to show or hide what only the administrator may change; the
// workflow service checks again on every change.
func (a *App) isAdmin() bool { return a.CurrentUser().Has(review.RoleAdmin) }

// newStatusLabel is a tab's one-line report of the last action.
func newStatusLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	return l
}

// report shows msg in l, in red when it is a refusal.
func report(l *widget.Label, msg string, failed bool) {
	l.Importance = widget.MediumImportance
	if failed {
		l.Importance = widget.DangerImportance
	}
	l.SetText(msg)
}

// bold is a section heading inside a tab.
func bold(s string) *widget.Label {
	return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}
