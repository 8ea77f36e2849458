-- Review workflow: users' signing keys, signed decisions and the
-- administrator's corrections to the holiday calendar.

-- Keys are never deleted and change only once, when a newer key closes their
-- validity: a decision must stay verifiable with the key it was signed with.
CREATE TABLE keys (
	id          INTEGER PRIMARY KEY,
	user        TEXT NOT NULL REFERENCES users(name),
	public_key  TEXT NOT NULL,        -- authorized_keys line
	fingerprint TEXT NOT NULL UNIQUE, -- SHA256:...
	private_key BLOB NOT NULL,        -- OpenSSH format, encrypted with the user's passphrase
	valid_from  TEXT NOT NULL,
	valid_to    TEXT NOT NULL DEFAULT '' -- '' while current
);
CREATE INDEX keys_user ON keys(user, valid_from);

CREATE TRIGGER keys_no_delete BEFORE DELETE ON keys
BEGIN SELECT RAISE(ABORT, 'keys are kept for verification'); END;
CREATE TRIGGER keys_close_only BEFORE UPDATE ON keys
WHEN OLD.valid_to <> '' OR NEW.user IS NOT OLD.user OR NEW.public_key IS NOT OLD.public_key
	OR NEW.fingerprint IS NOT OLD.fingerprint OR NEW.private_key IS NOT OLD.private_key
	OR NEW.valid_from IS NOT OLD.valid_from
BEGIN SELECT RAISE(ABORT, 'a key may only have its validity closed, once'); END;

-- Decisions are append-only. Each row keeps every field its statement names,
-- the statement itself and the signature, so verification can recompute the
-- statement and catch a row changed behind the application's back.
CREATE TABLE decisions (
	id              INTEGER PRIMARY KEY,
	document_id     INTEGER NOT NULL REFERENCES documents(id),
	index_no        TEXT NOT NULL,
	revision        INTEGER NOT NULL,
	revision_hash   TEXT NOT NULL,
	stage           TEXT NOT NULL,
	outcome         TEXT NOT NULL,
	reason          TEXT NOT NULL DEFAULT '',
	ground          TEXT NOT NULL DEFAULT '',
	checklist       TEXT NOT NULL DEFAULT '', -- JSON keyed "1".."7"; '' outside legality review
	actor           TEXT NOT NULL REFERENCES users(name),
	at              TEXT NOT NULL,
	statement       TEXT NOT NULL,
	signature       TEXT NOT NULL,
	key_fingerprint TEXT NOT NULL,
	FOREIGN KEY (document_id, revision) REFERENCES revisions(document_id, number)
);
CREATE INDEX decisions_document ON decisions(document_id, id);

CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
BEGIN SELECT RAISE(ABORT, 'decisions are append-only'); END;

-- The administrator's corrections on top of the shipped holiday notices.
CREATE TABLE calendar_overrides (
	date   TEXT PRIMARY KEY, -- YYYY-MM-DD
	off    INTEGER NOT NULL, -- 1: 休, 0: 班
	note   TEXT NOT NULL DEFAULT '',
	set_by TEXT NOT NULL,
	set_at TEXT NOT NULL
);
