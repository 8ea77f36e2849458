package calendar_test

import (
	"slices"
	"testing"
	"time"

	"qianfa/review/calendar"
)

func TestAddWorkdays_SkipsHolidaysAndCountsMakeupDays(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		name  string
		from  string
		n     int
		want  string
		since string // why, for the reader
	}{
		{"2024 国庆 eve to first day back", "2024-09-30", 1, "2024-10-08", "10.1–10.7 off"},
		{"2024 Friday before 国庆 to make-up Sunday", "2024-09-27", 1, "2024-09-29", "9.28 Sat off, 9.29 Sun worked"},
		{"2024 make-up Sunday to Monday", "2024-09-29", 1, "2024-09-30", ""},
		{"2024 after 国庆 to make-up Saturday", "2024-10-08", 4, "2024-10-12", "10.12 Sat worked"},
		{"2019 国庆", "2019-09-30", 1, "2019-10-08", ""},
		{"2023 中秋国庆 to make-up Saturday", "2023-09-28", 1, "2023-10-07", "9.29–10.6 off, 10.7 Sat worked"},
		{"2026 Friday to 国庆 make-up Sunday", "2026-09-18", 1, "2026-09-20", "9.20 Sun worked"},
		{"2026 国庆 eve", "2026-09-30", 1, "2026-10-08", ""},
		{"2026 after 国庆 to make-up Saturday", "2026-10-09", 1, "2026-10-10", ""},
		{"2025 春节 make-up Sunday before", "2025-01-24", 1, "2025-01-26", "1.26 Sun worked"},
		{"2025 春节 make-up Sunday to Monday", "2025-01-26", 1, "2025-01-27", ""},
		{"2025 春节 eight days off", "2025-01-27", 1, "2025-02-05", "1.28–2.4 off"},
		{"2025 春节 make-up Saturday after", "2025-02-07", 1, "2025-02-08", ""},
		{"2021 春节 make-up Sunday before", "2021-02-05", 1, "2021-02-07", ""},
		{"2021 春节", "2021-02-10", 1, "2021-02-18", "2.11–2.17 off"},
		{"2026 春节 make-up Saturday before", "2026-02-13", 1, "2026-02-14", ""},
		{"2026 春节 nine days off", "2026-02-14", 1, "2026-02-24", "2.15–2.23 off"},
		{"2020 春节 per the notice", "2020-01-23", 1, "2020-01-31", "the extension to 2.2 is not in the notice"},
		{"元旦 across the year end", "2022-12-30", 1, "2023-01-03", "12.31–1.2 off"},
		{"ordinary weekend", "2024-11-01", 1, "2024-11-04", ""},
		{"zero days", "2024-10-03", 0, "2024-10-03", "the start counts as is, even a holiday"},
		{"starting on a holiday", "2024-10-01", 7, "2024-10-15", ""},
		{"backwards over 国庆", "2024-10-08", -1, "2024-09-30", ""},
		{"backwards to make-up Sunday", "2024-09-30", -1, "2024-09-29", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.AddWorkdays(d(tt.from), tt.n); got != d(tt.want) {
				t.Errorf("AddWorkdays(%s, %d) = %s, want %s %s", tt.from, tt.n, got, tt.want, tt.since)
			}
			if tt.n > 0 {
				if back := cal.WorkdaysBetween(d(tt.from), d(tt.want)); back != tt.n {
					t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.from, tt.want, back, tt.n)
				}
			}
		})
	}
}

