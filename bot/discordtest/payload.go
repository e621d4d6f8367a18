package discordtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
)

// wireUser is a user object as Discord sends it.
type wireUser struct {
	ID            string  `json:"id"`
	Username      string  `json:"username"`
	Discriminator string  `json:"discriminator"`
	GlobalName    *string `json:"global_name"`
	Avatar        *string `json:"avatar"`
	Bot           bool    `json:"bot,omitempty"`
	PublicFlags   int     `json:"public_flags"`
}

type wireAttachment struct {
	ID          string `json:"id"`
	Filename    string `json:"filename"`
	Size        int    `json:"size"`
	URL         string `json:"url"`
	ProxyURL    string `json:"proxy_url"`
	ContentType string `json:"content_type,omitempty"`
}

// wireMessage is a message object as Discord sends it. discordgo's Message
// cannot be marshalled faithfully (its Components are json:"-"), so the
// emulator keeps this form and decodes copies into discordgo.Message.
type wireMessage struct {
	ID                  string                        `json:"id"`
	Type                discordgo.MessageType         `json:"type"`
	ChannelID           string                        `json:"channel_id"`
	GuildID             string                        `json:"guild_id,omitempty"`
	Author              wireUser                      `json:"author"`
	Member              map[string]any                `json:"member,omitempty"`
	Content             string                        `json:"content"`
	Timestamp           string                        `json:"timestamp"`
	EditedTimestamp     *string                       `json:"edited_timestamp"`
	TTS                 bool                          `json:"tts"`
	MentionEveryone     bool                          `json:"mention_everyone"`
	Mentions            []wireUser                    `json:"mentions"`
	MentionRoles        []string                      `json:"mention_roles"`
	Attachments         []wireAttachment              `json:"attachments"`
	Embeds              []*discordgo.MessageEmbed     `json:"embeds"`
	Components          json.RawMessage               `json:"components"`
	Pinned              bool                          `json:"pinned"`
	Flags               discordgo.MessageFlags        `json:"flags"`
	WebhookID           string                        `json:"webhook_id,omitempty"`
	ApplicationID       string                        `json:"application_id,omitempty"`
	MessageReference    *discordgo.MessageReference   `json:"message_reference,omitempty"`
	ReferencedMessage   json.RawMessage               `json:"referenced_message,omitempty"`
	InteractionMetadata map[string]any                `json:"interaction_metadata,omitempty"`
	Reactions           []*discordgo.MessageReactions `json:"reactions,omitempty"`
	Thread              json.RawMessage               `json:"thread,omitempty"` // the thread started from it
}

func discordTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000000-07:00") }

// toMessage decodes a copy of w the way discordgo decodes Discord's JSON.
func (w *wireMessage) toMessage() *discordgo.Message {
	b, err := json.Marshal(w)
	if err != nil {
		panic(fmt.Sprintf("discordtest: encode message %s: %v", w.ID, err))
	}
	var m discordgo.Message
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("discordtest: decode message %s: %v\n%s", w.ID, err, b))
	}
	return &m
}

func (w *wireMessage) clone() wireMessage {
	b, _ := json.Marshal(w)
	var c wireMessage
	json.Unmarshal(b, &c)
	return c
}

// rawComponent is the subset of a message component the emulator checks.
type rawComponent struct {
	Type        discordgo.ComponentType `json:"type"`
	CustomID    *string                 `json:"custom_id"`
	Label       string                  `json:"label"`
	Style       int                     `json:"style"`
	URL         string                  `json:"url"`
	SKUID       string                  `json:"sku_id"`
	Emoji       json.RawMessage         `json:"emoji"`
	Disabled    bool                    `json:"disabled"`
	Placeholder string                  `json:"placeholder"`
	Title       string                  `json:"title"`
	Options     []struct {
		Label       string `json:"label"`
		Value       string `json:"value"`
		Description string `json:"description"`
	} `json:"options"`
	Components []rawComponent `json:"components"`
}

// messageFields is a decoded message payload (create, edit, callback data).
// has records which fields were present and not null: on an edit, absent
// fields keep their value.
type messageFields struct {
	has             map[string]bool
	Content         string
	Embeds          []*discordgo.MessageEmbed
	Components      []rawComponent
	ComponentsRaw   json.RawMessage
	AllowedMentions *discordgo.MessageAllowedMentions
	Flags           discordgo.MessageFlags
	TTS             bool
	Reference       *discordgo.MessageReference
	KeepAttachments []string // IDs listed in "attachments" (edits)
	Choices         []*discordgo.ApplicationCommandOptionChoice
	CustomID        string
	Title           string
	files           []upload
}

