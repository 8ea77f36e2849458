package screening

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"qianfa/review"
	"qianfa/review/screen"
	"qianfa/review/workflow"
)

// Store keeps what screening adds to a workspace: the reviewers' decisions
// on findings (append-only), the administrator's keyword lists and
// allow-list. Every write appends an audit entry in the same transaction.
// Implementations check again inside the transaction what may have changed
// since the caller checked: that the decision's revision is still current
// and that the actor holds the role.
type Store interface {
	// FindingDecisions lists a document's finding decisions on all its
	// revisions, oldest first.
	FindingDecisions(ctx context.Context, docID int64) ([]Decision, error)
	// AddFindingDecision appends d, which must name the document's current
	// revision and be made by a 保密审查员. It sets d.ID.
	AddFindingDecision(ctx context.Context, d *Decision) error
	// KeywordLists returns the administrator's keyword lists by name.
	KeywordLists(ctx context.Context) ([]screen.KeywordList, error)
	// SaveKeywordList stores l, replacing a list of the same name; actor
	// must be a 管理员.
	SaveKeywordList(ctx context.Context, l screen.KeywordList, actor string) error
	// DeleteKeywordList removes the list called name; actor must be a 管理员.
	DeleteKeywordList(ctx context.Context, name, actor string) error
	// AllowList returns the allow-list's terms, sorted.
	AllowList(ctx context.Context) ([]string, error)
	// AddAllowTerm adds a term to the allow-list; actor must be a 管理员.
	AddAllowTerm(ctx context.Context, term, actor string) error
	// RemoveAllowTerm removes a term from the allow-list; actor must be a
	// 管理员.
	RemoveAllowTerm(ctx context.Context, term, actor string) error
}

// Service is screening as the CLI, the desktop app and the workflow use it:
// the rules of this package applied to what the stores hold. It holds no
// state of its own.
type Service struct {
	Store Store
	Docs  review.DocumentStore
	Users review.UserStore
	Now   review.Clock // nil means time.Now

	// The last screener built and the configuration it was built from:
	// building the automaton for a long keyword list costs about as much as
	// scanning megabytes, and the lists change rarely.
	mu       sync.Mutex
	cacheKey [sha256.Size]byte
	cached   *screen.Screener
}

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now().UTC()
	}
	return s.Now().UTC()
}

