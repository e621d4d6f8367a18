package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/bot/metrics"
	"github.com/govbot-dev/govbot/knowledge/document"
	"github.com/govbot-dev/govbot/knowledge/webpage"
)

// typesText lists the document types /kb add accepts, for people:
// "`.md`, ... or `.odt`", from the document package, the one place that
// knows them.
func typesText() string {
	exts := document.Extensions()
	quoted := make([]string, len(exts))
	for i, e := range exts {
		quoted[i] = "`" + e + "`"
	}
	return strings.Join(quoted[:len(quoted)-1], ", ") + " or " + quoted[len(quoted)-1]
}

// add answers /kb add file:<attachment> [title:<text>] [replace:<bool>]
// [collection]: download the file from Discord and hand it to the
// library, which validates, names, stores and indexes it in this
// server's collection (the base for the operator with collection:base).
func (c *kbCommand) add(ix *interaction) error {
	scope, err := c.target(ix)
	if err != nil {
		c.metrics.Upload(metrics.ResultRejected)
		return err
	}
	if u := strings.TrimSpace(stringOption(ix.options, optURL)); u != "" {
		return c.addPage(ix, scope, u)
	}
	att := attachmentOption(ix, optFile)
	if att == nil {
		c.metrics.Upload(metrics.ResultRejected)
		return userError{"Please attach the document file to `/kb add` (" + typesText() + "), or give a web page's address as `url:`."}
	}
	title := stringOption(ix.options, optTitle)
	replace := boolOption(ix.options, optReplace)
	by := fmt.Sprintf("%s (%s) adding %s", ix.user().Username, ix.user().ID, oneLine(att.Filename))
	return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
		ch, err := c.addDocument(ctx, scope, att, title, replace, by)
		var ue userError
		switch {
		case err == nil && ch.Report.Rebuilt:
			c.metrics.Upload(metrics.ResultOK)
		case err == nil:
			c.metrics.Upload(metrics.ResultUnchanged)
		case errors.As(err, &ue):
			c.metrics.Upload(metrics.ResultRejected)
			c.log.Info("upload refused", "by", by, "scope", scopeName(scope), "reason", err.Error())
			return renderUploadRefused(att.Filename, ue.msg), nil
		case ctx.Err() != nil:
			c.metrics.Upload(metrics.ResultFailed)
			return reply{}, err // timed out or shutting down: the usual notice
		default:
			c.metrics.Upload(metrics.ResultFailed)
			c.log.Error("upload failed; the knowledge base is unchanged", "by", by, "scope", scopeName(scope), "err", err.Error())
			return renderUploadRefused(att.Filename, "Something went wrong on my side while storing or indexing it; "+
				"the operator will find why in govbot's log."), nil
		}
		c.setIndexMetrics(ctx)
		c.log.Info("document added", "by", by, "scope", scopeName(scope), "id", ch.Doc.ID, "passages", ch.Doc.Passages)
		return renderUploaded(ch, scope), nil
	})
}

// addDocument downloads att (at most the upload limit, only from
// Discord) and adds it to scope. A userError says why the file was
// refused; nothing is kept then.
func (c *kbCommand) addDocument(ctx context.Context, scope Scope, att *discordgo.MessageAttachment, title string, replace bool, by string) (Change, error) {
	limit := c.fetch.limit
	if int64(att.Size) > limit {
		return Change{}, userError{tooLargeText(int64(att.Size), limit)}
	}
	data, err := c.fetch.get(ctx, att.URL)
	switch {
	case errors.Is(err, errNotDiscordURL):
		c.log.Warn("upload refused: attachment URL is not Discord's", "by", by, "host", hostOf(att.URL))
		return Change{}, userError{"I only download attachments from Discord itself, and this one points elsewhere."}
	case errors.Is(err, errTooLarge):
		return Change{}, userError{tooLargeText(0, limit)}
	case err != nil:
		c.log.Warn("upload: download failed", "by", by, "err", err.Error())
		return Change{}, userError{"I couldn't download the file from Discord. Please try again in a moment."}
	}
	ch, err := c.lib.Add(ctx, scope, Upload{Filename: att.Filename, Title: title, Data: data, Replace: replace})
	if errors.Is(err, ErrRefused) {
		return Change{}, userError{"I can't add this file: " + refusalText(err)}
	}
	return ch, err
}

