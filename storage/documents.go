package storage

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"qianfa/review"
)

// documentColumns are read by scanDocument, in this order, from documents d.
const documentColumns = `d.id, d.index_no, d.status, d.validity, d.current_rev, d.skip_legality, d.stage_since,
	d.published_on, d.published_url, coalesce(d.superseded_by, 0), coalesce(d.supersedes, 0),
	coalesce(d.interpretation_of, 0), d.created_by, d.created_at, d.updated_at, d.meta, d.current_hash`

// withText joins the current revision, for its text.
const withText = ` JOIN revisions r ON r.document_id = d.id AND r.number = d.current_rev`

type scanner interface{ Scan(dest ...any) error }

func scanDocument(s scanner, extra ...any) (*review.Document, error) {
	var d review.Document
	var status, validity, stageSince, createdAt, updatedAt, meta string
	dest := []any{&d.ID, &d.IndexNo, &status, &validity, &d.CurrentRevision, &d.SkipLegality, &stageSince,
		&d.PublishedOn, &d.PublishedURL, &d.SupersededBy, &d.Supersedes, &d.InterpretationOf,
		&d.CreatedBy, &createdAt, &updatedAt, &meta, &d.CurrentHash}
	if err := s.Scan(append(dest, extra...)...); err != nil {
		return nil, err
	}
	d.Status, d.Validity = review.Status(status), review.Validity(validity)
	d.StageSince, d.CreatedAt, d.UpdatedAt = parseTime(stageSince), parseTime(createdAt), parseTime(updatedAt)
	if err := json.Unmarshal([]byte(meta), &d.Meta); err != nil {
		return nil, fmt.Errorf("decode metadata of document %d: %w", d.ID, err)
	}
	return &d, nil
}

