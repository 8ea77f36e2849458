package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"qianfa/review"
	"qianfa/review/calendar"
)

// firstCalendarYear is the first year whose notice ships with the program.
const firstCalendarYear = 2019

// The override kinds as the radio group names them.
const (
	kindOff  = "休息日"
	kindWork = "工作日"
)

// calendarDay is one listed day of the shown year.
type calendarDay struct {
	calendar.Override
	Admin bool // the administrator's correction, not (only) the notice
}

// calendarSettings is the 节假日安排 tab: a year's days off and make-up
// working days as the deadlines count them, the administrator's
// corrections marked, and adding or removing a correction. It says plainly
// when a year's notice is missing, since deadlines in that year may then be
// off by a whole holiday.
type calendarSettings struct {
	app  *App
	year int
	days []calendarDay
	sel  int

	years   *widget.Select
	notice  *widget.Label
	list    *widget.List
	editor  *fyne.Container // administrator only
	date    *widget.Entry
	kind    *widget.RadioGroup
	note    *widget.Entry
	add     *widget.Button
	remove  *widget.Button
	status  *widget.Label
	content fyne.CanvasObject
}

func newCalendarSettings(a *App) *calendarSettings {
	c := &calendarSettings{app: a, sel: -1}
	this := calendar.FromTime(c.now()).Year()
	var opts []string
	for y := firstCalendarYear; y <= this+1; y++ {
		opts = append(opts, yearOption(y))
	}
	c.years = widget.NewSelect(opts, func(s string) {
		if y, err := strconv.Atoi(strings.TrimSuffix(s, "年")); err == nil && y != c.year {
			c.year = y
			c.reload()
		}
	})
	c.notice = wrapLabel("")
	c.list = widget.NewList(func() int { return len(c.days) }, func() fyne.CanvasObject {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}, func(i widget.ListItemID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		l.Importance = widget.MediumImportance
		if c.days[i].Admin {
			l.Importance = widget.HighImportance
		}
		l.SetText(dayLine(c.days[i]))
	})
	c.list.OnSelected = func(i widget.ListItemID) { c.sel = i; c.sync() }
	c.list.OnUnselected = func(widget.ListItemID) { c.sel = -1; c.sync() }

	c.date = widget.NewEntry()
	c.date.SetPlaceHolder("如 2027-10-01")
	c.kind = widget.NewRadioGroup([]string{kindOff, kindWork}, nil)
	c.kind.Horizontal = true
	c.kind.SetSelected(kindOff)
	c.note = widget.NewEntry()
	c.note.SetPlaceHolder("如：国庆节、国庆节调休")
	c.add = widget.NewButtonWithIcon("添加调整", theme.Icon(theme.IconNameContentAdd), c.addOverride)
	c.add.Importance = widget.HighImportance
	c.remove = widget.NewButtonWithIcon("撤销所选调整", theme.Icon(theme.IconNameContentUndo), c.removeOverride)
	c.status = newStatusLabel()

	intro := wrapLabel("办理时限按工作日计算：国务院办公厅每年《关于部分节假日安排的通知》所列放假日不计，调休上班日计入，其余周一至周五为工作日。" +
		"管理员可逐日调整（例如通知发布后、程序更新前录入下一年的安排），调整优先于通知。")
	form := widget.NewForm(widget.NewFormItem("日期", c.date), widget.NewFormItem("设为", c.kind), widget.NewFormItem("备注", c.note))
	c.editor = container.NewVBox(widget.NewSeparator(), bold("管理员调整"), form, container.NewHBox(c.add, c.remove))
	top := container.NewVBox(intro, container.NewHBox(widget.NewLabel("年份"), c.years), c.notice)
	c.content = container.NewBorder(top, container.NewVBox(c.editor, c.status), nil, nil, c.list)
	a.OnCurrentUserChanged(func(*review.User) { c.sync() })
	c.sync()
	c.years.SetSelected(yearOption(this)) // loads the year
	return c
}

func yearOption(y int) string { return strconv.Itoa(y) + "年" }

func (c *calendarSettings) now() time.Time {
	if n := c.app.svc.Review.Now; n != nil {
		return n()
	}
	return time.Now()
}

var weekdays = [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}

