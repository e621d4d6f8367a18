package discordtest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// allPermissions is what Discord reports for an administrator.
const allPermissions int64 = 1<<51 - 1

// Member is the guild member who triggers an interaction.
type Member struct {
	UserID, Username string // defaults: DefaultUserID, "tester"
	// Permissions are Discord permission bits, sent as member.permissions.
	// 0 means DefaultMemberPermissions; the Administrator bit implies all.
	Permissions int64
	Roles       []string
	Nick        string
	Locale      string // the user's client locale, default "en-US"
}

// Option is an option the user filled in. Type 0 takes the type from the
// registered command. Subcommands and groups carry their options in Options.
// Values: string, integer and number kinds as Go values; user, channel,
// role and mentionable as snowflake strings; attachment as a
// *discordgo.MessageAttachment from AddAttachment or its ID.
type Option struct {
	Name    string
	Type    discordgo.ApplicationCommandOptionType
	Value   any
	Focused bool // autocomplete: the option being typed (its Value is sent as a string)
	Options []Option
}

// Interaction is a dispatched interaction. Its methods are safe for
// concurrent use.
type Interaction struct {
	ID, Token    string
	Type         discordgo.InteractionType
	Name         string // command name, or the clicked button's custom_id
	ChannelID    string
	GuildID      string
	UserID       string
	DispatchedAt time.Time

	s  *Server
	st *interactionState
}

// Callback is one POST /interactions/{id}/{token}/callback.
type Callback struct {
	Type    discordgo.InteractionResponseType
	Data    *discordgo.InteractionResponseData // nil when the callback had no data
	Latency time.Duration                      // since the interaction was dispatched
	Status  int                                // the emulator's HTTP answer
	Body    string                             // the error body when Status >= 400
}

type callbackAttempt struct {
	cb   Callback // without Data
	data json.RawMessage
}

func (a callbackAttempt) callback() Callback {
	cb := a.cb
	cb.Data = decodeResponseData(a.data)
	return cb
}

type interactionState struct {
	id, token      string
	typ            discordgo.InteractionType
	name           string
	channelID      string
	user           wireUser
	dispatched     time.Time
	timer          *time.Timer
	acked, failed  bool
	attempts       []callbackAttempt
	accepted       *callbackAttempt
	originalID     string // the @original message, once there is one
	componentMsgID string // the message a clicked component is on
	deferred       bool   // type 5 or 6: waiting for the first edit
	visible        bool   // the response the user sees exists
	followups      []string
	changed        chan struct{} // closed and replaced when any of the above changes
}

// notifyLocked wakes the interaction's waiters. s.mu must be held.
func (st *interactionState) notifyLocked() {
	close(st.changed)
	st.changed = make(chan struct{})
}

func kindName(t discordgo.InteractionType) string {
	switch t {
	case discordgo.InteractionApplicationCommand:
		return "command"
	case discordgo.InteractionApplicationCommandAutocomplete:
		return "autocomplete"
	case discordgo.InteractionMessageComponent:
		return "component"
	}
	return t.String()
}

// SlashCommand dispatches INTERACTION_CREATE of type 2 (APPLICATION_COMMAND)
// for the registered chat command name (guild commands first, then global)
// as member from in channelID ("" = the default channel). Options are
// checked against the registered ones (ErrInvalidOption). It waits until a
// gateway session exists; the 3 s deadline starts at dispatch.
func (s *Server) SlashCommand(ctx context.Context, name string, opts []Option, from Member, channelID string) (*Interaction, error) {
	return s.commandInteraction(ctx, discordgo.InteractionApplicationCommand, name, opts, from, channelID)
}

// Autocomplete dispatches an APPLICATION_COMMAND_AUTOCOMPLETE interaction
// (type 4); exactly one option must be Focused.
func (s *Server) Autocomplete(ctx context.Context, name string, opts []Option, from Member, channelID string) (*Interaction, error) {
	return s.commandInteraction(ctx, discordgo.InteractionApplicationCommandAutocomplete, name, opts, from, channelID)
}

