package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge"
	"github.com/govbot-dev/govbot/knowledge/document"
)

// Texts of /kb add and /kb remove.
const (
	needsDirText = "govbot is serving its built-in knowledge base, which cannot be changed from Discord. " +
		"To add and remove documents, the operator sets `KNOWLEDGE_DIR` to a folder of documents and restarts govbot."
)

// typesText lists the document types for people: "`.md`, ... or `.odt`",
// from the document package, the one place that knows them.
func typesText() string {
	exts := document.Extensions()
	quoted := make([]string, len(exts))
	for i, e := range exts {
		quoted[i] = "`" + e + "`"
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// upload is one document file an admin sent with /kb add.
type upload struct {
	att     *discordgo.MessageAttachment
	title   string
	replace bool
	by      string
}

// uploaded is the outcome of an upload that was kept.
type uploaded struct {
	Source   knowledge.Source // the document as the index now has it
	Replaced bool             // an earlier upload of that name was replaced
	Renamed  bool             // the name was taken, so a -2, -3... was added
	Record   *reloadRecord
}

// handleAdd answers /kb add file:<attachment> [title:<text>]
// [replace:<bool>]: download the file from Discord, validate it as the
// corpus loader would, store it in KNOWLEDGE_DIR/uploads and reload.
func (b *Bot) handleAdd(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) error {
	if !b.mayReload(ix.Member) {
		b.log.Info("kb add refused", "user", ix.user().ID, "guild", ix.GuildID)
		b.metrics.Upload(metrics.ResultRejected)
		return userError{adminOnlyText("add documents")}
	}
	if b.cfg.KnowledgeDir == "" {
		b.metrics.Upload(metrics.ResultRejected)
		return userError{needsDirText}
	}
	att := attachmentOption(ix, opts, optFile)
	if att == nil {
		b.metrics.Upload(metrics.ResultRejected)
		return userError{"Please attach the document file to `/kb add` (" + typesText() + ")."}
	}
	u := upload{
		att:     att,
		title:   stringOption(opts, optTitle),
		replace: boolOption(opts, optReplace),
		by:      fmt.Sprintf("%s (%s) adding %s", ix.user().Username, ix.user().ID, oneLine(att.Filename)),
	}
	return b.answerWith(ix, true, false, func(ctx context.Context) (reply, error) {
		res, err := b.addDocument(ctx, u)
		var ue userError
		switch {
		case err == nil && res.Record.Report.Rebuilt:
			b.metrics.Upload(metrics.ResultOK)
		case err == nil:
			b.metrics.Upload(metrics.ResultUnchanged)
		case errors.As(err, &ue):
			b.metrics.Upload(metrics.ResultRejected)
			b.log.Info("upload refused", "by", u.by, "reason", err.Error())
			return renderUploadRefused(att.Filename, ue.msg), nil
		case ctx.Err() != nil:
			b.metrics.Upload(metrics.ResultFailed)
			return reply{}, err // timed out or shutting down: the usual notice
		default:
			b.metrics.Upload(metrics.ResultFailed)
			b.log.Error("upload failed; the knowledge base is unchanged", "by", u.by, "err", err.Error())
			return renderUploadRefused(att.Filename, "Something went wrong on my side while storing or indexing it; "+
				"the operator will find why in govbot's log (for example a read-only `KNOWLEDGE_DIR` or a full disk)."), nil
		}
		return renderUploaded(res), nil
	})
}

// addDocument checks, downloads, validates, stores and indexes u. A
// userError says why the file was refused; nothing is kept then.
func (b *Bot) addDocument(ctx context.Context, u upload) (uploaded, error) {
	limit := b.cfg.MaxUploadSize
	stem, ext, ok := uploadName(u.title, u.att.Filename)
	if !ok {
		return uploaded{}, userErrorf("Only %s files can be added; this one is “%s”.", typesText(), truncate(quoteUser(u.att.Filename), 100))
	}
	if int64(u.att.Size) > limit {
		return uploaded{}, userError{tooLargeText(int64(u.att.Size), limit)}
	}
	data, err := b.fetch(ctx, u.att.URL, limit)
	switch {
	case errors.Is(err, errNotDiscordURL):
		b.log.Warn("upload refused: attachment URL is not Discord's", "by", u.by, "host", hostOf(u.att.URL))
		return uploaded{}, userError{"I only download attachments from Discord itself, and this one points elsewhere."}
	case errors.Is(err, errTooLarge):
		return uploaded{}, userError{tooLargeText(0, limit)}
	case err != nil:
		b.log.Warn("upload: download failed", "by", u.by, "err", err.Error())
		return uploaded{}, userError{"I couldn't download the file from Discord. Please try again in a moment."}
	}
	if u.title != "" && document.Text(u.att.Filename) {
		data = withTitle(data, u.title)
		if int64(len(data)) > limit {
			return uploaded{}, userError{tooLargeText(int64(len(data)), limit)}
		}
	}
	rel := uploadsDir + "/" + stem + ext
	doc, err := document.Parse(rel, data)
	if err != nil {
		return uploaded{}, userErrorf("This file can't be used as a document: %s.", truncate(escapeMarkdown(oneLine(err.Error())), 300))
	}
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])

	if err := b.waitCorpusOp(ctx); err != nil {
		return uploaded{}, err
	}
	defer b.doneCorpusOp()
	for _, s := range b.kb.Sources() {
		if s.Hash == hash && !u.replace {
			return uploaded{}, userErrorf("This exact file is already in the knowledge base as *%s* (`%s`).",
				truncate(escapeMarkdown(oneLine(s.Title)), 150), s.ID)
		}
	}
	p, err := placeUpload(b.cfg.KnowledgeDir, stem, ext, data, u.replace)
	if err != nil {
		return uploaded{}, fmt.Errorf("upload %q: %w", doc.Title, err)
	}
	rec := b.reloadLocked(ctx, u.by)
	src, found := sourceAt(b.kb.Sources(), p.rel)
	if rec.Err == nil && found {
		p.keep()
		b.log.Info("document uploaded", "by", u.by, "path", p.rel, "id", src.ID, "passages", src.Passages)
		return uploaded{Source: src, Replaced: len(p.backups) > 0, Renamed: p.rel != rel, Record: rec}, nil
	}
	// Not indexed: take the file back out and index the corpus as it was.
	if err := p.undo(); err != nil {
		b.log.Error("upload: could not take a rejected file back out of the corpus", "path", p.rel, "err", err)
	}
	why := skippedReason(rec.Report.Skipped, p.rel)
	if rec.Err == nil {
		_ = b.reloadLocked(ctx, u.by+" (undone)")
		return uploaded{}, userErrorf("The knowledge base did not take this file: %s.", truncate(escapeMarkdown(why), 300))
	}
	return uploaded{}, fmt.Errorf("upload %q: %w", doc.Title, rec.Err)
}

