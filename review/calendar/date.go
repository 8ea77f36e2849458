package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"qianfa/review"
)

// Date is a civil date in the office's calendar: a year, a month and a day,
// with no time of day and no time zone. Dates compare with == and may be used
// as map keys. The zero Date means "not set".
type Date struct {
	// Kept unexported so that every Date is a real day: 2024-02-30 cannot be
	// built, only normalised by DateOf or refused by Parse.
	year  int
	month time.Month
	day   int
}

// DateOf returns the date for year, month and day, normalising out-of-range
// values the way time.Date does (October 32 becomes November 1).
func DateOf(year int, month time.Month, day int) Date {
	return fromUTC(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// fromUTC reads the date of a time that is known to be in UTC; all date
// arithmetic goes through UTC because UTC has no daylight-saving gaps.
func fromUTC(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// utc is the date's midnight in UTC, the basis of arithmetic.
func (d Date) utc() time.Time {
	return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, time.UTC)
}

// officeZone is Asia/Shanghai. If the system has no tzdata (a bare Windows
// desk), fixed UTC+8 is exact for every date this tool deals with: China has
// not observed daylight saving time since 1991.
var officeZone = func() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*60*60)
}()

// Location returns the office's time zone, Asia/Shanghai.
func Location() *time.Location { return officeZone }

// FromTime returns the date of t in the office's zone, so that a decision
// recorded at 2024-09-30 23:30 Beijing time counts from September 30 even on
// a computer set to UTC.
func FromTime(t time.Time) Date {
	y, m, d := t.In(officeZone).Date()
	return Date{y, m, d}
}

// Time returns the start of the day in the office's zone.
func (d Date) Time() time.Time {
	return time.Date(d.year, d.month, d.day, 0, 0, 0, 0, officeZone)
}

// Parse reads a date written as 2024-10-01 (single-digit months and days are
// accepted: 2024-10-1) or as in an official document, 2024年10月1日.
func Parse(s string) (Date, error) {
	s = strings.TrimSpace(s)
	var parts []string
	if rest, ok := strings.CutSuffix(s, "日"); ok {
		y, rest, ok1 := strings.Cut(rest, "年")
		m, d, ok2 := strings.Cut(rest, "月")
		if ok1 && ok2 {
			parts = []string{y, m, d}
		}
	} else {
		parts = strings.Split(s, "-")
	}
	if len(parts) != 3 || !digits(parts[0], 4, 4) || !digits(parts[1], 1, 2) || !digits(parts[2], 1, 2) {
		return Date{}, review.Errorf(review.EINVALID, "日期“%s”格式不正确，应写作 2024-10-01 或 2024年10月1日。", s)
	}
	// Only ASCII digits got this far, so the conversions cannot fail.
	y, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	d, _ := strconv.Atoi(parts[2])
	date := DateOf(y, time.Month(m), d)
	if date.year != y || int(date.month) != m || date.day != d {
		return Date{}, review.Errorf(review.EINVALID, "日期“%s”不存在（%d年%d月没有%d日）。", s, y, m, d)
	}
	return date, nil
}

// digits reports whether s is between min and max ASCII digits long.
func digits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// MustParse is Parse for dates known to be valid, such as constants in tests
// and data; it panics on a bad date.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Year returns the year.
func (d Date) Year() int { return d.year }

// Month returns the month.
func (d Date) Month() time.Month { return d.month }

// Day returns the day of the month.
func (d Date) Day() int { return d.day }

// IsZero reports whether d is the zero Date, meaning "not set".
func (d Date) IsZero() bool { return d == Date{} }

// String returns the date as 2024-10-01, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.year, int(d.month), d.day)
}

// Chinese returns the date as written in official documents, 2024年10月1日.
func (d Date) Chinese() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%d年%d月%d日", d.year, int(d.month), d.day)
}

// AddDays returns the date n calendar days after d (before it if n < 0).
func (d Date) AddDays(n int) Date { return fromUTC(d.utc().AddDate(0, 0, n)) }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// Equal reports whether d and e are the same day; d == e says the same.
func (d Date) Equal(e Date) bool { return d == e }

// Compare returns -1, 0 or +1 as d is before, equal to or after e, for
// slices.SortFunc and the like.
func (d Date) Compare(e Date) int {
	switch {
	case d.year != e.year:
		return cmpInt(d.year, e.year)
	case d.month != e.month:
		return cmpInt(int(d.month), int(e.month))
	}
	return cmpInt(d.day, e.day)
}

func cmpInt(a, b int) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DaysBetween returns the number of calendar days from a to b: 1 from a day
// to the next, negative when b is before a.
func DaysBetween(a, b Date) int {
	// Both are UTC midnights, so the difference is a whole number of days;
	// Unix seconds rather than Sub, whose Duration overflows past 292 years.
	return int((b.utc().Unix() - a.utc().Unix()) / (24 * 60 * 60))
}

// MarshalText writes the date as 2024-10-01, so that JSON, CSV and map keys
// all carry the same plain form; the zero Date is written as "".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads what MarshalText writes; "" gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}
