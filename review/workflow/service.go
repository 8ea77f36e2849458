package workflow

import (
	"context"
	"slices"
	"strconv"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/sshsig"
)

// Service is the workflow as the CLI and the desktop app use it: the rules
// applied to what the stores hold, plus signing. It holds no state of its
// own, so one value may serve both a screen and a background job.
type Service struct {
	Store Store
	Docs  review.DocumentStore
	Users review.UserStore
	Now   review.Clock // nil means time.Now
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Login checks name and passphrase and returns the user. Any failure reads
// the same, so that the dialog does not tell a guesser which names exist,
// and is audited.
func (s *Service) Login(ctx context.Context, name, passphrase string) (*review.User, error) {
	u, err := s.Users.User(ctx, name)
	if err == nil && u.Disabled {
		err = review.Errorf(review.EFORBIDDEN, "用户已停用。")
	}
	if err == nil {
		err = CheckPassphrase(u.PassHash, passphrase)
	}
	if err != nil {
		if code := review.ErrorCode(err); code != review.ENOTFOUND && code != review.EFORBIDDEN {
			return nil, err
		}
		if lerr := s.Store.LoginFailed(ctx, name); lerr != nil {
			return nil, lerr
		}
		return nil, review.WrapError(review.EFORBIDDEN, err, "用户名或口令不正确。")
	}
	return u, nil
}

// current loads the document, its current revision and the decisions made
// on that revision.
func (s *Service) current(ctx context.Context, docID int64) (*review.Document, *review.Revision, []Decision, error) {
	doc, err := s.Docs.Document(ctx, docID)
	if err != nil {
		return nil, nil, nil, err
	}
	rev, err := s.Docs.Revision(ctx, docID, doc.CurrentRevision)
	if err != nil {
		return nil, nil, nil, err
	}
	all, err := s.Store.Decisions(ctx, docID)
	if err != nil {
		return nil, nil, nil, err
	}
	return doc, rev, OnRevision(all, rev.Hash), nil
}

// OnRevision returns the decisions of all made on the revision with the
// given hash.
func OnRevision(all []Decision, hash string) []Decision {
	var out []Decision
	for _, d := range all {
		if d.RevisionHash == hash {
			out = append(out, d)
		}
	}
	return out
}

// Submit sends document docID to review as user, after the rules allow it.
func (s *Service) Submit(ctx context.Context, user string, docID int64, skipLegality bool) (*review.Document, error) {
	u, err := s.Users.User(ctx, user)
	if err != nil {
		return nil, err
	}
	doc, rev, prior, err := s.current(ctx, docID)
	if err != nil {
		return nil, err
	}
	if _, err := CheckSubmit(doc, rev, prior, u, skipLegality); err != nil {
		return nil, err
	}
	return s.Store.Submit(ctx, docID, rev.Number, u.Name, skipLegality)
}

// Check tells whether user may make p on the document's current revision,
// without signing; callers use it before asking for a passphrase, so nobody
// types it for a decision that would be refused. It returns the document
// and revision checked.
func (s *Service) Check(ctx context.Context, user string, docID int64, p Proposal) (*review.Document, *review.Revision, error) {
	u, err := s.Users.User(ctx, user)
	if err != nil {
		return nil, nil, err
	}
	doc, rev, prior, err := s.current(ctx, docID)
	if err != nil {
		return nil, nil, err
	}
	if _, err := CheckDecision(doc, rev, prior, u, p); err != nil {
		return nil, nil, err
	}
	return doc, rev, nil
}

// Decide makes, signs and records user's decision p on the document's
// current revision. seenHash is the revision hash the user was shown; if
// the document has changed since, the decision is refused ("" skips the
// comparison, for the CLI, which shows nothing first). passphrase unlocks
// the user's current key.
func (s *Service) Decide(ctx context.Context, user string, docID int64, seenHash string, p Proposal, passphrase string) (*Decision, *review.Document, error) {
	u, err := s.Users.User(ctx, user)
	if err != nil {
		return nil, nil, err
	}
	doc, rev, prior, err := s.current(ctx, docID)
	if err != nil {
		return nil, nil, err
	}
	if seenHash != "" && seenHash != rev.Hash {
		return nil, nil, review.Errorf(review.ECONFLICT, "《%s》在您审阅后已被修改（现为第 %d 版），请重新审阅。", doc.Meta.Title, rev.Number)
	}
	if _, err := CheckDecision(doc, rev, prior, u, p); err != nil {
		return nil, nil, err
	}
	keys, err := s.Store.Keys(ctx, u.Name)
	if err != nil {
		return nil, nil, err
	}
	now := s.now()
	key, err := CurrentKey(keys, u.Name, now)
	if err != nil {
		return nil, nil, err
	}
	signer, err := Unlock(u, key, passphrase)
	if err != nil {
		return nil, nil, err
	}
	d := NewDecision(doc, rev, u.Name, p, now)
	if err := d.Sign(signer); err != nil {
		return nil, nil, err
	}
	doc, err = s.Store.RecordDecision(ctx, d)
	if err != nil {
		return nil, nil, err
	}
	return d, doc, nil
}

// Verification is the result of checking one stored decision.
type Verification struct {
	Decision Decision
	Err      error // nil when the signature and everything it names hold
}

// Verify checks every decision on docID against the revisions they name
// and their actors' keys as the workspace holds them. It fails only when
// the workspace cannot be read; a bad decision is reported in its
// Verification.
func (s *Service) Verify(ctx context.Context, docID int64) ([]Verification, error) {
	keys := map[string][]review.Key{}
	return s.verify(ctx, docID, func(d *Decision, rev *review.Revision) (error, error) {
		ks, ok := keys[d.Actor]
		if !ok {
			var err error
			if ks, err = s.Store.Keys(ctx, d.Actor); err != nil && review.ErrorCode(err) != review.ENOTFOUND {
				return nil, err
			}
			keys[d.Actor] = ks
		}
		return d.Verify(rev, ks), nil
	})
}

// VerifyAllowed is Verify against allowed, the office's allowed_signers
// file, instead of the keys in the workspace (see Decision.VerifyAllowed):
// it catches a key inserted into the database behind the application's
// back, which Verify cannot.
func (s *Service) VerifyAllowed(ctx context.Context, docID int64, allowed sshsig.AllowedSigners) ([]Verification, error) {
	return s.verify(ctx, docID, func(d *Decision, rev *review.Revision) (error, error) {
		return d.VerifyAllowed(rev, allowed), nil
	})
}

// verify runs check on every decision on docID and the revision it names
// (nil if there is none). check returns the decision's verdict, and an
// error only when the workspace cannot be read.
func (s *Service) verify(ctx context.Context, docID int64, check func(*Decision, *review.Revision) (verdict, err error)) ([]Verification, error) {
	all, err := s.Store.Decisions(ctx, docID)
	if err != nil {
		return nil, err
	}
	revs, err := s.Docs.Revisions(ctx, docID)
	if err != nil {
		return nil, err
	}
	out := make([]Verification, 0, len(all))
	for i := range all {
		d := &all[i]
		var rev *review.Revision
		for j := range revs {
			if revs[j].Number == d.Revision {
				rev = &revs[j]
				break
			}
		}
		verdict, err := check(d, rev)
		if err != nil {
			return nil, err
		}
		out = append(out, Verification{Decision: *d, Err: verdict})
	}
	return out, nil
}

// Calendar returns the working-day calendar: the shipped notices with the
// administrator's corrections on top.
func (s *Service) Calendar(ctx context.Context) (*calendar.Calendar, error) {
	o, err := s.Store.CalendarOverrides(ctx)
	if err != nil {
		return nil, err
	}
	return calendar.New(calendar.Shipped(), o...), nil
}

// Summary is what the approving official reads before 签发: the document,
// the revision to sign, the decisions on it, and the last revision an
// official approved before, if any, for the comparison.
type Summary struct {
	Document     review.Document
	Revision     review.Revision
	Decisions    []Decision // on Revision, oldest first
	LastApproved int        // number of the latest earlier revision with 签发; 0 if none
}

// Decision returns the decision of stage s in the summary, or nil.
func (m *Summary) Decision(s Stage) *Decision {
	for i := len(m.Decisions) - 1; i >= 0; i-- {
		if m.Decisions[i].Stage == s {
			return &m.Decisions[i]
		}
	}
	return nil
}

// Summary gathers the 签发 summary of document docID.
func (s *Service) Summary(ctx context.Context, docID int64) (*Summary, error) {
	doc, rev, _, err := s.current(ctx, docID)
	if err != nil {
		return nil, err
	}
	all, err := s.Store.Decisions(ctx, docID)
	if err != nil {
		return nil, err
	}
	m := &Summary{Document: *doc, Revision: *rev, Decisions: OnRevision(all, rev.Hash)}
	for _, d := range all {
		if d.Stage == StageSignoff && d.Outcome == OutcomeSign && d.Revision < rev.Number && d.Revision > m.LastApproved {
			m.LastApproved = d.Revision
		}
	}
	return m, nil
}

// InboxItem is one line of 我的待办: a document waiting for the user, what
// they are to do with it and by when.
type InboxItem struct {
	Document review.Document
	Action   string // 提交审查, 保密审查, 合法性审核, 签发
	Stage    Stage  // "" for a clerk's submission
	Due      calendar.Date
	DueWhat  string // which time limit Due is: 合法性审核时限 or 主动公开时限
	Urgency  calendar.Urgency
	Warning  string // e.g. a legality review running since its 5th working day
}

// Inbox lists what waits for user u on the given day, oldest deadline
// first; items without a deadline come last, oldest first. Drafts the user
// may not act on (they wrote the revision, or did another stage on it) are
// left out: the inbox lists work, not documents.
func (s *Service) Inbox(ctx context.Context, u *review.User, today calendar.Date) ([]InboxItem, error) {
	cal, err := s.Calendar(ctx)
	if err != nil {
		return nil, err
	}
	type want struct {
		status review.Status
		action string
		stage  Stage
	}
	var wants []want
	if u.Has(review.RoleClerk) {
		wants = append(wants, want{review.StatusDraft, "提交审查", ""}, want{review.StatusReturned, "修改后提交", ""})
	}
	for _, st := range Stages {
		if u.Has(st.Role()) {
			wants = append(wants, want{st.Status(), string(st), st})
		}
	}
	var items []InboxItem
	for _, w := range wants {
		hits, err := s.allWithStatus(ctx, w.status)
		if err != nil {
			return nil, err
		}
		for _, h := range hits {
			if w.stage != "" {
				ok, err := s.mayDecide(ctx, &h.Document, u, w.stage)
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
			it := Deadline(cal, h.Document, w.stage, today)
			it.Action = w.action
			items = append(items, it)
		}
	}
	slices.SortStableFunc(items, func(a, b InboxItem) int {
		switch {
		case a.Due.IsZero() != b.Due.IsZero():
			if a.Due.IsZero() {
				return 1
			}
			return -1
		case !a.Due.Equal(b.Due):
			return a.Due.Compare(b.Due)
		}
		return a.Document.StageSince.Compare(b.Document.StageSince)
	})
	return items, nil
}

// inboxPage is how many documents Inbox asks for at a time.
const inboxPage = 500

// allWithStatus lists every document in status st, page by page: a store
// bounds a listing without a limit, and the inbox must not silently drop
// the work past that bound.
func (s *Service) allWithStatus(ctx context.Context, st review.Status) ([]review.DocumentHit, error) {
	var all []review.DocumentHit
	for off := 0; ; off += inboxPage {
		hits, err := s.Docs.FindDocuments(ctx, review.DocumentFilter{Status: st, Offset: off, Limit: inboxPage})
		if err != nil {
			return nil, err
		}
		all = append(all, hits...)
		if len(hits) < inboxPage {
			return all, nil
		}
	}
}

// mayDecide reports whether the rules would let u decide stage on doc's
// current revision as far as people go (author, other stage).
func (s *Service) mayDecide(ctx context.Context, doc *review.Document, u *review.User, stage Stage) (bool, error) {
	rev, err := s.Docs.Revision(ctx, doc.ID, doc.CurrentRevision)
	if err != nil {
		return false, err
	}
	all, err := s.Store.Decisions(ctx, doc.ID)
	if err != nil {
		return false, err
	}
	return checkPeople(rev, OnRevision(all, rev.Hash), u, stage) == nil, nil
}

// Deadline works out the time limit of doc waiting at stage ("" for none)
// as seen on today: for legality review, 15 working days from arrival
// (warning from the 5th); for anything actively disclosed with a 成文日期,
// 20 working days from it; the earlier wins. Action is left empty.
func Deadline(cal *calendar.Calendar, doc review.Document, stage Stage, today calendar.Date) InboxItem {
	it := InboxItem{Document: doc, Stage: stage}
	if doc.Meta.Disclosure == review.DisclosureActive && doc.Meta.WrittenOn != "" {
		if w, err := calendar.Parse(doc.Meta.WrittenOn); err == nil {
			it.Due, it.DueWhat = cal.DisclosureDue(w), "主动公开时限"
		}
	}
	if stage == StageLegality {
		arrival := calendar.FromTime(doc.StageSince)
		due := cal.LegalityDue(arrival)
		if it.Due.IsZero() || due.Before(it.Due) {
			it.Due, it.DueWhat = due, "合法性审核时限"
		}
		if !today.Before(cal.LegalityWarnFrom(arrival)) && !today.After(due) {
			it.Warning = "合法性审核已进行 " + strconv.Itoa(cal.WorkdaysBetween(arrival, today)) + " 个工作日（时限 15 个工作日）"
		}
	}
	it.Urgency = cal.Urgency(it.Due, today)
	return it
}
