package discordtest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Threads and DMs, as Discord documents them:
//
//   - A thread started from a message has the message's ID, belongs to the
//     message's channel (parent_id), and the message gets a "thread" field
//     and the HAS_THREAD flag. A thread without a starter message gets a new
//     ID. Creating one needs Create Public Threads; posting in one needs Send
//     Messages in Threads. Both dispatch THREAD_CREATE (Guilds intent).
//     Messages in a thread are guild messages: without Message Content they
//     reach the bot empty unless they mention it.
//   - A DM channel is opened with POST /users/@me/channels. DMs have no
//     guild_id and no member, reach sessions with the Direct Messages
//     intent, and always carry their content. Discord sends no CHANNEL_CREATE
//     for them.

// Errors of the thread and DM test helpers.
var (
	ErrUnknownChannel   = errors.New("discordtest: unknown channel")
	ErrThreadExists     = errors.New("discordtest: a thread has already been created for this message")
	ErrWrongChannelType = errors.New("discordtest: threads start only in guild text channels")
)

// defaultArchiveAfter is Discord's default auto_archive_duration (minutes).
const defaultArchiveAfter = 1440

func (s *Server) threadPayload(ch *channelState, last any) map[string]any {
	ts := discordTime(ch.created)
	return map[string]any{
		"id": ch.id, "type": ch.kind, "guild_id": ch.guild, "parent_id": ch.parent, "owner_id": ch.owner,
		"name": ch.name, "last_message_id": last, "rate_limit_per_user": 0, "flags": 0,
		"message_count": len(ch.ids), "total_message_sent": len(ch.ids), "member_count": 1,
		"thread_metadata": map[string]any{
			"archived": false, "auto_archive_duration": ch.archiveAfter, "archive_timestamp": ts,
			"locked": false, "create_timestamp": ts,
		},
	}
}

func isThread(ch *channelState) bool {
	return ch.kind == discordgo.ChannelTypeGuildPublicThread || ch.kind == discordgo.ChannelTypeGuildPrivateThread
}

// canSendLocked checks the bot's permission to post in ch; on refusal it
// has answered 403. s.mu must be held.
func (s *Server) canSendLocked(c *call, ch *channelState) bool {
	if isThread(ch) && s.opts.BotPermissions&PermSendInThreads == 0 {
		s.violateLocked("sent a message in a thread without Send Messages in Threads (%s)", c.routeName())
		c.fail(http.StatusForbidden, codeMissingPermissions, "Missing Permissions")
		return false
	}
	return true
}

// dmChannelLocked returns the DM channel between the bot and a user,
// opening it when needed. s.mu must be held.
func (s *Server) dmChannelLocked(userID string) *channelState {
	for _, ch := range s.channels {
		if ch.kind == discordgo.ChannelTypeDM && ch.recipient.ID == userID {
			return ch
		}
	}
	ch := &channelState{id: s.newID(), kind: discordgo.ChannelTypeDM, recipient: s.userLocked(userID), created: time.Now()}
	s.channels[ch.id] = ch
	return ch
}

// DMChannel returns the ID of the DM channel between the bot and the user
// (opening it if needed): PostMessage to it is a DM from that user.
func (s *Server) DMChannel(userID string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dmChannelLocked(userID).id
}

// Channel returns a channel, thread or DM as GET /channels/{id} shows it.
func (s *Server) Channel(id string) (*discordgo.Channel, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channels[id]
	if ch == nil {
		return nil, false
	}
	return decodeChannel(s.channelPayload(ch)), true
}

