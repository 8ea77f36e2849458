package comment

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"qianfa/review"
	"qianfa/review/calendar"
)

// State is where a comment draft stands.
type State string

// The states, in the order a draft passes them.
const (
	StateNotStarted State = "未开始"
	StateOpen       State = "征求中"
	StateClosed     State = "已截止"
	StateAnswered   State = "已反馈"
)

// ClosingSoonDays is how close to its end an open window is flagged: the
// office needs a few days to remind colleagues or extend the window.
const ClosingSoonDays = 3

// WindowSpec is what a clerk fills in to open a comment window.
type WindowSpec struct {
	// Kind is the 文种 whose rule sets the minimum length: 规章,
	// 行政规范性文件, or another kind without a minimum. Empty means the
	// document's own kind; a document filed as 征求意见稿 must name it.
	Kind     review.Kind
	Start    calendar.Date
	End      calendar.Date
	Channels []Channel
	// Market is ticked for a 行政规范性文件 that concerns market actors'
	// production and business (优化营商环境条例第六十二条: 30 days).
	Market bool
	// Reason records why the window is shorter than the minimum; without
	// one a short window is refused.
	Reason string
}

// RuleKind decides which kind's minimum applies to a document of kind doc
// when the clerk named want (possibly empty). A document filed as
// 征求意见稿 does not say whether it is a rule or a normative document, and
// guessing would let a rule escape its 30 days, so the clerk must say.
func RuleKind(doc, want review.Kind) (review.Kind, error) {
	if want == "" {
		want = doc
	}
	if !want.Valid() {
		return "", review.Errorf(review.EINVALID, "文种“%s”无效。", want)
	}
	if want == review.KindCommentDraft {
		return "", review.Errorf(review.EINVALID, "该文件的文种是“征求意见稿”：请注明征求意见的文件属于规章、行政规范性文件还是其他文件，以确定征求意见期限。")
	}
	return want, nil
}

// Check checks the spec against the minimum for its kind (Kind must already
// be resolved with RuleKind).
func (s WindowSpec) Check(cal *calendar.Calendar) error {
	if len(s.Channels) == 0 {
		return review.Errorf(review.EINVALID, "请选择征求意见的渠道：网站、电子邮件或信函。")
	}
	for _, c := range s.Channels {
		if _, err := ParseChannel(string(c)); err != nil {
			return err
		}
	}
	if utf8.RuneCountInString(s.Reason) > MaxReasonRunes {
		return review.Errorf(review.EINVALID, "缩短期限的理由过长（最多 %d 字）。", MaxReasonRunes)
	}
	return cal.CheckCommentWindow(string(s.Kind), s.Start, s.End, s.Market, s.Reason)
}

// MaxReasonRunes bounds the reason for a short window or an extension: it
// is quoted in the history, the audit log and the record legality review
// reads.
const MaxReasonRunes = 500

// RuleText explains the minimum window for kind, for the dialog that opens
// a window and for the message when one is refused.
func RuleText(kind review.Kind, market bool) string {
	switch kind {
	case review.KindRule:
		return fmt.Sprintf("规章征求意见期限一般不少于%d日（《规章制定程序条例》第十五条）。", calendar.RuleDays)
	case review.KindNormative:
		if market {
			return fmt.Sprintf("涉及市场主体生产经营活动的行政规范性文件，征求意见期限一般不少于%d日（《优化营商环境条例》第六十二条）。", calendar.MarketDays)
		}
		return fmt.Sprintf("行政规范性文件征求意见期限一般不少于%d个工作日（国办发〔2018〕37号），节假日不计；涉及市场主体生产经营活动的不少于%d日。", calendar.NormativeDays, calendar.MarketDays)
	}
	return "该文种没有法定的最短征求意见期限。"
}

// Window is a document's comment window as it stands, with its history.
type Window struct {
	DocumentID int64 `json:"document_id"`
	// Revision is the revision put out for comment; the final text is a
	// later revision of the same document.
	Revision     int           `json:"revision"`
	RevisionHash string        `json:"revision_sha256"`
	Kind         review.Kind   `json:"kind"`
	Start        calendar.Date `json:"start"`
	End          calendar.Date `json:"end"`
	Channels     []Channel     `json:"channels"`
	Market       bool          `json:"market"`
	Reason       string        `json:"reason,omitempty"`
	OpenedBy     string        `json:"opened_by"`
	OpenedAt     time.Time     `json:"opened_at"`
	// FeedbackAt is when the feedback was issued as a document of its own
	// (FeedbackDocument); zero until then.
	FeedbackAt       time.Time `json:"feedback_at,omitzero"`
	FeedbackDocument int64     `json:"feedback_document,omitempty"`
	// History holds every setting of the window, oldest first: the opening,
	// then each extension.
	History []WindowChange `json:"history"`
}

