package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/workflow"
)

// DB implements workflow.Store.
var _ workflow.Store = (*DB)(nil)

// CreateUserWithKey stores a new user and their first signing key in one
// transaction, if actor may create them (see insertUserTx).
func (db *DB) CreateUserWithKey(ctx context.Context, u *review.User, k *review.Key, actor string) error {
	if err := checkNewUser(u); err != nil {
		return err
	}
	if k == nil || k.User != u.Name {
		return review.Errorf(review.EINVALID, "用户“%s”的首个签名密钥缺失或不属于该用户。", u.Name)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.insertUserTx(ctx, tx, u, actor); err != nil {
			return err
		}
		return db.addKeyTx(ctx, tx, k, actor)
	})
}

// AddKey stores a new key for k.User and closes the current key's validity
// at k.ValidFrom. A user disabled since the caller looked gets none.
func (db *DB) AddKey(ctx context.Context, k *review.Key, actor string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		u, err := userTx(ctx, tx, k.User)
		if err != nil {
			return err
		}
		if err := workflow.CheckKeyHolder(u); err != nil {
			return err
		}
		return db.addKeyTx(ctx, tx, k, actor)
	})
}

// adminTx refuses, inside tx, a task of an administrator's to an actor who
// is not (or no longer) an active one.
func adminTx(ctx context.Context, tx *sql.Tx, actor, what string) error {
	u, err := userTx(ctx, tx, actor)
	if review.ErrorCode(err) == review.ENOTFOUND {
		u, err = nil, nil
	}
	if err != nil {
		return err
	}
	return workflow.CheckAdmin(u, actor, what)
}

func (db *DB) addKeyTx(ctx context.Context, tx *sql.Tx, k *review.Key, actor string) error {
	if k.PublicKey == "" || k.Fingerprint == "" || len(k.PrivateKey) == 0 || k.ValidFrom.IsZero() {
		return review.Errorf(review.EINVALID, "签名密钥不完整。")
	}
	var last sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT max(valid_from) FROM keys WHERE user = ?`, k.User).Scan(&last); err != nil {
		return fmt.Errorf("read keys: %w", err)
	}
	if last.Valid && !k.ValidFrom.After(parseTime(last.String)) {
		// Validity intervals must follow each other, or one moment would
		// have two keys and a rotation could reopen an old one.
		return review.Errorf(review.ECONFLICT, "新密钥的生效时间早于“%s”现有密钥，请检查系统时间。", k.User)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE keys SET valid_to = ? WHERE user = ? AND valid_to = ''`,
		formatTime(k.ValidFrom), k.User); err != nil {
		return fmt.Errorf("close old key: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO keys (user, public_key, fingerprint, private_key, valid_from, valid_to) VALUES (?, ?, ?, ?, ?, '')`,
		k.User, k.PublicKey, k.Fingerprint, k.PrivateKey, formatTime(k.ValidFrom))
	if err != nil {
		return fmt.Errorf("insert key: %w", err)
	}
	if k.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionKey,
		Detail: fmt.Sprintf("为 %s 生成签名密钥 %s，旧密钥即时停用", k.User, k.Fingerprint)})
}

// Keys lists a user's keys, oldest first.
func (db *DB) Keys(ctx context.Context, user string) ([]review.Key, error) {
	return keysTx(ctx, db.db, user)
}

func keysTx(ctx context.Context, q querier, user string) ([]review.Key, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, user, public_key, fingerprint, private_key, valid_from, valid_to
		FROM keys WHERE user = ? ORDER BY valid_from, id`, user)
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	defer rows.Close()
	var out []review.Key
	for rows.Next() {
		var k review.Key
		var from, to string
		if err := rows.Scan(&k.ID, &k.User, &k.PublicKey, &k.Fingerprint, &k.PrivateKey, &from, &to); err != nil {
			return nil, err
		}
		k.ValidFrom = parseTime(from)
		if to != "" {
			k.ValidTo = parseTime(to)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// SetPassHash replaces a user's passphrase hash.
func (db *DB) SetPassHash(ctx context.Context, user, hash, actor string) error {
	if hash == "" {
		return review.Errorf(review.EINVALID, "口令不能为空。")
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := userTx(ctx, tx, user); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET pass_hash = ? WHERE name = ?`, hash, user); err != nil {
			return fmt.Errorf("set passphrase: %w", err)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionUser, Detail: "更改 " + user + " 的口令"})
	})
}

// LoginFailed audits a failed login.
func (db *DB) LoginFailed(ctx context.Context, name string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: name, Action: review.ActionLoginFails, Detail: "以“" + name + "”登录失败"})
	})
}