func TestWorkdaysBetween_CountsAfterFirstUpToLast(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		a, b string
		want int
	}{
		{"2024-09-30", "2024-09-30", 0},
		{"2024-09-30", "2024-10-07", 0},  // the whole of 国庆
		{"2024-09-27", "2024-10-12", 7},  // 9.29, 9.30, 10.8–10.11, 10.12
		{"2024-10-12", "2024-09-27", -7}, // backwards
		// 2024 has 262 Mondays-to-Fridays; the notice takes 19 of them off
		// and adds 8 make-up weekend days: 11 statutory days net. 1.1 is
		// not counted, being the first day.
		{"2024-01-01", "2024-12-31", 251},
	}
	for _, tt := range tests {
		if got := cal.WorkdaysBetween(d(tt.a), d(tt.b)); got != tt.want {
			t.Errorf("WorkdaysBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestIsWorkday_MakeupWeekendsWorkHolidaysRest(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		date string
		want bool
	}{
		{"2024-10-01", false}, // 国庆 Tuesday
		{"2024-10-07", false}, // 国庆 Monday
		{"2024-09-29", true},  // make-up Sunday
		{"2024-10-12", true},  // make-up Saturday
		{"2024-10-13", false}, // ordinary Sunday
		{"2024-10-14", true},  // ordinary Monday
		{"2024-02-09", true},  // 除夕 2024: only "encouraged" off, not in the notice
		{"2025-01-28", false}, // 除夕 2025: a public holiday from 2025
		{"2026-02-28", true},  // make-up Saturday after 春节 2026
		{"2027-10-01", true},  // no notice for 2027: an ordinary Friday
	}
	for _, tt := range tests {
		if got := cal.IsWorkday(d(tt.date)); got != tt.want {
			t.Errorf("IsWorkday(%s) = %v, want %v", tt.date, got, tt.want)
		}
	}
}

func TestNew_AdministratorOverridesWin(t *testing.T) {
	cal := calendar.New(calendar.Shipped(),
		calendar.Override{Date: d("2024-10-08"), Off: true, Note: "台风停工"},
		calendar.Override{Date: d("2024-10-12"), Off: true, Note: "调休取消"},
		calendar.Override{Date: d("2024-10-07"), Off: false, Note: "first try"},
		calendar.Override{Date: d("2024-10-07"), Off: true, Note: "later override wins"},
		calendar.Override{Date: d("2024-11-02"), Off: false, Note: "加班的周六"},
	)
	if got := cal.AddWorkdays(d("2024-09-30"), 1); got != d("2024-10-09") {
		t.Errorf("with 10.8 off, first working day after 9.30 = %s, want 2024-10-09", got)
	}
	for date, want := range map[string]bool{"2024-10-12": false, "2024-10-07": false, "2024-11-02": true, "2024-10-01": false} {
		if got := cal.IsWorkday(d(date)); got != want {
			t.Errorf("IsWorkday(%s) = %v, want %v", date, got, want)
		}
	}
	if o, ok := cal.Day(d("2024-10-07")); !ok || o.Note != "later override wins" {
		t.Errorf("Day(2024-10-07) = %+v, %v", o, ok)
	}
	// The shipped calendar is untouched.
	if !calendar.Default().IsWorkday(d("2024-10-12")) {
		t.Error("overrides leaked into the default calendar")
	}
}

func TestCovered_ReportsYearsWithoutANotice(t *testing.T) {
	cal := calendar.Default()
	for y := 2019; y <= 2026; y++ {
		if !cal.Covered(y) {
			t.Errorf("Covered(%d) = false, want the shipped notice", y)
		}
		if n, ok := cal.Notice(y); !ok || n.Source == "" {
			t.Errorf("Notice(%d) has no source", y)
		}
	}
	for _, y := range []int{2018, 2027, 2030} {
		if cal.Covered(y) {
			t.Errorf("Covered(%d) = true, want false: no notice is shipped", y)
		}
	}
	if got := cal.Uncovered(d("2026-12-20"), d("2027-01-20")); !slices.Equal(got, []int{2027}) {
		t.Errorf("Uncovered across 2026/2027 = %v, want [2027]", got)
	}
	if got := cal.Uncovered(d("2025-01-20"), d("2024-09-01")); got != nil {
		t.Errorf("Uncovered(2025→2024) = %v, want none", got)
	}

	// The administrator enters the 2027 notice before a program update ships it.
	admin, err := calendar.ParseData(stringsReader("年度 2027 国务院办公厅关于2027年部分节假日安排的通知\n2027-10-01 休 国庆节\n"))
	if err != nil {
		t.Fatal(err)
	}
	cal = calendar.New(calendar.Shipped().Merge(admin))
	if !cal.Covered(2027) || cal.IsWorkday(d("2027-10-01")) || !cal.Covered(2024) {
		t.Error("merged 2027 notice not applied")
	}
}

func TestCalendar_DataShowsOverridesApplied(t *testing.T) {
	cal := calendar.New(calendar.Shipped(), calendar.Override{Date: d("2024-10-12"), Off: true, Note: "调休取消"})
	data := cal.Data()
	i := slices.IndexFunc(data.Days, func(o calendar.Override) bool { return o.Date == d("2024-10-12") })
	if i < 0 || !data.Days[i].Off {
		t.Fatalf("Data() lacks the override for 2024-10-12")
	}
	if len(data.Notices) != 8 || !slices.IsSortedFunc(data.Days, func(a, b calendar.Override) int { return a.Date.Compare(b.Date) }) {
		t.Errorf("Data(): %d notices, days sorted: %v", len(data.Notices), slices.IsSortedFunc(data.Days, func(a, b calendar.Override) int { return a.Date.Compare(b.Date) }))
	}
}

// Every make-up working day must fall on a weekend (a weekday needs no
// make-up), and per festival the weekdays taken off minus the weekend days
// worked must equal the statutory days off (《全国年节及纪念日放假办法》:
// 元旦 1, 春节 3 — 4 from 2025 with 除夕, 清明 1, 劳动节 1 — 2 from 2025, 端午 1,
// 中秋 1, 国庆 3), since a statutory day on a weekend is made up on a weekday.
func TestShippedData_IsConsistentWithTheStatutoryHolidays(t *testing.T) {
	statutory := func(year int, festival string) int {
		switch festival {
		case "春节":
			if year >= 2025 {
				return 4
			}
			return 3
		case "劳动节":
			if year >= 2025 {
				return 2
			}
			return 1
		case "国庆节":
			return 3
		case "国庆节、中秋节", "中秋节、国庆节":
			return 4
		case "元旦", "清明节", "端午节", "中秋节":
			return 1
		}
		return -1
	}
	type key struct {
		year     int
		festival string
	}
	net := map[key]int{}
	for _, o := range calendar.Shipped().Days {
		wd := o.Date.Weekday()
		weekend := wd == time.Saturday || wd == time.Sunday
		festival := o.Note
		if !o.Off {
			var ok bool
			if festival, ok = cutSuffix(o.Note, "调休"); !ok {
				t.Errorf("%s: make-up day noted %q, want <节日>调休", o.Date, o.Note)
			}
			if !weekend {
				t.Errorf("%s is a %s: a make-up working day must be a Saturday or Sunday", o.Date, wd)
			}
		}
		// 元旦 days in late December belong to the next year's notice.
		year := o.Date.Year()
		if o.Date.Month() == time.December && festival == "元旦" {
			year++
		}
		if statutory(year, festival) < 0 {
			t.Errorf("%s: unknown festival %q", o.Date, festival)
			continue
		}
		k := key{year, festival}
		net[k] += 0
		switch {
		case o.Off && !weekend:
			net[k]++
		case !o.Off:
			net[k]--
		}
	}
	for k, got := range net {
		if want := statutory(k.year, k.festival); got != want {
			t.Errorf("%d %s: %d weekdays off net of make-up days, want %d statutory days", k.year, k.festival, got, want)
		}
	}
	for y := 2019; y <= 2026; y++ {
		n := 0
		for k := range net {
			if k.year == y {
				n++
			}
		}
		if n < 6 {
			t.Errorf("%d: only %d festivals listed", y, n)
		}
		for day := 1; day <= 3; day++ {
			if calendar.Default().IsWorkday(calendar.DateOf(y, time.October, day)) {
				t.Errorf("%d-10-%02d is a working day: 国庆节 missing", y, day)
			}
		}
	}
}