func (s *Server) commandInteraction(ctx context.Context, typ discordgo.InteractionType, name string, opts []Option, from Member, channelID string) (*Interaction, error) {
	auto := typ == discordgo.InteractionApplicationCommandAutocomplete
	if auto && countFocused(opts) != 1 {
		return nil, fmt.Errorf("%w: autocomplete needs exactly one focused option, got %d", ErrInvalidOption, countFocused(opts))
	}
	var ix *Interaction
	var err error
	werr := s.withSession(ctx, func() {
		cmd := s.findCommandLocked(name, s.channelLocked(channelID).guild)
		if cmd == nil {
			err = fmt.Errorf("%w: /%s", ErrUnknownCommand, name)
			return
		}
		res := newResolved()
		options, e := s.buildOptionsLocked(cmd.Options, opts, auto, res, "/"+name)
		if e != nil {
			err = e
			return
		}
		data := map[string]any{"id": cmd.ID, "name": cmd.Name, "type": discordgo.ChatApplicationCommand}
		if len(options) > 0 {
			data["options"] = options
		}
		if cmd.GuildID != "" {
			data["guild_id"] = cmd.GuildID
		}
		if !res.empty() {
			data["resolved"] = res
		}
		st, payload := s.newInteractionLocked(typ, name, channelID, from, data)
		ix = s.dispatchInteractionLocked(st, payload)
	})
	if werr != nil {
		return nil, werr
	}
	return ix, err
}

func countFocused(opts []Option) int {
	n := 0
	for _, o := range opts {
		if o.Focused {
			n++
		}
		n += countFocused(o.Options)
	}
	return n
}

// ClickButton dispatches a MESSAGE_COMPONENT interaction (type 3) for the
// enabled button customID on msg, a message the emulator stored (for
// example from Final or WaitMessage); the payload carries the message's
// current state.
func (s *Server) ClickButton(ctx context.Context, msg *discordgo.Message, customID string, from Member) (*Interaction, error) {
	if msg == nil {
		return nil, fmt.Errorf("%w: nil message", ErrUnknownMessage)
	}
	var ix *Interaction
	var err error
	werr := s.withSession(ctx, func() {
		m := s.messages[msg.ID]
		if m == nil || m.deleted {
			err = fmt.Errorf("%w: %s", ErrUnknownMessage, msg.ID)
			return
		}
		var comps []rawComponent
		json.Unmarshal(m.w.Components, &comps)
		if !hasButton(comps, customID) {
			err = fmt.Errorf("%w: %q on message %s", ErrNoComponent, customID, msg.ID)
			return
		}
		data := map[string]any{"custom_id": customID, "component_type": discordgo.ButtonComponent}
		st, payload := s.newInteractionLocked(discordgo.InteractionMessageComponent, customID, m.w.ChannelID, from, data)
		st.componentMsgID, st.originalID = m.w.ID, m.w.ID
		payload["message"] = m.restJSON()
		ix = s.dispatchInteractionLocked(st, payload)
	})
	if werr != nil {
		return nil, werr
	}
	return ix, err
}

func hasButton(comps []rawComponent, customID string) bool {
	for _, c := range comps {
		if c.Type == discordgo.ButtonComponent && c.CustomID != nil && *c.CustomID == customID && !c.Disabled {
			return true
		}
		if hasButton(c.Components, customID) {
			return true
		}
	}
	return false
}

// memberLocked registers the member's user and returns the member object
// of an interaction. s.mu must be held.
func (s *Server) memberLocked(from Member) (wireUser, map[string]any) {
	id := from.UserID
	if id == "" {
		id = DefaultUserID
	}
	name := from.Username
	if name == "" {
		if u, ok := s.users[id]; ok {
			name = u.Username
		} else if id == DefaultUserID {
			name = "tester"
		} else {
			name = s.userLocked(id).Username
		}
	}
	u := wireUser{ID: id, Username: name, Discriminator: "0"}
	s.users[id] = u
	perms := from.Permissions
	if perms == 0 {
		perms = DefaultMemberPermissions
	}
	if perms&PermAdministrator != 0 {
		perms = allPermissions
	}
	mem := memberObject(from.Roles, from.Nick)
	mem["user"] = u
	mem["permissions"] = strconv.FormatInt(perms, 10)
	return u, mem
}

func newInteractionToken(id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte("interaction:" + id + ":" + randomHex(32)))
}