// PageFetcher fetches a web page to add to the knowledge base, refusing
// addresses that are not on the public internet; webpage.Fetcher is one.
// Its errors are fit to show to the admin who gave the address.
type PageFetcher interface {
	Fetch(ctx context.Context, url string) (webpage.Page, error)
}

var _ PageFetcher = (*webpage.Fetcher)(nil)

// addPage answers /kb add url:<address>: fetch the page (guarded), keep
// its article and add it, with its address, as an HTML document.
func (c *kbCommand) addPage(ix *interaction, scope Scope, address string) error {
	shown := truncate(oneLine(address), 200)
	if c.pages == nil {
		c.metrics.Upload(metrics.ResultRejected)
		return userError{"Adding web pages is turned off here; download the page and attach it as a file instead."}
	}
	title := stringOption(ix.options, optTitle)
	replace := boolOption(ix.options, optReplace)
	by := fmt.Sprintf("%s (%s) adding %s", ix.user().Username, ix.user().ID, shown)
	return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
		page, err := c.pages.Fetch(ctx, address)
		if err != nil {
			if ctx.Err() != nil {
				c.metrics.Upload(metrics.ResultFailed)
				return reply{}, err
			}
			c.metrics.Upload(metrics.ResultRejected)
			c.log.Info("web page refused", "by", by, "scope", scopeName(scope), "reason", err.Error())
			return renderUploadRefused(shown, "I couldn't add this page: "+escapeMarkdown(oneLine(err.Error()))+"."), nil
		}
		if limit := c.fetch.limit; int64(len(page.HTML)) > limit {
			c.metrics.Upload(metrics.ResultRejected)
			return renderUploadRefused(shown, tooLargeText(int64(len(page.HTML)), limit)), nil
		}
		ch, err := c.lib.Add(ctx, scope, Upload{Filename: page.Name, Title: title, Data: page.HTML, Replace: replace})
		switch {
		case errors.Is(err, ErrRefused):
			c.metrics.Upload(metrics.ResultRejected)
			return renderUploadRefused(shown, refusalText(err)), nil
		case err != nil && ctx.Err() != nil:
			c.metrics.Upload(metrics.ResultFailed)
			return reply{}, err
		case err != nil:
			c.metrics.Upload(metrics.ResultFailed)
			c.log.Error("web page add failed; the knowledge base is unchanged", "by", by, "scope", scopeName(scope), "err", err.Error())
			return renderUploadRefused(shown, "Something went wrong on my side while storing or indexing it; "+
				"the operator will find why in govbot's log."), nil
		}
		c.metrics.Upload(metrics.ResultOK)
		c.setIndexMetrics(ctx)
		c.log.Info("web page added", "by", by, "scope", scopeName(scope), "id", ch.Doc.ID, "url", page.URL)
		return renderUploaded(ch, scope), nil
	})
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

// attachmentOption returns the attachment given as option name, from the
// interaction's resolved data; nil when there is none.
func attachmentOption(ix *interaction, name string) *discordgo.MessageAttachment {
	id := stringOption(ix.options, name)
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

// remove answers /kb remove document:<id or title> [collection] with the
// document and a button to confirm; the change happens on the click. A
// base document removed in a server is hidden for that server only.
func (c *kbCommand) remove(ix *interaction) error {
	scope, err := c.target(ix)
	if err != nil {
		return err
	}
	typed := strings.TrimSpace(stringOption(ix.options, optDocument))
	return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
		docs, err := c.lib.Sources(ctx, scope)
		if err != nil {
			return reply{}, err
		}
		doc, ok := findDocument(docs, typed)
		if !ok {
			return reply{}, userErrorf("No document matches “%s”. Start typing a title after `/kb remove` and pick one from the list.", truncate(quoteUser(typed), 200))
		}
		v := &view{ID: newID(), Guild: ix.GuildID, Kind: kindRemove, Owner: ix.user().ID, DocID: doc.ID, Private: true, Base: scope.IsBase()}
		c.views.put(ctx, v)
		return renderRemoveConfirm(v, doc, scope), nil
	})
}

