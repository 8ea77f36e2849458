package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"qianfa/review"
	"qianfa/review/screen"
	"qianfa/review/screening"
	"qianfa/review/workflow"
)

// DB implements screening.Store.
var _ screening.Store = (*DB)(nil)

// FindingDecisions lists a document's finding decisions, oldest first.
func (db *DB) FindingDecisions(ctx context.Context, docID int64) ([]screening.Decision, error) {
	if _, err := db.Document(ctx, docID); err != nil {
		return nil, err
	}
	return findingDecisionsTx(ctx, db.db, docID)
}

func findingDecisionsTx(ctx context.Context, q querier, docID int64) ([]screening.Decision, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, document_id, fingerprint, decision, reason, actor, at, revision, kind, text
		FROM finding_decisions WHERE document_id = ? ORDER BY id`, docID)
	if err != nil {
		return nil, fmt.Errorf("list finding decisions: %w", err)
	}
	defer rows.Close()
	var out []screening.Decision
	for rows.Next() {
		var d screening.Decision
		var status, at, kind string
		if err := rows.Scan(&d.ID, &d.DocumentID, &d.Fingerprint, &status, &d.Reason, &d.Actor, &at, &d.Revision, &kind, &d.Text); err != nil {
			return nil, fmt.Errorf("scan finding decision: %w", err)
		}
		d.Status, d.At, d.Kind = screening.Status(status), parseTime(at), screen.Kind(kind)
		out = append(out, d)
	}
	return out, rows.Err()
}

// AddFindingDecision appends d after checking, inside the transaction, that
// its revision is still the document's current one and that its actor is a
// 保密审查员: a decision made on a text that has changed since would attach
// to the wrong words.
func (db *DB) AddFindingDecision(ctx context.Context, d *screening.Decision) error {
	if err := d.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		doc, err := documentTx(ctx, tx, d.DocumentID)
		if err != nil {
			return err
		}
		if d.Revision != doc.CurrentRevision {
			return review.Errorf(review.ECONFLICT, "《%s》已有新的修订版（第 %d 版），请重新筛查后再处理。", doc.Meta.Title, doc.CurrentRevision)
		}
		u, err := userTx(ctx, tx, d.Actor)
		if err != nil {
			return err
		}
		if !u.Has(review.RoleConfidentiality) {
			return review.Errorf(review.EFORBIDDEN, "只有保密审查员可以处理筛查结果，“%s”没有该角色。", u.Label())
		}
		if d.At.IsZero() {
			d.At = db.now()
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO finding_decisions (document_id, fingerprint, decision, reason, actor, at, revision, kind, text)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.DocumentID, d.Fingerprint, string(d.Status), d.Reason, d.Actor,
			formatTime(d.At), d.Revision, string(d.Kind), d.Text)
		if err != nil {
			return fmt.Errorf("insert finding decision: %w", err)
		}
		if d.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		detail := fmt.Sprintf("%s%s“%s”（指纹 %s）", d.Status, d.Kind.Label(), d.Text, d.Fingerprint)
		if d.Reason != "" {
			detail += "；理由：" + d.Reason
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{At: d.At, Actor: d.Actor, Action: review.ActionScreen,
			DocumentID: d.DocumentID, Revision: d.Revision, Detail: detail})
	})
}

// KeywordLists returns the keyword lists by name.
func (db *DB) KeywordLists(ctx context.Context) ([]screen.KeywordList, error) {
	return keywordListsTx(ctx, db.db)
}

func keywordListsTx(ctx context.Context, q querier) ([]screen.KeywordList, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, ground, terms FROM keyword_lists ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list keyword lists: %w", err)
	}
	defer rows.Close()
	var out []screen.KeywordList
	for rows.Next() {
		var l screen.KeywordList
		var ground int
		var terms string
		if err := rows.Scan(&l.Name, &ground, &terms); err != nil {
			return nil, fmt.Errorf("scan keyword list: %w", err)
		}
		l.Ground = screen.Ground(ground)
		if terms != "" {
			l.Terms = strings.Split(terms, "\n")
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// requireAdmin refuses, inside tx, an actor who is not a 管理员.
func requireAdmin(ctx context.Context, tx *sql.Tx, actor string) error {
	u, err := userTx(ctx, tx, actor)
	if err != nil {
		return err
	}
	if !u.Has(review.RoleAdmin) {
		return review.Errorf(review.EFORBIDDEN, "只有管理员可以维护关键词表和白名单，“%s”不是管理员。", u.Label())
	}
	return nil
}

// SaveKeywordList stores l, replacing a list of the same name.
func (db *DB) SaveKeywordList(ctx context.Context, l screen.KeywordList, actor string) error {
	if strings.TrimSpace(l.Name) == "" {
		return review.Errorf(review.EINVALID, "关键词表须有名称。")
	}
	if !l.Ground.Valid() {
		return review.Errorf(review.EINVALID, "关键词表“%s”须注明依据：条例第十四条、第十五条或第十六条。", l.Name)
	}
	for _, t := range l.Terms {
		if strings.ContainsAny(t, "\n\r") || strings.TrimSpace(t) == "" {
			return review.Errorf(review.EINVALID, "关键词表“%s”含空词条或跨行的词条。", l.Name)
		}
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := requireAdmin(ctx, tx, actor); err != nil {
			return err
		}
		var old sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT ground FROM keyword_lists WHERE name = ?`, l.Name).Scan(&old)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("read keyword list: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO keyword_lists (name, ground, terms, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET ground = excluded.ground, terms = excluded.terms,
			updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			l.Name, int(l.Ground), strings.Join(l.Terms, "\n"), actor, formatTime(db.now())); err != nil {
			return fmt.Errorf("save keyword list: %w", err)
		}
		verb := "导入"
		if old.Valid {
			verb = "替换"
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionSettings,
			Detail: fmt.Sprintf("%s关键词表“%s”（%s，%d 个词条）", verb, l.Name, l.Ground, len(l.Terms))})
	})
}

