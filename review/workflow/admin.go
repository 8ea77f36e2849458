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

// What an administrator's task is called in a refusal. The service and the
// store name the same task the same way, whichever of them refuses.
const (
	TaskUsers    = "管理用户和角色"
	TaskCalendar = "调整节假日安排"
	TaskSettings = "修改机构与索引号设置"
)

// CheckAdmin refuses the task what (TaskUsers, TaskCalendar) to anyone but
// an active administrator. actor is the acting user as the workspace holds
// them, nil when name is no user of it. The store calls it inside the
// transaction that writes, so that someone demoted or disabled a moment
// ago cannot still act on what a screen showed them before.
func CheckAdmin(actor *review.User, name, what string) error {
	switch {
	case actor == nil:
		return review.Errorf(review.EFORBIDDEN, "“%s”不是本工作区的用户，不能%s：只有管理员可以。", name, what)
	case actor.Disabled:
		return review.Errorf(review.EFORBIDDEN, "“%s”已停用，不能%s。", actor.Label(), what)
	case !actor.Has(review.RoleAdmin):
		return review.Errorf(review.EFORBIDDEN, "“%s”不是管理员，不能%s。", actor.Label(), what)
	}
	return nil
}

// HasAdmin reports whether users include an active administrator.
func HasAdmin(users []review.User) bool {
	for i := range users {
		if users[i].Has(review.RoleAdmin) {
			return true
		}
	}
	return false
}

// CheckCreateUser tells whether actor may create u, users being the users
// as they stand. Once the workspace has an active administrator, only an
// active administrator may. Before that nobody can be one, so anyone may
// create a user, but only an administrator (bootstrap): the first user
// appoints the others, and a workspace never fills with users nobody may
// manage. Since CheckAdminsRemain keeps the last administrator, the
// bootstrap is open only on a new workspace, or one whose administrators
// were all disabled behind the application's back, which it mends.
//
// Two bootstraps at once (two terminals on a new workspace) cannot both
// pass: the store checks inside its write transaction, which SQLite runs
// one at a time, so the second sees the first's administrator and is
// refused unless its actor is that administrator.
func CheckCreateUser(users []review.User, actor string, u *review.User) error {
	if !HasAdmin(users) {
		if !u.Has(review.RoleAdmin) {
			return review.Errorf(review.EFORBIDDEN, "工作区还没有管理员：第一位用户必须担任管理员，再由其新建其他用户。")
		}
		return nil
	}
	var a *review.User
	for i := range users {
		if users[i].Name == actor {
			a = &users[i]
		}
	}
	return CheckAdmin(a, actor, TaskUsers)
}

// admin refuses actor unless they are an active administrator. The screens
// hide what only an administrator may do, and the store checks again in
// its transaction; this check refuses early, before a key is made or a
// passphrase asked for. what names the task in the refusal.
func (s *Service) admin(ctx context.Context, actor, what string) error {
	u, err := s.Users.User(ctx, actor)
	if review.ErrorCode(err) == review.ENOTFOUND {
		u, err = nil, nil
	}
	if err != nil {
		return err
	}
	return CheckAdmin(u, actor, what)
}

// CheckCreateUser tells whether actor may create user name with roles,
// without making the user: CreateUser hashes the passphrase and makes a
// key, which takes a moment, so a caller asks this before asking for the
// passphrase. The store checks again when it writes.
func (s *Service) CheckCreateUser(ctx context.Context, actor, name string, roles []review.Role) error {
	roles = dedupRoles(roles)
	if err := CheckRoles(name, roles); err != nil {
		return err
	}
	users, err := s.Users.Users(ctx)
	if err != nil {
		return err
	}
	if err := CheckCreateUser(users, actor, &review.User{Name: name, Roles: roles}); err != nil {
		return err
	}
	for i := range users {
		if users[i].Name == name {
			return review.Errorf(review.ECONFLICT, "用户“%s”已存在。", name)
		}
	}
	return nil
}

// CreateUser is the administrator actor creating a user with roles, their
// passphrase and first signing key (NewUser, Store.CreateUserWithKey); or,
// on a workspace without an administrator, anyone creating the first one
// (see CheckCreateUser).
func (s *Service) CreateUser(ctx context.Context, actor, name, display string, roles []review.Role, passphrase string) (*review.User, *review.Key, error) {
	if err := s.CheckCreateUser(ctx, actor, name, roles); err != nil {
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
	if err := s.admin(ctx, actor, TaskUsers); err != nil {
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
	if err := s.admin(ctx, actor, TaskUsers); err != nil {
		return err
	}
	return s.Store.SetDisabled(ctx, user, disabled, actor)
}

// CheckRotateKey returns user if they may make a new signing key: a
// disabled user may not, since a key is for deciding, which they can no
// longer do, and a new one would outlive the reason they were stopped.
// Callers ask it before asking for the passphrase; the store checks again.
func (s *Service) CheckRotateKey(ctx context.Context, user string) (*review.User, error) {
	u, err := s.Users.User(ctx, user)
	if err != nil {
		return nil, err
	}
	if err := CheckKeyHolder(u); err != nil {
		return nil, err
	}
	return u, nil
}

// CheckKeyHolder refuses a new signing key to a disabled user.
func CheckKeyHolder(u *review.User) error {
	if u.Disabled {
		return review.Errorf(review.EFORBIDDEN, "用户“%s”已停用，不能生成新的签名密钥。", u.Label())
	}
	return nil
}

// RotateKey gives user a new signing key under their passphrase and closes
// the current one (NewKey, Store.AddKey). Only the user themselves can do
// it: the passphrase that encrypts the key is theirs alone.
func (s *Service) RotateKey(ctx context.Context, user, passphrase string) (*review.Key, error) {
	u, err := s.CheckRotateKey(ctx, user)
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
	if err := s.admin(ctx, actor, TaskCalendar); err != nil {
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
	if err := s.admin(ctx, actor, TaskCalendar); err != nil {
		return err
	}
	return s.Store.RemoveCalendarOverride(ctx, d, actor)
}
