package calendar

import (
	"strings"

	"qianfa/review"
)

// Document kinds that carry a minimum public-comment window. They are the
// 文种 names the rest of Qianfa uses; kinds are plain strings here so that
// the calendar depends on nothing but the error type.
const (
	KindRule      = "规章"
	KindNormative = "行政规范性文件"
)

// Minimum public-comment windows. A window runs from start to end, both
// included: start is the first day comments are accepted and end the last.
// A draft put on the website in the course of a day should start on the
// next day, since a period counted in days does not count its first,
// partial day (民法典第二百零一条). So a 30-day window from 2024-06-01 ends on
// 2024-06-30 at the earliest, and a 7-working-day window holds seven working
// days between start and end inclusive.
const (
	RuleDays      = 30 // 规章, calendar days (规章制定程序条例第十五条)
	NormativeDays = 7  // 行政规范性文件, working days (国办发〔2018〕37号)
	MarketDays    = 30 // 行政规范性文件 concerning market actors, calendar days (优化营商环境条例第六十二条)
)

const (
	ruleBasis      = "《规章制定程序条例》第十五条"
	normativeBasis = "《国务院办公厅关于加强行政规范性文件制定和监督管理工作的通知》（国办发〔2018〕37号）"
	marketBasis    = "《优化营商环境条例》第六十二条"
)

// EarliestCommentEnd returns the first end date that meets the minimum
// window for kind starting on start, to propose in the window dialog. For
// kinds without a minimum it returns start.
func (c *Calendar) EarliestCommentEnd(kind string, start Date, market bool) Date {
	switch strings.TrimSpace(kind) {
	case KindRule:
		return start.AddDays(RuleDays - 1)
	case KindNormative:
		if market {
			return start.AddDays(MarketDays - 1)
		}
		// Counting from the day before makes start itself count when it is
		// a working day.
		return c.AddWorkdays(start.AddDays(-1), NormativeDays)
	}
	return start
}

// CheckCommentWindow checks a public-comment window from start to end (both
// included; see RuleDays) for a document of kind (规章, 行政规范性文件 or any other 文种).
// 规章 need at least 30 days (规章制定程序条例第十五条); 行政规范性文件 at least
// 7 working days (国办发〔2018〕37号), or 30 days when they concern market
// actors' production and business (market; 优化营商环境条例第六十二条). These
// minimums hold "as a rule" (一般), so a shorter window passes when reason
// records why (an emergency). Other kinds have no minimum. The error, for the
// clerk, names the rule and its legal basis.
//
// Working days in a year without an entered notice are counted as ordinary
// weeks; callers should warn when Uncovered(start, end) is not empty.
func (c *Calendar) CheckCommentWindow(kind string, start, end Date, market bool, reason string) error {
	if start.IsZero() || end.IsZero() {
		return review.Errorf(review.EINVALID, "请填写征求意见的开始日期和截止日期。")
	}
	if end.Before(start) {
		return review.Errorf(review.EINVALID, "征求意见截止日期（%s）早于开始日期（%s）。", end.Chinese(), start.Chinese())
	}
	if strings.TrimSpace(reason) != "" {
		return nil
	}
	days := DaysBetween(start, end) + 1
	const shorten = "确需缩短期限的（如情况紧急），请填写缩短的理由。"
	switch strings.TrimSpace(kind) {
	case KindRule:
		if days < RuleDays {
			return review.Errorf(review.EINVALID,
				"规章向社会公开征求意见的期限一般不少于%d日（%s），%s至%s只有%d日。%s",
				RuleDays, ruleBasis, start.Chinese(), end.Chinese(), days, shorten)
		}
	case KindNormative:
		if market {
			if days < MarketDays {
				return review.Errorf(review.EINVALID,
					"涉及市场主体生产经营活动的行政规范性文件，向社会公开征求意见的期限一般不少于%d日（%s），%s至%s只有%d日。%s",
					MarketDays, marketBasis, start.Chinese(), end.Chinese(), days, shorten)
			}
			return nil
		}
		if n := c.WorkdaysBetween(start.AddDays(-1), end); n < NormativeDays {
			return review.Errorf(review.EINVALID,
				"行政规范性文件向社会公开征求意见的期限一般不少于%d个工作日（%s），%s至%s只有%d个工作日（节假日不计）。%s",
				NormativeDays, normativeBasis, start.Chinese(), end.Chinese(), n, shorten)
		}
	}
	return nil
}
