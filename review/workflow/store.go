package workflow

import (
	"context"

	"qianfa/review"
	"qianfa/review/calendar"
)

// Store keeps what the review workflow adds to a workspace: signing keys,
// passphrase hashes, submissions, signed decisions and the administrator's
// holiday corrections. Every write appends an audit entry in the same
// transaction. Implementations check the rules again inside the transaction
// (CheckSubmit, CheckDecision, Decision.Verify, CheckAdmin, CheckCreateUser,
// CheckAdminsRemain, CheckKeyHolder), because the state may have changed
// since the caller checked: an administrator demoted a moment ago must not
// still act on what their screen showed them before.
type Store interface {
	// CreateUserWithKey stores a new user (PassHash set) and their first
	// signing key together, so no user exists who cannot sign. actor must
	// be an active administrator, or u the workspace's first one
	// (CheckCreateUser).
	CreateUserWithKey(ctx context.Context, u *review.User, k *review.Key, actor string) error
	// AddKey stores a new key for k.User and closes the validity of the key
	// current until then at k.ValidFrom; decisions signed with the old key
	// stay verifiable. It sets k.ID. A disabled user gets no new key
	// (CheckKeyHolder).
	AddKey(ctx context.Context, k *review.Key, actor string) error
	// Keys lists a user's keys, oldest first, private parts included.
	Keys(ctx context.Context, user string) ([]review.Key, error)
	// SetPassHash replaces a user's passphrase hash.
	SetPassHash(ctx context.Context, user, hash, actor string) error
	// SetRoles replaces a user's roles. Like SetDisabled it checks that
	// actor is an active administrator (CheckAdmin) and CheckAdminsRemain
	// inside the transaction, since another administrator may have changed
	// the users since the caller looked.
	SetRoles(ctx context.Context, user string, roles []review.Role, actor string) error
	// SetDisabled stops (true) or restores (false) a user's access. A
	// disabled user keeps their keys, so their old decisions stay
	// verifiable, but can neither log in nor decide.
	SetDisabled(ctx context.Context, user string, disabled bool, actor string) error
	// Submit sends the document's current revision, which must be number
	// revision, to 保密审查; actor is the submitting clerk.
	Submit(ctx context.Context, docID int64, revision int, actor string, skipLegality bool) (*review.Document, error)
	// RecordDecision stores a signed decision, moves the document to the
	// status it leads to and audits it, all or nothing. It sets d.ID and
	// returns the document as it now stands.
	RecordDecision(ctx context.Context, d *Decision) (*review.Document, error)
	// Decisions lists a document's decisions on all its revisions, oldest
	// first.
	Decisions(ctx context.Context, docID int64) ([]Decision, error)
	// CalendarOverrides lists the administrator's corrections to the
	// shipped holiday calendar, by date.
	CalendarOverrides(ctx context.Context) ([]calendar.Override, error)
	// SetCalendarOverride adds or replaces the correction for o.Date; like
	// RemoveCalendarOverride, only for an active administrator actor.
	SetCalendarOverride(ctx context.Context, o calendar.Override, actor string) error
	// RemoveCalendarOverride drops the correction for d, if any.
	RemoveCalendarOverride(ctx context.Context, d calendar.Date, actor string) error
	// LoginFailed audits a failed login, so repeated guessing shows.
	LoginFailed(ctx context.Context, name string) error
}
