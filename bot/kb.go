package bot

import (
	"context"
	"fmt"
	"slices"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
)

// handleKB answers the /kb subcommands.
func (b *Bot) handleKB(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) error {
	if len(opts) == 0 {
		return userError{unknownText}
	}
	sub, subOpts := opts[0].Name, opts[0].Options
	switch sub {
	case subStatus:
		return ix.respond(renderStatus(b.kb.Status(), b.lastReload()))
	case subReload:
		if !b.mayReload(ix.Member) {
			b.log.Info("kb reload refused", "user", ix.user().ID, "guild", ix.GuildID)
			b.metrics.Reload(metrics.ResultRejected)
			return userError{adminOnlyText("reload the knowledge base")}
		}
		by := fmt.Sprintf("%s (%s)", ix.user().Username, ix.user().ID)
		return b.answerWith(ix, true, false, func(ctx context.Context) (reply, error) {
			rec, err := b.reload(ctx, by)
			if err != nil {
				return reply{}, err
			}
			return renderReload(rec), nil
		})
	case subAdd:
		return b.handleAdd(ix, subOpts)
	case subRemove:
		return b.handleRemove(ix, subOpts)
	case subGaps:
		return b.handleGaps(ix, subOpts)
	}
	return userError{unknownText}
}

// adminOnlyText refuses an admin command to a member who is not one.
func adminOnlyText(what string) string {
	return "Only members with the Manage Server or Administrator permission, or an admin role of govbot, can " + what + "."
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
// being answered from the old index meanwhile. One change of the
// knowledge base (reload, upload, removal) runs at a time: Reload waits
// for one in progress to finish, as long as ctx allows.
func (b *Bot) Reload(ctx context.Context, by string) (knowledge.Report, error) {
	rec, err := b.reload(ctx, by)
	if err != nil {
		return knowledge.Report{}, err
	}
	return rec.Report, rec.Err
}

func (b *Bot) reload(ctx context.Context, by string) (*reloadRecord, error) {
	if err := b.waitCorpusOp(ctx); err != nil {
		b.metrics.Reload(metrics.ResultRejected)
		return nil, err
	}
	defer b.doneCorpusOp()
	return b.reloadLocked(ctx, by), nil
}

// reloadLocked reloads the knowledge base and records the outcome for
// /kb status and the metrics. The caller holds the corpus lock.
func (b *Bot) reloadLocked(ctx context.Context, by string) *reloadRecord {
	b.log.Info("reloading the knowledge base", "by", by)
	rep, err := b.kb.Reload(ctx)
	rec := &reloadRecord{By: by, At: b.now(), Report: rep, Err: err}
	switch {
	case err != nil:
		b.metrics.Reload(metrics.ResultFailed)
		b.log.Error("reload failed; the previous index keeps serving", "by", by, "err", err)
	default:
		if rep.Rebuilt {
			b.metrics.Reload(metrics.ResultOK)
		} else {
			b.metrics.Reload(metrics.ResultUnchanged)
		}
		b.log.Info("reload done", "by", by, "documents", rep.Documents, "passages", rep.Passages,
			"added", len(rep.Added), "changed", len(rep.Changed), "removed", len(rep.Removed),
			"skipped", len(rep.Skipped), "rebuilt", rep.Rebuilt, "took", rep.Duration)
	}
	b.setIndexMetrics()
	b.lastMu.Lock()
	b.last = rec
	b.lastMu.Unlock()
	return rec
}

// waitCorpusOp takes the corpus lock, waiting at most as long as ctx.
func (b *Bot) waitCorpusOp(ctx context.Context) error {
	select {
	case b.corpusOps <- struct{}{}:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("wait for the knowledge base: %w", ctx.Err())
	}
}

func (b *Bot) doneCorpusOp() { <-b.corpusOps }

func (b *Bot) lastReload() *reloadRecord {
	b.lastMu.Lock()
	defer b.lastMu.Unlock()
	return b.last
}
