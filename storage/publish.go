package storage

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"path/filepath"

	"qianfa/review"
	"qianfa/review/publish"
)

// DB implements publish.Store.
var _ publish.Store = (*DB)(nil)

// chunkSize is how much of an attachment one row holds: large enough that
// per-row overhead vanishes, small enough that a chunk is a cheap copy.
const chunkSize = 1 << 20

// AddAttachment stores a's metadata and the content read from r, in chunks,
// in one transaction. It fills a.Size and a.SHA256 from what it read; if
// they were set beforehand, they must match, so a caller that hashed the
// file while choosing it learns of a file that changed underneath.
func (db *DB) AddAttachment(ctx context.Context, a *publish.Attachment, r io.Reader, actor string) error {
	if err := publish.CheckAttachmentName(a.Name); err != nil {
		return err
	}
	if a.MediaType == "" {
		a.MediaType = publish.MediaType(a.Name)
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		doc, err := documentTx(ctx, tx, a.DocumentID)
		if err != nil {
			return err
		}
		if err := publish.CheckAttachmentsEditable(doc); err != nil {
			return err
		}
		if err := requireClerkTx(ctx, tx, actor); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM attachments WHERE document_id = ? AND name = ?`, a.DocumentID, a.Name).Scan(&n); err != nil {
			return fmt.Errorf("check attachment name: %w", err)
		}
		if n > 0 {
			return review.Errorf(review.ECONFLICT, "《%s》已有名为“%s”的附件。", doc.Meta.Title, a.Name)
		}
		a.AddedBy, a.AddedAt = actor, db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO attachments (document_id, name, media_type, size, sha256, added_by, added_at)
			VALUES (?, ?, ?, 0, '', ?, ?)`, a.DocumentID, a.Name, a.MediaType, actor, formatTime(a.AddedAt))
		if err != nil {
			return fmt.Errorf("insert attachment: %w", err)
		}
		if a.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		size, sum, err := insertChunks(ctx, tx, a.ID, r)
		if err != nil {
			return err
		}
		if (a.Size != 0 && a.Size != size) || (a.SHA256 != "" && a.SHA256 != sum) {
			return review.Errorf(review.ECONFLICT, "附件“%s”在读取时发生了变化，请重新添加。", a.Name)
		}
		a.Size, a.SHA256 = size, sum
		if _, err := tx.ExecContext(ctx, `UPDATE attachments SET size = ?, sha256 = ? WHERE id = ?`, size, sum, a.ID); err != nil {
			return fmt.Errorf("update attachment: %w", err)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionAttachment, DocumentID: a.DocumentID,
			Revision: doc.CurrentRevision, Detail: fmt.Sprintf("添加附件“%s”（%s，SHA-256 %s）", a.Name, publish.FormatSize(size), shortHash(sum))})
	})
}

