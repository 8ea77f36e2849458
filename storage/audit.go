package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"qianfa/review"
)

// appendAudit adds e to the chain inside tx. Transactions begin IMMEDIATE,
// so reading the last entry and inserting the next cannot interleave with
// another writer, in this process or another.
func (db *DB) appendAudit(ctx context.Context, tx *sql.Tx, e review.AuditEntry) error {
	var lastSeq sql.NullInt64
	var lastHash sql.NullString
	err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&lastSeq, &lastHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("read audit tail: %w", err)
	}
	e.Seq = lastSeq.Int64 + 1
	e.PrevHash = review.GenesisHash
	if lastHash.Valid {
		e.PrevHash = lastHash.String
	}
	if e.At.IsZero() {
		e.At = db.now()
	}
	e.At = e.At.UTC()
	e.Hash = e.ComputeHash()
	var doc any
	if e.DocumentID != 0 {
		doc = e.DocumentID
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit (seq, at, actor, action, document_id, revision, detail, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, formatTime(e.At), e.Actor, string(e.Action), doc, e.Revision, e.Detail, e.PrevHash, e.Hash)
	if err != nil {
		return fmt.Errorf("append audit: %w", err)
	}
	return nil
}

// AuditEntries lists entries matching f, newest first.
func (db *DB) AuditEntries(ctx context.Context, f review.AuditFilter) ([]review.AuditEntry, error) {
	var where []string
	var args []any
	if f.DocumentID != 0 {
		where = append(where, "document_id = ?")
		args = append(args, f.DocumentID)
	}
	if f.Actor != "" {
		where = append(where, "actor = ?")
		args = append(args, f.Actor)
	}
	q := `SELECT seq, at, actor, action, coalesce(document_id, 0), revision, detail, prev_hash, hash FROM audit`
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY seq DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d", f.Limit)
	}
	return queryAudit(ctx, db.db, q, args...)
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryAudit(ctx context.Context, q querier, query string, args ...any) ([]review.AuditEntry, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("query audit: %w", err)
	}
	defer rows.Close()
	var out []review.AuditEntry
	for rows.Next() {
		var e review.AuditEntry
		var at, action string
		if err := rows.Scan(&e.Seq, &at, &e.Actor, &action, &e.DocumentID, &e.Revision, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
			return nil, fmt.Errorf("scan audit: %w", err)
		}
		e.At, e.Action = parseTime(at), review.Action(action)
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole chain in pages and returns its first break.
func (db *DB) VerifyAudit(ctx context.Context) (*review.AuditBreak, error) {
	prevHash, prevSeq := review.GenesisHash, int64(0)
	const page = 5000
	for {
		entries, err := queryAudit(ctx, db.db, `SELECT seq, at, actor, action, coalesce(document_id, 0), revision, detail, prev_hash, hash
			FROM audit WHERE seq > ? ORDER BY seq LIMIT ?`, prevSeq, page)
		if err != nil {
			return nil, err
		}
		if b := review.VerifyChain(entries, prevHash, prevSeq); b != nil {
			return b, nil
		}
		if len(entries) < page {
			return nil, nil
		}
		last := entries[len(entries)-1]
		prevHash, prevSeq = last.Hash, last.Seq
	}
}
