package comment

import (
	"context"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
)

// Store keeps public comment. Method names carry "Comment" because one
// storage type implements many stores. Every write appends an audit entry
// (review.ActionComment) in the same transaction, and implementations check
// the rules again inside it (WindowSpec.Check, Window.CheckExtend,
// NewComment.Validate, CheckDisposition), since the state may have changed
// since the caller looked.
type Store interface {
	// OpenCommentWindow opens the comment window on a document whose current
	// revision has been approved (已签发 or 已发布): that revision is the
	// one put out for comment. The working-day calendar is the shipped one
	// with the administrator's corrections.
	OpenCommentWindow(ctx context.Context, docID int64, spec WindowSpec, actor string) (*Window, error)
	// ExtendCommentWindow moves the window's end later and records why; the
	// earlier setting stays in the history.
	ExtendCommentWindow(ctx context.Context, docID int64, end calendar.Date, reason, actor string) (*Window, error)
	// CommentWindow returns a document's window; ENOTFOUND when none was opened.
	CommentWindow(ctx context.Context, docID int64) (*Window, error)
	// CommentDrafts lists every document with a comment window, the newest
	// window first.
	CommentDrafts(ctx context.Context) ([]Draft, error)
	// AddComments validates and records comments, flags late ones and puts
	// each in its group of near-duplicates (Assign), all or nothing; a
	// comment joining a group that was already answered takes its answer.
	AddComments(ctx context.Context, docID int64, cs []NewComment, actor string) ([]Comment, error)
	// Comments lists a document's comments by number.
	Comments(ctx context.Context, docID int64) ([]Comment, error)
	// DisposeComment answers comment number no and, with it, every comment of its
	// group. It returns the group's comments as they now stand.
	DisposeComment(ctx context.Context, docID int64, no int, d Disposition, reason, actor string) ([]Comment, error)
	// CommentReport builds the feedback report against the document's current
	// revision.
	CommentReport(ctx context.Context, docID int64) (*Report, error)
	// IssueCommentFeedback records the feedback as a new document (文种 其他文件,
	// the report's Text) that then goes through review like any other, and
	// marks the window 已反馈. The window must have closed and every comment
	// be answered.
	IssueCommentFeedback(ctx context.Context, docID int64, actor string) (*review.Document, error)
	// PublicComment tells legality review whether public comment was held
	// on the document, when, and how many comments were considered.
	PublicComment(ctx context.Context, docID int64) (Record, error)
}

// CheckOpen checks that a document may be put out for comment: its current
// revision must have passed review (保密审查 and 签发), because a comment
// draft is a publication like any other (先审查、后公开).
func CheckOpen(doc *review.Document) error {
	switch doc.Status {
	case review.StatusApproved, review.StatusPublished:
		return nil
	}
	return review.Errorf(review.ECONFLICT, "《%s》当前状态为“%s”：征求意见稿须先经保密审查和签发，签发后才能开启征求意见。", doc.Meta.Title, doc.Status)
}

// CheckFeedback checks that feedback may be issued on day today.
func CheckFeedback(w *Window, comments []Comment, today calendar.Date) error {
	if !w.FeedbackAt.IsZero() {
		return review.Errorf(review.ECONFLICT, "意见采纳情况已于 %s 反馈。", w.FeedbackAt.In(calendar.Location()).Format("2006-01-02"))
	}
	if !today.After(w.End) {
		return review.Errorf(review.ECONFLICT, "征求意见尚未截止（截止日期 %s），截止后才能反馈意见采纳情况。", w.End.Chinese())
	}
	open := 0
	for _, c := range comments {
		if c.Disposition == "" {
			open++
		}
	}
	if open > 0 {
		return review.Errorf(review.ECONFLICT, "还有 %d 条意见尚未处理，全部处理后才能反馈意见采纳情况。", open)
	}
	return nil
}

// CheckAdd checks that comments may still be recorded on w: until feedback
// is issued, late ones included.
func CheckAdd(w *Window) error {
	if !w.FeedbackAt.IsZero() {
		return review.Errorf(review.ECONFLICT, "已经反馈意见采纳情况，不能再登记意见。")
	}
	return nil
}

// NewRecord summarises public comment for legality review. cal decides
// whether the window was shorter than the minimum.
func NewRecord(w *Window, comments []Comment, cal *calendar.Calendar) Record {
	r := Record{Held: true, Start: w.Start, End: w.End, Extended: w.Extended(), Revision: w.Revision,
		Comments: len(comments), Feedback: !w.FeedbackAt.IsZero()}
	if w.Reason != "" {
		// The reason is recorded whenever the clerk gives one; it matters
		// to legality review only when the window would fail without it.
		if cal.CheckCommentWindow(string(w.Kind), w.Start, w.End, w.Market, "") != nil {
			r.Shortened = w.Reason
		}
	}
	for _, c := range comments {
		if c.Disposition != "" {
			r.Considered++
		}
	}
	return r
}

// Today is the office's date at t, for state and lateness.
func Today(t time.Time) calendar.Date { return calendar.FromTime(t) }