func insertChunks(ctx context.Context, tx *sql.Tx, id int64, r io.Reader) (int64, string, error) {
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (?, ?, ?)`)
	if err != nil {
		return 0, "", fmt.Errorf("prepare chunk insert: %w", err)
	}
	defer stmt.Close()
	h := sha256.New()
	buf := make([]byte, chunkSize)
	var size int64
	for seq := 0; ; seq++ {
		n, rerr := io.ReadFull(r, buf)
		if n > 0 {
			h.Write(buf[:n])
			size += int64(n)
			if _, err := stmt.ExecContext(ctx, id, seq, buf[:n]); err != nil {
				return 0, "", fmt.Errorf("insert chunk: %w", err)
			}
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			return size, hex.EncodeToString(h.Sum(nil)), nil
		}
		if rerr != nil {
			return 0, "", review.WrapError(review.EINVALID, rerr, "读取附件失败。")
		}
	}
}

// requireClerkTx refuses, inside tx, an actor who is not a 经办人.
func requireClerkTx(ctx context.Context, tx *sql.Tx, actor string) error {
	u, err := userTx(ctx, tx, actor)
	if err != nil {
		return err
	}
	if !u.Has(review.RoleClerk) {
		return review.Errorf(review.EFORBIDDEN, "只有经办人可以办理，“%s”不是经办人。", u.Label())
	}
	return nil
}

// Attachments lists a document's attachments by name.
func (db *DB) Attachments(ctx context.Context, docID int64) ([]publish.Attachment, error) {
	if _, err := db.Document(ctx, docID); err != nil {
		return nil, err
	}
	rows, err := db.db.QueryContext(ctx, `SELECT id, document_id, name, media_type, size, sha256, added_by, added_at
		FROM attachments WHERE document_id = ? ORDER BY name`, docID)
	if err != nil {
		return nil, fmt.Errorf("list attachments: %w", err)
	}
	defer rows.Close()
	var out []publish.Attachment
	for rows.Next() {
		var a publish.Attachment
		var at string
		if err := rows.Scan(&a.ID, &a.DocumentID, &a.Name, &a.MediaType, &a.Size, &a.SHA256, &a.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("scan attachment: %w", err)
		}
		a.AddedAt = parseTime(at)
		out = append(out, a)
	}
	return out, rows.Err()
}

// OpenAttachment streams an attachment chunk by chunk. A reader reaching
// the end of content whose size differs from the recorded one gets an
// error; the content's hash is not recomputed here, since export already
// hashes every byte for the manifest and compares that hash with the
// recorded one (publish.Service.Export), and hashing twice would halve
// the speed of a large export.
func (db *DB) OpenAttachment(ctx context.Context, id int64) (io.ReadCloser, error) {
	var size int64
	var name string
	err := db.db.QueryRowContext(ctx, `SELECT size, name FROM attachments WHERE id = ?`, id).Scan(&size, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, review.Errorf(review.ENOTFOUND, "没有编号为 %d 的附件。", id)
	}
	if err != nil {
		return nil, fmt.Errorf("read attachment: %w", err)
	}
	rows, err := db.db.QueryContext(ctx, `SELECT data FROM attachment_chunks WHERE attachment_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("read attachment chunks: %w", err)
	}
	return &chunkReader{rows: rows, size: size, name: name}, nil
}

// chunkReader hands out the chunks of one query, in order. A chunk is
// scanned as sql.RawBytes, the driver's own copy of the row, and copied
// once into the caller's buffer: scanning into a []byte would have
// database/sql allocate and copy every megabyte a second time. The bytes
// stay valid until the next call to rows.Next, which is only made once
// they have all been handed out.
type chunkReader struct {
	rows *sql.Rows
	buf  sql.RawBytes
	size int64
	n    int64
	name string
	err  error
}

func (c *chunkReader) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if !c.rows.Next() {
			c.err = c.finish()
			return 0, c.err
		}
		if err := c.rows.Scan(&c.buf); err != nil {
			c.err = fmt.Errorf("scan chunk: %w", err)
			return 0, c.err
		}
		c.n += int64(len(c.buf))
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

func (c *chunkReader) finish() error {
	if err := c.rows.Err(); err != nil {
		return fmt.Errorf("read chunks: %w", err)
	}
	if c.n != c.size {
		return review.Errorf(review.EINVALID, "附件“%s”的大小与添加时记录的不符，工作区中的附件可能被改动。", c.name)
	}
	return io.EOF
}

func (c *chunkReader) Close() error { return c.rows.Close() }

// RemoveAttachment deletes an attachment and its content.
func (db *DB) RemoveAttachment(ctx context.Context, id int64, actor string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var docID int64
		var name, sum string
		err := tx.QueryRowContext(ctx, `SELECT document_id, name, sha256 FROM attachments WHERE id = ?`, id).Scan(&docID, &name, &sum)
		if errors.Is(err, sql.ErrNoRows) {
			return review.Errorf(review.ENOTFOUND, "没有编号为 %d 的附件。", id)
		}
		if err != nil {
			return fmt.Errorf("read attachment: %w", err)
		}
		doc, err := documentTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		if err := publish.CheckAttachmentsEditable(doc); err != nil {
			return err
		}
		if err := requireClerkTx(ctx, tx, actor); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM attachment_chunks WHERE attachment_id = ?`, id); err != nil {
			return fmt.Errorf("delete chunks: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM attachments WHERE id = ?`, id); err != nil {
			return fmt.Errorf("delete attachment: %w", err)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionAttachment, DocumentID: docID,
			Revision: doc.CurrentRevision, Detail: fmt.Sprintf("删除附件“%s”（SHA-256 %s）", name, shortHash(sum))})
	})
}

