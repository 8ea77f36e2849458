package calendar_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
)

func d(s string) calendar.Date { return calendar.MustParse(s) }

func TestParse_AcceptsISOAndChineseForms(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-10-01", "2024-10-01"},
		{"2024-10-1", "2024-10-01"},
		{" 2024-1-5 ", "2024-01-05"},
		{"2024年10月1日", "2024-10-01"},
		{"2024-02-29", "2024-02-29"}, // leap year
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := calendar.Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got.String() != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestParse_RejectsBadDatesWithChineseMessage(t *testing.T) {
	tests := []struct{ in, wantMsg string }{
		{"", "格式不正确"},
		{"2024/10/01", "格式不正确"},
		{"24-10-01", "格式不正确"},
		{"2024-10-01T00:00", "格式不正确"},
		{"2024-１0-01", "格式不正确"}, // full-width digit
		{"2024月10年1日", "格式不正确"},
		{"2024-02-30", "不存在"},
		{"2023-02-29", "不存在"},
		{"2024-13-01", "不存在"},
		{"2024-00-10", "不存在"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			_, err := calendar.Parse(tt.in)
			if review.ErrorCode(err) != review.EINVALID {
				t.Fatalf("Parse(%q) error = %v, want code %s", tt.in, err, review.EINVALID)
			}
			if msg := review.ErrorMessage(err); !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("message %q does not say %q", msg, tt.wantMsg)
			}
		})
	}
}

func TestDate_ArithmeticAndComparison(t *testing.T) {
	if got := d("2024-02-28").AddDays(2); got != d("2024-03-01") {
		t.Errorf("AddDays across leap day = %s", got)
	}
	if got := d("2024-01-01").AddDays(-1); got != d("2023-12-31") {
		t.Errorf("AddDays(-1) across new year = %s", got)
	}
	if n := calendar.DaysBetween(d("2024-02-28"), d("2024-03-01")); n != 2 {
		t.Errorf("DaysBetween over leap day = %d, want 2", n)
	}
	if n := calendar.DaysBetween(d("2025-01-01"), d("2024-01-01")); n != -366 {
		t.Errorf("DaysBetween backwards over 2024 = %d, want -366", n)
	}
	if n := calendar.DaysBetween(d("1900-01-01"), d("2300-01-01")); n != 146097 {
		t.Errorf("DaysBetween over 400 years = %d, want 146097", n)
	}
	a, b := d("2024-09-30"), d("2024-10-01")
	if !a.Before(b) || b.Before(a) || !b.After(a) || a.After(b) || a.Equal(b) || !a.Equal(d("2024-09-30")) {
		t.Error("Before/After/Equal disagree with the calendar")
	}
	if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Compare disagrees with Before/After")
	}
	if wd := d("2024-10-12").Weekday(); wd != time.Saturday {
		t.Errorf("2024-10-12 is a %s, want Saturday", wd)
	}
	if s := d("2024-10-01").Chinese(); s != "2024年10月1日" {
		t.Errorf("Chinese() = %q", s)
	}
	if got := calendar.DateOf(2024, time.October, 32); got != d("2024-11-01") {
		t.Errorf("DateOf normalises October 32 to %s", got)
	}
}

func TestDate_ZeroMeansUnset(t *testing.T) {
	var z calendar.Date
	if !z.IsZero() || z.String() != "" || d("2024-10-01").IsZero() {
		t.Error("zero Date should be IsZero and print as empty")
	}
}

func TestFromTime_UsesBeijingTimeWhateverTheComputerZone(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		// 16:30 UTC on September 30 is already 00:30 on October 1 in Beijing.
		{time.Date(2024, 9, 30, 16, 30, 0, 0, time.UTC), "2024-10-01"},
		{time.Date(2024, 9, 30, 15, 59, 0, 0, time.UTC), "2024-09-30"},
		{time.Date(2024, 10, 1, 8, 0, 0, 0, time.FixedZone("PDT", -7*3600)), "2024-10-01"},
	}
	for _, tt := range tests {
		if got := calendar.FromTime(tt.in); got.String() != tt.want {
			t.Errorf("FromTime(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
	if got := calendar.FromTime(d("2024-10-01").Time()); got != d("2024-10-01") {
		t.Errorf("FromTime(Time()) = %s, want the same day", got)
	}
	if _, off := d("2024-10-01").Time().Zone(); off != 8*3600 {
		t.Errorf("office zone offset = %d s, want +08:00", off)
	}
}

func TestDate_JSONRoundTripAsPlainDate(t *testing.T) {
	type record struct {
		Due     calendar.Date         `json:"due"`
		Unset   calendar.Date         `json:"unset"`
		PerDate map[calendar.Date]int `json:"per_date"`
	}
	in := record{Due: d("2024-10-08"), PerDate: map[calendar.Date]int{d("2024-10-12"): 1}}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"due":"2024-10-08","unset":"","per_date":{"2024-10-12":1}}`
	if string(b) != want {
		t.Errorf("json = %s, want %s", b, want)
	}
	var out record
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	if out.Due != in.Due || !out.Unset.IsZero() || out.PerDate[d("2024-10-12")] != 1 {
		t.Errorf("round trip = %+v, want %+v", out, in)
	}
	err = json.Unmarshal([]byte(`{"due":"2024-02-30"}`), &out)
	if review.ErrorCode(err) != review.EINVALID {
		t.Errorf("bad date in JSON: error %v, want a domain EINVALID", err)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"2024-10-01", "2024年10月1日", "2024-2-30", "0000-01-01", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := calendar.Parse(s)
		if err != nil {
			return
		}
		again, err := calendar.Parse(got.String())
		if err != nil || again != got {
			t.Fatalf("Parse(%q) = %s, which does not parse back (%v, %v)", s, got, again, err)
		}
	})
}
