package ui

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"qianfa/review"
)

// fakeStore is an in-memory workspace implementing every store interface the
// UI uses. It keeps revisions and the audit log append-only like the real
// one, which is what the editing tests check.
type fakeStore struct {
	mu    sync.Mutex
	now   time.Time
	docs  []*review.Document
	revs  map[int64][]review.Revision
	audit []review.AuditEntry
	users []review.User
	finds int // FindDocuments calls, for the debounce test
}

func newFakeStore() *fakeStore {
	return &fakeStore{
		now:  time.Date(2025, 3, 1, 9, 0, 0, 0, time.Local),
		revs: map[int64][]review.Revision{},
		users: []review.User{
			{Name: "li", DisplayName: "李审查", Roles: []review.Role{review.RoleConfidentiality}},
			{Name: "wang", DisplayName: "王经办", Roles: []review.Role{review.RoleClerk}},
		},
	}
}

func (s *fakeStore) tick() time.Time {
	s.now = s.now.Add(time.Minute)
	return s.now
}

func (s *fakeStore) log(actor string, a review.Action, id int64, rev int, detail string) {
	prev := review.GenesisHash
	if n := len(s.audit); n > 0 {
		prev = s.audit[n-1].Hash
	}
	e := review.AuditEntry{Seq: int64(len(s.audit) + 1), At: s.now, Actor: actor, Action: a,
		DocumentID: id, Revision: rev, Detail: detail, PrevHash: prev}
	e.Hash = e.ComputeHash()
	s.audit = append(s.audit, e)
}

func (s *fakeStore) CreateDocument(_ context.Context, n review.NewDocument) (*review.Document, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	at := s.tick()
	id := int64(len(s.docs) + 1)
	hash := review.RevisionHash(n.Meta, n.Text)
	d := &review.Document{ID: id, IndexNo: fmt.Sprintf("000014349/2025-%05d", id), Meta: n.Meta,
		Status: review.StatusDraft, Validity: review.ValidityInForce, CurrentRevision: 1, CurrentHash: hash,
		CreatedBy: n.Author, CreatedAt: at, UpdatedAt: at, StageSince: at}
	s.docs = append(s.docs, d)
	s.revs[id] = []review.Revision{{DocumentID: id, Number: 1, Meta: n.Meta, Text: n.Text, Hash: hash,
		Author: n.Author, Note: n.Note, Source: n.Source, CreatedAt: at}}
	s.log(n.Author, review.ActionCreate, id, 1, "导入《"+n.Meta.Title+"》")
	c := *d
	return &c, nil
}

