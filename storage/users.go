package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"qianfa/review"
	"qianfa/review/workflow"
)

// CreateUser stores a new user; u.PassHash must already hold the argon2id
// hash of the user's passphrase. Like CreateUserWithKey it is for an
// administrator, or for the workspace's first administrator.
func (db *DB) CreateUser(ctx context.Context, u *review.User, actor string) error {
	if err := checkNewUser(u); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error { return db.insertUserTx(ctx, tx, u, actor) })
}

// checkNewUser checks what needs no transaction: the record itself.
func checkNewUser(u *review.User) error {
	if err := u.Validate(); err != nil {
		return err
	}
	if u.PassHash == "" {
		return review.Errorf(review.EINVALID, "用户“%s”没有设置口令。", u.Name)
	}
	return nil
}

// insertUserTx stores u with an audit entry, after checking inside tx that
// actor may create them (workflow.CheckCreateUser): the users are read in
// the same write transaction, which SQLite runs one at a time, so a check
// made by a caller a moment ago, or a concurrent first-administrator
// bootstrap, cannot slip past it.
func (db *DB) insertUserTx(ctx context.Context, tx *sql.Tx, u *review.User, actor string) error {
	users, err := usersTx(ctx, tx)
	if err != nil {
		return err
	}
	if err := workflow.CheckCreateUser(users, actor, u); err != nil {
		return err
	}
	if slices.ContainsFunc(users, func(x review.User) bool { return x.Name == u.Name }) {
		return review.Errorf(review.ECONFLICT, "用户“%s”已存在。", u.Name)
	}
	u.CreatedAt = db.now()
	if _, err := tx.ExecContext(ctx, `INSERT INTO users (name, display_name, roles, pass_hash, disabled, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		u.Name, u.DisplayName, joinRoles(u.Roles), u.PassHash, u.Disabled, formatTime(u.CreatedAt)); err != nil {
		return fmt.Errorf("insert user: %w", err)
	}
	return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionUser,
		Detail: fmt.Sprintf("新建用户 %s（%s），角色：%s", u.Name, u.DisplayName, joinRoles(u.Roles))})
}

func joinRoles(rs []review.Role) string {
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func splitRoles(s string) []review.Role {
	var out []review.Role
	for _, p := range strings.Split(s, ",") {
		if p != "" {
			out = append(out, review.Role(p))
		}
	}
	return out
}

const userColumns = `name, display_name, roles, pass_hash, disabled, created_at`

func scanUser(s scanner) (*review.User, error) {
	var u review.User
	var roles, created string
	if err := s.Scan(&u.Name, &u.DisplayName, &roles, &u.PassHash, &u.Disabled, &created); err != nil {
		return nil, err
	}
	u.Roles, u.CreatedAt = splitRoles(roles), parseTime(created)
	return &u, nil
}

// User returns the user with the given login name.
func (db *DB) User(ctx context.Context, name string) (*review.User, error) {
	u, err := scanUser(db.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, review.Errorf(review.ENOTFOUND, "没有用户“%s”。", name)
	}
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}

// Users lists all users by name.
func (db *DB) Users(ctx context.Context) ([]review.User, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+userColumns+` FROM users ORDER BY name`)
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
