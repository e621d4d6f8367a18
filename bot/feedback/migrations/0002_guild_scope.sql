-- Every server's feedback is its own: gaps and votes are read per guild.
-- answers.guild_id has been recorded since 0001 ('' for DMs), so existing
-- rows keep the guild they were asked in; rows without one (DMs) are shown
-- only in the operator's `govbot report`, never in a server's /kb gaps.
CREATE INDEX answers_guild ON answers (guild_id, normalized, asked_at);

-- The state behind the buttons of messages (pages, passages, the remove
-- confirmation), so that they keep working across restarts. Keyed by guild
-- and id: state saved in one guild is never found from another.
CREATE TABLE buttons (
	guild_id   TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	state      BLOB    NOT NULL,
	expires_at INTEGER NOT NULL,
	PRIMARY KEY (guild_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX buttons_expires ON buttons (expires_at);