func (s *fakeStore) ReviseDocument(_ context.Context, id int64, meta review.Metadata, text, author, note string) (*review.Revision, error) {
	if err := meta.Validate(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.doc(id)
	if err != nil {
		return nil, err
	}
	at := s.tick()
	r := review.Revision{DocumentID: id, Number: d.CurrentRevision + 1, Meta: meta, Text: text,
		Hash: review.RevisionHash(meta, text), Author: author, Note: note, CreatedAt: at}
	s.revs[id] = append(s.revs[id], r)
	d.Meta, d.CurrentRevision, d.CurrentHash, d.UpdatedAt, d.Status = meta, r.Number, r.Hash, at, review.StatusDraft
	s.log(author, review.ActionRevise, id, r.Number, note)
	return &r, nil
}

func (s *fakeStore) RedactDocument(_ context.Context, id int64, text, redactor, note, detail string) (*review.Revision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.doc(id)
	if err != nil {
		return nil, err
	}
	revs := s.revs[id]
	cur := revs[len(revs)-1]
	if !review.IsRedaction(cur.Text, text) {
		return nil, review.Errorf(review.EINVALID, "遮盖只能把字符替换为■。")
	}
	at := s.tick()
	r := review.Revision{DocumentID: id, Number: cur.Number + 1, Meta: cur.Meta, Text: text,
		Hash: review.RevisionHash(cur.Meta, text), Author: redactor, Drafter: cur.Drafter, RedactedFrom: cur.Number, Note: note, CreatedAt: at}
	if r.Drafter == "" {
		r.Drafter = cur.Author
	}
	s.revs[id] = append(s.revs[id], r)
	d.CurrentRevision, d.CurrentHash, d.UpdatedAt = r.Number, r.Hash, at
	s.log(redactor, review.ActionRedact, id, r.Number, detail)
	return &r, nil
}

func (s *fakeStore) doc(id int64) (*review.Document, error) {
	for _, d := range s.docs {
		if d.ID == id {
			return d, nil
		}
	}
	return nil, review.Errorf(review.ENOTFOUND, "文件 %d 不存在。", id)
}

func (s *fakeStore) Document(_ context.Context, id int64) (*review.Document, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, err := s.doc(id)
	if err != nil {
		return nil, err
	}
	c := *d
	return &c, nil
}

func (s *fakeStore) FindDocuments(_ context.Context, f review.DocumentFilter) ([]review.DocumentHit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.finds++
	var hits []review.DocumentHit
	for _, d := range s.docs {
		revs := s.revs[d.ID]
		text := revs[len(revs)-1].Text
		switch {
		case f.Kind != "" && d.Meta.Kind != f.Kind,
			f.Status != "" && d.Status != f.Status,
			f.Validity != "" && d.Validity != f.Validity,
			f.Query != "" && !strings.Contains(d.Meta.Title, f.Query) && !strings.Contains(text, f.Query):
			continue
		}
		h := review.DocumentHit{Document: *d}
		if f.Query != "" {
			h.Snippet, h.Matches = review.Snippet(text, f.Query, 40)
		}
		hits = append(hits, h)
	}
	slices.SortStableFunc(hits, func(a, b review.DocumentHit) int { return b.UpdatedAt.Compare(a.UpdatedAt) })
	return hits, nil
}

func (s *fakeStore) Revision(_ context.Context, id int64, n int) (*review.Revision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	revs := s.revs[id]
	if len(revs) == 0 || n > len(revs) || n < 0 {
		return nil, review.Errorf(review.ENOTFOUND, "修订版不存在。")
	}
	if n == 0 {
		n = len(revs)
	}
	r := revs[n-1]
	return &r, nil
}

func (s *fakeStore) Revisions(_ context.Context, id int64) ([]review.Revision, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.revs[id]), nil
}

func (s *fakeStore) CreateUser(_ context.Context, u *review.User, _ string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.users = append(s.users, *u)
	return nil
}

func (s *fakeStore) User(_ context.Context, name string) (*review.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, u := range s.users {
		if u.Name == name {
			return &u, nil
		}
	}
	return nil, review.Errorf(review.ENOTFOUND, "用户“%s”不存在。", name)
}

func (s *fakeStore) Users(context.Context) ([]review.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u := slices.Clone(s.users)
	slices.SortFunc(u, func(a, b review.User) int { return cmp.Compare(a.Name, b.Name) })
	return u, nil
}

func (s *fakeStore) AuditEntries(_ context.Context, f review.AuditFilter) ([]review.AuditEntry, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []review.AuditEntry
	for i := len(s.audit) - 1; i >= 0; i-- {
		if e := s.audit[i]; f.DocumentID == 0 || e.DocumentID == f.DocumentID {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *fakeStore) VerifyAudit(context.Context) (*review.AuditBreak, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return review.VerifyChain(s.audit, review.GenesisHash, 0), nil
}

func (s *fakeStore) Settings(context.Context) (review.Settings, error) {
	return review.DefaultSettings, nil
}

func (s *fakeStore) SaveSettings(context.Context, review.Settings, string) error { return nil }

func (s *fakeStore) services() Services {
	return Services{Docs: s, Users: s, Audit: s, Settings: s}
}

// add stores a document directly, for setting up a workspace.
func (s *fakeStore) add(title string, kind review.Kind, status review.Status, validity review.Validity, text string) *review.Document {
	d, err := s.CreateDocument(context.Background(), review.NewDocument{
		Meta:   review.Metadata{Title: title, Kind: kind, Disclosure: review.DisclosureActive, Issuer: "某部"},
		Text:   text,
		Author: "wang",
		Source: title + ".docx",
	})
	if err != nil {
		panic(err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	live, _ := s.doc(d.ID)
	live.Status, live.Validity = status, validity
	c := *live
	return &c
}
