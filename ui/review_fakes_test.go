package ui

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"qianfa/review"
	"qianfa/review/calendar"
	"qianfa/review/workflow"
)

// fakeReview is an in-memory workflow.Store over a fakeStore's documents
// and users. Like storage, it checks the rules and the signature again
// before recording, so the UI tests exercise the real workflow.
type fakeReview struct {
	s         *fakeStore
	mu        sync.Mutex
	keys      map[string][]review.Key
	decisions []workflow.Decision
	failed    []string // failed logins
}

var _ workflow.Store = (*fakeReview)(nil)

func (r *fakeReview) CreateUserWithKey(ctx context.Context, u *review.User, k *review.Key, actor string) error {
	if err := r.s.CreateUser(ctx, u, actor); err != nil {
		return err
	}
	return r.AddKey(ctx, k, actor)
}

func (r *fakeReview) AddKey(_ context.Context, k *review.Key, _ string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	ks := r.keys[k.User]
	if n := len(ks); n > 0 {
		ks[n-1].ValidTo = k.ValidFrom
	}
	r.keys[k.User] = append(ks, *k)
	return nil
}

func (r *fakeReview) Keys(_ context.Context, user string) ([]review.Key, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.keys[user]), nil
}

func (r *fakeReview) SetPassHash(context.Context, string, string, string) error { return nil }

// state returns the live document, its current revision and the decisions
// on it; callers hold both locks.
func (r *fakeReview) state(id int64) (*review.Document, *review.Revision, []workflow.Decision, error) {
	d, err := r.s.doc(id)
	if err != nil {
		return nil, nil, nil, err
	}
	revs := r.s.revs[id]
	rev := revs[len(revs)-1]
	return d, &rev, workflow.OnRevision(r.decisions, rev.Hash), nil
}

func (r *fakeReview) user(name string) *review.User {
	for i := range r.s.users {
		if r.s.users[i].Name == name {
			return &r.s.users[i]
		}
	}
	return nil
}

func (r *fakeReview) Submit(_ context.Context, id int64, _ int, actor string, skip bool) (*review.Document, error) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	d, rev, prior, err := r.state(id)
	if err != nil {
		return nil, err
	}
	next, err := workflow.CheckSubmit(d, rev, prior, r.user(actor), skip)
	if err != nil {
		return nil, err
	}
	d.Status, d.SkipLegality, d.StageSince = next, skip, r.s.tick()
	c := *d
	return &c, nil
}

func (r *fakeReview) RecordDecision(_ context.Context, dec *workflow.Decision) (*review.Document, error) {
	r.s.mu.Lock()
	defer r.s.mu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	d, rev, prior, err := r.state(dec.DocumentID)
	if err != nil {
		return nil, err
	}
	next, err := workflow.CheckDecision(d, rev, prior, r.user(dec.Actor), dec.Proposal())
	if err != nil {
		return nil, err
	}
	if err := dec.Verify(rev, r.keys[dec.Actor]); err != nil {
		return nil, err
	}
	dec.ID = int64(len(r.decisions) + 1)
	r.decisions = append(r.decisions, *dec)
	d.Status, d.StageSince = next, r.s.tick()
	c := *d
	return &c, nil
}

func (r *fakeReview) Decisions(_ context.Context, id int64) ([]workflow.Decision, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []workflow.Decision
	for _, d := range r.decisions {
		if d.DocumentID == id {
			out = append(out, d)
		}
	}
	return out, nil
}

func (r *fakeReview) CalendarOverrides(context.Context) ([]calendar.Override, error) { return nil, nil }

func (r *fakeReview) SetCalendarOverride(context.Context, calendar.Override, string) error {
	return nil
}

func (r *fakeReview) RemoveCalendarOverride(context.Context, calendar.Date, string) error { return nil }

func (r *fakeReview) LoginFailed(_ context.Context, name string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = append(r.failed, name)
	return nil
}

const uiPass = "界面测试口令-123"

// reviewToday is the inbox's today in these tests: Monday 2025-03-10.
var reviewToday = time.Date(2025, 3, 10, 2, 0, 0, 0, time.UTC)

var (
	uiKeysOnce sync.Once
	uiUsers    []review.User
	uiKeys     map[string]review.Key
)

// reviewUsers are one person per role with passphrases and keys, made once:
// key generation is the slow part of these tests.
func reviewUsers(t *testing.T) ([]review.User, map[string]review.Key) {
	uiKeysOnce.Do(func() {
		workflow.DefaultPassParams = workflow.PassParams{Memory: 1024, Time: 1, Threads: 1}
		uiKeys = map[string]review.Key{}
		for _, u := range []struct {
			name, display string
			role          review.Role
		}{{"wang", "王经办", review.RoleClerk}, {"li", "李审查", review.RoleConfidentiality},
			{"zhao", "赵法制", review.RoleLegal}, {"chen", "陈司长", review.RoleSignoff}} {
			user, key, err := workflow.NewUser(u.name, u.display, []review.Role{u.role}, uiPass, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				panic(err)
			}
			uiUsers = append(uiUsers, *user)
			uiKeys[u.name] = *key
		}
	})
	return slices.Clone(uiUsers), uiKeys
}

// reviewWorkspace is a fake workspace with the review workflow wired.
func reviewWorkspace(t *testing.T) (*fakeStore, *fakeReview, Services) {
	s := newFakeStore()
	users, keys := reviewUsers(t)
	s.users = users
	r := &fakeReview{s: s, keys: map[string][]review.Key{}}
	for name, k := range keys {
		r.keys[name] = []review.Key{k}
	}
	svc := s.services()
	svc.Review = &workflow.Service{Store: r, Docs: s, Users: s, Now: func() time.Time { return reviewToday }}
	return s, r, svc
}

// addReviewDoc stores a document with a 成文日期 in the given status,
// written by author.
func addReviewDoc(s *fakeStore, title string, kind review.Kind, status review.Status, written, author string) review.Document {
	d, err := s.CreateDocument(context.Background(), review.NewDocument{
		Meta: review.Metadata{Title: title, Kind: kind, Disclosure: review.DisclosureActive, Issuer: "某部", WrittenOn: written},
		Text: title + "正文。", Author: author})
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	live, _ := s.doc(d.ID)
	live.Status = status
	return *live
}
