package calendar_test

import (
	"testing"

	"qianfa/review/calendar"
)

func TestDeadlines_CountWorkingDaysAcrossHolidays(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		name string
		f    func(calendar.Date) calendar.Date
		from string
		want string
	}{
		// 9.23–9.27, 9.29 (Sun), 9.30, 10.8–10.12 (Sat), 10.14–10.16.
		{"legality due across 2024 国庆", cal.LegalityDue, "2024-09-20", "2024-10-16"},
		{"legality warning on the make-up Friday", cal.LegalityWarnFrom, "2024-09-20", "2024-09-27"},
		// 1.21–1.24, 1.26 (Sun), 1.27, 2.5–2.8 (Sat), 2.10–2.14.
		{"legality due across 2025 春节", cal.LegalityDue, "2025-01-20", "2025-02-14"},
		{"legality warning on the make-up Sunday", cal.LegalityWarnFrom, "2025-01-20", "2025-01-26"},
		// 9.16–9.18, 9.20 (Sun), 9.21–9.24, 中秋 9.25–27, 9.28–9.30, 国庆 10.1–7,
		// 10.8, 10.9, 10.10 (Sat), 10.12–10.16, 10.19.
		{"disclosure due across 2026 中秋 and 国庆", cal.DisclosureDue, "2026-09-15", "2026-10-19"},
		{"disclosure due in an ordinary month", cal.DisclosureDue, "2024-11-01", "2024-11-29"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.f(d(tt.from)); got != d(tt.want) {
				t.Errorf("from %s: got %s, want %s", tt.from, got, tt.want)
			}
		})
	}
}

func TestUrgency_CountsWorkingDaysLeft(t *testing.T) {
	cal := calendar.Default()
	const due = "2024-10-08" // first day back after 国庆 2024
	tests := []struct {
		today string
		want  calendar.Urgency
	}{
		{"2024-09-20", calendar.OnTime},
		{"2024-09-26", calendar.OnTime},  // 9.27, 9.29, 9.30, 10.8: four working days left
		{"2024-09-27", calendar.DueSoon}, // three working days left, though eleven calendar days
		{"2024-10-03", calendar.DueSoon},
		{"2024-10-08", calendar.DueSoon}, // due today
		{"2024-10-09", calendar.Overdue},
	}
	for _, tt := range tests {
		if got := cal.Urgency(d(due), d(tt.today)); got != tt.want {
			t.Errorf("Urgency(due %s, today %s) = %v, want %v", due, tt.today, got, tt.want)
		}
	}
	if got := cal.Urgency(calendar.Date{}, d("2024-10-09")); got != calendar.OnTime {
		t.Errorf("no deadline: %v, want OnTime", got)
	}
	for u, want := range map[calendar.Urgency]string{calendar.OnTime: "正常", calendar.DueSoon: "即将到期", calendar.Overdue: "已逾期"} {
		if u.String() != want {
			t.Errorf("%d.String() = %q, want %q", u, u.String(), want)
		}
	}
}
