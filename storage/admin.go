package storage

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"qianfa/review"
	"qianfa/review/workflow"
)

// usersTx lists the users inside tx, for rules that look at all of them
// (CheckAdminsRemain).
func usersTx(ctx context.Context, tx *sql.Tx) ([]review.User, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	defer rows.Close()
	var out []review.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *u)
	}
	return out, rows.Err()
}

// changeUser applies change to the named user inside one transaction. It
// refuses the change unless actor is an active administrator as the
// transaction sees the users (not as the caller saw them: the actor may
// have been demoted or disabled since), or if it would leave no active
// administrator; otherwise it stores the user's roles and state with an
// audit entry saying what changed. A change that changes nothing writes
// nothing, so that a repeated command leaves no misleading entry in the
// log.
func (db *DB) changeUser(ctx context.Context, name, actor string, change func(*review.User) string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		users, err := usersTx(ctx, tx)
		if err != nil {
			return err
		}
		var a *review.User
		if j := slices.IndexFunc(users, func(u review.User) bool { return u.Name == actor }); j >= 0 {
			a = &users[j]
		}
		if err := workflow.CheckAdmin(a, actor, workflow.TaskUsers); err != nil {
			return err
		}
		i := slices.IndexFunc(users, func(u review.User) bool { return u.Name == name })
		if i < 0 {
			return review.Errorf(review.ENOTFOUND, "没有用户“%s”。", name)
		}
		before := users[i]
		after := before
		after.Roles = slices.Clone(before.Roles)
		detail := change(&after)
		if after.Disabled == before.Disabled && slices.Equal(after.Roles, before.Roles) {
			return nil
		}
		if err := after.Validate(); err != nil {
			return err
		}
		if err := workflow.CheckAdminsRemain(users, after); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET roles = ?, disabled = ? WHERE name = ?`,
			joinRoles(after.Roles), after.Disabled, name); err != nil {
			return fmt.Errorf("update user: %w", err)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionUser, Detail: detail})
	})
}

// SetRoles replaces a user's roles; it refuses to take the role 管理员 from
// the last active administrator.
func (db *DB) SetRoles(ctx context.Context, name string, roles []review.Role, actor string) error {
	if err := workflow.CheckRoles(name, roles); err != nil {
		return err
	}
	return db.changeUser(ctx, name, actor, func(u *review.User) string {
		old := joinRoles(u.Roles)
		u.Roles = slices.Clone(roles)
		return fmt.Sprintf("修改用户 %s 的角色：%s → %s", u.Name, old, joinRoles(u.Roles))
	})
}

// SetDisabled stops or restores a user's access; it refuses to stop the
// last active administrator. The user's keys stay, so decisions they signed
// remain verifiable.
func (db *DB) SetDisabled(ctx context.Context, name string, disabled bool, actor string) error {
	return db.changeUser(ctx, name, actor, func(u *review.User) string {
		u.Disabled = disabled
		if disabled {
			return fmt.Sprintf("停用用户 %s，其签名密钥保留以验证已作出的决定", u.Name)
		}
		return fmt.Sprintf("启用用户 %s", u.Name)
	})
}
