// Package feedback records what govbot was asked and how its answers were
// received, and reports the knowledge base's coverage gaps: the questions
// it abstained on or that users voted down, grouped by normalised question.
//
// A Store keeps everything in one SQLite database, DIR/feedback.db, through
// a pure-Go driver (no cgo). The database runs in WAL mode with
// synchronous=FULL: a committed answer or vote survives a killed process
// (kill -9) and a power loss or OS crash. NORMAL would be enough for a
// killed process but may lose the last commits on power loss; one fsync
// per recorded answer is cheap at a chat bot's pace, so govbot pays it.
//
// Privacy: Discord user ids are never stored; the Store keeps
// hex(HMAC-SHA256(salt, user id)), enough to allow one vote per user per
// answer and nothing else. Discord mentions inside questions (<@id>,
// <@&id>, <#id>) are replaced by @user, @role and #channel before
// storing. Guild and channel ids are stored as they are: they name places,
// not people, and let an admin see where gaps come from. Everything is
// deleted once older than Config.Retention.
//
// Degrading: feedback must never stop the bot from answering. Open fails
// when DIR is unusable; OpenOrDisabled instead logs a warning and returns
// a Store whose methods do nothing and return ErrDisabled. Writes that
// fail because the disk is full, read-only or failing return an error
// wrapping ErrUnavailable and log a warning at most once a minute. Callers
// log or ignore both (errors.Is(err, ErrUnavailable) covers both) and go
// on answering.
//
// All Store methods are safe for concurrent use. Writes go through one
// connection, one transaction at a time; reads use their own connections,
// which WAL lets run beside a write.
package feedback

import (
	"errors"
	"log/slog"
	"time"
)

// FileName is the database's file name within Config.Dir.
const FileName = "feedback.db"

// Sentinel errors; test for them with errors.Is.
var (
	// ErrNotFound: no recorded answer has the given id (never recorded,
	// or pruned).
	ErrNotFound = errors.New("feedback: answer not found")
	// ErrUnavailable: the database cannot be written (disk full, read-only,
	// I/O error, locked) or feedback is disabled. The bot keeps answering.
	ErrUnavailable = errors.New("feedback storage unavailable")
	// ErrDisabled: the Store was opened disabled by OpenOrDisabled. An
	// error that is ErrDisabled is also ErrUnavailable.
	ErrDisabled = errors.New("feedback storage disabled")
	// ErrNoDatabase: Config.NoCreate was set and DIR holds no database yet.
	ErrNoDatabase = errors.New("no feedback database")
	// ErrSchemaTooNew: the database was written by a newer govbot whose
	// schema this one does not know.
	ErrSchemaTooNew = errors.New("feedback database schema is newer than this govbot")
)

// Config configures Open.
type Config struct {
	// Dir is the data directory; the database is Dir/feedback.db. Open
	// creates Dir (0700) unless NoCreate is set. Required.
	Dir string
	// Salt keys the HMAC of user ids. Empty: a random salt is generated on
	// first open and kept in the database, so hashes stay stable across
	// restarts. A salt kept outside the database (FEEDBACK_SALT) means a
	// copy of the database file alone cannot tell whether a known user id
	// voted. Changing it makes earlier votes unmatchable (Open warns).
	Salt []byte
	// Retention is how long answers and votes are kept; Prune deletes older
	// ones. 0 keeps them forever.
	Retention time.Duration
	// NoCreate makes Open fail with ErrNoDatabase instead of creating a
	// database that does not exist yet (reports, tools).
	NoCreate bool
	// Logger receives warnings (storage unavailable, salt changed). Nil
	// discards them.
	Logger *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Record is one answered (or abstained-on) question.
type Record struct {
	Command   string    // "ask", "mention", "search"
	GuildID   string    // "" in DMs
	ChannelID string    //
	UserID    string    // hashed before storing; "" when unknown
	Question  string    // as asked; at most MaxQuestionRunes runes are kept
	Abstained bool      // true when the knowledge base did not answer
	Citations []string  // cited passage ids, best first
	At        time.Time // when asked; zero means now
}

// MaxQuestionRunes bounds the stored question text.
const MaxQuestionRunes = 1000

// Gap is one normalised question that was abstained on or voted down.
type Gap struct {
	Guild      string    `json:"guild"`      // where it was asked; "" for DMs
	Question   string    `json:"question"`   // the most recent wording asked
	Normalized string    `json:"normalized"` // the grouping key (see Normalize)
	Asked      int       `json:"asked"`      // times asked in the period
	Abstained  int       `json:"abstained"`  // times the engine abstained
	Down       int       `json:"down"`       // 👎 votes on those answers
	Up         int       `json:"up"`         // 👍 votes on those answers
	LastAsked  time.Time `json:"last_asked"` // UTC
}
