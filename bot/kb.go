package bot

import (
	"context"
	"fmt"
	"slices"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// handleKB answers /kb status and /kb reload.
func (b *Bot) handleKB(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) error {
	sub := ""
	if len(opts) > 0 {
		sub = opts[0].Name
	}
	switch sub {
	case subStatus:
		return ix.respond(renderStatus(b.kb.Status(), b.lastReload()))
	case subReload:
		if !b.mayReload(ix.Member) {
			b.log.Info("kb reload refused", "user", ix.user().ID, "guild", ix.GuildID)
			return userError{"Only members with the Manage Server or Administrator permission, or an admin role of govbot, can reload the knowledge base."}
		}
		by := fmt.Sprintf("%s (%s)", ix.user().Username, ix.user().ID)
		return b.answerWith(ix, true, false, func(ctx context.Context) (reply, error) {
			rec, err := b.reload(ctx, by)
			if err != nil {
				return reply{}, err
			}
			return renderReload(rec), nil
		})
	}
	return userError{unknownText}
}

// mayReload is the server-side check behind /kb reload. Server admins can
// change who sees a command, so default_member_permissions alone is not
// enough: the member must have Manage Server or Administrator in this
// channel (Discord computes member.permissions for the interaction), or
// one of Config.AdminRoleIDs. Outside a guild nobody may.
func (b *Bot) mayReload(m *discordgo.Member) bool {
	if m == nil {
		return false
	}
	if m.Permissions&(discordgo.PermissionAdministrator|discordgo.PermissionManageGuild) != 0 {
		return true
	}
	for _, r := range m.Roles {
		if slices.Contains(b.cfg.AdminRoleIDs, r) {
			return true
		}
	}
	return false
}

// Reload rebuilds the knowledge base (as /kb reload does) on behalf of by,
// e.g. "SIGHUP", and records the outcome for /kb status. Questions keep
// being answered from the old index meanwhile. Only one reload runs at a
// time; a second one returns an error at once.
func (b *Bot) Reload(ctx context.Context, by string) (knowledge.Report, error) {
	rec, err := b.reload(ctx, by)
	if err != nil {
		return knowledge.Report{}, err
	}
	return rec.Report, rec.Err
}

func (b *Bot) reload(ctx context.Context, by string) (*reloadRecord, error) {
	if !b.reloading.TryLock() {
		return nil, userError{"A reload is already running; `/kb status` will show its outcome."}
	}
	defer b.reloading.Unlock()
	b.log.Info("reloading the knowledge base", "by", by)
	rep, err := b.kb.Reload(ctx)
	rec := &reloadRecord{By: by, At: b.now(), Report: rep, Err: err}
	if err != nil {
		b.log.Error("reload failed; the previous index keeps serving", "by", by, "err", err)
	} else {
		b.log.Info("reload done", "by", by, "documents", rep.Documents, "passages", rep.Passages,
			"added", len(rep.Added), "changed", len(rep.Changed), "removed", len(rep.Removed),
			"skipped", len(rep.Skipped), "rebuilt", rep.Rebuilt, "took", rep.Duration)
	}
	b.lastMu.Lock()
	b.last = rec
	b.lastMu.Unlock()
	return rec, nil
}

func (b *Bot) lastReload() *reloadRecord {
	b.lastMu.Lock()
	defer b.lastMu.Unlock()
	return b.last
}