func tooLargeText(size, limit int64) string {
	if size > 0 {
		return fmt.Sprintf("This file is %s; documents added from Discord can be at most %s.", byteSize(size), byteSize(limit))
	}
	return fmt.Sprintf("This file is over %s, the most a document added from Discord can be.", byteSize(limit))
}

// byteSize is n in B, KiB or MiB for people.
func byteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// hostOf is the host of a URL for logs (never the query, which is signed).
func hostOf(raw string) string {
	i := strings.Index(raw, "://")
	if i < 0 {
		return ""
	}
	h := raw[i+3:]
	if j := strings.IndexAny(h, "/?#"); j >= 0 {
		h = h[:j]
	}
	return h
}

func sourceAt(sources []knowledge.Source, rel string) (knowledge.Source, bool) {
	for _, s := range sources {
		if s.Path == rel {
			return s, true
		}
	}
	return knowledge.Source{}, false
}

func skippedReason(sk []knowledge.Skipped, rel string) string {
	for _, s := range sk {
		if s.Path == rel {
			return s.Reason
		}
	}
	return "it was not indexed"
}

// attachmentOption returns the attachment given as option name, from the
// interaction's resolved data; nil when there is none.
func attachmentOption(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption, name string) *discordgo.MessageAttachment {
	id := stringOption(opts, name)
	if id == "" {
		return nil
	}
	res := ix.ApplicationCommandData().Resolved
	if res == nil {
		return nil
	}
	a := res.Attachments[id]
	if a == nil || a.URL == "" {
		return nil
	}
	return a
}