// Threads returns the threads of the guild, oldest first.
func (s *Server) Threads() []*discordgo.Channel {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*discordgo.Channel
	for _, ch := range s.channels {
		if isThread(ch) {
			out = append(out, decodeChannel(s.channelPayload(ch)))
		}
	}
	for i := 1; i < len(out); i++ { // snowflakes sort by time
		for j := i; j > 0 && snowflakeLess(out[j].ID, out[j-1].ID); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func snowflakeLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func decodeChannel(p map[string]any) *discordgo.Channel {
	b, _ := json.Marshal(p)
	var ch discordgo.Channel
	json.Unmarshal(b, &ch)
	return &ch
}

// StartThread starts a public thread as a user would: from the message
// messageID of channelID ("" for a thread without a starter message), owned
// by userID (DefaultUserID when ""), and dispatches THREAD_CREATE. It waits
// until a gateway session exists.
func (s *Server) StartThread(ctx context.Context, channelID, messageID, name, userID string) (*discordgo.Channel, error) {
	if userID == "" {
		userID = DefaultUserID
	}
	var out *discordgo.Channel
	var err error
	werr := s.withSession(ctx, func() {
		parent := s.channels[channelID]
		if parent == nil {
			err = ErrUnknownChannel
			return
		}
		var th *channelState
		th, err = s.newThreadLocked(parent, messageID, name, userID, defaultArchiveAfter)
		if err == nil {
			out = decodeChannel(s.channelPayload(th))
		}
	})
	if werr != nil {
		return nil, werr
	}
	return out, err
}

// newThreadLocked opens a thread in parent, from the message messageID
// when it is not "", and dispatches THREAD_CREATE. s.mu must be held.
func (s *Server) newThreadLocked(parent *channelState, messageID, name, owner string, archiveAfter int) (*channelState, error) {
	if parent.kind != discordgo.ChannelTypeGuildText {
		return nil, ErrWrongChannelType
	}
	id := s.newID()
	var starter *storedMessage
	if messageID != "" {
		starter = s.messages[messageID]
		if starter == nil || starter.deleted || starter.ephemeral || starter.w.ChannelID != parent.id {
			return nil, ErrUnknownMessage
		}
		if s.channels[messageID] != nil {
			return nil, ErrThreadExists
		}
		id = messageID
	}
	if strings.TrimSpace(name) == "" {
		name = "thread"
	}
	if archiveAfter == 0 {
		archiveAfter = defaultArchiveAfter
	}
	th := &channelState{id: id, name: name, kind: discordgo.ChannelTypeGuildPublicThread, guild: parent.guild,
		parent: parent.id, owner: owner, starter: messageID, created: time.Now(), archiveAfter: archiveAfter}
	s.channels[id] = th
	payload := s.channelPayload(th)
	if starter != nil {
		starter.w.Flags |= discordgo.MessageFlagsHasThread
		b, _ := json.Marshal(payload)
		starter.w.Thread = b
	}
	payload["newly_created"] = true
	s.broadcastLocked("THREAD_CREATE", func(intents discordgo.Intent) any {
		if intents&discordgo.IntentGuilds == 0 {
			return nil
		}
		return payload
	})
	s.notifyLocked()
	return th, nil
}

// --- REST handlers ---

type threadRequest struct {
	Name                string `json:"name"`
	AutoArchiveDuration int    `json:"auto_archive_duration"`
	Type                int    `json:"type"`
}

func (c *call) threadRequestLocked() (threadRequest, bool) {
	var r threadRequest
	if err := json.Unmarshal(c.body, &r); err != nil {
		c.payloadErrorLocked(err)
		return r, false
	}
	var errs []fieldError
	if n := len([]rune(r.Name)); n < 1 || n > 100 {
		errs = append(errs, fieldError{"name", "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 100 in length.", "thread name of " + strconv.Itoa(n) + " characters"})
	}
	switch r.AutoArchiveDuration {
	case 0, 60, 1440, 4320, 10080:
	default:
		errs = append(errs, fieldError{"auto_archive_duration", "BASE_TYPE_CHOICES", "Value must be one of {60, 1440, 4320, 10080}.", "auto_archive_duration " + strconv.Itoa(r.AutoArchiveDuration)})
	}
	if len(errs) > 0 {
		c.formFailLocked("", errs)
		return r, false
	}
	return r, true
}

func (s *Server) handleThreadFromMessage(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.messageForLocked(c)
	if m == nil {
		return
	}
	s.createThreadLocked(c, s.channels[m.w.ChannelID], m.w.ID)
}

func (s *Server) handleThreadCreate(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channelForLocked(c)
	if ch == nil {
		return
	}
	s.createThreadLocked(c, ch, "")
}

func (s *Server) createThreadLocked(c *call, parent *channelState, messageID string) {
	if s.opts.BotPermissions&PermCreatePublicThreads == 0 {
		s.violateLocked("opened a thread without Create Public Threads (%s)", c.routeName())
		c.fail(http.StatusForbidden, codeMissingPermissions, "Missing Permissions")
		return
	}
	r, ok := c.threadRequestLocked()
	if !ok {
		return
	}
	th, err := s.newThreadLocked(parent, messageID, r.Name, s.opts.BotUserID, r.AutoArchiveDuration)
	switch {
	case errors.Is(err, ErrThreadExists):
		c.fail(http.StatusBadRequest, codeThreadExists, "A thread has already been created for this message")
	case errors.Is(err, ErrWrongChannelType):
		c.fail(http.StatusBadRequest, codeWrongChannelType, "Cannot execute action on this channel type")
	case err != nil:
		c.fail(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
	default:
		c.reply(http.StatusCreated, s.channelPayload(th))
	}
}

func (s *Server) handleThreadJoin(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch := s.channelForLocked(c)
	if ch == nil {
		return
	}
	if !isThread(ch) {
		c.fail(http.StatusBadRequest, codeWrongChannelType, "Cannot execute action on this channel type")
		return
	}
	c.reply(http.StatusNoContent, nil)
}

func (s *Server) handleDMCreate(c *call) {
	var r struct {
		RecipientID string `json:"recipient_id"`
	}
	if err := json.Unmarshal(c.body, &r); err != nil || !snowflakeRE.MatchString(r.RecipientID) {
		s.mu.Lock()
		defer s.mu.Unlock()
		c.formFailLocked("", []fieldError{{"recipient_id", "NUMBER_TYPE_COERCE", "Value is not snowflake.", "recipient_id " + r.RecipientID}})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c.reply(http.StatusOK, s.channelPayload(s.dmChannelLocked(r.RecipientID)))
}
