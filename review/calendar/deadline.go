package calendar

// Time limits of the review workflow, in working days.
const (
	// LegalityWorkdays: legality review is due within 15 working days of the
	// draft's arrival (国办发〔2018〕115号: at least 5, at most 15).
	LegalityWorkdays = 15
	// LegalityWarnWorkday: from this working day on, the inbox warns; it is
	// also the shortest review the rule allows.
	LegalityWarnWorkday = 5
	// DisclosureWorkdays: active disclosure is due within 20 working days of
	// 成文日期 (《政府信息公开条例》第二十六条).
	DisclosureWorkdays = 20
	// SoonWorkdays: an item due within this many working days is shown as
	// DueSoon (amber in 我的待办).
	SoonWorkdays = 3
)

// LegalityDue returns the last day for the legality review of a draft that
// arrived on arrival: the 15th working day after it.
func (c *Calendar) LegalityDue(arrival Date) Date {
	return c.AddWorkdays(arrival, LegalityWorkdays)
}

// LegalityWarnFrom returns the 5th working day after arrival, from which the
// inbox warns that the legality review is running.
func (c *Calendar) LegalityWarnFrom(arrival Date) Date {
	return c.AddWorkdays(arrival, LegalityWarnWorkday)
}

// DisclosureDue returns the last day for publishing a document actively
// disclosed: the 20th working day after its 成文日期 (条例第二十六条: 自该政府
// 信息形成或者变更之日起20个工作日内).
func (c *Calendar) DisclosureDue(written Date) Date {
	return c.AddWorkdays(written, DisclosureWorkdays)
}

// Urgency classifies a deadline for display.
type Urgency int

// Urgency values, from calm to late. The zero value is OnTime, so an item
// without a deadline needs no special case.
const (
	OnTime  Urgency = iota // more than SoonWorkdays working days left
	DueSoon                // due today or within SoonWorkdays working days
	Overdue                // the due date has passed
)

// String returns the label the inbox shows.
func (u Urgency) String() string {
	switch u {
	case DueSoon:
		return "即将到期"
	case Overdue:
		return "已逾期"
	}
	return "正常"
}

// Urgency classifies due as seen on today: Overdue once today is after due,
// DueSoon when at most SoonWorkdays working days remain (due today
// included), OnTime otherwise. A zero due (no deadline) is OnTime.
func (c *Calendar) Urgency(due, today Date) Urgency {
	switch {
	case due.IsZero():
		return OnTime
	case today.After(due):
		return Overdue
	case c.WorkdaysBetween(today, due) <= SoonWorkdays:
		return DueSoon
	}
	return OnTime
}