// handleRemove answers /kb remove document:<id or title> with the
// document and a button to confirm; the removal happens on the click.
func (b *Bot) handleRemove(ix *interaction, opts []*discordgo.ApplicationCommandInteractionDataOption) error {
	if !b.mayReload(ix.Member) {
		b.log.Info("kb remove refused", "user", ix.user().ID, "guild", ix.GuildID)
		return userError{adminOnlyText("remove documents")}
	}
	if b.cfg.KnowledgeDir == "" {
		return userError{needsDirText}
	}
	typed := strings.TrimSpace(stringOption(opts, optDocument))
	src, ok := findSource(b.kb.Sources(), typed)
	if !ok {
		return userErrorf("No document matches “%s”. Start typing a title after `/kb remove` and pick one from the list.", truncate(quoteUser(typed), 200))
	}
	v := &view{ID: newID(), Kind: kindRemove, Owner: ix.user().ID, DocID: src.ID, Private: true}
	b.views.Put(v.ID, v)
	return ix.respond(renderRemoveConfirm(v, src))
}

// confirmRemove handles the buttons under /kb remove: n is 1 to remove,
// 0 to cancel. Only the admin who asked may press them.
func (b *Bot) confirmRemove(ix *interaction, v *view, n int) error {
	if ix.user().ID != v.Owner || !b.mayReload(ix.Member) {
		return userError{adminOnlyText("remove documents")}
	}
	if n == 0 {
		b.views.Delete(v.ID)
		return ix.update(notice("Nothing was removed."))
	}
	b.views.Delete(v.ID) // one removal per confirmation
	by := fmt.Sprintf("%s (%s) removing %s", ix.user().Username, ix.user().ID, v.DocID)
	return b.answerWith(ix, true, true, func(ctx context.Context) (reply, error) {
		src, rec, err := b.removeDocument(ctx, v.DocID, by)
		var ue userError
		if errors.As(err, &ue) {
			return notice(ue.msg), nil
		}
		if err != nil {
			return reply{}, err
		}
		return renderRemoved(src, rec), nil
	})
}

// removeDocument deletes the file of document id from the knowledge
// directory and reloads. When the reload fails the file is put back.
func (b *Bot) removeDocument(ctx context.Context, id, by string) (knowledge.Source, *reloadRecord, error) {
	if err := b.waitCorpusOp(ctx); err != nil {
		return knowledge.Source{}, nil, err
	}
	defer b.doneCorpusOp()
	var src knowledge.Source
	found := false
	for _, s := range b.kb.Sources() {
		if s.ID == id {
			src, found = s, true
		}
	}
	if !found {
		return src, nil, userError{"That document is no longer in the knowledge base."}
	}
	p, err := setAside(b.cfg.KnowledgeDir, src.Path)
	if errors.Is(err, errOutsideCorpus) {
		b.log.Warn("kb remove refused: the document's file is not inside KNOWLEDGE_DIR", "id", id, "path", src.Path)
		return src, nil, userErrorf("I can't remove `%s`: its file is not inside the knowledge directory.", id)
	}
	if err != nil {
		return src, nil, fmt.Errorf("remove %s: %w", id, err)
	}
	rec := b.reloadLocked(ctx, by)
	if rec.Err != nil {
		if err := p.undo(); err != nil {
			b.log.Error("remove: could not put the file back after a failed reload", "path", src.Path, "err", err)
		}
		return src, rec, nil
	}
	p.keep()
	b.log.Info("document removed", "by", by, "id", id, "path", src.Path)
	return src, rec, nil
}
