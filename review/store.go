package review

import (
	"context"
	"time"
)

// DocumentStore keeps documents and their immutable revisions. Every write
// appends an audit entry in the same transaction.
type DocumentStore interface {
	// CreateDocument stores a new document with its first revision and
	// assigns its 索引号.
	CreateDocument(ctx context.Context, n NewDocument) (*Document, error)
	// ReviseDocument adds a revision. A document under review goes back to
	// 草稿: decisions bind to one revision hash.
	ReviseDocument(ctx context.Context, id int64, meta Metadata, text, author, note string) (*Revision, error)
	// RedactDocument adds a revision whose text is the current one with
	// confirmed findings replaced by RedactionMark, made by a
	// confidentiality reviewer, and audits it with detail (what was
	// redacted). The document stays where it is in review: redaction is
	// part of confidentiality review, not a new draft.
	RedactDocument(ctx context.Context, id int64, text, redactor, note, detail string) (*Revision, error)
	// Document returns the document with the given ID.
	Document(ctx context.Context, id int64) (*Document, error)
	// FindDocuments lists documents matching f, newest first.
	FindDocuments(ctx context.Context, f DocumentFilter) ([]DocumentHit, error)
	// Revision returns revision number n of a document; 0 means the current one.
	Revision(ctx context.Context, id int64, n int) (*Revision, error)
	// Revisions lists a document's revisions, oldest first.
	Revisions(ctx context.Context, id int64) ([]Revision, error)
}

// UserStore keeps users.
type UserStore interface {
	// CreateUser stores a new user. PassHash must already be set.
	CreateUser(ctx context.Context, u *User, actor string) error
	// User returns the user with the given login name.
	User(ctx context.Context, name string) (*User, error)
	// Users lists all users by name.
	Users(ctx context.Context) ([]User, error)
}

// AuditLog reads the hash-chained audit log. Stores append to it; nothing
// else writes it.
type AuditLog interface {
	// AuditEntries lists entries matching f, newest first.
	AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	// VerifyAudit walks the whole chain and returns its first break, or nil
	// when the chain is intact.
	VerifyAudit(ctx context.Context) (*AuditBreak, error)
}

// SettingsStore keeps the office's settings.
type SettingsStore interface {
	Settings(ctx context.Context) (Settings, error)
	SaveSettings(ctx context.Context, s Settings, actor string) error
}

// Settings are the administrator's office-wide choices.
type Settings struct {
	OrgCode      string `json:"org_code"`      // 机构代码 in the 索引号, e.g. 000014349
	OrgName      string `json:"org_name"`      // 发文机关 default
	IndexPattern string `json:"index_pattern"` // e.g. {org}/{year}-{seq:5}
}

// DefaultSettings are used until the administrator saves others.
var DefaultSettings = Settings{OrgCode: "000000000", OrgName: "", IndexPattern: "{org}/{year}-{seq:5}"}

// Clock tells the time; stores take one so tests can fix it.
type Clock func() time.Time