// RecordExport records a written package and audits it.
func (db *DB) RecordExport(ctx context.Context, e *publish.Export) error {
	if e.At.IsZero() {
		e.At = db.now()
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := documentTx(ctx, tx, e.DocumentID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO exports (document_id, revision, revision_hash, path, sha256, size, actor, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, e.DocumentID, e.Revision, e.RevisionHash, e.Path, e.SHA256, e.Size, e.Actor, formatTime(e.At))
		if err != nil {
			return fmt.Errorf("insert export: %w", err)
		}
		if e.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{At: e.At, Actor: e.Actor, Action: review.ActionExport, DocumentID: e.DocumentID,
			Revision: e.Revision, Detail: fmt.Sprintf("导出发布包 %s（%s，SHA-256 %s）", filepath.Base(e.Path), publish.FormatSize(e.Size), e.SHA256)})
	})
}

// Exports lists a document's exports, oldest first.
func (db *DB) Exports(ctx context.Context, docID int64) ([]publish.Export, error) {
	return exportsTx(ctx, db.db, docID)
}

func exportsTx(ctx context.Context, q querier, docID int64) ([]publish.Export, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, document_id, revision, revision_hash, path, sha256, size, actor, at
		FROM exports WHERE document_id = ? ORDER BY id`, docID)
	if err != nil {
		return nil, fmt.Errorf("list exports: %w", err)
	}
	defer rows.Close()
	var out []publish.Export
	for rows.Next() {
		var e publish.Export
		var at string
		if err := rows.Scan(&e.ID, &e.DocumentID, &e.Revision, &e.RevisionHash, &e.Path, &e.SHA256, &e.Size, &e.Actor, &at); err != nil {
			return nil, fmt.Errorf("scan export: %w", err)
		}
		e.At = parseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}

// RecordPublication moves an exported, 已签发 document to 已发布.
func (db *DB) RecordPublication(ctx context.Context, docID int64, date, link, actor string) (*review.Document, error) {
	var doc *review.Document
	err := db.tx(ctx, func(tx *sql.Tx) error {
		d, err := documentTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		exports, err := exportsTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		if err := publish.CheckPublish(d, exports, date, link); err != nil {
			return err
		}
		if err := requireClerkTx(ctx, tx, actor); err != nil {
			return err
		}
		now := formatTime(db.now())
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET status = ?, published_on = ?, published_url = ?, stage_since = ?, updated_at = ? WHERE id = ?`,
			string(review.StatusPublished), date, link, now, now, docID); err != nil {
			return fmt.Errorf("publish: %w", err)
		}
		if err := db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionPublish, DocumentID: docID,
			Revision: d.CurrentRevision, Detail: fmt.Sprintf("登记发布：发布日期 %s，网址 %s", date, link)}); err != nil {
			return err
		}
		doc, err = documentTx(ctx, tx, docID)
		return err
	})
	return doc, err
}

// MarkAmended marks docID 已修订 and links it with its successor both ways.
func (db *DB) MarkAmended(ctx context.Context, docID, successor int64, actor string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		d, err := documentTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		s, err := documentTx(ctx, tx, successor)
		if err != nil {
			return err
		}
		if err := publish.CheckAmend(d, s); err != nil {
			return err
		}
		if err := requireClerkTx(ctx, tx, actor); err != nil {
			return err
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET validity = ?, superseded_by = ?, updated_at = ? WHERE id = ?`,
			string(review.ValidityAmended), successor, formatTime(now), docID); err != nil {
			return fmt.Errorf("mark amended: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET supersedes = ?, updated_at = ? WHERE id = ?`, docID, formatTime(now), successor); err != nil {
			return fmt.Errorf("link successor: %w", err)
		}
		if err := insertValidityChange(ctx, tx, publish.ValidityChange{DocumentID: docID, Validity: review.ValidityAmended, Successor: successor, Actor: actor, At: now}); err != nil {
			return err
		}
		if err := db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionValidity, DocumentID: docID,
			Detail: fmt.Sprintf("有效性改为已修订，修订后的文件：《%s》（%s）", s.Meta.Title, s.IndexNo)}); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionValidity, DocumentID: successor,
			Detail: fmt.Sprintf("登记为《%s》（%s）的修订版", d.Meta.Title, d.IndexNo)})
	})
}

