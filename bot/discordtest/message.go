package discordtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

type channelState struct {
	id, name string
	ids      []string              // message IDs, oldest first
	kind     discordgo.ChannelType // GuildText, DM or GuildPublicThread
	guild    string                // "" for a DM
	// threads: the channel it belongs to, who started it, the message it
	// was started from ("" for none) and when.
	parent, owner, starter string
	created                time.Time
	archiveAfter           int      // minutes
	recipient              wireUser // DMs: the user
}

// storedMessage is a message as the emulator keeps it.
type storedMessage struct {
	w               wireMessage
	allowedMentions *discordgo.MessageAllowedMentions // of the latest payload; nil if it had none
	viaChannelPost  bool                              // the bot sent it with POST /channels/{id}/messages
	ephemeral       bool
	deleted         bool
	reactions       []string // the bot's own, in order
}

// channelLocked returns the channel, creating it when a test names a new
// one ("" is the default channel). s.mu must be held.
func (s *Server) channelLocked(id string) *channelState {
	if id == "" {
		id = s.opts.ChannelID
	}
	ch := s.channels[id]
	if ch == nil {
		ch = &channelState{id: id, name: "channel-" + id[max(0, len(id)-4):], kind: discordgo.ChannelTypeGuildText, guild: s.opts.GuildID}
		s.channels[id] = ch
	}
	return ch
}

func (s *Server) channelPayload(ch *channelState) map[string]any {
	var last any
	if n := len(ch.ids); n > 0 {
		last = ch.ids[n-1]
	}
	switch ch.kind {
	case discordgo.ChannelTypeDM:
		return map[string]any{"id": ch.id, "type": ch.kind, "last_message_id": last, "flags": 0, "recipients": []wireUser{ch.recipient}}
	case discordgo.ChannelTypeGuildPublicThread, discordgo.ChannelTypeGuildPrivateThread:
		return s.threadPayload(ch, last)
	}
	return map[string]any{
		"id": ch.id, "type": discordgo.ChannelTypeGuildText, "guild_id": ch.guild, "name": ch.name,
		"position": 0, "permission_overwrites": []any{}, "nsfw": false, "parent_id": nil,
		"rate_limit_per_user": 0, "topic": nil, "last_message_id": last, "flags": 0,
	}
}

// userLocked returns a known user or makes one up for the ID.
func (s *Server) userLocked(id string) wireUser {
	if u, ok := s.users[id]; ok {
		return u
	}
	return wireUser{ID: id, Username: "user" + id[max(0, len(id)-4):], Discriminator: "0"}
}

func memberObject(roles []string, nick string) map[string]any {
	if roles == nil {
		roles = []string{}
	}
	var n any
	if nick != "" {
		n = nick
	}
	return map[string]any{
		"roles": roles, "nick": n, "avatar": nil, "joined_at": "2024-01-01T00:00:00.000000+00:00",
		"premium_since": nil, "deaf": false, "mute": false, "flags": 0, "pending": false,
		"communication_disabled_until": nil,
	}
}

// newMessageLocked stores an empty message by author in ch. s.mu must be held.
func (s *Server) newMessageLocked(ch *channelState, author wireUser) *storedMessage {
	m := &storedMessage{w: wireMessage{
		ID: s.newID(), ChannelID: ch.id, GuildID: ch.guild, Author: author,
		Timestamp: discordTime(time.Now()), Mentions: []wireUser{}, MentionRoles: []string{},
		Attachments: []wireAttachment{}, Embeds: []*discordgo.MessageEmbed{}, Components: json.RawMessage("[]"),
	}}
	if author.ID == s.opts.BotUserID && ch.guild != "" {
		m.w.Member = memberObject(nil, "")
	}
	s.messages[m.w.ID] = m
	ch.ids = append(ch.ids, m.w.ID)
	return m
}