func userTx(ctx context.Context, q rowQuerier, name string) (*review.User, error) {
	u, err := scanUser(q.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE name = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, review.Errorf(review.ENOTFOUND, "没有用户“%s”。", name)
	}
	if err != nil {
		return nil, fmt.Errorf("read user: %w", err)
	}
	return u, nil
}

// Submit sends the current revision to 保密审查 after checking the rules
// again inside the transaction.
func (db *DB) Submit(ctx context.Context, docID int64, revision int, actor string, skipLegality bool) (*review.Document, error) {
	var doc *review.Document
	err := db.tx(ctx, func(tx *sql.Tx) error {
		d, rev, prior, u, err := db.reviewState(ctx, tx, docID, actor)
		if err != nil {
			return err
		}
		if rev.Number != revision {
			return review.Errorf(review.ECONFLICT, "《%s》已有新的修订版（第 %d 版），请针对当前版本办理。", d.Meta.Title, rev.Number)
		}
		next, err := workflow.CheckSubmit(d, rev, prior, u, skipLegality)
		if err != nil {
			return err
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = ?, skip_legality = ?, stage_since = ?, updated_at = ? WHERE id = ?`,
			string(next), skipLegality, formatTime(now), formatTime(now), docID); err != nil {
			return fmt.Errorf("submit: %w", err)
		}
		detail := fmt.Sprintf("提交第 %d 版（%s）审查", rev.Number, shortHash(rev.Hash))
		if skipLegality {
			detail += "，经办人选择不经合法性审核"
		}
		if err := db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionSubmit, DocumentID: docID, Revision: rev.Number, Detail: detail}); err != nil {
			return err
		}
		doc, err = documentTx(ctx, tx, docID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

// reviewState reads, inside tx, what the rules need: the document, its
// current revision, the decisions on that revision and the acting user.
func (db *DB) reviewState(ctx context.Context, tx *sql.Tx, docID int64, actor string) (*review.Document, *review.Revision, []workflow.Decision, *review.User, error) {
	d, err := documentTx(ctx, tx, docID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	rev, err := revisionTx(ctx, tx, docID, d.CurrentRevision)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	all, err := decisionsTx(ctx, tx, docID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	u, err := userTx(ctx, tx, actor)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return d, rev, workflow.OnRevision(all, rev.Hash), u, nil
}

// RecordDecision checks the rules and the signature again inside the
// transaction, then writes the decision, the document's new status and an
// audit entry together.
func (db *DB) RecordDecision(ctx context.Context, dec *workflow.Decision) (*review.Document, error) {
	var doc *review.Document
	err := db.tx(ctx, func(tx *sql.Tx) error {
		d, rev, prior, u, err := db.reviewState(ctx, tx, dec.DocumentID, dec.Actor)
		if err != nil {
			return err
		}
		if dec.Revision != rev.Number || dec.RevisionHash != rev.Hash || dec.IndexNo != d.IndexNo {
			return review.Errorf(review.ECONFLICT, "《%s》已有新的修订版（第 %d 版），该决定针对的不是当前版本。", d.Meta.Title, rev.Number)
		}
		next, err := workflow.CheckDecision(d, rev, prior, u, dec.Proposal())
		if err != nil {
			return err
		}
		if err := checkScreeningTx(ctx, tx, rev, dec); err != nil {
			return err
		}
		keys, err := keysTx(ctx, tx, dec.Actor)
		if err != nil {
			return err
		}
		if err := dec.Verify(rev, keys); err != nil {
			return review.WrapError(review.EINVALID, err, "决定的签名无效：%s", review.ErrorMessage(err))
		}
		var checklist string
		if !dec.Checklist.IsZero() {
			b, err := json.Marshal(dec.Checklist)
			if err != nil {
				return err
			}
			checklist = string(b)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO decisions (document_id, index_no, revision, revision_hash, stage, outcome, reason, ground,
			checklist, actor, at, statement, signature, key_fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			dec.DocumentID, dec.IndexNo, dec.Revision, dec.RevisionHash, string(dec.Stage), string(dec.Outcome), dec.Reason,
			string(dec.Ground), checklist, dec.Actor, formatTime(dec.At), string(dec.Statement), string(dec.Signature), dec.KeyFP)
		if err != nil {
			return fmt.Errorf("insert decision: %w", err)
		}
		if dec.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = ?, stage_since = ?, updated_at = ? WHERE id = ?`,
			string(next), formatTime(now), formatTime(now), d.ID); err != nil {
			return fmt.Errorf("update status: %w", err)
		}
		if err := db.appendAudit(ctx, tx, review.AuditEntry{Actor: dec.Actor, Action: review.ActionDecide, DocumentID: d.ID,
			Revision: rev.Number, Detail: decisionDetail(dec, next)}); err != nil {
			return err
		}
		doc, err = documentTx(ctx, tx, d.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
}

func decisionDetail(d *workflow.Decision, next review.Status) string {
	s := fmt.Sprintf("%s：%s（第 %d 版 %s，密钥 %s）", d.Stage, d.Outcome, d.Revision, shortHash(d.RevisionHash), d.KeyFP)
	if d.Ground != "" {
		s += "；依据：" + string(d.Ground)
	}
	if d.Reason != "" {
		s += "；理由：" + d.Reason
	}
	return s + "；状态转为“" + string(next) + "”"
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// Decisions lists a document's decisions on all its revisions, oldest first.
func (db *DB) Decisions(ctx context.Context, docID int64) ([]workflow.Decision, error) {
	if _, err := db.Document(ctx, docID); err != nil {
		return nil, err
	}
	return decisionsTx(ctx, db.db, docID)
}

func decisionsTx(ctx context.Context, q querier, docID int64) ([]workflow.Decision, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, document_id, index_no, revision, revision_hash, stage, outcome, reason, ground,
		checklist, actor, at, statement, signature, key_fingerprint FROM decisions WHERE document_id = ? ORDER BY id`, docID)
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	defer rows.Close()
	var out []workflow.Decision
	for rows.Next() {
		var d workflow.Decision
		var stage, outcome, ground, checklist, at, statement, signature string
		if err := rows.Scan(&d.ID, &d.DocumentID, &d.IndexNo, &d.Revision, &d.RevisionHash, &stage, &outcome, &d.Reason, &ground,
			&checklist, &d.Actor, &at, &statement, &signature, &d.KeyFP); err != nil {
			return nil, err
		}
		d.Stage, d.Outcome, d.Ground = workflow.Stage(stage), workflow.Outcome(outcome), workflow.Ground(ground)
		d.At, d.Statement, d.Signature = parseTime(at), []byte(statement), []byte(signature)
		if checklist != "" {
			// A checklist that no longer parses is left empty: verification
			// then fails on the digest, which is the report it deserves.
			_ = json.Unmarshal([]byte(checklist), &d.Checklist)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// CalendarOverrides lists the administrator's corrections by date.
func (db *DB) CalendarOverrides(ctx context.Context) ([]calendar.Override, error) {
	return calendarOverridesTx(ctx, db.db)
}

func calendarOverridesTx(ctx context.Context, q querier) ([]calendar.Override, error) {
	rows, err := q.QueryContext(ctx, `SELECT date, off, note FROM calendar_overrides ORDER BY date`)
	if err != nil {
		return nil, fmt.Errorf("list calendar overrides: %w", err)
	}
	defer rows.Close()
	var out []calendar.Override
	for rows.Next() {
		var o calendar.Override
		var date string
		if err := rows.Scan(&date, &o.Off, &o.Note); err != nil {
			return nil, err
		}
		if o.Date, err = calendar.Parse(date); err != nil {
			return nil, fmt.Errorf("calendar override %q: %w", date, err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SetCalendarOverride adds or replaces the correction for o.Date; actor
// must be an active administrator when the transaction runs.
func (db *DB) SetCalendarOverride(ctx context.Context, o calendar.Override, actor string) error {
	if err := o.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := adminTx(ctx, tx, actor, workflow.TaskCalendar); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO calendar_overrides (date, off, note, set_by, set_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (date) DO UPDATE SET off = excluded.off, note = excluded.note, set_by = excluded.set_by, set_at = excluded.set_at`,
			o.Date.String(), o.Off, strings.TrimSpace(o.Note), actor, formatTime(db.now())); err != nil {
			return fmt.Errorf("set calendar override: %w", err)
		}
		kind := "工作日"
		if o.Off {
			kind = "休息日"
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionSettings,
			Detail: fmt.Sprintf("节假日调整：%s 设为%s %s", o.Date, kind, o.Note)})
	})
}

// RemoveCalendarOverride drops the correction for d, if any; actor must be
// an active administrator when the transaction runs.
func (db *DB) RemoveCalendarOverride(ctx context.Context, d calendar.Date, actor string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := adminTx(ctx, tx, actor, workflow.TaskCalendar); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM calendar_overrides WHERE date = ?`, d.String())
		if err != nil {
			return fmt.Errorf("remove calendar override: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return review.Errorf(review.ENOTFOUND, "%s 没有管理员调整。", d)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionSettings,
			Detail: fmt.Sprintf("节假日调整：撤销 %s 的调整，恢复为官方安排", d)})
	})
}