// MarkRepealed marks docID 已废止 on date.
func (db *DB) MarkRepealed(ctx context.Context, docID int64, date, actor string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		d, err := documentTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		if err := publish.CheckRepeal(d, date); err != nil {
			return err
		}
		if err := requireClerkTx(ctx, tx, actor); err != nil {
			return err
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET validity = ?, updated_at = ? WHERE id = ?`,
			string(review.ValidityRepealed), formatTime(now), docID); err != nil {
			return fmt.Errorf("mark repealed: %w", err)
		}
		if err := insertValidityChange(ctx, tx, publish.ValidityChange{DocumentID: docID, Validity: review.ValidityRepealed, Date: date, Actor: actor, At: now}); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionValidity, DocumentID: docID,
			Detail: fmt.Sprintf("有效性改为已废止，废止日期 %s", date)})
	})
}

func insertValidityChange(ctx context.Context, tx *sql.Tx, c publish.ValidityChange) error {
	var succ any
	if c.Successor != 0 {
		succ = c.Successor
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO validity_changes (document_id, validity, successor, date, actor, at) VALUES (?, ?, ?, ?, ?, ?)`,
		c.DocumentID, string(c.Validity), succ, c.Date, c.Actor, formatTime(c.At))
	if err != nil {
		return fmt.Errorf("insert validity change: %w", err)
	}
	return nil
}

// ValidityChanges lists a document's validity changes, oldest first.
func (db *DB) ValidityChanges(ctx context.Context, docID int64) ([]publish.ValidityChange, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT document_id, validity, coalesce(successor, 0), date, actor, at
		FROM validity_changes WHERE document_id = ? ORDER BY id`, docID)
	if err != nil {
		return nil, fmt.Errorf("list validity changes: %w", err)
	}
	defer rows.Close()
	var out []publish.ValidityChange
	for rows.Next() {
		var c publish.ValidityChange
		var v, at string
		if err := rows.Scan(&c.DocumentID, &v, &c.Successor, &c.Date, &c.Actor, &at); err != nil {
			return nil, fmt.Errorf("scan validity change: %w", err)
		}
		c.Validity, c.At = review.Validity(v), parseTime(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// LinkInterpretation records that interp, a 政策解读, interprets docID.
func (db *DB) LinkInterpretation(ctx context.Context, interp, docID int64, actor string) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		it, err := documentTx(ctx, tx, interp)
		if err != nil {
			return err
		}
		d, err := documentTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		switch {
		case it.Meta.Kind != review.KindInterpretation:
			return review.Errorf(review.EINVALID, "《%s》的文种是“%s”，只有政策解读可以登记为解读。", it.Meta.Title, it.Meta.Kind)
		case interp == docID:
			return review.Errorf(review.EINVALID, "文件不能解读自身。")
		}
		if err := requireClerkTx(ctx, tx, actor); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE documents SET interpretation_of = ?, updated_at = ? WHERE id = ?`, docID, formatTime(db.now()), interp); err != nil {
			return fmt.Errorf("link interpretation: %w", err)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionLink, DocumentID: interp,
			Detail: fmt.Sprintf("登记为《%s》（%s）的政策解读", d.Meta.Title, d.IndexNo)})
	})
}

// Interpretations lists the documents that interpret docID, newest first.
func (db *DB) Interpretations(ctx context.Context, docID int64) ([]review.Document, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+documentColumns+` FROM documents d WHERE d.interpretation_of = ? ORDER BY d.id DESC`, docID)
	if err != nil {
		return nil, fmt.Errorf("list interpretations: %w", err)
	}
	defer rows.Close()
	var out []review.Document
	for rows.Next() {
		d, err := scanDocument(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}
