package workflow

import (
	"context"

	"qianfa/review"
	"qianfa/review/calendar"
)

// CheckAdminsRemain refuses a change that would leave the workspace without
// an active administrator: nobody could then create users, rotate roles or
// correct the holiday calendar, and the program offers no way back short of
// editing the database. users are the users as they stand, changed the user
// as they would be after the change. A workspace that has no administrator
// yet (before the first is appointed) is left alone.
func CheckAdminsRemain(users []review.User, changed review.User) error {
	before, after := 0, 0
	for i := range users {
		u := &users[i]
		if u.Has(review.RoleAdmin) {
			before++
		}
		if u.Name == changed.Name {
			u = &changed
		}
		if u.Has(review.RoleAdmin) {
			after++
		}
	}
	if before > 0 && after == 0 {
		return review.Errorf(review.ECONFLICT, "“%s”是最后一位在用的管理员，不能撤销其管理员角色或停用：请先让另一位用户担任管理员。", changed.Label())
	}
	return nil
}

// CheckRoles refuses an empty or unknown set of roles, so that a typo in a
// script or a bug in a screen cannot store a role nobody can act on.
func CheckRoles(name string, roles []review.Role) error {
	if len(roles) == 0 {
		return review.Errorf(review.EINVALID, "用户“%s”至少要有一个角色。", name)
	}
	for _, r := range roles {
		if _, err := review.ParseRole(string(r)); err != nil {
			return err
		}
	}
	return nil
}

// admin returns the acting user if they are an active administrator. The
// screens hide what only an administrator may do; this is the check that
// holds whatever a screen shows.
// what names the task in the refusal.
func (s *Service) admin(ctx context.Context, actor, what string) (*review.User, error) {
	u, err := s.Users.User(ctx, actor)
	if err != nil {
		return nil, err
	}
	if !u.Has(review.RoleAdmin) {
		return nil, review.Errorf(review.EFORBIDDEN, "只有管理员可以%s。", what)
	}
	return u, nil
}

// CreateUser is the administrator actor creating a user with roles, their
// passphrase and first signing key (NewUser, Store.CreateUserWithKey).
func (s *Service) CreateUser(ctx context.Context, actor, name, display string, roles []review.Role, passphrase string) (*review.User, *review.Key, error) {
	if _, err := s.admin(ctx, actor, "管理用户和角色"); err != nil {
		return nil, nil, err
	}
	if err := CheckRoles(name, roles); err != nil {
		return nil, nil, err
	}
	// Asked before the key is made, which takes a moment; the store checks
	// again in its transaction.
	if _, err := s.Users.User(ctx, name); err == nil {
		return nil, nil, review.Errorf(review.ECONFLICT, "用户“%s”已存在。", name)
	} else if review.ErrorCode(err) != review.ENOTFOUND {
		return nil, nil, err
	}
	u, k, err := NewUser(name, display, roles, passphrase, s.now())
	if err != nil {
		return nil, nil, err
	}
	if err := s.Store.CreateUserWithKey(ctx, u, k, actor); err != nil {
		return nil, nil, err
	}
	return u, k, nil
}

// SetRoles is the administrator actor giving user the roles.
func (s *Service) SetRoles(ctx context.Context, actor, user string, roles []review.Role) error {
	if _, err := s.admin(ctx, actor, "管理用户和角色"); err != nil {
		return err
	}
	roles = dedupRoles(roles)
	if err := CheckRoles(user, roles); err != nil {
		return err
	}
	return s.Store.SetRoles(ctx, user, roles, actor)
}

// SetDisabled is the administrator actor stopping or restoring user's
// access.
func (s *Service) SetDisabled(ctx context.Context, actor, user string, disabled bool) error {
	if _, err := s.admin(ctx, actor, "管理用户和角色"); err != nil {
		return err
	}
	return s.Store.SetDisabled(ctx, user, disabled, actor)
}

// RotateKey gives user a new signing key under their passphrase and closes
// the current one (NewKey, Store.AddKey). Only the user themselves can do
// it: the passphrase that encrypts the key is theirs alone.
func (s *Service) RotateKey(ctx context.Context, user, passphrase string) (*review.Key, error) {
	u, err := s.Users.User(ctx, user)
	if err != nil {
		return nil, err
	}
	k, err := NewKey(u, passphrase, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.Store.AddKey(ctx, k, user); err != nil {
		return nil, err
	}
	return k, nil
}

// SetCalendarOverride is the administrator actor correcting one day of the
// holiday calendar, e.g. entering next year's notice before an update
// ships it.
func (s *Service) SetCalendarOverride(ctx context.Context, actor string, o calendar.Override) error {
	if _, err := s.admin(ctx, actor, "调整节假日安排"); err != nil {
		return err
	}
	if err := o.Validate(); err != nil {
		return err
	}
	return s.Store.SetCalendarOverride(ctx, o, actor)
}

// RemoveCalendarOverride is the administrator actor dropping the correction
// for d, so the official notice applies again.
func (s *Service) RemoveCalendarOverride(ctx context.Context, actor string, d calendar.Date) error {
	if _, err := s.admin(ctx, actor, "调整节假日安排"); err != nil {
		return err
	}
	return s.Store.RemoveCalendarOverride(ctx, d, actor)
}