// confirmRemove handles the buttons under /kb remove: n is 1 to remove,
// 0 to cancel. Only the admin who asked may press them, in the server
// they asked in, and only while still an admin (or the operator, for the
// base).
func (c *kbCommand) confirmRemove(ix *interaction, id string, n int) error {
	v, ok := c.views.get(ix.ctx, ix.GuildID, id)
	if !ok || v.Kind != kindRemove {
		return userError{expiredText}
	}
	if ix.user().ID != v.Owner || !c.auth.isAdmin(ix) {
		return userError{adminOnlyText}
	}
	scope := ix.scope()
	if v.Base {
		if err := c.auth.mayChangeBase(ix); err != nil {
			return err
		}
		scope = Base
	}
	c.views.drop(ix.ctx, v.Guild, v.ID) // one removal per confirmation
	if n == 0 {
		return ix.update(notice("Nothing was removed."))
	}
	by := fmt.Sprintf("%s (%s) removing %s", ix.user().Username, ix.user().ID, v.DocID)
	return ix.answerWith(true, true, func(ctx context.Context) (reply, error) {
		ch, err := c.lib.Remove(ctx, scope, v.DocID)
		if errors.Is(err, ErrRefused) {
			return notice("Nothing was changed: " + refusalText(err)), nil
		}
		if err != nil {
			c.log.Error("remove failed; the knowledge base is unchanged", "by", by, "scope", scopeName(scope), "err", err)
			return renderRemoveFailed(v.DocID, err), nil
		}
		c.setIndexMetrics(ctx)
		c.log.Info("document removed", "by", by, "scope", scopeName(scope), "id", v.DocID, "hidden", ch.Hidden)
		return renderRemoved(ch, scope), nil
	})
}

// restore answers /kb restore document:<id>: shows again a base document
// this server hid.
func (c *kbCommand) restore(ix *interaction) error {
	typed := strings.TrimSpace(stringOption(ix.options, optDocument))
	by := fmt.Sprintf("%s (%s) restoring %s", ix.user().Username, ix.user().ID, oneLine(typed))
	return ix.answerWith(true, false, func(ctx context.Context) (reply, error) {
		st, err := c.lib.Status(ctx, ix.scope())
		if err != nil {
			return reply{}, err
		}
		src, ok := findSource(st.Hidden, typed)
		if !ok {
			return reply{}, userErrorf("No removed base document matches “%s”. Start typing a title after `/kb restore` and pick one from the list.", truncate(quoteUser(typed), 200))
		}
		ch, err := c.lib.Restore(ctx, ix.scope(), src.ID)
		if errors.Is(err, ErrRefused) {
			return notice("Nothing was changed: " + refusalText(err)), nil
		}
		if err != nil {
			return reply{}, fmt.Errorf("restore %s: %w", src.ID, err)
		}
		c.log.Info("document restored", "by", by, "scope", scopeName(ix.scope()), "id", src.ID)
		if ch.Doc.ID == "" {
			ch.Doc = src
		}
		return renderRestored(ch), nil
	})
}

// completeRemove suggests the documents /kb remove can take out.
func (c *kbCommand) completeRemove(ix *interaction) error {
	scope := ix.scope()
	if stringOption(ix.options, optCollection) == collectionBase && c.auth.isOperator(ix.user().ID) {
		scope = Base
	}
	docs, err := c.lib.Sources(ix.ctx, scope)
	if err != nil {
		return err
	}
	_, typed := focusedOption(ix.options)
	return ix.autocomplete(sourceChoices(sourcesOf(docs), typed))
}

// completeRestore suggests the base documents this server hid.
func (c *kbCommand) completeRestore(ix *interaction) error {
	st, err := c.lib.Status(ix.ctx, ix.scope())
	if err != nil {
		return err
	}
	_, typed := focusedOption(ix.options)
	return ix.autocomplete(sourceChoices(st.Hidden, typed))
}

// findDocument resolves a typed id or title among docs (see findSource).
func findDocument(docs []Document, typed string) (Document, bool) {
	src, ok := findSource(sourcesOf(docs), typed)
	if !ok {
		return Document{}, false
	}
	for _, d := range docs {
		if d.ID == src.ID {
			return d, true
		}
	}
	return Document{}, false
}