// newInteractionLocked stores a new interaction and builds its payload.
// s.mu must be held.
func (s *Server) newInteractionLocked(typ discordgo.InteractionType, name, channelID string, from Member, data map[string]any) (*interactionState, map[string]any) {
	user, member := s.memberLocked(from)
	ch := s.channelLocked(channelID)
	st := &interactionState{id: s.newID(), typ: typ, name: name, channelID: ch.id, user: user, changed: make(chan struct{})}
	st.token = newInteractionToken(st.id)
	s.interactions[st.id] = st
	locale := from.Locale
	if locale == "" {
		locale = "en-US"
	}
	return st, map[string]any{
		"id": st.id, "application_id": s.opts.AppID, "type": typ, "token": st.token, "version": 1,
		"guild_id": ch.guild, "channel_id": ch.id, "channel": s.channelPayload(ch),
		"member": member, "app_permissions": strconv.FormatInt(s.opts.BotPermissions, 10),
		"locale": locale, "guild_locale": "en-US", "entitlements": []any{},
		"authorizing_integration_owners": map[string]string{"0": ch.guild}, "context": 0,
		"attachment_size_limit": s.opts.UploadLimit, "data": data,
	}
}

// dispatchInteractionLocked starts the acknowledgement deadline and sends
// INTERACTION_CREATE (no intent needed). s.mu must be held.
func (s *Server) dispatchInteractionLocked(st *interactionState, payload map[string]any) *Interaction {
	st.dispatched = time.Now()
	st.timer = time.AfterFunc(s.opts.AckTimeout, func() { s.ackExpired(st) })
	raw, err := json.Marshal(payload)
	if err != nil {
		panic("discordtest: encode interaction: " + err.Error())
	}
	s.broadcastLocked("INTERACTION_CREATE", func(discordgo.Intent) any { return json.RawMessage(raw) })
	return &Interaction{ID: st.id, Token: st.token, Type: st.typ, Name: st.name, ChannelID: st.channelID,
		GuildID: s.channelLocked(st.channelID).guild, UserID: st.user.ID, DispatchedAt: st.dispatched, s: s, st: st}
}

func (s *Server) ackExpired(st *interactionState) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st.acked || st.failed || s.closed {
		return
	}
	st.failed = true
	s.violateLocked("interaction not acknowledged within %v (%s %q, id %s)", s.opts.AckTimeout, kindName(st.typ), st.name, st.id)
	st.notifyLocked()
}

func (s *Server) tokenExpired(st *interactionState) bool {
	return time.Since(st.dispatched) > s.opts.TokenTTL
}

// resolved is the "resolved" object of an application command.
type resolved struct {
	Users       map[string]wireUser       `json:"users,omitempty"`
	Members     map[string]any            `json:"members,omitempty"`
	Roles       map[string]any            `json:"roles,omitempty"`
	Channels    map[string]any            `json:"channels,omitempty"`
	Attachments map[string]wireAttachment `json:"attachments,omitempty"`
}

func newResolved() *resolved {
	return &resolved{Users: map[string]wireUser{}, Members: map[string]any{}, Roles: map[string]any{},
		Channels: map[string]any{}, Attachments: map[string]wireAttachment{}}
}

func (r *resolved) empty() bool {
	return len(r.Users)+len(r.Roles)+len(r.Channels)+len(r.Attachments) == 0
}

// buildOptionsLocked checks opts against the registered option definitions
// and returns them as Discord sends them. s.mu must be held.
func (s *Server) buildOptionsLocked(defs []*discordgo.ApplicationCommandOption, opts []Option, auto bool, res *resolved, path string) ([]map[string]any, error) {
	out := []map[string]any{}
	given := map[string]bool{}
	for _, o := range opts {
		var def *discordgo.ApplicationCommandOption
		for _, d := range defs {
			if d != nil && d.Name == o.Name {
				def = d
			}
		}
		if def == nil {
			return nil, fmt.Errorf("%w: %s has no option %q", ErrInvalidOption, path, o.Name)
		}
		if given[o.Name] {
			return nil, fmt.Errorf("%w: %s: option %q given twice", ErrInvalidOption, path, o.Name)
		}
		given[o.Name] = true
		typ := o.Type
		if typ == 0 {
			typ = def.Type
		}
		if typ != def.Type {
			return nil, fmt.Errorf("%w: %s: option %q is %v, not %v", ErrInvalidOption, path, o.Name, def.Type, typ)
		}
		m := map[string]any{"name": o.Name, "type": typ}
		switch {
		case typ == discordgo.ApplicationCommandOptionSubCommand || typ == discordgo.ApplicationCommandOptionSubCommandGroup:
			sub, err := s.buildOptionsLocked(def.Options, o.Options, auto, res, path+" "+o.Name)
			if err != nil {
				return nil, err
			}
			m["options"] = sub
		case auto && o.Focused:
			v := ""
			if o.Value != nil {
				v = fmt.Sprint(o.Value)
			}
			m["value"], m["focused"] = v, true
		default:
			v, err := s.optionValueLocked(typ, o.Value, res)
			if err != nil {
				return nil, fmt.Errorf("%w: %s: option %q: %v", ErrInvalidOption, path, o.Name, err)
			}
			if len(def.Choices) > 0 && !choiceAllowed(def.Choices, v) {
				return nil, fmt.Errorf("%w: %s: option %q: %v is not one of its choices", ErrInvalidOption, path, o.Name, v)
			}
			m["value"] = v
		}
		out = append(out, m)
	}
	if !auto {
		subs := false
		for _, d := range defs {
			if d == nil {
				continue
			}
			subs = subs || d.Type == discordgo.ApplicationCommandOptionSubCommand || d.Type == discordgo.ApplicationCommandOptionSubCommandGroup
			if d.Required && !given[d.Name] {
				return nil, fmt.Errorf("%w: %s: required option %q missing", ErrInvalidOption, path, d.Name)
			}
		}
		if subs && len(opts) != 1 {
			return nil, fmt.Errorf("%w: %s: choose exactly one subcommand", ErrInvalidOption, path)
		}
	}
	return out, nil
}

