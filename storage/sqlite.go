// Package storage keeps Qianfa's workspace in one SQLite file through
// modernc.org/sqlite (pure Go, so the CLI builds without cgo). It implements
// the store interfaces of package review.
//
// Every connection gets foreign keys, a busy timeout and WAL through the DSN,
// because a one-off PRAGMA reaches one pooled connection only. Transactions
// begin IMMEDIATE so that two processes writing the same workspace (the app
// and the CLI) queue on the write lock instead of failing on upgrade.
package storage

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"qianfa/review"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

//go:embed migrations/*.sql
var migrations embed.FS

// DB is an open workspace. It implements review.DocumentStore,
// review.UserStore, review.AuditLog and review.SettingsStore.
type DB struct {
	db   *sql.DB
	path string
	// Now tells the time; tests replace it.
	Now review.Clock
}

// Open opens (creating if needed) the workspace at path and applies any
// pending migrations.
func Open(path string) (*DB, error) {
	if path == "" {
		return nil, review.Errorf(review.EINVALID, "未指定工作区文件。")
	}
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, review.WrapError(review.EINTERNAL, err, "无法创建工作区目录 %s。", dir)
		}
	}
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "busy_timeout(15000)", "journal_mode(WAL)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	// A file: URI decodes %XX and ends the name at ? or #, so those three
	// are escaped: a workspace may live in a folder called "2025#1".
	name := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	sqldb, err := sql.Open("sqlite", "file:"+name+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	db := &DB{db: sqldb, path: path, Now: time.Now}
	if err := db.migrate(context.Background()); err != nil {
		sqldb.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the workspace.
func (db *DB) Close() error { return db.db.Close() }

// Path returns the workspace file's path.
func (db *DB) Path() string { return db.path }

func (db *DB) now() time.Time { return db.Now().UTC() }

// migrate applies the embedded migrations in order, each in its own
// transaction, recording each in schema_migrations. A shipped migration is
// never edited; changes come as new numbered files.
func (db *DB) migrate(ctx context.Context) error {
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("create schema_migrations: %w", err)
	}
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migration %s: name must start with a number", base)
		}
		if err := db.applyMigration(ctx, v, name); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) applyMigration(ctx context.Context, version int, name string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		// Checked inside the (immediate) transaction: another process may
		// have applied it while we waited for the lock.
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, version).Scan(&n); err != nil {
			return fmt.Errorf("check migration %d: %w", version, err)
		}
		if n > 0 {
			return nil
		}
		body, err := migrations.ReadFile(name)
		if err != nil {
			return fmt.Errorf("read migration: %w", err)
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			return fmt.Errorf("apply migration %s: %w", name, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			version, filepath.Base(name), db.now().Format(time.RFC3339Nano))
		return err
	})
}

// Migrations lists the applied migrations' file names, in order.
func (db *DB) Migrations(ctx context.Context) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT name FROM schema_migrations ORDER BY version`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// tx runs fn in a transaction: begin, fn, commit; any error rolls back, so
// a failed action writes nothing.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.db.BeginTx(ctx, nil)
	if err != nil {
		return dbError(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return dbError(err)
	}
	if err := tx.Commit(); err != nil {
		return dbError(fmt.Errorf("commit: %w", err))
	}
	return nil
}

// dbError turns a busy or locked database into a message a user can act on;
// domain errors pass through unchanged.
func dbError(err error) error {
	var de *review.Error
	if errors.As(err, &de) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() & 0xff {
		case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
			return review.WrapError(review.ECONFLICT, err, "工作区正被其他程序占用，请稍后再试。")
		case sqlite3.SQLITE_READONLY:
			return review.WrapError(review.EFORBIDDEN, err, "工作区文件只读，无法写入。")
		case sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB:
			return review.WrapError(review.EINTERNAL, err, "工作区文件已损坏或不是 Qianfa 工作区。")
		}
	}
	return err
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