// CreateDocument stores a new document with its first revision, assigns its
// 索引号 from the administrator's pattern, and records an audit entry.
func (db *DB) CreateDocument(ctx context.Context, n review.NewDocument) (*review.Document, error) {
	if n.Meta.Disclosure == "" {
		n.Meta.Disclosure = review.DisclosureActive
	}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		indexNo, err := db.nextIndexNo(ctx, tx, now.Year())
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO documents (index_no, status, validity, current_rev, title, kind, meta, current_hash, stage_since, created_by, created_at, updated_at)
			VALUES (?, ?, ?, 0, '', '', '{}', '', ?, ?, ?, ?)`, indexNo, string(review.StatusDraft), string(review.ValidityInForce),
			formatTime(now), n.Author, formatTime(now), formatTime(now))
		if err != nil {
			return fmt.Errorf("insert document: %w", err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return err
		}
		rev := review.Revision{DocumentID: id, Number: 1, Meta: n.Meta, Text: n.Text, Author: n.Author, Note: n.Note, Source: n.Source, CreatedAt: now}
		if err := db.insertRevision(ctx, tx, &rev); err != nil {
			return err
		}
		detail := fmt.Sprintf("新建《%s》（%s，索引号 %s）", n.Meta.Title, n.Meta.Kind, indexNo)
		if n.Source != "" {
			detail = fmt.Sprintf("从 %s 导入《%s》（%s，索引号 %s）", n.Source, n.Meta.Title, n.Meta.Kind, indexNo)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: n.Author, Action: review.ActionCreate, DocumentID: id, Revision: 1, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return db.Document(ctx, id)
}

// nextIndexNo takes the next number of the year from the counter, so that a
// number is never handed out twice.
func (db *DB) nextIndexNo(ctx context.Context, tx *sql.Tx, year int) (string, error) {
	s, err := readSettings(ctx, tx)
	if err != nil {
		return "", err
	}
	var seq int
	err = tx.QueryRowContext(ctx, `INSERT INTO index_counters (org, year, last) VALUES (?, ?, 1)
		ON CONFLICT (org, year) DO UPDATE SET last = last + 1 RETURNING last`, s.OrgCode, year).Scan(&seq)
	if err != nil {
		return "", fmt.Errorf("next index number: %w", err)
	}
	return review.FormatIndexNo(s.IndexPattern, s.OrgCode, year, seq)
}

// insertRevision writes rev (computing its hash) and makes it the document's
// current revision, in the catalogue and in the search index.
func (db *DB) insertRevision(ctx context.Context, tx *sql.Tx, rev *review.Revision) error {
	rev.Hash = review.RevisionHash(rev.Meta, rev.Text)
	if rev.Drafter == "" {
		rev.Drafter = rev.Author
	}
	meta, err := json.Marshal(rev.Meta)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO revisions (document_id, number, hash, meta, title, kind, text, author, drafter, redacted_from, note, source, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, rev.DocumentID, rev.Number, rev.Hash, string(meta), rev.Meta.Title,
		string(rev.Meta.Kind), rev.Text, rev.Author, rev.Drafter, rev.RedactedFrom, rev.Note, rev.Source, formatTime(rev.CreatedAt)); err != nil {
		return fmt.Errorf("insert revision: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE documents SET current_rev = ?, title = ?, kind = ?, meta = ?, current_hash = ?, updated_at = ? WHERE id = ?`,
		rev.Number, rev.Meta.Title, string(rev.Meta.Kind), string(meta), rev.Hash, formatTime(rev.CreatedAt), rev.DocumentID); err != nil {
		return fmt.Errorf("make revision current: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM documents_fts WHERE rowid = ?`, rev.DocumentID); err != nil {
		return fmt.Errorf("unindex document: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO documents_fts (rowid, title, text) VALUES (?, ?, ?)`, rev.DocumentID, rev.Meta.Title, rev.Text); err != nil {
		return fmt.Errorf("index document: %w", err)
	}
	return nil
}

// ReviseDocument adds a revision with new metadata and text. A document
// under review or approved goes back to 草稿, since every decision binds to
// one revision hash; a published document is not revised in place.
func (db *DB) ReviseDocument(ctx context.Context, id int64, meta review.Metadata, text, author, note string) (*review.Revision, error) {
	n := review.NewDocument{Meta: meta, Text: text, Author: author, Note: note}
	if err := n.Validate(); err != nil {
		return nil, err
	}
	var rev review.Revision
	err := db.tx(ctx, func(tx *sql.Tx) error {
		d, err := documentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if d.Status == review.StatusPublished {
			return review.Errorf(review.ECONFLICT, "《%s》已发布，不能在原文件上修改；请新建修订文件并关联“修订自”。", d.Meta.Title)
		}
		if review.RevisionHash(meta, text) == d.CurrentHash {
			return review.Errorf(review.EINVALID, "内容与当前修订版相同，没有新的改动。")
		}
		now := db.now()
		rev = review.Revision{DocumentID: id, Number: d.CurrentRevision + 1, Meta: meta, Text: text, Author: author, Note: note, CreatedAt: now}
		if err := db.insertRevision(ctx, tx, &rev); err != nil {
			return err
		}
		status, since := d.Status, d.StageSince
		detail := fmt.Sprintf("第 %d 版", rev.Number)
		if !d.Status.Editable() {
			status, since = review.StatusDraft, now
			detail += fmt.Sprintf("；原状态“%s”，审查须从保密审查重新开始", d.Status)
		}
		if note != "" {
			detail += "；说明：" + note
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = ?, stage_since = ? WHERE id = ?`,
			string(status), formatTime(since), id); err != nil {
			return fmt.Errorf("update document: %w", err)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: author, Action: review.ActionRevise, DocumentID: id, Revision: rev.Number, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return &rev, nil
}

// RedactDocument adds a revision whose text is the current one with some
// characters replaced by ■ and nothing else, made by a confidentiality
// reviewer. The document stays in 待保密审查 (or 草稿): redaction is part of
// confidentiality review, and the text's drafter is unchanged, so the
// drafter still may not review it and the redactor may decide only the
// confidentiality stage on it (see workflow.CheckDecision).
func (db *DB) RedactDocument(ctx context.Context, id int64, text, redactor, note, detail string) (*review.Revision, error) {
	var rev review.Revision
	err := db.tx(ctx, func(tx *sql.Tx) error {
		u, err := userTx(ctx, tx, redactor)
		if err != nil {
			return err
		}
		if !u.Has(review.RoleConfidentiality) {
			return review.Errorf(review.EFORBIDDEN, "只有保密审查员可以作遮盖处理，“%s”没有该角色。", u.Label())
		}
		d, err := documentTx(ctx, tx, id)
		if err != nil {
			return err
		}
		if d.Status != review.StatusConfidentiality && !d.Status.Editable() {
			return review.Errorf(review.ECONFLICT, "《%s》当前状态为“%s”，只能在草稿或保密审查阶段作遮盖处理。", d.Meta.Title, d.Status)
		}
		cur, err := revisionTx(ctx, tx, id, d.CurrentRevision)
		if err != nil {
			return err
		}
		if !review.IsRedaction(cur.Text, text) {
			return review.Errorf(review.EINVALID, "遮盖结果与第 %d 版正文不符：遮盖只能把字符替换为■，不能改动其他内容。", cur.Number)
		}
		now := db.now()
		rev = review.Revision{DocumentID: id, Number: cur.Number + 1, Meta: cur.Meta, Text: text, Author: redactor,
			Drafter: cur.Drafter, RedactedFrom: cur.Number, Note: note, CreatedAt: now}
		if err := db.insertRevision(ctx, tx, &rev); err != nil {
			return err
		}
		if detail != "" {
			detail += "；"
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: redactor, Action: review.ActionRedact, DocumentID: id, Revision: rev.Number,
			Detail: fmt.Sprintf("%s第 %d 版 → 第 %d 版，%d 个字符被遮盖；审查阶段不变（%s）", detail, cur.Number, rev.Number, redactedChars(cur.Text, text), d.Status)})
	})
	if err != nil {
		return nil, err
	}
	return &rev, nil
}

// redactedChars counts the code points a redaction blacked out.
func redactedChars(before, after string) int {
	a, b := []rune(before), []rune(after)
	n := 0
	for i := range b {
		if b[i] == review.RedactionMark && a[i] != review.RedactionMark {
			n++
		}
	}
	return n
}

// Document returns the document with the given ID.
func (db *DB) Document(ctx context.Context, id int64) (*review.Document, error) {
	return documentTx(ctx, db.db, id)
}

func documentTx(ctx context.Context, q rowQuerier, id int64) (*review.Document, error) {
	d, err := scanDocument(q.QueryRowContext(ctx, `SELECT `+documentColumns+` FROM documents d WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, review.Errorf(review.ENOTFOUND, "找不到编号为 %d 的文件。", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read document %d: %w", id, err)
	}
	return d, nil
}

// defaultLimit bounds a listing when the caller sets none.
const defaultLimit = 500

// FindDocuments lists documents matching f, most recently changed first.
// A query of three or more characters uses the trigram index; a shorter one
// scans with LIKE, newest first, and stops at the limit.
func (db *DB) FindDocuments(ctx context.Context, f review.DocumentFilter) ([]review.DocumentHit, error) {
	var where []string
	var args []any
	if f.Kind != "" {
		where = append(where, "d.kind = ?")
		args = append(args, string(f.Kind))
	}
	if f.Status != "" {
		where = append(where, "d.status = ?")
		args = append(args, string(f.Status))
	}
	if f.Validity != "" {
		where = append(where, "d.validity = ?")
		args = append(args, string(f.Validity))
	}
	query := strings.TrimSpace(f.Query)
	from := ` FROM documents d`
	switch n := utf8.RuneCountInString(query); {
	case n >= 3:
		where = append(where, "d.id IN (SELECT rowid FROM documents_fts WHERE documents_fts MATCH ?)")
		args = append(args, `"`+strings.ReplaceAll(query, `"`, `""`)+`"`)
	case n > 0:
		like := "%" + escapeLike(query) + "%"
		from += withText
		where = append(where, `(d.title LIKE ? ESCAPE '\' OR r.text LIKE ? ESCAPE '\')`)
		args = append(args, like, like)
	}
	// First the page of IDs, sorted, reading no text: sorting whole rows
	// with their text made a common word over 10,000 documents ten times
	// slower. Then the rows of that page only.
	q := `SELECT d.id` + from
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	limit := f.Limit
	if limit <= 0 {
		limit = defaultLimit
	}
	q += " ORDER BY d.updated_at DESC, d.id DESC LIMIT ? OFFSET ?"
	args = append(args, limit, max(f.Offset, 0))
	ids, err := queryIDs(ctx, db.db, q, args...)
	if err != nil || len(ids) == 0 {
		return nil, dbError(err)
	}
	cols, from := documentColumns, ` FROM documents d`
	if query != "" {
		cols, from = cols+", r.text", from+withText
	}
	placeholders := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	idArgs := make([]any, len(ids))
	for i, id := range ids {
		idArgs[i] = id
	}
	rows, err := db.db.QueryContext(ctx, `SELECT `+cols+from+` WHERE d.id IN (`+placeholders+`)`, idArgs...)
	if err != nil {
		return nil, dbError(fmt.Errorf("find documents: %w", err))
	}
	defer rows.Close()
	byID := make(map[int64]review.DocumentHit, len(ids))
	for rows.Next() {
		var text string
		var extra []any
		if query != "" {
			extra = append(extra, &text)
		}
		d, err := scanDocument(rows, extra...)
		if err != nil {
			return nil, err
		}
		hit := review.DocumentHit{Document: *d}
		if query != "" {
			if strings.Contains(strings.ToLower(d.Meta.Title), strings.ToLower(query)) {
				hit.Snippet, hit.Matches = review.Snippet(d.Meta.Title, query, 80)
			} else {
				hit.Snippet, hit.Matches = review.Snippet(text, query, 80)
			}
		}
		byID[d.ID] = hit
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]review.DocumentHit, 0, len(ids))
	for _, id := range ids {
		if h, ok := byID[id]; ok {
			out = append(out, h)
		}
	}
	return out, nil
}

func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find documents: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// revisionColumns are read by scanRevision, in this order.
const revisionColumns = `document_id, number, hash, meta, text, author, drafter, redacted_from, note, source, created_at`

// Revision returns revision n of a document; 0 means the current one.
func (db *DB) Revision(ctx context.Context, id int64, n int) (*review.Revision, error) {
	if n == 0 {
		d, err := db.Document(ctx, id)
		if err != nil {
			return nil, err
		}
		n = d.CurrentRevision
	}
	return revisionTx(ctx, db.db, id, n)
}

func revisionTx(ctx context.Context, q rowQuerier, id int64, n int) (*review.Revision, error) {
	rev, err := scanRevision(q.QueryRowContext(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE document_id = ? AND number = ?`, id, n))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, review.Errorf(review.ENOTFOUND, "文件 %d 没有第 %d 版。", id, n)
	}
	if err != nil {
		return nil, fmt.Errorf("read revision %d of document %d: %w", n, id, err)
	}
	if rev.RedactedFrom != 0 {
		if rev.Redactors, err = redactorsTx(ctx, q, rev); err != nil {
			return nil, err
		}
	}
	return rev, nil
}

// redactorsTx follows a redaction back through the redactions it builds on
// to the drafter's revision and returns their authors, rev's first: each did
// confidentiality review's work on rev's text (review.Revision.Redactors).
func redactorsTx(ctx context.Context, q rowQuerier, rev *review.Revision) ([]string, error) {
	names := []string{rev.Author}
	for n := rev.RedactedFrom; n != 0; {
		var author string
		var from int
		if err := q.QueryRowContext(ctx, `SELECT author, redacted_from FROM revisions WHERE document_id = ? AND number = ?`,
			rev.DocumentID, n).Scan(&author, &from); err != nil {
			return nil, fmt.Errorf("read redaction chain of revision %d of document %d: %w", rev.Number, rev.DocumentID, err)
		}
		if from == 0 || from >= n { // the drafter's own revision (or a chain that does not go back)
			break
		}
		if !slices.Contains(names, author) {
			names = append(names, author)
		}
		n = from
	}
	return names, nil
}

// listRedactors is redactorsTx over a document's revisions already read.
func listRedactors(revs []review.Revision) {
	byNumber := make(map[int]*review.Revision, len(revs))
	for i := range revs {
		byNumber[revs[i].Number] = &revs[i]
	}
	for i := range revs {
		r := &revs[i]
		if r.RedactedFrom == 0 {
			continue
		}
		r.Redactors = []string{r.Author}
		for n := r.RedactedFrom; n != 0; {
			prev := byNumber[n]
			if prev == nil || prev.RedactedFrom == 0 || prev.RedactedFrom >= n {
				break
			}
			if !slices.Contains(r.Redactors, prev.Author) {
				r.Redactors = append(r.Redactors, prev.Author)
			}
			n = prev.RedactedFrom
		}
	}
}

func scanRevision(s scanner) (*review.Revision, error) {
	var r review.Revision
	var meta, created string
	if err := s.Scan(&r.DocumentID, &r.Number, &r.Hash, &meta, &r.Text, &r.Author, &r.Drafter, &r.RedactedFrom, &r.Note, &r.Source, &created); err != nil {
		return nil, err
	}
	r.CreatedAt = parseTime(created)
	if err := json.Unmarshal([]byte(meta), &r.Meta); err != nil {
		return nil, fmt.Errorf("decode revision metadata: %w", err)
	}
	return &r, nil
}

// Revisions lists a document's revisions, oldest first.
func (db *DB) Revisions(ctx context.Context, id int64) ([]review.Revision, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+revisionColumns+` FROM revisions WHERE document_id = ? ORDER BY number`, id)
	if err != nil {
		return nil, fmt.Errorf("list revisions: %w", err)
	}
	defer rows.Close()
	var out []review.Revision
	for rows.Next() {
		r, err := scanRevision(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	listRedactors(out)
	if len(out) == 0 {
		if _, err := db.Document(ctx, id); err != nil {
			return nil, err
		}
	}
	return out, nil
}
