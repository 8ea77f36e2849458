package calendar

import (
	"sync"
	"time"
)

// Calendar tells working days from days off: the yearly notices' days off
// and make-up working days, then the administrator's overrides, and
// otherwise Monday to Friday. A Calendar is not changed after New, so one
// value may be shared by goroutines.
type Calendar struct {
	days    map[Date]Override
	notices map[int]Notice
}

// New returns the calendar of data with the administrator's overrides
// applied on top; an override wins over data, and a later override over an
// earlier one for the same date.
func New(data Data, overrides ...Override) *Calendar {
	c := &Calendar{days: map[Date]Override{}, notices: map[int]Notice{}}
	for _, n := range data.Notices {
		c.notices[n.Year] = n
	}
	for _, o := range data.Days {
		c.days[o.Date] = o
	}
	for _, o := range overrides {
		c.days[o.Date] = o
	}
	return c
}

// Default returns the calendar of the shipped notices without overrides.
// It is built once: a Calendar never changes, so all callers can share it.
func Default() *Calendar { return defaultCalendar() }

var defaultCalendar = sync.OnceValue(func() *Calendar { return New(shipped) })

// IsWorkday reports whether d is a working day: a make-up working day is one
// even on a Saturday or Sunday, a listed holiday is not, and any other day is
// one from Monday to Friday.
func (c *Calendar) IsWorkday(d Date) bool {
	if o, ok := c.days[d]; ok {
		return !o.Off
	}
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Day returns the entry for d if the notices or the administrator list it,
// for showing why a day is off (国庆节) or worked (国庆节调休).
func (c *Calendar) Day(d Date) (Override, bool) {
	o, ok := c.days[d]
	return o, ok
}

// AddWorkdays returns the date n working days after d. The day d itself does
// not count, whatever it is, which is how "within 15 working days of
// arrival" reads: a draft arriving on Monday 2024-09-30 is due n working days
// later, counting from the next day. A negative n counts back. n = 0 gives d.
func (c *Calendar) AddWorkdays(d Date, n int) Date {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		d = d.AddDays(step)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// WorkdaysBetween returns the number of working days after a up to and
// including b, so that WorkdaysBetween(a, c.AddWorkdays(a, n)) == n. It is
// negative when b is before a.
func (c *Calendar) WorkdaysBetween(a, b Date) int {
	if b.Before(a) {
		return -c.WorkdaysBetween(b, a)
	}
	n := 0
	for d := a.AddDays(1); !d.After(b); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

// Covered reports whether the notice for year has been entered. Without it
// the calendar can only count ordinary weeks, and a deadline in that year may
// be off by the whole length of a holiday: callers should say so.
func (c *Calendar) Covered(year int) bool {
	_, ok := c.notices[year]
	return ok
}

// Notice returns the entered notice for year, for showing the source.
func (c *Calendar) Notice(year int) (Notice, bool) {
	n, ok := c.notices[year]
	return n, ok
}

// Uncovered returns the years from a to b (in either order) whose notice is
// missing, so that a deadline computed across them can carry a warning; nil
// when every year is covered.
func (c *Calendar) Uncovered(a, b Date) []int {
	if b.Before(a) {
		a, b = b, a
	}
	var out []int
	for y := a.Year(); y <= b.Year(); y++ {
		if !c.Covered(y) {
			out = append(out, y)
		}
	}
	return out
}

// Data returns the calendar's notices and days, overrides applied, in the
// data file format's terms, for the administrator's screen.
func (c *Calendar) Data() Data {
	var d Data
	for _, n := range c.notices {
		d.Notices = append(d.Notices, n)
	}
	for _, o := range c.days {
		d.Days = append(d.Days, o)
	}
	d.sort()
	return d
}
