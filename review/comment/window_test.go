package comment_test

import (
	"strings"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/comment"
)

func d(s string) calendar.Date { return calendar.MustParse(s) }

func TestWindowSpec_MinimumsByKind(t *testing.T) {
	web := []comment.Channel{comment.ChannelWebsite}
	// An administrator's correction: 2024-11-08 (a Friday) declared a day
	// off, which must cost a normative document one working day.
	withOverride := calendar.New(calendar.Shipped(), calendar.Override{Date: d("2024-11-08"), Off: true, Note: "临时调整"})
	tests := []struct {
		name    string
		cal     *calendar.Calendar
		spec    comment.WindowSpec
		wantErr string // "" means accepted
	}{
		{"规章 with 30 calendar days", calendar.Default(),
			comment.WindowSpec{Kind: review.KindRule, Start: d("2025-03-01"), End: d("2025-03-30"), Channels: web}, ""},
		{"规章 with 29 days is refused and names the rule", calendar.Default(),
			comment.WindowSpec{Kind: review.KindRule, Start: d("2025-03-01"), End: d("2025-03-29"), Channels: web}, "规章制定程序条例》第十五条"},
		{"规章 shorter with a recorded reason", calendar.Default(),
			comment.WindowSpec{Kind: review.KindRule, Start: d("2025-03-01"), End: d("2025-03-10"), Channels: web, Reason: "应对突发事件，情况紧急"}, ""},
		{"规范性文件 seven working days across 国庆", calendar.Default(),
			comment.WindowSpec{Kind: review.KindNormative, Start: d("2024-09-27"), End: d("2024-10-11"), Channels: web}, ""},
		{"规范性文件 fourteen calendar days over 国庆 hold only six working days", calendar.Default(),
			comment.WindowSpec{Kind: review.KindNormative, Start: d("2024-09-28"), End: d("2024-10-11"), Channels: web}, "只有6个工作日"},
		{"规范性文件 ordinary fortnight", calendar.Default(),
			comment.WindowSpec{Kind: review.KindNormative, Start: d("2024-11-04"), End: d("2024-11-12"), Channels: web}, ""},
		{"administrator's extra day off counts", withOverride,
			comment.WindowSpec{Kind: review.KindNormative, Start: d("2024-11-04"), End: d("2024-11-12"), Channels: web}, "只有6个工作日"},
		{"规范性文件 on market actors needs 30 days", calendar.Default(),
			comment.WindowSpec{Kind: review.KindNormative, Start: d("2024-11-04"), End: d("2024-11-20"), Channels: web, Market: true}, "优化营商环境条例》第六十二条"},
		{"规范性文件 on market actors with 30 days", calendar.Default(),
			comment.WindowSpec{Kind: review.KindNormative, Start: d("2024-11-04"), End: d("2024-12-03"), Channels: web, Market: true}, ""},
		{"other kinds have no minimum", calendar.Default(),
			comment.WindowSpec{Kind: review.KindOther, Start: d("2024-11-04"), End: d("2024-11-05"), Channels: web}, ""},
		{"a channel is required", calendar.Default(),
			comment.WindowSpec{Kind: review.KindOther, Start: d("2024-11-04"), End: d("2024-11-05")}, "渠道"},
		{"end before start", calendar.Default(),
			comment.WindowSpec{Kind: review.KindOther, Start: d("2024-11-04"), End: d("2024-11-01"), Channels: web}, "早于开始日期"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Check(tt.cal)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if review.ErrorCode(err) != review.EINVALID || !strings.Contains(review.ErrorMessage(err), tt.wantErr) {
				t.Fatalf("error = %v, want EINVALID containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestRuleKind_CommentDraftMustNameItsKind(t *testing.T) {
	if _, err := comment.RuleKind(review.KindCommentDraft, ""); review.ErrorCode(err) != review.EINVALID {
		t.Fatalf("a 征求意见稿 without a named kind was accepted: %v", err)
	}
	if k, err := comment.RuleKind(review.KindCommentDraft, review.KindRule); err != nil || k != review.KindRule {
		t.Fatalf("named kind: %v %v", k, err)
	}
	if k, err := comment.RuleKind(review.KindNormative, ""); err != nil || k != review.KindNormative {
		t.Fatalf("own kind: %v %v", k, err)
	}
}

func TestWindow_StateAndDaysLeft(t *testing.T) {
	w := &comment.Window{Start: d("2025-03-01"), End: d("2025-03-30")}
	tests := []struct {
		today   string
		state   comment.State
		left    int
		closing bool
	}{
		{"2025-02-27", comment.StateNotStarted, 30, false},
		{"2025-03-01", comment.StateOpen, 30, false},
		{"2025-03-27", comment.StateOpen, 4, false},
		{"2025-03-28", comment.StateOpen, 3, true},
		{"2025-03-30", comment.StateOpen, 1, true},
		{"2025-03-31", comment.StateClosed, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.today, func(t *testing.T) {
			today := d(tt.today)
			if got := w.State(today); got != tt.state {
				t.Errorf("state = %s, want %s", got, tt.state)
			}
			if got := w.DaysLeft(today); got != tt.left {
				t.Errorf("days left = %d, want %d", got, tt.left)
			}
			if got := w.ClosingSoon(today); got != tt.closing {
				t.Errorf("closing soon = %v, want %v", got, tt.closing)
			}
		})
	}
	w.FeedbackAt = time.Date(2025, 4, 2, 10, 0, 0, 0, calendar.Location())
	if got := w.State(d("2025-04-03")); got != comment.StateAnswered {
		t.Errorf("after feedback: %s", got)
	}
}

func TestWindow_LateMeansAfterTheLastDayInBeijing(t *testing.T) {
	w := &comment.Window{Start: d("2025-03-01"), End: d("2025-03-30")}
	bj := calendar.Location()
	tests := []struct {
		name string
		at   time.Time
		late bool
	}{
		{"last minute of the last day", time.Date(2025, 3, 30, 23, 59, 0, 0, bj), false},
		{"first minute after", time.Date(2025, 3, 31, 0, 0, 30, 0, bj), true},
		// 16:30 UTC on the 30th is 00:30 on the 31st in Beijing.
		{"UTC clock still on the last day", time.Date(2025, 3, 30, 16, 30, 0, 0, time.UTC), true},
		{"before the start is not late", time.Date(2025, 2, 28, 9, 0, 0, 0, bj), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := w.Late(tt.at); got != tt.late {
				t.Errorf("Late(%v) = %v, want %v", tt.at, got, tt.late)
			}
		})
	}
}

func TestWindow_ExtendNeedsReasonAndLaterEnd(t *testing.T) {
	cal := calendar.Default()
	w := &comment.Window{Kind: review.KindRule, Start: d("2025-03-01"), End: d("2025-03-30"), Channels: []comment.Channel{comment.ChannelWebsite}}
	tests := []struct {
		name, end, reason, wantErr string
	}{
		{"later end with a reason", "2025-04-15", "意见较多，延长期限", ""},
		{"no reason", "2025-04-15", " ", "理由"},
		{"shortening is not extending", "2025-03-29", "改期", "只能延长"},
		{"same end", "2025-03-30", "改期", "只能延长"},
		{"reason too long", "2025-04-15", strings.Repeat("长", comment.MaxReasonRunes+1), "过长"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := w.CheckExtend(cal, d(tt.end), tt.reason)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(review.ErrorMessage(err), tt.wantErr) {
				t.Fatalf("error = %v, want %q", err, tt.wantErr)
			}
		})
	}
	w.FeedbackAt = time.Now()
	if err := w.CheckExtend(cal, d("2025-04-15"), "延长"); review.ErrorCode(err) != review.ECONFLICT {
		t.Fatalf("extension after feedback: %v", err)
	}
}

func TestCheckDisposition_ReasonRequiredExceptAdopted(t *testing.T) {
	tests := []struct {
		d      comment.Disposition
		reason string
		ok     bool
	}{
		{comment.Adopted, "", true},
		{comment.Partly, "", false},
		{comment.Partly, "部分内容已在第五条体现", true},
		{comment.NotAdopted, "  ", false},
		{comment.NotAdopted, "与上位法不一致", true},
		{comment.NotRelated, "", false},
		{comment.NotRelated, "属于信访事项，已转相关司局", true},
		{"同意", "", false},
	}
	for _, tt := range tests {
		t.Run(string(tt.d)+"/"+tt.reason, func(t *testing.T) {
			err := comment.CheckDisposition(tt.d, tt.reason)
			if (err == nil) != tt.ok {
				t.Fatalf("CheckDisposition(%s, %q) = %v, want ok=%v", tt.d, tt.reason, err, tt.ok)
			}
		})
	}
	if d, err := comment.ParseDisposition("不涉及"); err != nil || d != comment.NotRelated {
		t.Fatalf("不涉及 = %v %v", d, err)
	}
}

func TestRecord_ShortenedOnlyWhenTheReasonWasNeeded(t *testing.T) {
	cal := calendar.Default()
	long := &comment.Window{Kind: review.KindRule, Revision: 2, Start: d("2025-03-01"), End: d("2025-03-30"), Reason: "多渠道同步征求"}
	short := &comment.Window{Kind: review.KindRule, Revision: 2, Start: d("2025-03-01"), End: d("2025-03-10"), Reason: "防汛紧急"}
	cs := []comment.Comment{{Disposition: comment.Adopted}, {}}
	if r := comment.NewRecord(long, cs, cal); r.Shortened != "" || r.Comments != 2 || r.Considered != 1 || !r.Held {
		t.Errorf("long window record %+v", r)
	}
	r := comment.NewRecord(short, cs, cal)
	if r.Shortened != "防汛紧急" || !strings.Contains(r.Summary(), "理由：防汛紧急") {
		t.Errorf("short window record %+v: %s", r, r.Summary())
	}
}
