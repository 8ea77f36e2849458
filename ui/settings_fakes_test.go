package ui

import (
	"context"
	"slices"
	"sync"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/workflow"
)

// SetRoles changes a fake user's roles under the same rule as storage:
// the last active administrator keeps the role.
func (r *fakeReview) SetRoles(_ context.Context, name string, roles []review.Role, _ string) error {
	return r.changeUser(name, func(u *review.User) { u.Roles = slices.Clone(roles) })
}

// SetDisabled stops or restores a fake user, under the same rule.
func (r *fakeReview) SetDisabled(_ context.Context, name string, disabled bool, _ string) error {
	return r.changeUser(name, func(u *review.User) { u.Disabled = disabled })
}

func (r *fakeReview) changeUser(name string, change func(*review.User)) error {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	i := slices.IndexFunc(r.s.users, func(u review.User) bool { return u.Name == name })
	if i < 0 {
		return review.Errorf(review.ENOTFOUND, "没有用户“%s”。", name)
	}
	after := r.s.users[i]
	after.Roles = slices.Clone(after.Roles)
	change(&after)
	if err := workflow.CheckRoles(name, after.Roles); err != nil {
		return err
	}
	if err := workflow.CheckAdminsRemain(r.s.users, after); err != nil {
		return err
	}
	r.s.users[i] = after
	return nil
}

// calendarReview is fakeReview with calendar corrections that are kept,
// for the 节假日安排 tab.
type calendarReview struct {
	*fakeReview
	mu        sync.Mutex
	overrides map[calendar.Date]calendar.Override
}

func (c *calendarReview) CalendarOverrides(context.Context) ([]calendar.Override, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []calendar.Override
	for _, o := range c.overrides {
		out = append(out, o)
	}
	slices.SortFunc(out, func(a, b calendar.Override) int { return a.Date.Compare(b.Date) })
	return out, nil
}

func (c *calendarReview) SetCalendarOverride(_ context.Context, o calendar.Override, _ string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.overrides[o.Date] = o
	return nil
}

func (c *calendarReview) RemoveCalendarOverride(_ context.Context, d calendar.Date, _ string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.overrides[d]; !ok {
		return review.Errorf(review.ENOTFOUND, "%s 没有管理员调整。", d)
	}
	delete(c.overrides, d)
	return nil
}

// fakeSettings keeps the office settings and who saved them, refusing a
// bad pattern as storage does.
type fakeSettings struct {
	mu    sync.Mutex
	s     review.Settings
	saves []string // actors, one per save
}

func (f *fakeSettings) Settings(context.Context) (review.Settings, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.s, nil
}

func (f *fakeSettings) SaveSettings(_ context.Context, s review.Settings, actor string) error {
	if err := review.ValidateIndexPattern(s.IndexPattern); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.s = s
	f.saves = append(f.saves, actor)
	return nil
}
