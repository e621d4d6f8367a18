-- Initial schema. Times are Unix milliseconds, UTC.

-- Settings of this database, e.g. the generated user-id salt.
CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value ANY  NOT NULL
) STRICT;

-- One row per question answered or abstained on.
CREATE TABLE answers (
	id         INTEGER PRIMARY KEY,
	asked_at   INTEGER NOT NULL,
	command    TEXT    NOT NULL,
	guild_id   TEXT    NOT NULL DEFAULT '',
	channel_id TEXT    NOT NULL DEFAULT '',
	user_hash  TEXT    NOT NULL DEFAULT '', -- hex HMAC-SHA256(salt, user id); never the id
	question   TEXT    NOT NULL,
	normalized TEXT    NOT NULL,
	abstained  INTEGER NOT NULL CHECK (abstained IN (0, 1))
) STRICT;
CREATE INDEX answers_asked_at ON answers (asked_at);
CREATE INDEX answers_normalized ON answers (normalized, asked_at);

-- The passages an answer cited, best first.
CREATE TABLE citations (
	answer_id  INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
	rank       INTEGER NOT NULL,
	passage_id TEXT    NOT NULL,
	PRIMARY KEY (answer_id, rank)
) STRICT, WITHOUT ROWID;
CREATE INDEX citations_passage ON citations (passage_id);

-- One vote per user per answer; a change of mind replaces it.
CREATE TABLE votes (
	answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
	user_hash TEXT    NOT NULL,
	up        INTEGER NOT NULL CHECK (up IN (0, 1)),
	voted_at  INTEGER NOT NULL,
	PRIMARY KEY (answer_id, user_hash)
) STRICT, WITHOUT ROWID;