// DeleteKeywordList removes the list called name.
func (db *DB) DeleteKeywordList(ctx context.Context, name, actor string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := requireAdmin(ctx, tx, actor); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM keyword_lists WHERE name = ?`, name)
		if err != nil {
			return fmt.Errorf("delete keyword list: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return review.Errorf(review.ENOTFOUND, "没有名为“%s”的关键词表。", name)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionSettings,
			Detail: fmt.Sprintf("删除关键词表“%s”", name)})
	})
}

// AllowList returns the allow-list's terms, sorted.
func (db *DB) AllowList(ctx context.Context) ([]string, error) {
	return allowListTx(ctx, db.db)
}

func allowListTx(ctx context.Context, q querier) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT term FROM allow_terms ORDER BY term`)
	if err != nil {
		return nil, fmt.Errorf("list allow terms: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// AddAllowTerm adds a term to the allow-list.
func (db *DB) AddAllowTerm(ctx context.Context, term, actor string) error {
	term = strings.TrimSpace(term)
	if term == "" {
		return review.Errorf(review.EINVALID, "白名单词条不能为空。")
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := requireAdmin(ctx, tx, actor); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO allow_terms (term, added_by, added_at) VALUES (?, ?, ?) ON CONFLICT (term) DO NOTHING`,
			term, actor, formatTime(db.now()))
		if err != nil {
			return fmt.Errorf("add allow term: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return review.Errorf(review.ECONFLICT, "“%s”已在白名单中。", term)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionSettings,
			Detail: fmt.Sprintf("白名单加入“%s”", term)})
	})
}

// RemoveAllowTerm removes a term from the allow-list.
func (db *DB) RemoveAllowTerm(ctx context.Context, term, actor string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := requireAdmin(ctx, tx, actor); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM allow_terms WHERE term = ?`, term)
		if err != nil {
			return fmt.Errorf("remove allow term: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return review.Errorf(review.ENOTFOUND, "白名单中没有“%s”。", term)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionSettings,
			Detail: fmt.Sprintf("白名单移除“%s”", term)})
	})
}

// screeningStateTx screens rev inside tx with the office's configuration
// and the document's decisions as they stand in this transaction.
func screeningStateTx(ctx context.Context, tx *sql.Tx, rev *review.Revision) (*screening.State, error) {
	lists, err := keywordListsTx(ctx, tx)
	if err != nil {
		return nil, err
	}
	allow, err := allowListTx(ctx, tx)
	if err != nil {
		return nil, err
	}
	decisions, err := findingDecisionsTx(ctx, tx, rev.DocumentID)
	if err != nil {
		return nil, err
	}
	sc := screen.New(screen.Config{Keywords: lists, Allow: allow})
	return screening.Evaluate(sc, rev, decisions), nil
}

// checkScreeningTx is RecordDecision's screening rule: a confidentiality
// approval (同意公开, 部分公开) of rev is refused while a finding is open or
// a confirmed one is still in the text. It runs inside the decision's
// transaction, so a finding decided away or a revision added meanwhile
// cannot slip past it.
func checkScreeningTx(ctx context.Context, tx *sql.Tx, rev *review.Revision, dec *workflow.Decision) error {
	if !screening.IsApproval(dec.Stage, dec.Outcome) {
		return nil
	}
	st, err := screeningStateTx(ctx, tx, rev)
	if err != nil {
		return err
	}
	return screening.CheckApproval(st)
}
