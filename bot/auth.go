package bot

import (
	"slices"
	"sync"

	"github.com/bwmarrin/discordgo"
)

// authority decides who may change what. A server's admins change their
// server's collection; the operator (Config.OperatorIDs, or the
// application's owner or team members, read from Discord at start)
// changes the base. It is safe for concurrent use.
type authority struct {
	adminRoles []string
	configured []string // Config.OperatorIDs

	mu     sync.RWMutex
	owners []string // from GET /applications/@me
}

func newAuthority(adminRoles, operators []string) *authority {
	return &authority{adminRoles: adminRoles, configured: operators}
}

// setOwners records the application's owner and team members.
func (a *authority) setOwners(ids []string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.owners = append([]string(nil), ids...)
}

// isOperator reports whether the user may change the base collection.
func (a *authority) isOperator(userID string) bool {
	if userID == "" {
		return false
	}
	if slices.Contains(a.configured, userID) {
		return true
	}
	a.mu.RLock()
	defer a.mu.RUnlock()
	return slices.Contains(a.owners, userID)
}

// isAdmin reports whether the member administers the server the
// interaction comes from: Manage Server or Administrator in this channel
// (Discord computes member.permissions for the interaction), or one of
// Config.AdminRoleIDs. Outside a server nobody is.
func (a *authority) isAdmin(ix *interaction) bool {
	m := ix.Member
	if ix.GuildID == "" || m == nil {
		return false
	}
	if m.Permissions&(discordgo.PermissionAdministrator|discordgo.PermissionManageGuild) != 0 {
		return true
	}
	for _, r := range m.Roles {
		if slices.Contains(a.adminRoles, r) {
			return true
		}
	}
	return false
}

// allow checks a command's access; the error says why it was refused.
func (a *authority) allow(ix *interaction, ac access) error {
	switch ac {
	case everyone:
		return nil
	case serverAdmins:
		if a.isAdmin(ix) {
			return nil
		}
		return userError{adminOnlyText}
	}
	return userError{unknownText}
}

// mayChangeBase refuses whoever is not the operator.
func (a *authority) mayChangeBase(ix *interaction) error {
	if a.isOperator(ix.user().ID) {
		return nil
	}
	return userError{operatorOnlyText}
}

// Refusals.
const (
	adminOnlyText = "Only this server's admins (Manage Server or Administrator permission, or an admin role of govbot) " +
		"can manage its knowledge base. Nothing was changed."
	operatorOnlyText = "Only govbot's operator can change the base knowledge base shared by every server. " +
		"Server admins add, remove and reload this server's own documents (leave `collection` empty). Nothing was changed."
)

// applicationOwners lists the users who own the application: its owner,
// or its team's members.
func applicationOwners(app *discordgo.Application) []string {
	if app == nil {
		return nil
	}
	var ids []string
	if app.Owner != nil && app.Owner.ID != "" {
		ids = append(ids, app.Owner.ID)
	}
	if app.Team != nil {
		if app.Team.OwnerID != "" {
			ids = append(ids, app.Team.OwnerID)
		}
		for _, m := range app.Team.Members {
			if m != nil && m.User != nil && m.User.ID != "" {
				ids = append(ids, m.User.ID)
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}