// dayLine is how a listed day reads: 2024-10-01 周二 休 国庆节.
func dayLine(d calendarDay) string {
	kind := "班（调休上班）"
	if d.Off {
		kind = "休"
	}
	s := fmt.Sprintf("%s %s　%s　%s", d.Date, weekdays[d.Date.Weekday()], kind, d.Note)
	if d.Admin {
		s += "　【管理员调整】"
	}
	return s
}

// reload reads the calendar and the administrator's corrections and shows
// the selected year.
func (c *calendarSettings) reload() {
	svc, year := c.app.svc.Review, c.year
	var cal *calendar.Calendar
	var overrides []calendar.Override
	c.app.Background(func(ctx context.Context) (err error) {
		if overrides, err = svc.Store.CalendarOverrides(ctx); err != nil {
			return err
		}
		// The same calendar the deadlines use: shipped notices, then overrides.
		cal = calendar.New(calendar.Shipped(), overrides...)
		return nil
	}, func(err error) {
		if err != nil {
			c.app.ShowError(err)
			return
		}
		if year != c.year {
			return // another year was picked meanwhile
		}
		admin := map[calendar.Date]bool{}
		for _, o := range overrides {
			admin[o.Date] = true
		}
		c.days = c.days[:0]
		for _, o := range cal.Data().Days {
			if o.Date.Year() == year {
				c.days = append(c.days, calendarDay{Override: o, Admin: admin[o.Date]})
			}
		}
		if n, ok := cal.Notice(year); ok {
			c.notice.Importance = widget.MediumImportance
			c.notice.SetText(fmt.Sprintf("%d 年依据：%s。", year, n.Source))
		} else {
			c.notice.Importance = widget.WarningImportance
			c.notice.SetText(fmt.Sprintf("%d 年的国务院办公厅节假日安排通知尚未录入：该年暂按周一至周五为工作日计算，"+
				"涉及该年的办理时限可能相差整个假期。通知发布后，请管理员在下方逐日录入放假日和调休上班日。", year))
		}
		c.sel = -1
		c.list.UnselectAll()
		c.list.Refresh()
		c.sync()
	})
}

func (c *calendarSettings) sync() {
	if !c.app.isAdmin() {
		c.editor.Hide()
		return
	}
	c.editor.Show()
	setEnabled(c.remove, c.sel >= 0 && c.sel < len(c.days) && c.days[c.sel].Admin)
}

// change runs an administrator's correction off the UI goroutine, then
// reports and reloads; done, when not nil, runs only if it succeeded.
func (c *calendarSettings) change(work func(ctx context.Context, actor string) error, msg string, done func()) {
	actor := loginOf(c.app.CurrentUser())
	c.app.Background(func(ctx context.Context) error { return work(ctx, actor) }, func(err error) {
		if err != nil {
			report(c.status, review.ErrorMessage(err), true)
			return
		}
		report(c.status, msg, false)
		if done != nil {
			done()
		}
		c.reload()
	})
}

func (c *calendarSettings) addOverride() {
	d, err := calendar.Parse(strings.TrimSpace(c.date.Text))
	if err != nil {
		report(c.status, review.ErrorMessage(err), true)
		return
	}
	o := calendar.Override{Date: d, Off: c.kind.Selected == kindOff, Note: strings.TrimSpace(c.note.Text)}
	if err := o.Validate(); err != nil {
		report(c.status, review.ErrorMessage(err), true)
		return
	}
	kind := kindWork
	if o.Off {
		kind = kindOff
	}
	if opt := yearOption(d.Year()); d.Year() != c.year && slices.Contains(c.years.Options, opt) {
		// Show the year the correction went into, so it can be seen.
		c.year = d.Year()
		c.years.SetSelected(opt)
	}
	svc := c.app.svc.Review
	c.change(func(ctx context.Context, actor string) error {
		return svc.SetCalendarOverride(ctx, actor, o)
	}, fmt.Sprintf("已将 %s 设为%s。", d, kind), func() {
		// Cleared only now: a refused correction stays in the form.
		c.date.SetText("")
		c.note.SetText("")
	})
}

func (c *calendarSettings) removeOverride() {
	if c.sel < 0 || c.sel >= len(c.days) || !c.days[c.sel].Admin {
		return
	}
	d, svc := c.days[c.sel].Date, c.app.svc.Review
	c.change(func(ctx context.Context, actor string) error {
		return svc.RemoveCalendarOverride(ctx, actor, d)
	}, fmt.Sprintf("已撤销 %s 的调整，恢复为通知的安排。", d), nil)
}