// applyLocked applies a payload to a copy of m and returns the copy. On an
// edit, absent fields keep their value. s.mu must be held.
func (s *Server) applyLocked(m *storedMessage, f *messageFields, edit bool) *storedMessage {
	n := *m
	n.w = m.w.clone()
	if f.has["content"] || !edit {
		n.w.Content = f.Content
	}
	if f.has["embeds"] || !edit {
		n.w.Embeds = []*discordgo.MessageEmbed{}
		for _, e := range f.Embeds {
			if e != nil {
				if e.Type == "" {
					e.Type = discordgo.EmbedTypeRich
				}
				n.w.Embeds = append(n.w.Embeds, e)
			}
		}
	}
	if f.has["components"] {
		n.w.Components = f.ComponentsRaw
	} else if !edit {
		n.w.Components = json.RawMessage("[]")
	}
	keep := discordgo.MessageFlagsSuppressEmbeds | discordgo.MessageFlagsSuppressNotifications | discordgo.MessageFlagsIsComponentsV2
	if f.has["flags"] {
		n.w.Flags = n.w.Flags&^keep | f.Flags&keep
	}
	if edit && f.has["attachments"] {
		var kept []wireAttachment
		for _, a := range n.w.Attachments {
			for _, id := range f.KeepAttachments {
				if a.ID == id {
					kept = append(kept, a)
				}
			}
		}
		n.w.Attachments = append([]wireAttachment{}, kept...)
	}
	n.w.Attachments = append(n.w.Attachments, s.storeUploadsLocked(n.w.ChannelID, f.files)...)
	if !edit {
		n.w.TTS = f.TTS
	}
	if f.has["allowed_mentions"] || !edit {
		n.allowedMentions = f.AllowedMentions
	}
	s.mentionsLocked(&n)
	return &n
}

// mentionsLocked fills mentions, mention_roles and mention_everyone the
// way Discord does: only what allowed_mentions lets ping.
func (s *Server) mentionsLocked(m *storedMessage) {
	am := m.allowedMentions
	m.w.Mentions = []wireUser{}
	for _, id := range mentionedUserIDs(m.w.Content) {
		if allowed(am, "users", id) {
			m.w.Mentions = append(m.w.Mentions, s.userLocked(id))
		}
	}
	if len(m.w.ReferencedMessage) > 0 && (am == nil || am.RepliedUser) {
		var ref wireMessage
		if json.Unmarshal(m.w.ReferencedMessage, &ref) == nil && ref.Author.ID != "" && ref.Author.ID != m.w.Author.ID {
			m.w.Mentions = append(m.w.Mentions, ref.Author)
		}
	}
	m.w.MentionRoles = []string{}
	for _, id := range mentionedRoleIDs(m.w.Content) {
		if allowed(am, "roles", id) {
			m.w.MentionRoles = append(m.w.MentionRoles, id)
		}
	}
	m.w.MentionEveryone = (strings.Contains(m.w.Content, "@everyone") || strings.Contains(m.w.Content, "@here")) &&
		allowed(am, "everyone", "")
}

func (w *wireMessage) isEmpty() bool {
	comps := strings.TrimSpace(string(w.Components))
	return w.Content == "" && len(w.Embeds) == 0 && len(w.Attachments) == 0 && (comps == "" || comps == "[]" || comps == "null")
}

// restView is the message as REST returns it: without guild_id and member.
func (m *storedMessage) restView() *discordgo.Message {
	w := m.w
	w.GuildID, w.Member = "", nil
	return w.toMessage()
}

func (m *storedMessage) restJSON() json.RawMessage {
	w := m.w
	w.GuildID, w.Member = "", nil
	b, _ := json.Marshal(w)
	return b
}

// messageEventLocked dispatches MESSAGE_CREATE or MESSAGE_UPDATE to
// sessions with the Guild Messages intent; without Message Content, the
// content of messages that neither come from nor mention the bot is empty.
func (s *Server) messageEventLocked(t string, m *storedMessage) {
	if m.ephemeral {
		return
	}
	w := m.w
	mentionsBot := false
	for _, u := range w.Mentions {
		mentionsBot = mentionsBot || u.ID == s.opts.BotUserID
	}
	dm := w.GuildID == ""
	s.broadcastLocked(t, func(intents discordgo.Intent) any {
		if dm && intents&discordgo.IntentDirectMessages == 0 || !dm && intents&discordgo.IntentGuildMessages == 0 {
			return nil
		}
		v := w
		// Without Message Content, guild messages that neither come from
		// nor mention the app arrive empty; DMs always have their content.
		if !dm && intents&discordgo.IntentMessageContent == 0 && v.Author.ID != s.opts.BotUserID && !mentionsBot {
			v.Content, v.Embeds, v.Attachments, v.Components = "", []*discordgo.MessageEmbed{}, []wireAttachment{}, json.RawMessage("[]")
		}
		return v
	})
}

func (s *Server) messageDeleteEventLocked(m *storedMessage) {
	if m.ephemeral {
		return
	}
	d := map[string]string{"id": m.w.ID, "channel_id": m.w.ChannelID}
	dm := m.w.GuildID == ""
	if !dm {
		d["guild_id"] = m.w.GuildID
	}
	s.broadcastLocked("MESSAGE_DELETE", func(intents discordgo.Intent) any {
		if dm && intents&discordgo.IntentDirectMessages == 0 || !dm && intents&discordgo.IntentGuildMessages == 0 {
			return nil
		}
		return d
	})
}

