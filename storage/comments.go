package storage

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/comment"
)

// DB implements comment.Store.
var _ comment.Store = (*DB)(nil)

// commentCalendar is the working-day calendar as the transaction sees it:
// shipped notices with the administrator's corrections.
func commentCalendar(ctx context.Context, q querier) (*calendar.Calendar, error) {
	overrides, err := calendarOverridesTx(ctx, q)
	if err != nil {
		return nil, err
	}
	return calendar.New(calendar.Shipped(), overrides...), nil
}

type txQuerier interface {
	querier
	rowQuerier
}

func parseDate(s string) calendar.Date {
	d, _ := calendar.Parse(s)
	return d
}

// OpenCommentWindow opens the comment window on the document's current,
// approved revision.
func (db *DB) OpenCommentWindow(ctx context.Context, docID int64, spec comment.WindowSpec, actor string) (*comment.Window, error) {
	var w *comment.Window
	err := db.tx(ctx, func(tx *sql.Tx) error {
		doc, err := documentTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		if _, err := windowTx(ctx, tx, docID); err == nil {
			return review.Errorf(review.ECONFLICT, "《%s》已开启征求意见；如需更改截止日期，请延长征求意见期限。", doc.Meta.Title)
		} else if review.ErrorCode(err) != review.ENOTFOUND {
			return err
		}
		if err := comment.CheckOpen(doc); err != nil {
			return err
		}
		if spec.Kind, err = comment.RuleKind(doc.Meta.Kind, spec.Kind); err != nil {
			return err
		}
		cal, err := commentCalendar(ctx, tx)
		if err != nil {
			return err
		}
		if err := spec.Check(cal); err != nil {
			return err
		}
		now := formatTime(db.now())
		if _, err := tx.ExecContext(ctx, `INSERT INTO comment_windows (document_id, revision, revision_hash, kind, channels, market, start_date, end_date, reason, opened_by, opened_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, docID, doc.CurrentRevision, doc.CurrentHash, string(spec.Kind),
			comment.JoinChannels(spec.Channels), spec.Market, spec.Start.String(), spec.End.String(), strings.TrimSpace(spec.Reason), actor, now); err != nil {
			return fmt.Errorf("insert comment window: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO comment_window_changes (document_id, start_date, end_date, reason, extension, actor, at) VALUES (?, ?, ?, ?, 0, ?, ?)`,
			docID, spec.Start.String(), spec.End.String(), strings.TrimSpace(spec.Reason), actor, now); err != nil {
			return fmt.Errorf("insert comment window history: %w", err)
		}
		detail := fmt.Sprintf("第 %d 版公开征求意见：%s至%s，渠道 %s（按%s期限）", doc.CurrentRevision, spec.Start.Chinese(), spec.End.Chinese(),
			comment.JoinChannels(spec.Channels), spec.Kind)
		if spec.Market {
			detail += "，涉及市场主体"
		}
		if r := strings.TrimSpace(spec.Reason); r != "" {
			detail += "，理由：" + r
		}
		if err := db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionComment, DocumentID: docID, Revision: doc.CurrentRevision, Detail: detail}); err != nil {
			return err
		}
		w, err = windowTx(ctx, tx, docID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// ExtendCommentWindow moves the window's end later, keeping the history.
func (db *DB) ExtendCommentWindow(ctx context.Context, docID int64, end calendar.Date, reason, actor string) (*comment.Window, error) {
	var w *comment.Window
	err := db.tx(ctx, func(tx *sql.Tx) error {
		old, err := windowTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		cal, err := commentCalendar(ctx, tx)
		if err != nil {
			return err
		}
		if err := old.CheckExtend(cal, end, reason); err != nil {
			return err
		}
		reason = strings.TrimSpace(reason)
		if _, err := tx.ExecContext(ctx, `UPDATE comment_windows SET end_date = ? WHERE document_id = ?`, end.String(), docID); err != nil {
			return fmt.Errorf("extend comment window: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO comment_window_changes (document_id, start_date, end_date, reason, extension, actor, at) VALUES (?, ?, ?, ?, 1, ?, ?)`,
			docID, old.Start.String(), end.String(), reason, actor, formatTime(db.now())); err != nil {
			return fmt.Errorf("insert comment window history: %w", err)
		}
		if err := db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionComment, DocumentID: docID, Revision: old.Revision,
			Detail: fmt.Sprintf("征求意见截止日期由%s延长至%s，理由：%s", old.End.Chinese(), end.Chinese(), reason)}); err != nil {
			return err
		}
		w, err = windowTx(ctx, tx, docID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return w, nil
}

// CommentWindow returns the document's comment window.
func (db *DB) CommentWindow(ctx context.Context, docID int64) (*comment.Window, error) {
	return windowTx(ctx, db.db, docID)
}

const windowColumns = `document_id, revision, revision_hash, kind, channels, market, start_date, end_date, reason, opened_by, opened_at, feedback_at, coalesce(feedback_document, 0)`

func scanWindow(s scanner) (*comment.Window, error) {
	var w comment.Window
	var kind, channels, start, end, opened, feedback string
	if err := s.Scan(&w.DocumentID, &w.Revision, &w.RevisionHash, &kind, &channels, &w.Market, &start, &end, &w.Reason,
		&w.OpenedBy, &opened, &feedback, &w.FeedbackDocument); err != nil {
		return nil, err
	}
	w.Kind, w.Start, w.End, w.OpenedAt = review.Kind(kind), parseDate(start), parseDate(end), parseTime(opened)
	w.Channels, _ = comment.ParseChannels(channels)
	if feedback != "" {
		w.FeedbackAt = parseTime(feedback)
	}
	return &w, nil
}

func windowTx(ctx context.Context, q txQuerier, docID int64) (*comment.Window, error) {
	w, err := scanWindow(q.QueryRowContext(ctx, `SELECT `+windowColumns+` FROM comment_windows WHERE document_id = ?`, docID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, review.Errorf(review.ENOTFOUND, "文件 %d 尚未开启征求意见。", docID)
	}
	if err != nil {
		return nil, fmt.Errorf("read comment window: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT start_date, end_date, reason, extension, actor, at FROM comment_window_changes WHERE document_id = ? ORDER BY id`, docID)
	if err != nil {
		return nil, fmt.Errorf("read comment window history: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c comment.WindowChange
		var start, end, at string
		if err := rows.Scan(&start, &end, &c.Reason, &c.Extension, &c.Actor, &at); err != nil {
			return nil, err
		}
		c.Start, c.End, c.At = parseDate(start), parseDate(end), parseTime(at)
		w.History = append(w.History, c)
	}
	return w, rows.Err()
}

// CommentDrafts lists every document with a comment window and its counts.
func (db *DB) CommentDrafts(ctx context.Context) ([]comment.Draft, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT w.document_id,
			(SELECT count(*) FROM comments c WHERE c.document_id = w.document_id),
			(SELECT count(*) FROM comment_groups g WHERE g.document_id = w.document_id AND EXISTS (SELECT 1 FROM comments c WHERE c.group_id = g.id)),
			(SELECT count(*) FROM comment_groups g WHERE g.document_id = w.document_id AND g.disposition = '' AND EXISTS (SELECT 1 FROM comments c WHERE c.group_id = g.id))
		FROM comment_windows w ORDER BY w.opened_at DESC, w.document_id DESC`)
	if err != nil {
		return nil, fmt.Errorf("list comment drafts: %w", err)
	}
	var out []comment.Draft
	var ids []int64
	for rows.Next() {
		var d comment.Draft
		var id int64
		if err := rows.Scan(&id, &d.Comments, &d.Groups, &d.Undisposed); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, id)
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i, id := range ids {
		doc, err := documentTx(ctx, db.db, id)
		if err != nil {
			return nil, err
		}
		w, err := windowTx(ctx, db.db, id)
		if err != nil {
			return nil, err
		}
		out[i].Document, out[i].Window = *doc, *w
		// Late is counted from the comments, not the stored flag, since an
		// extension can bring a late comment back inside the window.
		cs, err := commentsTx(ctx, db.db, id)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if c.Late {
				out[i].Late++
			}
		}
	}
	return out, nil
}

// AddComments records comments, grouping near-duplicates.
func (db *DB) AddComments(ctx context.Context, docID int64, cs []comment.NewComment, actor string) ([]comment.Comment, error) {
	if len(cs) == 0 {
		return nil, review.Errorf(review.EINVALID, "没有要登记的意见。")
	}
	var added []comment.Comment
	err := db.tx(ctx, func(tx *sql.Tx) error {
		w, err := windowTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		if err := comment.CheckAdd(w); err != nil {
			return err
		}
		rev, err := revisionTx(ctx, tx, docID, w.Revision)
		if err != nil {
			return err
		}
		arts := comment.ArticlesOf(rev.Text)
		for i := range cs {
			if err := cs[i].Validate(arts); err != nil {
				if cs[i].Line > 0 {
					return review.WrapError(review.EINVALID, err, "第 %d 行：%s", cs[i].Line, review.ErrorMessage(err))
				}
				return err
			}
		}
		existing, err := commentsTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		texts := make([]string, len(existing))
		for i, c := range existing {
			texts[i] = c.Text
		}
		incoming := make([]string, len(cs))
		for i, c := range cs {
			incoming[i] = c.Text
		}
		match := comment.Assign(texts, incoming)
		groups := make([]int64, len(cs))
		no := 0
		if n := len(existing); n > 0 {
			no = existing[n-1].No
		}
		now := formatTime(db.now())
		late, joined := 0, 0
		for i := range cs {
			switch j := match[i]; {
			case j < 0:
				res, err := tx.ExecContext(ctx, `INSERT INTO comment_groups (document_id) VALUES (?)`, docID)
				if err != nil {
					return fmt.Errorf("insert comment group: %w", err)
				}
				if groups[i], err = res.LastInsertId(); err != nil {
					return err
				}
			case j < len(existing):
				groups[i] = existing[j].Group
				joined++
			default:
				groups[i] = groups[j-len(existing)]
				joined++
			}
			no++
			c := &cs[i]
			isLate := w.Late(c.ReceivedAt)
			if isLate {
				late++
			}
			src := c.Source
			if src == "" {
				src = "手工录入"
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO comments (document_id, no, group_id, submitter_type, submitter, received_at, channel, text, article, late, source, created_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, docID, no, groups[i], string(c.SubmitterType), c.Submitter,
				formatTime(c.ReceivedAt), string(c.Channel), c.Text, c.Article, isLate, src, actor, now); err != nil {
				return fmt.Errorf("insert comment: %w", err)
			}
		}
		first := no - len(cs) + 1
		detail := fmt.Sprintf("登记意见第 %d 条", first)
		if len(cs) > 1 {
			detail = fmt.Sprintf("登记意见 %d 条（第 %d—%d 条）", len(cs), first, no)
		}
		if src := cs[0].Source; len(cs) > 1 && src != "" {
			detail += "，来自 " + strings.SplitN(src, " 第 ", 2)[0]
		}
		if late > 0 {
			detail += fmt.Sprintf("，其中逾期 %d 条", late)
		}
		if joined > 0 {
			detail += fmt.Sprintf("，%d 条与已有意见内容相同或相近，归入同组", joined)
		}
		if err := db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionComment, DocumentID: docID, Revision: w.Revision, Detail: detail}); err != nil {
			return err
		}
		all, err := commentsTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		added = all[len(existing):]
		return nil
	})
	if err != nil {
		return nil, err
	}
	return added, nil
}

// Comments lists the document's comments by number.
func (db *DB) Comments(ctx context.Context, docID int64) ([]comment.Comment, error) {
	if _, err := windowTx(ctx, db.db, docID); err != nil {
		return nil, err
	}
	return commentsTx(ctx, db.db, docID)
}

func commentsTx(ctx context.Context, q querier, docID int64) ([]comment.Comment, error) {
	// The stored late column is the flag as the comment was recorded; the
	// window may have been extended since, so lateness is judged against the
	// window's end as it stands now.
	rows, err := q.QueryContext(ctx, `SELECT c.id, c.document_id, c.no, c.group_id,
			count(*) OVER (PARTITION BY c.group_id), min(c.no) OVER (PARTITION BY c.group_id),
			c.submitter_type, c.submitter, c.received_at, c.channel, c.text, c.article, w.end_date, c.source, c.created_by, c.created_at,
			g.disposition, g.reason, g.disposed_by, g.disposed_at
		FROM comments c JOIN comment_groups g ON g.id = c.group_id JOIN comment_windows w ON w.document_id = c.document_id
		WHERE c.document_id = ? ORDER BY c.no`, docID)
	if err != nil {
		return nil, fmt.Errorf("list comments: %w", err)
	}
	defer rows.Close()
	var out []comment.Comment
	for rows.Next() {
		var c comment.Comment
		var typ, received, channel, end, created, disp, disposed string
		if err := rows.Scan(&c.ID, &c.DocumentID, &c.No, &c.Group, &c.GroupSize, &c.GroupLead, &typ, &c.Submitter, &received,
			&channel, &c.Text, &c.Article, &end, &c.Source, &c.CreatedBy, &created, &disp, &c.Reason, &c.DisposedBy, &disposed); err != nil {
			return nil, fmt.Errorf("scan comment: %w", err)
		}
		c.SubmitterType, c.Channel, c.Disposition = comment.SubmitterType(typ), comment.Channel(channel), comment.Disposition(disp)
		c.ReceivedAt, c.CreatedAt = parseTime(received), parseTime(created)
		c.Late = (&comment.Window{End: parseDate(end)}).Late(c.ReceivedAt)
		if disposed != "" {
			c.DisposedAt = parseTime(disposed)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// DisposeComment answers comment number no and its whole group.
func (db *DB) DisposeComment(ctx context.Context, docID int64, no int, d comment.Disposition, reason, actor string) ([]comment.Comment, error) {
	reason = strings.TrimSpace(reason)
	if err := comment.CheckDisposition(d, reason); err != nil {
		return nil, err
	}
	if utf8.RuneCountInString(reason) > 2000 {
		return nil, review.Errorf(review.EINVALID, "理由过长（最多 2000 字）。")
	}
	var group []comment.Comment
	err := db.tx(ctx, func(tx *sql.Tx) error {
		w, err := windowTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		if !w.FeedbackAt.IsZero() {
			return review.Errorf(review.ECONFLICT, "已经反馈意见采纳情况，处理意见不能再改。")
		}
		var gid int64
		var prev string
		err = tx.QueryRowContext(ctx, `SELECT c.group_id, g.disposition FROM comments c JOIN comment_groups g ON g.id = c.group_id WHERE c.document_id = ? AND c.no = ?`,
			docID, no).Scan(&gid, &prev)
		if errors.Is(err, sql.ErrNoRows) {
			return review.Errorf(review.ENOTFOUND, "没有第 %d 条意见。", no)
		}
		if err != nil {
			return fmt.Errorf("read comment: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comment_groups SET disposition = ?, reason = ?, disposed_by = ?, disposed_at = ? WHERE id = ?`,
			string(d), reason, actor, formatTime(db.now()), gid); err != nil {
			return fmt.Errorf("dispose comment group: %w", err)
		}
		all, err := commentsTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		var nos []string
		for _, c := range all {
			if c.Group == gid {
				group = append(group, c)
				nos = append(nos, fmt.Sprint(c.No))
			}
		}
		detail := fmt.Sprintf("意见第 %s 条处理为“%s”", strings.Join(nos, "、"), d)
		if prev != "" {
			detail = fmt.Sprintf("意见第 %s 条的处理由“%s”改为“%s”", strings.Join(nos, "、"), prev, d)
		}
		if reason != "" {
			detail += "，理由：" + reason
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionComment, DocumentID: docID, Revision: w.Revision, Detail: detail})
	})
	if err != nil {
		return nil, err
	}
	return group, nil
}

// reportTx builds the feedback report against the current revision.
func (db *DB) reportTx(ctx context.Context, q txQuerier, docID int64) (*comment.Report, *review.Document, *comment.Window, []comment.Comment, error) {
	doc, err := documentTx(ctx, q, docID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	w, err := windowTx(ctx, q, docID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	cs, err := commentsTx(ctx, q, docID)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	draft, err := revisionTx(ctx, q, docID, w.Revision)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	final, err := revisionTx(ctx, q, docID, doc.CurrentRevision)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	r, err := comment.Build(comment.Input{Document: *doc, Window: *w, Comments: cs, DraftText: draft.Text,
		FinalText: final.Text, FinalRevision: final.Number, Now: db.now()})
	if err != nil {
		return nil, nil, nil, nil, err
	}
	return r, doc, w, cs, nil
}

// CommentReport builds the feedback report.
func (db *DB) CommentReport(ctx context.Context, docID int64) (*comment.Report, error) {
	r, _, _, _, err := db.reportTx(ctx, db.db, docID)
	return r, err
}

// IssueCommentFeedback stores the report as a new document and marks the
// window answered, in one transaction.
func (db *DB) IssueCommentFeedback(ctx context.Context, docID int64, actor string) (*review.Document, error) {
	var newID int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		r, doc, w, cs, err := db.reportTx(ctx, tx, docID)
		if err != nil {
			return err
		}
		now := db.now()
		if err := comment.CheckFeedback(w, cs, calendar.FromTime(now)); err != nil {
			return err
		}
		meta := review.Metadata{Title: comment.FeedbackTitle(doc.Meta.Title), Kind: review.KindOther,
			Issuer: doc.Meta.Issuer, Subject: doc.Meta.Subject, Disclosure: review.DisclosureActive}
		n := review.NewDocument{Meta: meta, Text: r.Text(), Author: actor,
			Note: fmt.Sprintf("由《%s》的征求意见情况生成", doc.Meta.Title)}
		if err := n.Validate(); err != nil {
			return err
		}
		indexNo, err := db.nextIndexNo(ctx, tx, now.Year())
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO documents (index_no, status, validity, current_rev, title, kind, meta, current_hash, stage_since, created_by, created_at, updated_at)
			VALUES (?, ?, ?, 0, '', '', '{}', '', ?, ?, ?, ?)`, indexNo, string(review.StatusDraft), string(review.ValidityInForce),
			formatTime(now), actor, formatTime(now), formatTime(now))
		if err != nil {
			return fmt.Errorf("insert feedback document: %w", err)
		}
		if newID, err = res.LastInsertId(); err != nil {
			return err
		}
		rev := review.Revision{DocumentID: newID, Number: 1, Meta: meta, Text: n.Text, Author: actor, Note: n.Note, CreatedAt: now}
		if err := db.insertRevision(ctx, tx, &rev); err != nil {
			return err
		}
		if err := db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionCreate, DocumentID: newID, Revision: 1,
			Detail: fmt.Sprintf("新建《%s》（%s，索引号 %s），由文件 %d 的征求意见情况生成", meta.Title, meta.Kind, indexNo, docID)}); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE comment_windows SET feedback_at = ?, feedback_document = ? WHERE document_id = ?`,
			formatTime(now), newID, docID); err != nil {
			return fmt.Errorf("mark feedback: %w", err)
		}
		return db.appendAudit(ctx, tx, review.AuditEntry{Actor: actor, Action: review.ActionComment, DocumentID: docID, Revision: doc.CurrentRevision,
			Detail: fmt.Sprintf("反馈意见采纳情况：%d 条意见，说明为文件 %d（索引号 %s），对照第 %d 版定稿", r.Total, newID, indexNo, r.FinalRevision)})
	})
	if err != nil {
		return nil, err
	}
	return db.Document(ctx, newID)
}

// PublicComment tells legality review whether and how public comment was
// held on the document.
func (db *DB) PublicComment(ctx context.Context, docID int64) (comment.Record, error) {
	if _, err := documentTx(ctx, db.db, docID); err != nil {
		return comment.Record{}, err
	}
	w, err := windowTx(ctx, db.db, docID)
	if review.ErrorCode(err) == review.ENOTFOUND {
		return comment.Record{}, nil
	}
	if err != nil {
		return comment.Record{}, err
	}
	cs, err := commentsTx(ctx, db.db, docID)
	if err != nil {
		return comment.Record{}, err
	}
	cal, err := commentCalendar(ctx, db.db)
	if err != nil {
		return comment.Record{}, err
	}
	return comment.NewRecord(w, cs, cal), nil
}