func choiceAllowed(choices []*discordgo.ApplicationCommandOptionChoice, v any) bool {
	norm := func(x any) string {
		if f, ok := toFloat(x); ok {
			return strconv.FormatFloat(f, 'g', -1, 64)
		}
		return fmt.Sprint(x)
	}
	for _, c := range choices {
		if c != nil && norm(c.Value) == norm(v) {
			return true
		}
	}
	return false
}

func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int:
		return float64(n), true
	case int8:
		return float64(n), true
	case int16:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint8:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case float32:
		return float64(n), true
	case float64:
		return n, true
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	}
	return 0, false
}

// optionValueLocked converts a test value to the JSON Discord sends and
// fills resolved data. s.mu must be held.
func (s *Server) optionValueLocked(typ discordgo.ApplicationCommandOptionType, v any, res *resolved) (any, error) {
	id := func() (string, error) {
		switch x := v.(type) {
		case string:
			if snowflakeRE.MatchString(x) {
				return x, nil
			}
		case *discordgo.User:
			if x != nil {
				return x.ID, nil
			}
		case *discordgo.MessageAttachment:
			if x != nil {
				return x.ID, nil
			}
		}
		return "", fmt.Errorf("want a snowflake, got %T %v", v, v)
	}
	switch typ {
	case discordgo.ApplicationCommandOptionString:
		if x, ok := v.(string); ok {
			return x, nil
		}
		return nil, fmt.Errorf("want a string, got %T", v)
	case discordgo.ApplicationCommandOptionInteger:
		if f, ok := toFloat(v); ok && f == math.Trunc(f) {
			return int64(f), nil
		}
		return nil, fmt.Errorf("want an integer, got %T %v", v, v)
	case discordgo.ApplicationCommandOptionNumber:
		if f, ok := toFloat(v); ok {
			return f, nil
		}
		return nil, fmt.Errorf("want a number, got %T", v)
	case discordgo.ApplicationCommandOptionBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
		return nil, fmt.Errorf("want a bool, got %T", v)
	case discordgo.ApplicationCommandOptionUser, discordgo.ApplicationCommandOptionMentionable:
		uid, err := id()
		if err != nil {
			return nil, err
		}
		res.Users[uid] = s.userLocked(uid)
		res.Members[uid] = memberObject(nil, "")
		return uid, nil
	case discordgo.ApplicationCommandOptionChannel:
		cid, err := id()
		if err != nil {
			return nil, err
		}
		ch := s.channelLocked(cid)
		res.Channels[cid] = map[string]any{"id": ch.id, "name": ch.name, "type": discordgo.ChannelTypeGuildText,
			"permissions": strconv.FormatInt(s.opts.BotPermissions, 10)}
		return cid, nil
	case discordgo.ApplicationCommandOptionRole:
		rid, err := id()
		if err != nil {
			return nil, err
		}
		res.Roles[rid] = map[string]any{"id": rid, "name": "role-" + rid[len(rid)-4:], "permissions": "0",
			"position": 1, "color": 0, "hoist": false, "managed": false, "mentionable": true}
		return rid, nil
	case discordgo.ApplicationCommandOptionAttachment:
		aid, err := id()
		if err != nil {
			return nil, err
		}
		f := s.files[aid]
		if f == nil {
			return nil, fmt.Errorf("attachment %s was not added with AddAttachment", aid)
		}
		res.Attachments[aid] = f.att
		return aid, nil
	}
	return nil, fmt.Errorf("option type %v cannot carry a value", typ)
}

