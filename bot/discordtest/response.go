package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/bwmarrin/discordgo"
)

// Callback types Discord accepts per interaction type.
var allowedCallbacks = map[discordgo.InteractionType][]discordgo.InteractionResponseType{
	discordgo.InteractionApplicationCommand: {
		discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseModal},
	discordgo.InteractionMessageComponent: {
		discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseDeferredMessageUpdate, discordgo.InteractionResponseUpdateMessage, discordgo.InteractionResponseModal},
	discordgo.InteractionApplicationCommandAutocomplete: {discordgo.InteractionApplicationCommandAutocompleteResult},
}

// handleCallback answers POST /interactions/{id}/{token}/callback.
func (s *Server) handleCallback(c *call) {
	payload, files, perr := readPayload(c.r, c.body, s.opts.UploadLimit)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.interactions[c.param("interaction_id")]
	if st == nil || st.token != c.param("interaction_token") {
		c.fail(http.StatusNotFound, codeUnknownInteraction, "Unknown interaction")
		return
	}
	var resp struct {
		Type discordgo.InteractionResponseType `json:"type"`
		Data json.RawMessage                   `json:"data"`
	}
	err := json.Unmarshal(payload, &resp)
	att := callbackAttempt{cb: Callback{Type: resp.Type, Latency: time.Since(st.dispatched)}, data: resp.Data}
	defer func() {
		att.cb.Status = c.status
		if c.status >= 400 {
			att.cb.Body = string(c.resp)
		}
		st.attempts = append(st.attempts, att)
		if c.status < 300 {
			a := att
			st.accepted = &a
		}
		st.notifyLocked()
	}()
	switch {
	case st.acked:
		s.violateLocked("interaction %s acknowledged twice (%s)", st.id, c.routeName())
		c.fail(http.StatusBadRequest, codeAlreadyAcked, "Interaction has already been acknowledged.")
		return
	case st.failed || s.tokenExpired(st):
		c.fail(http.StatusNotFound, codeUnknownInteraction, "Unknown interaction")
		return
	case perr != nil || err != nil:
		c.payloadErrorLocked(errors.Join(perr, err))
		return
	}
	f, err := parseMessageFields(resp.Data)
	if err != nil {
		c.payloadErrorLocked(err)
		return
	}
	f.files = files
	if !slices.Contains(allowedCallbacks[st.typ], resp.Type) {
		c.formFailLocked("", []fieldError{{"type", "INTERACTION_CALLBACK_TYPE_INVALID", "Invalid interaction callback type for this interaction",
			fmt.Sprintf("callback type %d not valid for a %s interaction", resp.Type, kindName(st.typ))}})
		return
	}
	if s.respondLocked(c, st, resp.Type, f) {
		st.acked = true
		st.timer.Stop()
		if c.r.URL.Query().Get("with_response") == "true" {
			s.withResponseLocked(c, st, resp.Type)
		} else {
			c.reply(http.StatusNoContent, nil)
		}
	}
}

