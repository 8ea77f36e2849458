-- Core schema: settings, users, documents, immutable revisions, full-text
-- search and the hash-chained audit log.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- One counter per organisation and year: 索引号 are never reused, even when
-- a document is deleted or an import fails after taking a number.
CREATE TABLE index_counters (
	org  TEXT NOT NULL,
	year INTEGER NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (org, year)
);

CREATE TABLE users (
	name         TEXT PRIMARY KEY,
	display_name TEXT NOT NULL DEFAULT '',
	roles        TEXT NOT NULL, -- comma-separated Chinese role names
	pass_hash    TEXT NOT NULL,
	disabled     INTEGER NOT NULL DEFAULT 0,
	created_at   TEXT NOT NULL
);

CREATE TABLE documents (
	id                INTEGER PRIMARY KEY,
	index_no          TEXT NOT NULL UNIQUE,
	status            TEXT NOT NULL,
	validity          TEXT NOT NULL,
	current_rev       INTEGER NOT NULL,
	-- The current revision's title, kind, metadata and hash, kept here so a
	-- listing of thousands of documents never reads revision text.
	title             TEXT NOT NULL,
	kind              TEXT NOT NULL,
	meta              TEXT NOT NULL,
	current_hash      TEXT NOT NULL,
	skip_legality     INTEGER NOT NULL DEFAULT 0,
	stage_since       TEXT NOT NULL,
	published_on      TEXT NOT NULL DEFAULT '',
	published_url     TEXT NOT NULL DEFAULT '',
	superseded_by     INTEGER REFERENCES documents(id),
	supersedes        INTEGER REFERENCES documents(id),
	interpretation_of INTEGER REFERENCES documents(id),
	created_by        TEXT NOT NULL,
	created_at        TEXT NOT NULL,
	updated_at        TEXT NOT NULL
);
CREATE INDEX documents_updated ON documents(updated_at);
CREATE INDEX documents_kind ON documents(kind, updated_at);

-- Revisions are immutable: every edit inserts a new row.
CREATE TABLE revisions (
	document_id INTEGER NOT NULL REFERENCES documents(id),
	number      INTEGER NOT NULL,
	hash        TEXT NOT NULL,
	meta        TEXT NOT NULL, -- review.Metadata as JSON
	title       TEXT NOT NULL,
	kind        TEXT NOT NULL,
	text        TEXT NOT NULL,
	author      TEXT NOT NULL,
	-- who wrote the substance: the author, or for a redaction (text with
	-- characters replaced by ■ and nothing else) the drafter of the
	-- redacted revision. Separation of duties looks at this.
	drafter     TEXT NOT NULL,
	redacted_from INTEGER NOT NULL DEFAULT 0,
	note        TEXT NOT NULL DEFAULT '',
	source      TEXT NOT NULL DEFAULT '',
	created_at  TEXT NOT NULL,
	PRIMARY KEY (document_id, number)
);
CREATE INDEX revisions_hash ON revisions(hash);

CREATE TRIGGER revisions_no_update BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;
CREATE TRIGGER revisions_no_delete BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are append-only'); END;

-- Search over each document's current title and text. The trigram tokenizer
-- finds any substring of three or more characters, which suits Chinese:
-- there are no spaces between words.
CREATE VIRTUAL TABLE documents_fts USING fts5(title, text, tokenize = 'trigram');

CREATE TABLE audit (
	seq         INTEGER PRIMARY KEY,
	at          TEXT NOT NULL,
	actor       TEXT NOT NULL,
	action      TEXT NOT NULL,
	document_id INTEGER,
	revision    INTEGER NOT NULL DEFAULT 0,
	detail      TEXT NOT NULL,
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
);
CREATE INDEX audit_document ON audit(document_id);

CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
