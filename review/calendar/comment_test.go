package calendar_test

import (
	"strings"
	"testing"

	"qianfa/review"
	"qianfa/review/calendar"
)

func TestCheckCommentWindow_MinimumsAtTheBoundary(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		name       string
		kind       string
		start, end string
		market     bool
		reason     string
		wantErr    []string // nil: the window is accepted
	}{
		{"规章 30 days counted inclusively", "规章", "2024-06-01", "2024-06-30", false, "", nil},
		{"规章 29 days", "规章", "2024-06-01", "2024-06-29", false, "", []string{"不少于30日", "规章制定程序条例》第十五条", "只有29日", "理由"}},
		{"规章 29 days with a reason", "规章", "2024-06-01", "2024-06-29", false, "防汛紧急", nil},
		{"规章 blank reason is no reason", "规章", "2024-06-01", "2024-06-29", false, "  ", []string{"只有29日"}},
		{"规章 counts calendar days over 国庆", "规章", "2024-09-20", "2024-10-19", false, "", nil},
		// 9.27, 9.29 (Sun), 9.30, 10.8, 10.9, 10.10, 10.11.
		{"规范性文件 7 working days spanning 国庆", "行政规范性文件", "2024-09-27", "2024-10-11", false, "", nil},
		{"规范性文件 6 working days spanning 国庆", "行政规范性文件", "2024-09-27", "2024-10-10", false, "", []string{"不少于7个工作日", "国办发〔2018〕37号", "只有6个工作日"}},
		{"规范性文件 14 calendar days hold 6 working days over 国庆", "行政规范性文件", "2024-09-28", "2024-10-11", false, "", []string{"只有6个工作日"}},
		{"规范性文件 starting on a holiday", "行政规范性文件", "2024-10-01", "2024-10-15", false, "", nil},
		{"规范性文件 ordinary week, 7 working days", "行政规范性文件", "2024-11-04", "2024-11-12", false, "", nil},
		{"规范性文件 ordinary week, 6 working days", "行政规范性文件", "2024-11-04", "2024-11-11", false, "", []string{"只有6个工作日"}},
		{"规范性文件 6 working days with a reason", "行政规范性文件", "2024-11-04", "2024-11-11", false, "应对突发事件", nil},
		{"规范性文件 on market actors, 30 days", "行政规范性文件", "2024-06-01", "2024-06-30", true, "", nil},
		{"规范性文件 on market actors, 29 days", "行政规范性文件", "2024-06-01", "2024-06-29", true, "", []string{"市场主体", "不少于30日", "优化营商环境条例》第六十二条", "只有29日"}},
		{"other kinds have no minimum", "通知公告", "2024-06-01", "2024-06-01", true, "", nil},
		{"end before start", "通知公告", "2024-06-02", "2024-06-01", false, "紧急", []string{"早于开始日期"}},
		{"no end date", "规章", "2024-06-02", "", false, "", []string{"截止日期"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var start, end calendar.Date
			if tt.start != "" {
				start = d(tt.start)
			}
			if tt.end != "" {
				end = d(tt.end)
			}
			err := cal.CheckCommentWindow(tt.kind, start, end, tt.market, tt.reason)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if review.ErrorCode(err) != review.EINVALID {
				t.Fatalf("error = %v, want code %s", err, review.EINVALID)
			}
			msg := review.ErrorMessage(err)
			for _, w := range tt.wantErr {
				if !strings.Contains(msg, w) {
					t.Errorf("message %q does not contain %q", msg, w)
				}
			}
		})
	}
}

func TestEarliestCommentEnd_IsTheFirstAcceptedEnd(t *testing.T) {
	cal := calendar.Default()
	tests := []struct {
		kind   string
		start  string
		market bool
		want   string
	}{
		{"规章", "2024-06-01", false, "2024-06-30"},
		{"行政规范性文件", "2024-09-27", false, "2024-10-11"},
		{"行政规范性文件", "2024-09-28", false, "2024-10-12"}, // 9.28 Sat off, ends on the make-up Saturday
		{"行政规范性文件", "2024-10-01", false, "2024-10-15"},
		{"行政规范性文件", "2024-06-01", true, "2024-06-30"},
		{"通知公告", "2024-06-01", false, "2024-06-01"},
	}
	for _, tt := range tests {
		got := cal.EarliestCommentEnd(tt.kind, d(tt.start), tt.market)
		if got != d(tt.want) {
			t.Errorf("EarliestCommentEnd(%s, %s, %v) = %s, want %s", tt.kind, tt.start, tt.market, got, tt.want)
		}
		if err := cal.CheckCommentWindow(tt.kind, d(tt.start), got, tt.market, ""); err != nil {
			t.Errorf("the earliest end is refused: %v", err)
		}
		if got != d(tt.start) {
			if err := cal.CheckCommentWindow(tt.kind, d(tt.start), got.AddDays(-1), tt.market, ""); err == nil {
				t.Errorf("%s, %s: a day earlier than %s is accepted", tt.kind, tt.start, got)
			}
		}
	}
}