// respondLocked applies an accepted callback type; false means it answered
// an error.
func (s *Server) respondLocked(c *call, st *interactionState, typ discordgo.InteractionResponseType, f *messageFields) bool {
	ephemeral := f.Flags&discordgo.MessageFlagsEphemeral != 0
	switch typ {
	case discordgo.InteractionResponseChannelMessageWithSource:
		if errs := validateMessage(f); len(errs) > 0 {
			c.formFailLocked("data", errs)
			return false
		}
		if !c.acceptNewMessageLocked(f, "type 4") {
			return false
		}
		m := s.interactionMessageLocked(st, ephemeral)
		*m = *s.applyLocked(m, f, false)
		st.originalID, st.visible, st.deferred = m.w.ID, true, false
		s.messageEventLocked("MESSAGE_CREATE", m)
	case discordgo.InteractionResponseDeferredChannelMessageWithSource:
		if extra := f.Flags &^ discordgo.MessageFlagsEphemeral; extra != 0 {
			c.formFailLocked("data", []fieldError{{"flags", "INTERACTION_RESPONSE_FLAGS_INVALID", "Only the EPHEMERAL flag (64) is allowed here",
				fmt.Sprintf("type-5 callback flags other than 64 (flags=%d)", f.Flags)}})
			return false
		}
		m := s.interactionMessageLocked(st, ephemeral)
		m.w.Flags |= discordgo.MessageFlagsLoading
		st.originalID, st.deferred = m.w.ID, true
		s.messageEventLocked("MESSAGE_CREATE", m)
	case discordgo.InteractionResponseDeferredMessageUpdate:
		st.deferred = true
	case discordgo.InteractionResponseUpdateMessage:
		m := s.messages[st.componentMsgID]
		if m == nil || m.deleted {
			c.fail(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
			return false
		}
		if errs := validateMessage(f); len(errs) > 0 {
			c.formFailLocked("data", errs)
			return false
		}
		n := s.applyLocked(m, f, true)
		if n.w.isEmpty() {
			s.violateLocked("update leaves an empty message (%s type 7)", c.routeName())
			c.fail(http.StatusBadRequest, codeEmptyMessage, "Cannot send an empty message")
			return false
		}
		now := discordTime(time.Now())
		n.w.EditedTimestamp = &now
		*m = *n
		st.visible, st.deferred = true, false
		s.messageEventLocked("MESSAGE_UPDATE", m)
	case discordgo.InteractionApplicationCommandAutocompleteResult:
		if errs := validateChoices(f.Choices); len(errs) > 0 {
			c.formFailLocked("data", errs)
			return false
		}
	case discordgo.InteractionResponseModal:
		if errs := validateModal(f); len(errs) > 0 {
			c.formFailLocked("data", errs)
			return false
		}
	}
	return true
}

// withResponseLocked answers ?with_response=true like Discord: the
// interaction callback response object.
func (s *Server) withResponseLocked(c *call, st *interactionState, typ discordgo.InteractionResponseType) {
	inter := map[string]any{"id": st.id, "type": st.typ, "activity_instance_id": nil}
	res := map[string]any{"type": typ}
	switch typ {
	case discordgo.InteractionResponseChannelMessageWithSource, discordgo.InteractionResponseDeferredChannelMessageWithSource,
		discordgo.InteractionResponseUpdateMessage:
		if m := s.messages[st.originalID]; m != nil {
			inter["response_message_id"] = m.w.ID
			inter["response_message_loading"] = m.w.Flags&discordgo.MessageFlagsLoading != 0
			inter["response_message_ephemeral"] = m.ephemeral
			res["message"] = m.restJSON()
		}
	}
	c.reply(http.StatusOK, map[string]any{"interaction": inter, "resource": res})
}

// interactionMessageLocked creates a response message of the interaction's
// application. s.mu must be held.
func (s *Server) interactionMessageLocked(st *interactionState, ephemeral bool) *storedMessage {
	m := s.newMessageLocked(s.channelLocked(st.channelID), s.botUser())
	m.w.Member = nil
	m.w.WebhookID, m.w.ApplicationID = s.opts.AppID, s.opts.AppID
	if st.typ == discordgo.InteractionApplicationCommand {
		m.w.Type = discordgo.MessageTypeChatInputCommand
	}
	m.w.InteractionMetadata = map[string]any{
		"id": st.id, "type": st.typ, "user": st.user, "name": st.name,
		"authorizing_integration_owners": map[string]string{"0": s.channelLocked(st.channelID).guild},
	}
	if ephemeral {
		m.ephemeral = true
		m.w.Flags |= discordgo.MessageFlagsEphemeral
	}
	return m
}

// webhookInteractionLocked resolves /webhooks/{application_id}/{token};
// nil means it has answered an error.
func (s *Server) webhookInteractionLocked(c *call) *interactionState {
	var st *interactionState
	if c.param("application_id") == s.opts.AppID {
		for _, x := range s.interactions {
			if x.token == c.param("interaction_token") {
				st = x
			}
		}
	}
	switch {
	case st == nil || !st.acked:
		c.fail(http.StatusNotFound, codeUnknownWebhook, "Unknown Webhook")
		return nil
	case s.tokenExpired(st):
		c.fail(http.StatusUnauthorized, codeInvalidWebhookTok, "Invalid Webhook Token")
		return nil
	}
	return st
}

// webhookMessageLocked resolves {message_id} ("@original" or a followup).
func (s *Server) webhookMessageLocked(c *call, st *interactionState) *storedMessage {
	id := c.param("message_id")
	if id == "@original" {
		id = st.originalID
	}
	if id == "" || id != st.originalID && !slices.Contains(st.followups, id) || s.messages[id] == nil || s.messages[id].deleted {
		c.fail(http.StatusNotFound, codeUnknownMessage, "Unknown Message")
		return nil
	}
	return s.messages[id]
}

// loadingLocked reports whether the interaction's @original still shows
// "thinking" (type 5 not yet filled).
func (s *Server) loadingLocked(st *interactionState) bool {
	m := s.messages[st.originalID]
	return st.deferred && !st.visible && m != nil && m.w.Flags&discordgo.MessageFlagsLoading != 0
}

func (s *Server) handleFollowup(c *call) {
	payload, files, perr := readPayload(c.r, c.body, s.opts.UploadLimit)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.webhookInteractionLocked(c)
	if st == nil {
		return
	}
	defer st.notifyLocked()
	f := c.messageFieldsLocked(payload, files, perr)
	if f == nil {
		return
	}
	if errs := validateMessage(f); len(errs) > 0 {
		c.formFailLocked("", errs)
		return
	}
	if !c.acceptNewMessageLocked(f, "") {
		return
	}
	var m *storedMessage
	if s.loadingLocked(st) {
		// The first followup after a deferred response fills the loading
		// message, keeping its ephemeral flag.
		m = s.messages[st.originalID]
		n := s.applyLocked(m, f, false)
		n.w.Flags &^= discordgo.MessageFlagsLoading
		*m = *n
		st.visible, st.deferred = true, false
		s.messageEventLocked("MESSAGE_UPDATE", m)
	} else {
		m = s.interactionMessageLocked(st, f.Flags&discordgo.MessageFlagsEphemeral != 0)
		*m = *s.applyLocked(m, f, false)
		st.followups = append(st.followups, m.w.ID)
		s.messageEventLocked("MESSAGE_CREATE", m)
	}
	if c.r.URL.Query().Get("wait") == "true" {
		c.reply(http.StatusOK, m.restJSON())
	} else {
		c.reply(http.StatusNoContent, nil)
	}
}

func (s *Server) handleWebhookGet(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st := s.webhookInteractionLocked(c); st != nil {
		if m := s.webhookMessageLocked(c, st); m != nil {
			c.reply(http.StatusOK, m.restJSON())
		}
	}
}

func (s *Server) handleWebhookEdit(c *call) {
	payload, files, perr := readPayload(c.r, c.body, s.opts.UploadLimit)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.webhookInteractionLocked(c)
	if st == nil {
		return
	}
	defer st.notifyLocked()
	m := s.webhookMessageLocked(c, st)
	if m == nil {
		return
	}
	f := c.messageFieldsLocked(payload, files, perr)
	if f == nil {
		return
	}
	if m.w.ID == st.originalID && s.loadingLocked(st) {
		// The first edit of a deferred response is its first content.
		if errs := validateMessage(f); len(errs) > 0 {
			c.formFailLocked("", errs)
			return
		}
		n := s.applyLocked(m, f, true)
		n.w.Flags &^= discordgo.MessageFlagsLoading
		if n.w.isEmpty() {
			s.violateLocked("edit leaves an empty message (%s)", c.routeName())
			c.fail(http.StatusBadRequest, codeEmptyMessage, "Cannot send an empty message")
			return
		}
		if !f.has["allowed_mentions"] {
			s.violateLocked("no allowed_mentions (%s, first edit of a deferred response)", c.routeName())
		}
		*m = *n
		st.visible, st.deferred = true, false
		c.reply(http.StatusOK, m.restJSON())
		s.messageEventLocked("MESSAGE_UPDATE", m)
		return
	}
	if s.editLocked(c, m, f, false) && m.w.ID == st.originalID {
		st.visible, st.deferred = true, false
	}
}

func (s *Server) handleWebhookDelete(c *call) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.webhookInteractionLocked(c)
	if st == nil {
		return
	}
	defer st.notifyLocked()
	if m := s.webhookMessageLocked(c, st); m != nil {
		m.deleted = true
		c.reply(http.StatusNoContent, nil)
		s.messageDeleteEventLocked(m)
	}
}
