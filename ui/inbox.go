package ui

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/workflow"
)

// inboxScreen is 我的待办: what waits for the logged-in user's roles,
// oldest deadline first, overdue in red and due within three working days
// in amber, with the selected item's summary and actions beside it.
type inboxScreen struct {
	widget.BaseWidget
	app   *App
	items []workflow.InboxItem
	gen   int // bumped per load; a stale answer is dropped

	heading *widget.Label
	list    *widget.List
	pane    *reviewPane
	body    *fyne.Container
}

// newReviewInboxScreen builds 我的待办.
func newReviewInboxScreen(a *App) fyne.CanvasObject {
	if a.svc.Review == nil {
		return placeholder("我的待办", "审查流程未启用：工作区没有用户口令与签名密钥。")
	}
	s := &inboxScreen{app: a}
	s.ExtendBaseWidget(s)
	s.heading = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.list = widget.NewList(func() int { return len(s.items) }, newInboxRow, s.updateRow)
	s.list.OnSelected = func(i widget.ListItemID) {
		if i >= 0 && i < len(s.items) {
			s.pane.load(s.items[i])
		}
	}
	s.pane = newReviewPane(a, s.reload)
	refresh := widget.NewButtonWithIcon("刷新", theme.Icon(theme.IconNameViewRefresh), s.reload)
	left := container.NewBorder(container.NewBorder(nil, nil, nil, refresh, s.heading), nil, nil, nil, s.list)
	split := container.NewHSplit(left, s.pane)
	split.Offset = 0.42
	s.body = container.NewStack(split)
	a.OnCurrentUserChanged(func(*review.User) { s.reload() })
	a.OnDocumentsChanged(s.reload)
	s.reload()
	return s
}

// CreateRenderer implements fyne.Widget.
func (s *inboxScreen) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(s.body)
}

// today is the office's date by the workflow's clock, so tests can fix it.
func (a *App) today() calendar.Date {
	if a.svc.Review != nil && a.svc.Review.Now != nil {
		return calendar.FromTime(a.svc.Review.Now())
	}
	return calendar.FromTime(time.Now())
}

// reload lists the current user's items again.
func (s *inboxScreen) reload() {
	u := s.app.CurrentUser()
	s.gen++
	gen := s.gen
	if u == nil {
		s.items = nil
		s.heading.SetText("请先登录")
		s.list.Refresh()
		s.pane.clear()
		return
	}
	var items []workflow.InboxItem
	today := s.app.today()
	s.app.Background(func(ctx context.Context) (err error) {
		items, err = s.app.svc.Review.Inbox(ctx, u, today)
		return err
	}, func(err error) {
		if gen != s.gen {
			return
		}
		if err != nil {
			s.app.ShowError(err)
			return
		}
		s.items = items
		if len(items) == 0 {
			s.heading.SetText(fmt.Sprintf("%s：暂无待办", u.Label()))
		} else {
			s.heading.SetText(fmt.Sprintf("%s：待办 %d 件（时限早的在前）", u.Label(), len(items)))
		}
		s.list.UnselectAll()
		s.list.Refresh()
		s.pane.clear()
		if len(items) > 0 {
			// The most urgent item is the likely next task: show it at once.
			s.list.Select(0)
		}
	})
}

// newInboxRow is a row template: what to do and the title on the first
// line, the 索引号, deadline and any warning on the second.
func newInboxRow() fyne.CanvasObject {
	action := widget.NewLabelWithStyle("保密审查", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title := widget.NewLabel("标题")
	title.Truncation = fyne.TextTruncateEllipsis
	due := widget.NewLabel("时限")
	due.SizeName = theme.SizeNameCaptionText
	meta := widget.NewLabel("索引号")
	meta.SizeName = theme.SizeNameCaptionText
	meta.Truncation = fyne.TextTruncateEllipsis
	return container.NewVBox(
		container.NewBorder(nil, nil, action, nil, title),
		container.NewBorder(nil, nil, nil, due, meta))
}

func (s *inboxScreen) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(s.items) {
		return
	}
	it := s.items[i]
	rows := o.(*fyne.Container).Objects
	line1 := rows[0].(*fyne.Container).Objects
	line2 := rows[1].(*fyne.Container).Objects
	line1[0].(*widget.Label).SetText(it.Document.Meta.Title)
	line1[1].(*widget.Label).SetText(it.Action)
	meta := it.Document.IndexNo + " · " + string(it.Document.Meta.Kind)
	if it.Warning != "" {
		meta += " · " + it.Warning
	}
	line2[0].(*widget.Label).SetText(meta)
	due := line2[1].(*widget.Label)
	due.SetText(dueText(it))
	due.Importance = urgencyImportance(it.Urgency)
	due.Refresh()
}

// dueText says when an item is due and which limit that is.
func dueText(it workflow.InboxItem) string {
	if it.Due.IsZero() {
		return "无法定时限"
	}
	s := fmt.Sprintf("%s 前（%s）", it.Due.Chinese(), it.DueWhat)
	if it.Urgency != calendar.OnTime {
		s = it.Urgency.String() + " · " + s
	}
	return s
}

// urgencyImportance colours a deadline: red overdue, amber due soon.
func urgencyImportance(u calendar.Urgency) widget.Importance {
	switch u {
	case calendar.Overdue:
		return widget.DangerImportance
	case calendar.DueSoon:
		return widget.WarningImportance
	}
	return widget.MediumImportance
}
