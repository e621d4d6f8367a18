package bot

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/govbot-dev/govbot/knowledge"
)

// A view is what a message with buttons shows, kept under a short id (see
// views) so that its buttons (custom ids of at most 100 characters) can
// page it and open its passages, across restarts.
type view struct {
	ID       string
	Guild    string // the server it was shown in, "" in DMs; its buttons work only there
	Kind     string // kindAsk, kindSearch, kindSource or kindRemove
	Owner    string // the user who asked; pages in place
	Private  bool   // the message is ephemeral
	Question string // the question or query as typed
	// FollowUp, when set, is the earlier question of the conversation the
	// answer was read together with.
	FollowUp string
	Answer   knowledge.Answer     // kindAsk
	RecordID int64                // kindAsk: the answer's feedback record, 0 when not recorded
	Hits     []knowledge.Citation // kindSearch
	DocID    string               // kindSource (its passages are fetched per page), kindRemove
	// Base marks a kindRemove of the operator acting on the base collection.
	Base bool `json:",omitempty"`
}

// View kinds double as custom id prefixes for paging.
const (
	kindAsk     = "ask"
	kindSearch  = "search"
	kindSource  = "src"
	kindPassage = "psg" // custom id prefix: show one passage of a view
	kindRemove  = "rm"  // a /kb remove awaiting confirmation: 1 removes, 0 cancels
)

// Items per page.
const (
	askPageSize    = 3
	searchPageSize = 5
	sourcePageSize = 3
)

// customID builds "<prefix>:<view id>:<n>".
func customID(prefix, id string, n int) string {
	return prefix + ":" + id + ":" + strconv.Itoa(n)
}

// parseCustomID splits a custom id built by customID.
func parseCustomID(s string) (prefix, id string, n int, err error) {
	parts := strings.Split(s, ":")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" {
		return "", "", 0, fmt.Errorf("custom id %q: not prefix:id:n", s)
	}
	n, err = strconv.Atoi(parts[2])
	if err != nil || n < 0 {
		return "", "", 0, fmt.Errorf("custom id %q: bad number", s)
	}
	return parts[0], parts[1], n, nil
}

// pages is the number of pages of n items, at least 1.
func pages(n, size int) int {
	if n <= size {
		return 1
	}
	return (n + size - 1) / size
}

// pageBounds returns the [lo, hi) range of items on page p, clamped.
func pageBounds(p, n, size int) (lo, hi int) {
	lo = p * size
	if lo > n {
		lo = n
	}
	hi = lo + size
	if hi > n {
		hi = n
	}
	return lo, hi
}