// --- test-side observation ---

// Callback waits for the first accepted callback. If the deadline passes
// first it returns ErrNotAcknowledged, with any rejected attempts in the
// message.
func (ix *Interaction) Callback(ctx context.Context) (Callback, error) {
	var out Callback
	err := ix.s.waitOn(ctx, ix.changed, func() (bool, error) {
		st := ix.st
		if st.accepted != nil {
			out = st.accepted.callback()
			return true, nil
		}
		if st.failed {
			return false, ix.notAcked()
		}
		return false, nil
	})
	return out, err
}

func (ix *Interaction) changed() chan struct{} { return ix.st.changed }

// notAcked describes a failed interaction. ix.s.mu must be held.
func (ix *Interaction) notAcked() error {
	var b strings.Builder
	for _, a := range ix.st.attempts {
		fmt.Fprintf(&b, "; callback type %d got %d %s", a.cb.Type, a.cb.Status, a.cb.Body)
	}
	return fmt.Errorf("%w: %s %q within %v%s", ErrNotAcknowledged, kindName(ix.Type), ix.Name, ix.s.opts.AckTimeout, b.String())
}

// Callbacks returns every callback attempt, accepted or not, oldest first.
func (ix *Interaction) Callbacks() []Callback {
	ix.s.mu.Lock()
	defer ix.s.mu.Unlock()
	var out []Callback
	for _, a := range ix.st.attempts {
		out = append(out, a.callback())
	}
	return out
}

// Final waits until the response the user sees exists and returns a copy
// of it as Discord shows it: the type-4 message; for type 5 the loading
// message once PATCH @original (or the first followup) filled it; for a
// component, the message as updated by type 7 or by PATCH @original after
// type 6. It returns ErrNotAcknowledged if the deadline passed, ErrNoMessage
// for autocomplete and modal responses, ErrMessageDeleted if the response
// was deleted before it became visible. Use Server.AllowedMentions(msg.ID)
// for the allowed_mentions sent with it.
func (ix *Interaction) Final(ctx context.Context) (*discordgo.Message, error) {
	var out *discordgo.Message
	err := ix.s.waitOn(ctx, ix.changed, func() (bool, error) {
		st := ix.st
		if st.failed {
			return false, ix.notAcked()
		}
		if a := st.accepted; a != nil {
			switch a.cb.Type {
			case discordgo.InteractionApplicationCommandAutocompleteResult, discordgo.InteractionResponseModal, discordgo.InteractionResponsePong:
				return false, fmt.Errorf("%w: callback type %d", ErrNoMessage, a.cb.Type)
			}
		}
		if st.originalID == "" || st.accepted == nil {
			return false, nil
		}
		m := ix.s.messages[st.originalID]
		if st.visible {
			out = m.restView()
			return true, nil
		}
		if m.deleted {
			return false, ErrMessageDeleted
		}
		return false, nil
	})
	return out, err
}

// Original returns a copy of the current @original message, if any.
func (ix *Interaction) Original() (*discordgo.Message, bool) {
	ix.s.mu.Lock()
	defer ix.s.mu.Unlock()
	if ix.st.originalID == "" || ix.st.accepted == nil {
		return nil, false
	}
	return ix.s.messages[ix.st.originalID].restView(), true
}

// Followups returns copies of the followup messages, oldest first (a
// followup that filled a deferred response is the @original, not here).
func (ix *Interaction) Followups() []*discordgo.Message {
	ix.s.mu.Lock()
	defer ix.s.mu.Unlock()
	var out []*discordgo.Message
	for _, id := range ix.st.followups {
		out = append(out, ix.s.messages[id].restView())
	}
	return out
}

// Failed reports whether the deadline passed without an accepted callback.
func (ix *Interaction) Failed() bool {
	ix.s.mu.Lock()
	defer ix.s.mu.Unlock()
	return ix.st.failed
}

func decodeResponseData(raw json.RawMessage) *discordgo.InteractionResponseData {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	comps := m["components"]
	delete(m, "components")
	b, _ := json.Marshal(m)
	var d discordgo.InteractionResponseData
	json.Unmarshal(b, &d)
	if len(comps) > 0 && string(comps) != "null" {
		var msg discordgo.Message
		if json.Unmarshal([]byte(`{"components":`+string(comps)+`}`), &msg) == nil {
			d.Components = msg.Components
		}
	}
	return &d
}