// WindowChange is one row of a window's history.
type WindowChange struct {
	Start     calendar.Date `json:"start"`
	End       calendar.Date `json:"end"`
	Reason    string        `json:"reason,omitempty"`
	Actor     string        `json:"actor"`
	At        time.Time     `json:"at"`
	Extension bool          `json:"extension"`
}

// State returns the window's state on day today.
func (w *Window) State(today calendar.Date) State {
	switch {
	case !w.FeedbackAt.IsZero():
		return StateAnswered
	case today.Before(w.Start):
		return StateNotStarted
	case !today.After(w.End):
		return StateOpen
	}
	return StateClosed
}

// DaysLeft returns the calendar days left in the window on day today, today
// included: 1 on the last day, 0 once it has closed, the whole length
// before it starts.
func (w *Window) DaysLeft(today calendar.Date) int {
	if today.Before(w.Start) {
		today = w.Start
	}
	if today.After(w.End) {
		return 0
	}
	return calendar.DaysBetween(today, w.End) + 1
}

// ClosingSoon reports whether an open window ends within ClosingSoonDays.
func (w *Window) ClosingSoon(today calendar.Date) bool {
	return w.State(today) == StateOpen && w.DaysLeft(today) <= ClosingSoonDays
}

// Late reports whether a comment received at t came after the window
// closed. Such a comment is kept and considered, but flagged 逾期.
func (w *Window) Late(t time.Time) bool { return calendar.FromTime(t).After(w.End) }

// Extended reports whether the window was extended at least once.
func (w *Window) Extended() bool { return len(w.History) > 1 }

// CheckExtend checks moving the window's end to end. An extension needs a
// reason (it goes in the history) and must still meet the minimum, which it
// does unless the window was opened short with a reason of its own.
func (w *Window) CheckExtend(cal *calendar.Calendar, end calendar.Date, reason string) error {
	if !w.FeedbackAt.IsZero() {
		return review.Errorf(review.ECONFLICT, "已经反馈意见采纳情况，不能再延长征求意见期限。")
	}
	if strings.TrimSpace(reason) == "" {
		return review.Errorf(review.EINVALID, "延长征求意见期限须写明理由。")
	}
	if utf8.RuneCountInString(strings.TrimSpace(reason)) > MaxReasonRunes {
		return review.Errorf(review.EINVALID, "延长理由过长（最多 %d 字）。", MaxReasonRunes)
	}
	if !end.After(w.End) {
		return review.Errorf(review.EINVALID, "新的截止日期（%s）须晚于原截止日期（%s）；征求意见期限只能延长，不能缩短。", end.Chinese(), w.End.Chinese())
	}
	spec := WindowSpec{Kind: w.Kind, Start: w.Start, End: end, Channels: w.Channels, Market: w.Market, Reason: w.Reason}
	return spec.Check(cal)
}

// Draft is a comment draft as the 征求意见 list shows it: the document, its
// window and the counts of its comments.
type Draft struct {
	Document review.Document `json:"document"`
	Window   Window          `json:"window"`
	// Comments counts every comment received, late ones included.
	Comments int `json:"comments"`
	Late     int `json:"late"`
	// Groups counts the answers needed: near-duplicates are one group.
	Groups     int `json:"groups"`
	Undisposed int `json:"undisposed_groups"`
}

// Record is what legality review needs to know about public comment
// (国办发〔2018〕115号 §五; the seventh check, 是否违反制定程序).
type Record struct {
	Held     bool          `json:"held"`
	Start    calendar.Date `json:"start"`
	End      calendar.Date `json:"end"`
	Extended bool          `json:"extended"`
	// Shortened holds the recorded reason when the window was shorter than
	// the minimum.
	Shortened string `json:"shortened_reason,omitempty"`
	Revision  int    `json:"revision"`
	// Considered counts comments with a disposition, late ones included;
	// Comments counts all.
	Comments   int  `json:"comments"`
	Considered int  `json:"considered"`
	Feedback   bool `json:"feedback_issued"`
}

// Summary is the record in one sentence, for the legality reviewer's
// screen and the review record.
func (r Record) Summary() string {
	if !r.Held {
		return "未公开征求意见。"
	}
	s := fmt.Sprintf("第 %d 版于%s至%s公开征求意见", r.Revision, r.Start.Chinese(), r.End.Chinese())
	if r.Extended {
		s += "（期间曾延长）"
	}
	if r.Shortened != "" {
		s += "，期限短于一般要求，理由：" + r.Shortened
	}
	s += fmt.Sprintf("；收到意见 %d 条，已研究处理 %d 条", r.Comments, r.Considered)
	if r.Feedback {
		s += "，已反馈意见采纳情况"
	}
	return s + "。"
}
