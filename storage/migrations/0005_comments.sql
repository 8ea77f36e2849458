-- Public comment: each document's comment window with the history of its
-- settings, the comments received (immutable), and groups of
-- near-duplicate comments, which carry the answer (disposition).

CREATE TABLE comment_windows (
	document_id       INTEGER PRIMARY KEY REFERENCES documents(id),
	revision          INTEGER NOT NULL, -- the revision put out for comment
	revision_hash     TEXT NOT NULL,
	kind              TEXT NOT NULL,    -- whose minimum applies: 规章, 行政规范性文件, ...
	channels          TEXT NOT NULL,    -- 网站、电子邮件
	market            INTEGER NOT NULL DEFAULT 0,
	start_date        TEXT NOT NULL,
	end_date          TEXT NOT NULL,
	reason            TEXT NOT NULL DEFAULT '',
	opened_by         TEXT NOT NULL,
	opened_at         TEXT NOT NULL,
	feedback_at       TEXT NOT NULL DEFAULT '',
	feedback_document INTEGER REFERENCES documents(id),
	FOREIGN KEY (document_id, revision) REFERENCES revisions(document_id, number)
);

-- Every setting of a window, the opening first: extending keeps the old
-- end visible.
CREATE TABLE comment_window_changes (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES comment_windows(document_id),
	start_date  TEXT NOT NULL,
	end_date    TEXT NOT NULL,
	reason      TEXT NOT NULL DEFAULT '',
	extension   INTEGER NOT NULL,
	actor       TEXT NOT NULL,
	at          TEXT NOT NULL
);
CREATE INDEX comment_window_changes_document ON comment_window_changes(document_id, id);

CREATE TRIGGER comment_window_changes_no_update BEFORE UPDATE ON comment_window_changes
BEGIN SELECT RAISE(ABORT, 'comment window history is append-only'); END;
CREATE TRIGGER comment_window_changes_no_delete BEFORE DELETE ON comment_window_changes
BEGIN SELECT RAISE(ABORT, 'comment window history is append-only'); END;

CREATE TABLE comment_groups (
	id          INTEGER PRIMARY KEY,
	document_id INTEGER NOT NULL REFERENCES comment_windows(document_id),
	disposition TEXT NOT NULL DEFAULT '',
	reason      TEXT NOT NULL DEFAULT '',
	disposed_by TEXT NOT NULL DEFAULT '',
	disposed_at TEXT NOT NULL DEFAULT ''
);
CREATE INDEX comment_groups_document ON comment_groups(document_id);

-- Comments are kept as received, late ones too.
CREATE TABLE comments (
	id             INTEGER PRIMARY KEY,
	document_id    INTEGER NOT NULL REFERENCES comment_windows(document_id),
	no             INTEGER NOT NULL,
	group_id       INTEGER NOT NULL REFERENCES comment_groups(id),
	submitter_type TEXT NOT NULL,
	submitter      TEXT NOT NULL DEFAULT '',
	received_at    TEXT NOT NULL,
	channel        TEXT NOT NULL,
	text           TEXT NOT NULL,
	article        TEXT NOT NULL DEFAULT '',
	late           INTEGER NOT NULL DEFAULT 0,
	source         TEXT NOT NULL DEFAULT '',
	created_by     TEXT NOT NULL,
	created_at     TEXT NOT NULL,
	UNIQUE (document_id, no)
);
CREATE INDEX comments_group ON comments(group_id);

CREATE TRIGGER comments_no_update BEFORE UPDATE ON comments
BEGIN SELECT RAISE(ABORT, 'comments are kept as received'); END;
CREATE TRIGGER comments_no_delete BEFORE DELETE ON comments
BEGIN SELECT RAISE(ABORT, 'comments are kept as received'); END;
