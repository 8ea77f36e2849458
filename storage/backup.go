package storage

import (
	"context"
	"database/sql"
	"fmt"
	"os"

	"qianfa/review"
)

// Backup writes a consistent copy of the workspace to dest with VACUUM INTO,
// which reads one snapshot, so the app may keep writing meanwhile. dest must
// not exist: a backup never overwrites.
func (db *DB) Backup(ctx context.Context, dest, actor string) error {
	if _, err := os.Stat(dest); err == nil {
		return review.Errorf(review.ECONFLICT, "备份目标 %s 已存在，不会覆盖。", dest)
	}
	if _, err := db.db.ExecContext(ctx, `VACUUM INTO ?`, dest); err != nil {
		return review.WrapError(review.EINTERNAL, err, "备份到 %s 失败。", dest)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionBackup, Detail: fmt.Sprintf("备份到 %s", dest)})
	})
}