// PostMessage posts m as a user would: it fills ID, timestamp, guild ID,
// author (DefaultUserID when nil), mentions from <@id> in the content and
// referenced_message for a MessageReference to a known message, stores it
// and dispatches MESSAGE_CREATE (subject to intents). m.ChannelID may name
// a guild channel (a new ID makes one), a thread (StartThread) or a DM
// channel (DMChannel): a DM has no guild ID and no member, and reaches
// sessions with the Direct Messages intent, content included. It waits
// until a gateway session exists. The result is a copy owned by the caller.
func (s *Server) PostMessage(ctx context.Context, m *discordgo.Message) (*discordgo.Message, error) {
	if m == nil {
		return nil, errors.New("discordtest: PostMessage: nil message")
	}
	comps, err := json.Marshal(m.Components)
	if err != nil || string(comps) == "null" {
		comps = json.RawMessage("[]")
	}
	var embeds []*discordgo.MessageEmbed // a copy: the caller keeps m
	if b, err := json.Marshal(m.Embeds); err == nil {
		json.Unmarshal(b, &embeds)
	}
	embeds = slices.DeleteFunc(embeds, func(e *discordgo.MessageEmbed) bool { return e == nil })
	var out *discordgo.Message
	err = s.withSession(ctx, func() {
		ch := s.channelLocked(m.ChannelID)
		author := wireUser{ID: DefaultUserID, Username: "tester", Discriminator: "0"}
		if m.Author != nil && m.Author.ID != "" {
			author = wireUser{ID: m.Author.ID, Username: m.Author.Username, Discriminator: "0", Bot: m.Author.Bot}
			if author.Username == "" {
				author.Username = s.userLocked(author.ID).Username
			}
		}
		s.users[author.ID] = author
		sm := s.newMessageLocked(ch, author)
		sm.w.Content, sm.w.TTS, sm.w.Components = m.Content, m.TTS, comps
		sm.w.Embeds = append(sm.w.Embeds, embeds...)
		for _, a := range m.Attachments {
			if a != nil {
				sm.w.Attachments = append(sm.w.Attachments, wireAttachment{ID: a.ID, Filename: a.Filename, Size: a.Size,
					URL: a.URL, ProxyURL: a.ProxyURL, ContentType: a.ContentType})
			}
		}
		if ref := m.MessageReference; ref != nil {
			r := *ref
			if r.ChannelID == "" {
				r.ChannelID = ch.id
			}
			r.GuildID = ch.guild
			sm.w.MessageReference = &r
			sm.w.Type = discordgo.MessageTypeReply
			// Discord sends referenced_message null when the message is gone.
			if target := s.messages[ref.MessageID]; target != nil && !target.deleted && !target.ephemeral && target.w.ChannelID == r.ChannelID {
				sm.w.ReferencedMessage = target.restJSON()
			} else {
				sm.w.ReferencedMessage = json.RawMessage("null")
			}
		}
		if ch.guild != "" {
			var roles []string
			if m.Member != nil {
				roles = m.Member.Roles
			}
			sm.w.Member = memberObject(roles, "")
		}
		s.mentionsLocked(sm)
		s.messageEventLocked("MESSAGE_CREATE", sm)
		out = sm.w.toMessage()
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// WaitMessage waits for a message the bot created with
// POST /channels/{channelID}/messages (including ones created before the
// call) for which pred is true (nil pred: any), and returns a copy of its
// current state. pred runs without locks and may call Server methods.
func (s *Server) WaitMessage(ctx context.Context, channelID string, pred func(*discordgo.Message) bool) (*discordgo.Message, error) {
	for {
		s.mu.Lock()
		var cands []*discordgo.Message
		if ch := s.channels[channelID]; ch != nil {
			for _, id := range ch.ids {
				if m := s.messages[id]; m.viaChannelPost && !m.deleted {
					cands = append(cands, m.restView())
				}
			}
		}
		changed, closed := s.changed, s.closed
		s.mu.Unlock()
		for _, m := range cands {
			if pred == nil || pred(m) {
				return m, nil
			}
		}
		if closed {
			return nil, ErrClosed
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Messages returns copies of the channel's visible messages (not deleted,
// not ephemeral), oldest first: users', the bot's and interaction responses.
func (s *Server) Messages(channelID string) []*discordgo.Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*discordgo.Message
	if ch := s.channels[channelID]; ch != nil {
		for _, id := range ch.ids {
			if m := s.messages[id]; !m.deleted && !m.ephemeral {
				out = append(out, m.restView())
			}
		}
	}
	return out
}

// Message returns a copy of any stored message, ephemeral and deleted ones
// included, and whether it exists.
func (s *Server) Message(id string) (*discordgo.Message, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messages[id]
	if m == nil {
		return nil, false
	}
	return m.restView(), true
}

// AllowedMentions returns the allowed_mentions of the latest payload that
// created or edited the message (Discord does not echo it); nil when that
// payload had none or the message is unknown.
func (s *Server) AllowedMentions(messageID string) *discordgo.MessageAllowedMentions {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messages[messageID]
	if m == nil || m.allowedMentions == nil {
		return nil
	}
	am := *m.allowedMentions
	am.Parse = append([]discordgo.AllowedMentionType(nil), am.Parse...)
	am.Users = append([]string(nil), am.Users...)
	am.Roles = append([]string(nil), am.Roles...)
	return &am
}

// --- REST handlers ---

// channelFor resolves {channel_id}; on failure it has answered 404.
func (s *Server) channelForLocked(c *call) *channelState {
	ch := s.channels[c.param("channel_id")]
	if ch == nil {
		c.fail(http.StatusNotFound, codeUnknownChannel, "Unknown Channel")
	}
	return ch
}

// messageForLocked resolves {channel_id}/{message_id} to a visible message.
func (s *Server) messageForLocked(c *call) *storedMessage {
	ch := s.channelForLocked(c)
	if ch == nil {
		return nil
	}
	m := s.messages[c.param("message_id")]
	if m == nil || m.deleted || m.ephemeral || m.w.ChannelID != ch.id {
		c.fail(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
		return nil
	}
	return m
}

func (s *Server) handleChannel(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch := s.channelForLocked(c); ch != nil {
		c.reply(http.StatusOK, s.channelPayload(ch))
	}
}

func (s *Server) handleMessagesList(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channelForLocked(c)
	if ch == nil {
		return
	}
	limit := 50
	if v, err := strconv.Atoi(c.r.URL.Query().Get("limit")); err == nil && v >= 1 && v <= 100 {
		limit = v
	}
	out := []json.RawMessage{}
	for i := len(ch.ids) - 1; i >= 0 && len(out) < limit; i-- {
		if m := s.messages[ch.ids[i]]; !m.deleted && !m.ephemeral {
			out = append(out, s.contentViewLocked(m))
		}
	}
	c.reply(http.StatusOK, out)
}

// contentViewLocked is the REST view, without content when the Message
// Content intent is denied in the portal and the message is another user's.
func (s *Server) contentViewLocked(m *storedMessage) json.RawMessage {
	if s.opts.DeniedIntents&discordgo.IntentMessageContent != 0 && m.w.Author.ID != s.opts.BotUserID {
		mentioned := false
		for _, u := range m.w.Mentions {
			mentioned = mentioned || u.ID == s.opts.BotUserID
		}
		if !mentioned {
			v := *m
			v.w.Content, v.w.Embeds, v.w.Attachments, v.w.Components = "", []*discordgo.MessageEmbed{}, []wireAttachment{}, json.RawMessage("[]")
			return v.restJSON()
		}
	}
	return m.restJSON()
}

func (s *Server) handleMessageGet(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.messageForLocked(c); m != nil {
		c.reply(http.StatusOK, s.contentViewLocked(m))
	}
}

func (s *Server) handleMessageCreate(c *call) {
	payload, files, perr := readPayload(c.r, c.body, s.opts.UploadLimit)
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channelForLocked(c)
	if ch == nil || !s.canSendLocked(c, ch) {
		return
	}
	f := c.messageFieldsLocked(payload, files, perr)
	if f == nil {
		return
	}
	errs := validateMessage(f)
	var target *storedMessage
	if ref := f.Reference; ref != nil {
		refCh := ref.ChannelID
		if refCh == "" {
			refCh = ch.id
		}
		target = s.messages[ref.MessageID]
		if target == nil || target.deleted || target.ephemeral || target.w.ChannelID != refCh {
			target = nil
			if ref.FailIfNotExists == nil || *ref.FailIfNotExists {
				errs = append(errs, fieldError{"message_reference", "REPLIES_UNKNOWN_MESSAGE", "Unknown message",
					"message_reference: unknown message " + ref.MessageID})
			}
		}
	}
	if len(errs) > 0 {
		c.formFailLocked("", errs)
		return
	}
	if !c.acceptNewMessageLocked(f, "") {
		return
	}
	m := s.newMessageLocked(ch, s.botUser())
	m.viaChannelPost = true
	if target != nil {
		m.w.Type = discordgo.MessageTypeReply
		m.w.MessageReference = &discordgo.MessageReference{Type: discordgo.MessageReferenceTypeDefault, MessageID: target.w.ID,
			ChannelID: target.w.ChannelID, GuildID: ch.guild}
		m.w.ReferencedMessage = target.restJSON()
	}
	n := s.applyLocked(m, f, false)
	*m = *n
	c.reply(http.StatusOK, m.restJSON())
	s.messageEventLocked("MESSAGE_CREATE", m)
}

func (s *Server) handleMessageEdit(c *call) {
	payload, files, perr := readPayload(c.r, c.body, s.opts.UploadLimit)
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageForLocked(c)
	if m == nil {
		return
	}
	if m.w.Author.ID != s.opts.BotUserID {
		c.fail(http.StatusForbidden, codeNotAuthor, "Cannot edit a message authored by another user")
		return
	}
	f := c.messageFieldsLocked(payload, files, perr)
	if f == nil {
		return
	}
	s.editLocked(c, m, f, false)
}

// editLocked validates and applies an edit, answers the edited message and
// dispatches MESSAGE_UPDATE. requireAM records a violation when the payload
// has no allowed_mentions. It reports success.
func (s *Server) editLocked(c *call, m *storedMessage, f *messageFields, requireAM bool) bool {
	if errs := validateMessage(f); len(errs) > 0 {
		c.formFailLocked("", errs)
		return false
	}
	n := s.applyLocked(m, f, true)
	if n.w.isEmpty() {
		s.violateLocked("edit leaves an empty message (%s)", c.routeName())
		c.fail(http.StatusBadRequest, codeEmptyMessage, "Cannot send an empty message")
		return false
	}
	if requireAM && !f.has["allowed_mentions"] {
		s.violateLocked("no allowed_mentions (%s)", c.routeName())
	}
	now := discordTime(time.Now())
	n.w.EditedTimestamp = &now
	*m = *n
	c.reply(http.StatusOK, m.restJSON())
	s.messageEventLocked("MESSAGE_UPDATE", m)
	return true
}

func (s *Server) handleMessageDelete(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageForLocked(c)
	if m == nil {
		return
	}
	if m.w.Author.ID != s.opts.BotUserID {
		c.fail(http.StatusForbidden, codeMissingPermissions, "Missing Permissions")
		return
	}
	m.deleted = true
	c.reply(http.StatusNoContent, nil)
	s.messageDeleteEventLocked(m)
}

func (s *Server) handleTyping(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.channelForLocked(c) != nil {
		c.reply(http.StatusNoContent, nil)
	}
}

func (s *Server) handleReaction(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageForLocked(c)
	if m == nil {
		return
	}
	emoji, _ := url.PathUnescape(c.param("emoji"))
	if c.r.Method == http.MethodPut && s.opts.BotPermissions&PermAddReactions == 0 {
		c.fail(http.StatusForbidden, codeMissingPermissions, "Missing Permissions")
		return
	}
	m.reactions = slices.DeleteFunc(m.reactions, func(e string) bool { return e == emoji })
	if c.r.Method == http.MethodPut {
		m.reactions = append(m.reactions, emoji)
	}
	c.reply(http.StatusNoContent, nil)
}

// Reactions returns the emoji the bot has reacted with on a message, in
// the order added ("👍", or "name:id" for a custom emoji).
func (s *Server) Reactions(messageID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m := s.messages[messageID]; m != nil {
		return append([]string(nil), m.reactions...)
	}
	return nil
}

func (s *Server) handleGuild(c *call) {
	if !s.isGuild(c.param("guild_id")) {
		c.fail(http.StatusNotFound, 10004, "Unknown Guild")
		return
	}
	g := s.guildPayload(c.param("guild_id"))
	delete(g, "channels")
	delete(g, "members")
	delete(g, "threads")
	delete(g, "presences")
	delete(g, "voice_states")
	delete(g, "joined_at")
	c.reply(http.StatusOK, g)
}

func (s *Server) handleGuildChannels(c *call) {
	if !s.isGuild(c.param("guild_id")) {
		c.fail(http.StatusNotFound, 10004, "Unknown Guild")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []map[string]any{}
	for _, ch := range s.channels {
		if ch.kind == discordgo.ChannelTypeGuildText && ch.guild == c.param("guild_id") {
			out = append(out, s.channelPayload(ch)) // threads and DMs are not listed
		}
	}
	c.reply(http.StatusOK, out)
}
