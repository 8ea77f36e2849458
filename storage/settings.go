package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"qianfa/review"
	"qianfa/review/workflow"
)

// Settings returns the office's settings, or review.DefaultSettings before
// the administrator saves any.
func (db *DB) Settings(ctx context.Context) (review.Settings, error) {
	return readSettings(ctx, db.db)
}

type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func readSettings(ctx context.Context, q rowQuerier) (review.Settings, error) {
	s := review.DefaultSettings
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'office'`).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return s, fmt.Errorf("read settings: %w", err)
	}
	if err := json.Unmarshal([]byte(v), &s); err != nil {
		return s, fmt.Errorf("decode settings: %w", err)
	}
	return s, nil
}

// SaveSettings stores the office's settings.
func (db *DB) SaveSettings(ctx context.Context, s review.Settings, actor string) error {
	if err := s.Validate(); err != nil {
		return err
	}
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		// The administrator's task; before any administrator exists (a new
		// workspace being set up) there is nobody to ask.
		users, err := usersTx(ctx, tx)
		if err != nil {
			return err
		}
		if workflow.HasAdmin(users) {
			if err := adminTx(ctx, tx, actor, workflow.TaskSettings); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES ('office', ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, string(b)); err != nil {
			return fmt.Errorf("save settings: %w", err)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionSettings,
			Detail: fmt.Sprintf("机构代码 %s，索引号规则 %s", s.OrgCode, s.IndexPattern)})
	})
}