// errBadJSON is answered with Discord's 50109.
var errBadJSON = errors.New("the request body contains invalid JSON")

func parseMessageFields(raw []byte) (*messageFields, error) {
	f := &messageFields{has: map[string]bool{}}
	if len(bytes.TrimSpace(raw)) == 0 {
		return f, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: %v", errBadJSON, err)
	}
	targets := map[string]any{
		"content": &f.Content, "embeds": &f.Embeds, "components": &f.Components,
		"allowed_mentions": &f.AllowedMentions, "flags": &f.Flags, "tts": &f.TTS,
		"message_reference": &f.Reference, "choices": &f.Choices,
		"custom_id": &f.CustomID, "title": &f.Title,
	}
	for k, v := range m {
		if string(v) == "null" {
			continue
		}
		f.has[k] = true
		if k == "attachments" {
			var atts []struct {
				ID json.RawMessage `json:"id"`
			}
			if err := json.Unmarshal(v, &atts); err != nil {
				return nil, fmt.Errorf("%w: attachments: %v", errBadJSON, err)
			}
			for _, a := range atts {
				f.KeepAttachments = append(f.KeepAttachments, strings.Trim(string(a.ID), `"`))
			}
			continue
		}
		t, ok := targets[k]
		if !ok {
			continue
		}
		if err := json.Unmarshal(v, t); err != nil {
			return nil, fmt.Errorf("%w: %s: %v", errBadJSON, k, err)
		}
		if k == "components" {
			f.ComponentsRaw = v
		}
	}
	return f, nil
}

// empty reports whether a message with these fields would show nothing.
func (f *messageFields) empty() bool {
	return f.Content == "" && len(f.Embeds) == 0 && len(f.Components) == 0 && len(f.files) == 0 &&
		!f.has["sticker_ids"] && !f.has["poll"]
}

type upload struct {
	name, contentType string
	data              []byte
}

var filesField = regexp.MustCompile(`^(files\[\d+\]|file\d*)$`)

// errTooLarge is answered with Discord's 40005.
var errTooLarge = errors.New("request entity too large")

// readPayload returns the JSON payload of a request and its files: the
// body itself, or for multipart/form-data the payload_json part and the
// files[n] parts.
func readPayload(r *http.Request, body []byte, limit int64) ([]byte, []upload, error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return body, nil, nil
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var payload []byte
	var files []upload
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: multipart: %v", errBadJSON, err)
		}
		data, err := io.ReadAll(io.LimitReader(p, limit+1))
		if err != nil {
			return nil, nil, fmt.Errorf("%w: multipart: %v", errBadJSON, err)
		}
		switch name := p.FormName(); {
		case name == "payload_json":
			payload = data
		case filesField.MatchString(name):
			if int64(len(data)) > limit {
				return nil, nil, fmt.Errorf("%w: %s is over %d bytes", errTooLarge, p.FileName(), limit)
			}
			ct := p.Header.Get("Content-Type")
			if ct == "" || ct == "application/octet-stream" {
				ct = http.DetectContentType(data)
			}
			files = append(files, upload{name: p.FileName(), contentType: ct, data: data})
		}
	}
	return payload, files, nil
}

var (
	userMentionRE = regexp.MustCompile(`<@!?([0-9]{15,21})>`)
	roleMentionRE = regexp.MustCompile(`<@&([0-9]{15,21})>`)
)

// mentionedUserIDs lists the users mentioned in content, once each, in order.
func mentionedUserIDs(content string) []string {
	var ids []string
	seen := map[string]bool{}
	for _, m := range userMentionRE.FindAllStringSubmatch(content, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			ids = append(ids, m[1])
		}
	}
	return ids
}

func mentionedRoleIDs(content string) []string {
	var ids []string
	for _, m := range roleMentionRE.FindAllStringSubmatch(content, -1) {
		ids = append(ids, m[1])
	}
	return ids
}

// allowed reports whether allowed_mentions lets a mention of kind ("users",
// "roles", "everyone") with id ping. A nil am allows everything, like Discord.
func allowed(am *discordgo.MessageAllowedMentions, kind, id string) bool {
	if am == nil {
		return true
	}
	for _, p := range am.Parse {
		if string(p) == kind {
			return true
		}
	}
	list := am.Users
	if kind == "roles" {
		list = am.Roles
	}
	for _, x := range list {
		if x == id {
			return true
		}
	}
	return false
}