// Screener returns a Screener for the office's keyword lists and
// allow-list as they stand now, with every detector on. The lists are read
// each time (another process may have changed them); the automaton is
// rebuilt only when they differ from the last call's.
func (s *Service) Screener(ctx context.Context) (*screen.Screener, error) {
	lists, err := s.Store.KeywordLists(ctx)
	if err != nil {
		return nil, err
	}
	allow, err := s.Store.AllowList(ctx)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	for _, l := range lists {
		fmt.Fprintf(h, "list %q %d %d\n", l.Name, l.Ground, len(l.Terms))
		for _, t := range l.Terms {
			fmt.Fprintf(h, "%q\n", t)
		}
	}
	for _, a := range allow {
		fmt.Fprintf(h, "allow %q\n", a)
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached == nil || key != s.cacheKey {
		s.cached, s.cacheKey = screen.New(screen.Config{Keywords: lists, Allow: allow}), key
	}
	return s.cached, nil
}

// Scan screens a text that is not (yet) a document, such as a file about to
// be imported, with the office's configuration.
func (s *Service) Scan(ctx context.Context, text string) ([]screen.Finding, error) {
	sc, err := s.Screener(ctx)
	if err != nil {
		return nil, err
	}
	return sc.Scan(text), nil
}

// State screens the document's current revision and merges the decisions.
func (s *Service) State(ctx context.Context, docID int64) (*State, error) {
	rev, err := s.Docs.Revision(ctx, docID, 0)
	if err != nil {
		return nil, err
	}
	decisions, err := s.Store.FindingDecisions(ctx, docID)
	if err != nil {
		return nil, err
	}
	sc, err := s.Screener(ctx)
	if err != nil {
		return nil, err
	}
	return Evaluate(sc, rev, decisions), nil
}

// OpenFindings returns the findings of the document's current revision that
// nobody has decided. The confidentiality decision refuses approval while
// there are any (see CheckApproval, which also refuses unredacted
// confirmed findings).
func (s *Service) OpenFindings(ctx context.Context, docID int64) ([]Item, error) {
	st, err := s.State(ctx, docID)
	if err != nil {
		return nil, err
	}
	return st.Open(), nil
}

// IsApproval reports whether outcome o at stage st lets the text go on
// towards publication from confidentiality review (同意公开, 部分公开): the
// decisions CheckApproval guards.
func IsApproval(st workflow.Stage, o workflow.Outcome) bool {
	return st == workflow.StageConfidentiality && (o == workflow.OutcomeDisclose || o == workflow.OutcomePartial)
}

// CheckDecision is CheckApproval for a proposed workflow decision: nil for
// any decision that is not a confidentiality approval.
func (s *Service) CheckDecision(ctx context.Context, docID int64, p workflow.Proposal) error {
	if !IsApproval(p.Stage, p.Outcome) {
		return nil
	}
	return s.CheckApproval(ctx, docID)
}

// CheckApproval refuses a confidentiality approval of the document's current
// revision while findings are open or confirmed ones are not redacted. The
// workflow's decision dialog calls it before asking for a passphrase; the
// store checks again when it records the decision.
func (s *Service) CheckApproval(ctx context.Context, docID int64) error {
	st, err := s.State(ctx, docID)
	if err != nil {
		return err
	}
	return CheckApproval(st)
}

// Decide records user's decision on the finding with the given fingerprint
// in the document's current revision. seenHash is the revision hash the
// user was shown ("" skips the comparison, for the CLI).
func (s *Service) Decide(ctx context.Context, user string, docID int64, seenHash, fingerprint string, status Status, reason string) (*Decision, error) {
	u, err := s.Users.User(ctx, user)
	if err != nil {
		return nil, err
	}
	st, err := s.State(ctx, docID)
	if err != nil {
		return nil, err
	}
	if seenHash != "" && seenHash != st.Hash {
		return nil, review.Errorf(review.ECONFLICT, "文件在您打开后已被修改（现为第 %d 版），请重新筛查。", st.Revision)
	}
	d, err := CheckDecide(u, st, fingerprint, status, reason, s.now())
	if err != nil {
		return nil, err
	}
	if err := s.Store.AddFindingDecision(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// Preview is what redaction would produce, for the reviewer to see before
// accepting it.
type Preview struct {
	State *State // the screening the preview was made from
	Text  string // the redacted text
	Items []Item // the confirmed findings redacted
}

// Preview returns the redaction of the document's current revision without
// storing anything.
func (s *Service) Preview(ctx context.Context, docID int64) (*Preview, error) {
	st, err := s.State(ctx, docID)
	if err != nil {
		return nil, err
	}
	text, items, err := Redaction(st)
	if err != nil {
		return nil, err
	}
	return &Preview{State: st, Text: text, Items: items}, nil
}

// Redact stores the redaction of the document's current revision as a new
// revision written by user, with the note RedactionNote, and audits it.
// seenHash is the revision the user previewed ("" skips the comparison):
// if the text changed since, the preview no longer shows what would be
// stored, and the redaction is refused.
func (s *Service) Redact(ctx context.Context, user string, docID int64, seenHash string) (*review.Revision, error) {
	u, err := s.Users.User(ctx, user)
	if err != nil {
		return nil, err
	}
	if !u.Has(review.RoleConfidentiality) {
		return nil, review.Errorf(review.EFORBIDDEN, "只有保密审查员可以作遮盖处理，“%s”没有该角色。", u.Label())
	}
	p, err := s.Preview(ctx, docID)
	if err != nil {
		return nil, err
	}
	if seenHash != "" && seenHash != p.State.Hash {
		return nil, review.Errorf(review.ECONFLICT, "文件在您预览后已被修改（现为第 %d 版），请重新预览遮盖结果。", p.State.Revision)
	}
	return s.Docs.RedactDocument(ctx, docID, p.Text, u.Name, RedactionNote, RedactionDetail(p.Items))
}

// CheckExport is what export calls on the text it is about to package
// (normally the document's current revision): it refuses if any text a
// reviewer confirmed on any revision is still present.
func (s *Service) CheckExport(ctx context.Context, docID int64, text string) error {
	decisions, err := s.Store.FindingDecisions(ctx, docID)
	if err != nil {
		return err
	}
	sc, err := s.Screener(ctx)
	if err != nil {
		return err
	}
	return CheckExport(sc, text, decisions)
}

// admin returns the user if they are a 管理员: keyword lists and the
// allow-list decide what reviewers see, so only the administrator keeps
// them.
func (s *Service) admin(ctx context.Context, user string) (*review.User, error) {
	u, err := s.Users.User(ctx, user)
	if err != nil {
		return nil, err
	}
	if !u.Has(review.RoleAdmin) {
		return nil, review.Errorf(review.EFORBIDDEN, "只有管理员可以维护关键词表和白名单，“%s”不是管理员。", u.Label())
	}
	return u, nil
}

// ImportKeywordList reads a keyword list file (one term a line) and stores
// it under name with the given ground, replacing a list of that name.
func (s *Service) ImportKeywordList(ctx context.Context, user, name string, ground screen.Ground, r io.Reader) (*screen.KeywordList, error) {
	if _, err := s.admin(ctx, user); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if err := checkListName(name); err != nil {
		return nil, err
	}
	l, err := screen.ParseKeywordList(name, ground, r)
	if err != nil {
		return nil, err
	}
	if len(l.Terms) == 0 {
		return nil, review.Errorf(review.EINVALID, "关键词表“%s”中没有词条（每行一个词，# 开头的行为注释）。", name)
	}
	if err := s.Store.SaveKeywordList(ctx, l, user); err != nil {
		return nil, err
	}
	return &l, nil
}

func checkListName(name string) error {
	if name == "" || utf8.RuneCountInString(name) > 50 || strings.ContainsAny(name, "\n\r\t") {
		return review.Errorf(review.EINVALID, "关键词表名称“%s”无效：不能为空，最多 50 字。", name)
	}
	return nil
}

// DeleteKeywordList removes a keyword list.
func (s *Service) DeleteKeywordList(ctx context.Context, user, name string) error {
	if _, err := s.admin(ctx, user); err != nil {
		return err
	}
	return s.Store.DeleteKeywordList(ctx, name, user)
}

// AddAllowTerm adds a term to the allow-list: the office's published
// hotline, its public mailbox, a place name that contains a listed word.
func (s *Service) AddAllowTerm(ctx context.Context, user, term string) error {
	if _, err := s.admin(ctx, user); err != nil {
		return err
	}
	term = strings.TrimSpace(term)
	if term == "" || utf8.RuneCountInString(term) > 100 || strings.ContainsAny(term, "\n\r") {
		return review.Errorf(review.EINVALID, "白名单词条“%s”无效：不能为空，最多 100 字，不能换行。", term)
	}
	return s.Store.AddAllowTerm(ctx, term, user)
}

// RemoveAllowTerm removes a term from the allow-list.
func (s *Service) RemoveAllowTerm(ctx context.Context, user, term string) error {
	if _, err := s.admin(ctx, user); err != nil {
		return err
	}
	return s.Store.RemoveAllowTerm(ctx, strings.TrimSpace(term), user)
}
