-- Confidentiality screening: reviewers' decisions on findings, the
-- administrator's keyword lists and allow-list.

-- Decisions are append-only: a later row for the same fingerprint
-- supersedes an earlier one, and the history of who decided what, when, on
-- which revision, stays. Kind and text are kept so that export can look for
-- a confirmed text long after the revision it was found in.
CREATE TABLE finding_decisions (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES documents(id),
	fingerprint TEXT NOT NULL,
	decision    TEXT NOT NULL CHECK (decision IN ('已确认', '已排除')),
	reason      TEXT NOT NULL DEFAULT '',
	actor       TEXT NOT NULL REFERENCES users(name),
	at          TEXT NOT NULL,
	revision    INTEGER NOT NULL,
	kind        TEXT NOT NULL,
	text        TEXT NOT NULL,
	FOREIGN KEY (document_id, revision) REFERENCES revisions(document_id, number),
	CHECK (decision <> '已排除' OR trim(reason) <> '')
);
CREATE INDEX finding_decisions_document ON finding_decisions(document_id, id);

CREATE TRIGGER finding_decisions_no_update BEFORE UPDATE ON finding_decisions
BEGIN SELECT RAISE(ABORT, 'finding decisions are append-only'); END;
CREATE TRIGGER finding_decisions_no_delete BEFORE DELETE ON finding_decisions
BEGIN SELECT RAISE(ABORT, 'finding decisions are append-only'); END;

-- Keyword lists are replaced whole on import; the audit log keeps what
-- changed. Terms are one per line.
CREATE TABLE keyword_lists (
	name       TEXT PRIMARY KEY,
	ground     INTEGER NOT NULL CHECK (ground IN (14, 15, 16)),
	terms      TEXT NOT NULL,
	updated_by TEXT NOT NULL,
	updated_at TEXT NOT NULL
);

CREATE TABLE allow_terms (
	term     TEXT PRIMARY KEY,
	added_by TEXT NOT NULL,
	added_at TEXT NOT NULL
);
