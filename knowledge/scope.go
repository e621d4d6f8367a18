package knowledge

// Scope names whose knowledge a request reads or changes: the base
// collection alone (Guild "", as in DMs and the command line without
// --guild) or one Discord server's view of it (its own documents plus
// the base documents it did not hide). Every per-server read and write
// takes a Scope, so that forgetting one does not compile.
type Scope struct {
	Guild string // a Discord snowflake, or "" for the base
}

// IsBase reports whether s is the base collection alone.
func (s Scope) IsBase() bool { return s.Guild == "" }

// String is "base" or "guild <id>", for logs.
func (s Scope) String() string {
	if s.Guild == "" {
		return "base"
	}
	return "guild " + s.Guild
}
