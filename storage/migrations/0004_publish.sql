-- Publication: attachments, exported packages, validity history.

-- Attachment content is kept in chunks of at most 1 MiB, so that a large
-- annex is streamed into a package chunk by chunk instead of being read
-- into memory whole (database/sql has no incremental BLOB reads).
CREATE TABLE attachments (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES documents(id),
	name        TEXT NOT NULL,
	media_type  TEXT NOT NULL,
	size        INTEGER NOT NULL,
	sha256      TEXT NOT NULL,
	added_by    TEXT NOT NULL,
	added_at    TEXT NOT NULL,
	UNIQUE (document_id, name)
);

CREATE TABLE attachment_chunks (
	attachment_id INTEGER NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
	seq           INTEGER NOT NULL,
	data          BLOB NOT NULL,
	PRIMARY KEY (attachment_id, seq)
);

-- Exports are a record of what left the office: append-only.
CREATE TABLE exports (
	id            INTEGER PRIMARY KEY,
	document_id   INTEGER NOT NULL REFERENCES documents(id),
	revision      INTEGER NOT NULL,
	revision_hash TEXT NOT NULL,
	path          TEXT NOT NULL,
	sha256        TEXT NOT NULL,
	size          INTEGER NOT NULL,
	actor         TEXT NOT NULL,
	at            TEXT NOT NULL
);
CREATE INDEX exports_document ON exports(document_id, id);

CREATE TRIGGER exports_no_update BEFORE UPDATE ON exports
BEGIN SELECT RAISE(ABORT, 'exports are append-only'); END;
CREATE TRIGGER exports_no_delete BEFORE DELETE ON exports
BEGIN SELECT RAISE(ABORT, 'exports are append-only'); END;

-- Validity changes keep the 废止 date and the amending document, which the
-- documents table has no column for, and the history of who changed what.
CREATE TABLE validity_changes (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES documents(id),
	validity    TEXT NOT NULL,
	successor   INTEGER REFERENCES documents(id),
	date        TEXT NOT NULL DEFAULT '',
	actor       TEXT NOT NULL,
	at          TEXT NOT NULL
);
CREATE INDEX validity_changes_document ON validity_changes(document_id, id);

CREATE TRIGGER validity_changes_no_update BEFORE UPDATE ON validity_changes
BEGIN SELECT RAISE(ABORT, 'validity changes are append-only'); END;
CREATE TRIGGER validity_changes_no_delete BEFORE DELETE ON validity_changes
BEGIN SELECT RAISE(ABORT, 'validity changes are append-only'); END;

CREATE INDEX documents_interpretation ON documents(interpretation_of);
