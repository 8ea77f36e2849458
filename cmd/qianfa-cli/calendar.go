package main

import (
	"flag"
	"fmt"
	"strconv"
	"time"

	"qianfa/review/calendar"
)

func init() {
	register(&command{name: "calendar list", usage: "[YEAR]", summary: "列出某年的节假日和调休上班日（含管理员调整）", run: runCalendarList})
	register(&command{name: "calendar set", usage: "DATE --off|--work [--note 备注]", summary: "管理员调整某日为休息日或工作日", run: runCalendarSet})
	register(&command{name: "calendar unset", usage: "DATE", summary: "管理员撤销对某日的调整，恢复官方安排", run: runCalendarUnset})
}

func runCalendarList(c *cli, args []string) error {
	fs := flag.NewFlagSet("calendar list", flag.ContinueOnError)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	year := calendar.FromTime(time.Now()).Year()
	switch len(pos) {
	case 0:
	case 1:
		if year, err = strconv.Atoi(pos[0]); err != nil || year < 1949 || year > 2100 {
			return usagef("年份“%s”无效", pos[0])
		}
	default:
		return usagef("最多给出一个年份")
	}
	svc, err := c.service()
	if err != nil {
		return err
	}
	cal, err := svc.Calendar(c.ctx)
	if err != nil {
		return err
	}
	overrides, err := svc.Store.CalendarOverrides(c.ctx)
	if err != nil {
		return err
	}
	admin := map[calendar.Date]bool{}
	for _, o := range overrides {
		admin[o.Date] = true
	}
	if n, ok := cal.Notice(year); ok {
		fmt.Fprintf(c.stdout, "%d 年：%s\n", year, n.Source)
	} else {
		fmt.Fprintf(c.stdout, "%d 年：尚未录入国务院办公厅节假日安排通知，工作日按周一至周五计算，时限可能不准。\n", year)
	}
	for _, o := range cal.Data().Days {
		if o.Date.Year() != year {
			continue
		}
		kind := "班"
		if o.Off {
			kind = "休"
		}
		mark := ""
		if admin[o.Date] {
			mark = "（管理员调整）"
		}
		fmt.Fprintf(c.stdout, "%s %s %s %s%s\n", o.Date, weekday(o.Date.Weekday()), kind, o.Note, mark)
	}
	return nil
}

func weekday(w time.Weekday) string {
	return [...]string{"周日", "周一", "周二", "周三", "周四", "周五", "周六"}[w]
}

func runCalendarSet(c *cli, args []string) error {
	fs := flag.NewFlagSet("calendar set", flag.ContinueOnError)
	off := fs.Bool("off", false, "设为休息日")
	work := fs.Bool("work", false, "设为工作日（如调休上班）")
	note := fs.String("note", "", "备注，如“国庆节调休”")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("请给出一个日期，如 2027-10-01")
	}
	if *off == *work {
		return usagef("请在 --off（休息日）与 --work（工作日）中选择一个")
	}
	d, err := calendar.Parse(pos[0])
	if err != nil {
		return err
	}
	svc, actor, err := c.admin()
	if err != nil {
		return err
	}
	if err := svc.SetCalendarOverride(c.ctx, actor, calendar.Override{Date: d, Off: *off, Note: *note}); err != nil {
		return c.withUserHint(svc, err)
	}
	kind := "工作日"
	if *off {
		kind = "休息日"
	}
	fmt.Fprintf(c.stdout, "已将 %s 设为%s\n", d, kind)
	return nil
}

func runCalendarUnset(c *cli, args []string) error {
	fs := flag.NewFlagSet("calendar unset", flag.ContinueOnError)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("请给出一个日期")
	}
	d, err := calendar.Parse(pos[0])
	if err != nil {
		return err
	}
	svc, actor, err := c.admin()
	if err != nil {
		return err
	}
	if err := svc.RemoveCalendarOverride(c.ctx, actor, d); err != nil {
		return c.withUserHint(svc, err)
	}
	fmt.Fprintf(c.stdout, "已撤销 %s 的调整\n", d)
	return nil
}
