package discordtest

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

// Discord's limits, as documented and as enforced with HTTP 400.
const (
	MaxContent         = 2000
	MaxEmbeds          = 10
	MaxEmbedTitle      = 256
	MaxEmbedDesc       = 4096
	MaxEmbedFields     = 25
	MaxFieldName       = 256
	MaxFieldValue      = 1024
	MaxFooter          = 2048
	MaxAuthorName      = 256
	MaxEmbedTotal      = 6000
	MaxActionRows      = 5
	MaxRowComponents   = 5
	MaxCustomID        = 100
	MaxButtonLabel     = 80
	MaxSelectOptions   = 25
	MaxPlaceholder     = 150
	MaxChoices         = 25
	MaxChoiceName      = 100
	MaxChoiceValue     = 100
	MaxCommandName     = 32
	MaxCommandDesc     = 100
	MaxCommandOptions  = 25
	MaxCommandTotal    = 4000
	MaxCommands        = 100
	MaxModalTitle      = 45
	MaxFilesPerMessage = 10
)

// fieldError is one rejected field: path is Discord's error path in dotted
// form ("embeds.0.title"), code and message are what Discord answers, and
// detail is the human description recorded as a violation.
type fieldError struct {
	path, code, message, detail string
}

func tooLong(path string, n, max int) fieldError {
	return fieldError{path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max),
		fmt.Sprintf("%s: %d characters > %d", path, n, max)}
}

func tooMany(path string, n, max int, what string) fieldError {
	return fieldError{path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", max),
		fmt.Sprintf("%s: %d %s > %d", path, n, what, max)}
}

func required(path string) fieldError {
	return fieldError{path, "BASE_TYPE_REQUIRED", "This field is required", path + ": required"}
}

func badLength(path string, n, min, max int) fieldError {
	return fieldError{path, "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between %d and %d in length.", min, max),
		fmt.Sprintf("%s: length %d not in %d-%d", path, n, min, max)}
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// checkURL accepts http(s) URLs, and attachment:// where attachment is true.
func checkURL(path, raw string, attachment bool) []fieldError {
	if raw == "" {
		return nil
	}
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" {
		return []fieldError{{path, "URL_TYPE_INVALID_URL", "Not a well formed URL.", fmt.Sprintf("%s: %q is not a URL", path, raw)}}
	}
	if u.Scheme == "http" || u.Scheme == "https" || attachment && u.Scheme == "attachment" {
		return nil
	}
	return []fieldError{{path, "URL_TYPE_INVALID_SCHEME",
		fmt.Sprintf("Scheme %q is not supported. Scheme must be one of ('http', 'https').", u.Scheme),
		fmt.Sprintf("%s: scheme %q not allowed", path, u.Scheme)}}
}

// validateMessage checks a message payload against Discord's limits.
func validateMessage(f *messageFields) []fieldError {
	var errs []fieldError
	if n := runes(f.Content); n > MaxContent {
		errs = append(errs, tooLong("content", n, MaxContent))
	}
	errs = append(errs, validateEmbeds(f.Embeds)...)
	errs = append(errs, validateComponents("components", f.Components, f.Flags&discordgo.MessageFlagsIsComponentsV2 != 0, false)...)
	errs = append(errs, validateAllowedMentions(f.AllowedMentions)...)
	if len(f.files) > MaxFilesPerMessage {
		errs = append(errs, tooMany("files", len(f.files), MaxFilesPerMessage, "files"))
	}
	return errs
}

func validateAllowedMentions(am *discordgo.MessageAllowedMentions) []fieldError {
	if am == nil {
		return nil
	}
	var errs []fieldError
	for i, p := range am.Parse {
		exclusive := p == discordgo.AllowedMentionTypeUsers && len(am.Users) > 0 || p == discordgo.AllowedMentionTypeRoles && len(am.Roles) > 0
		switch {
		case p != discordgo.AllowedMentionTypeUsers && p != discordgo.AllowedMentionTypeRoles && p != discordgo.AllowedMentionTypeEveryone:
			errs = append(errs, fieldError{fmt.Sprintf("allowed_mentions.parse.%d", i), "BASE_TYPE_CHOICES", "Value must be one of ('roles', 'users', 'everyone').",
				fmt.Sprintf("allowed_mentions.parse: unknown type %q", p)})
		case exclusive:
			errs = append(errs, fieldError{"allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
				fmt.Sprintf("parse:[%q] and %s: [ids...] are mutually exclusive.", p, p),
				fmt.Sprintf("allowed_mentions: parse %q together with a %s list", p, p)})
		}
	}
	if len(am.Users) > 100 || len(am.Roles) > 100 {
		errs = append(errs, tooMany("allowed_mentions", max(len(am.Users), len(am.Roles)), 100, "ids"))
	}
	return errs
}

func validateEmbeds(embeds []*discordgo.MessageEmbed) []fieldError {
	var errs []fieldError
	if len(embeds) > MaxEmbeds {
		errs = append(errs, tooMany("embeds", len(embeds), MaxEmbeds, "embeds"))
	}
	total := 0
	for i, e := range embeds {
		if e == nil {
			continue
		}
		p := fmt.Sprintf("embeds.%d.", i)
		check := func(field, s string, max int) {
			n := runes(s)
			total += n
			if n > max {
				errs = append(errs, tooLong(p+field, n, max))
			}
		}
		check("title", e.Title, MaxEmbedTitle)
		check("description", e.Description, MaxEmbedDesc)
		if e.Footer != nil {
			check("footer.text", e.Footer.Text, MaxFooter)
		}
		if e.Author != nil {
			check("author.name", e.Author.Name, MaxAuthorName)
			errs = append(errs, checkURL(p+"author.url", e.Author.URL, false)...)
		}
		if len(e.Fields) > MaxEmbedFields {
			errs = append(errs, tooMany(p+"fields", len(e.Fields), MaxEmbedFields, "fields"))
		}
		for j, fl := range e.Fields {
			if fl == nil {
				continue
			}
			fp := fmt.Sprintf("fields.%d.", j)
			if fl.Name == "" {
				errs = append(errs, required(p+fp+"name"))
			}
			if fl.Value == "" {
				errs = append(errs, required(p+fp+"value"))
			}
			check(fp+"name", fl.Name, MaxFieldName)
			check(fp+"value", fl.Value, MaxFieldValue)
		}
		errs = append(errs, checkURL(p+"url", e.URL, false)...)
		if e.Image != nil {
			errs = append(errs, checkURL(p+"image.url", e.Image.URL, true)...)
		}
		if e.Thumbnail != nil {
			errs = append(errs, checkURL(p+"thumbnail.url", e.Thumbnail.URL, true)...)
		}
		if e.Color < 0 || e.Color > 0xFFFFFF {
			errs = append(errs, fieldError{p + "color", "NUMBER_TYPE_MAX", "int value should be less than or equal to 16777215.",
				fmt.Sprintf("%scolor: %d out of range", p, e.Color)})
		}
	}
	if total > MaxEmbedTotal {
		errs = append(errs, fieldError{"embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000",
			fmt.Sprintf("embeds: %d characters in total > %d", total, MaxEmbedTotal)})
	}
	return errs
}

// validateComponents checks action rows of buttons and select menus (or of
// text inputs, for a modal). Components V2 layouts are not checked.
func validateComponents(path string, comps []rawComponent, v2, modal bool) []fieldError {
	if v2 {
		return nil
	}
	var errs []fieldError
	if len(comps) > MaxActionRows {
		errs = append(errs, tooMany(path, len(comps), MaxActionRows, "action rows"))
	}
	seen := map[string]bool{}
	for i, row := range comps {
		rp := fmt.Sprintf("%s.%d", path, i)
		if row.Type != discordgo.ActionsRowComponent {
			errs = append(errs, fieldError{rp + ".type", "UNION_TYPE_CHOICES", `Value of field "type" must be one of (1,).`,
				fmt.Sprintf("%s: top-level component of type %d is not an action row", rp, row.Type)})
			continue
		}
		if n := len(row.Components); n < 1 || n > MaxRowComponents {
			fe := badLength(rp+".components", n, 1, MaxRowComponents)
			fe.detail = fmt.Sprintf("%s.components: %d components in a row, want 1-%d", rp, n, MaxRowComponents)
			errs = append(errs, fe)
		}
		for j, c := range row.Components {
			cp := fmt.Sprintf("%s.components.%d", rp, j)
			errs = append(errs, validateComponent(cp, c, len(row.Components), modal)...)
			if c.CustomID != nil && *c.CustomID != "" {
				if seen[*c.CustomID] {
					errs = append(errs, fieldError{cp + ".custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated",
						fmt.Sprintf("%s.custom_id: %q used twice in one message", cp, *c.CustomID)})
				}
				seen[*c.CustomID] = true
			}
		}
	}
	return errs
}

func validateComponent(cp string, c rawComponent, rowLen int, modal bool) []fieldError {
	var errs []fieldError
	customID := func() {
		switch {
		case c.CustomID == nil || *c.CustomID == "":
			errs = append(errs, required(cp+".custom_id"))
		case runes(*c.CustomID) > MaxCustomID:
			errs = append(errs, tooLong(cp+".custom_id", runes(*c.CustomID), MaxCustomID))
		}
	}
	switch c.Type {
	case discordgo.ButtonComponent:
		if modal {
			break
		}
		switch c.Style {
		case int(discordgo.LinkButton):
			if c.URL == "" {
				errs = append(errs, required(cp+".url"))
			}
			errs = append(errs, checkURL(cp+".url", c.URL, false)...)
			if c.CustomID != nil && *c.CustomID != "" {
				errs = append(errs, fieldError{cp + ".custom_id", "BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED", "A custom id cannot be specified for this button style",
					cp + ".custom_id: link buttons cannot have a custom_id"})
			}
		case int(discordgo.PremiumButton):
			if c.SKUID == "" {
				errs = append(errs, required(cp+".sku_id"))
			}
		case 1, 2, 3, 4:
			customID()
		default:
			errs = append(errs, fieldError{cp + ".style", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4, 5, 6}.",
				fmt.Sprintf("%s.style: %d is not a button style", cp, c.Style)})
		}
		if n := runes(c.Label); n > MaxButtonLabel {
			errs = append(errs, tooLong(cp+".label", n, MaxButtonLabel))
		}
		if c.Label == "" && len(c.Emoji) == 0 && c.Style != int(discordgo.PremiumButton) {
			errs = append(errs, fieldError{cp, "BUTTON_COMPONENT_MISSING_LABEL_OR_EMOJI", "A label or emoji must be provided",
				cp + ": button has neither label nor emoji"})
		}
		return errs
	case discordgo.SelectMenuComponent, discordgo.UserSelectMenuComponent, discordgo.RoleSelectMenuComponent,
		discordgo.MentionableSelectMenuComponent, discordgo.ChannelSelectMenuComponent:
		if modal {
			break
		}
		customID()
		if rowLen > 1 {
			errs = append(errs, fieldError{cp, "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "The specified component exceeds the maximum width",
				cp + ": a select menu must be alone in its row"})
		}
		if n := runes(c.Placeholder); n > MaxPlaceholder {
			errs = append(errs, tooLong(cp+".placeholder", n, MaxPlaceholder))
		}
		if c.Type == discordgo.SelectMenuComponent {
			if n := len(c.Options); n < 1 || n > MaxSelectOptions {
				errs = append(errs, badLength(cp+".options", n, 1, MaxSelectOptions))
			}
		}
		return errs
	case discordgo.TextInputComponent:
		if !modal {
			break
		}
		customID()
		return errs
	}
	return append(errs, fieldError{cp + ".type", "COMPONENT_TYPE_INVALID", fmt.Sprintf("Component type %d is not allowed here", c.Type),
		fmt.Sprintf("%s: component type %d not allowed here", cp, c.Type)})
}

// validateChoices checks an autocomplete result.
func validateChoices(choices []*discordgo.ApplicationCommandOptionChoice) []fieldError {
	var errs []fieldError
	if len(choices) > MaxChoices {
		errs = append(errs, tooMany("choices", len(choices), MaxChoices, "choices"))
	}
	for i, c := range choices {
		if c == nil {
			continue
		}
		p := fmt.Sprintf("choices.%d.", i)
		if n := runes(c.Name); n < 1 || n > MaxChoiceName {
			errs = append(errs, badLength(p+"name", n, 1, MaxChoiceName))
		}
		if v, ok := c.Value.(string); ok && runes(v) > MaxChoiceValue {
			errs = append(errs, tooLong(p+"value", runes(v), MaxChoiceValue))
		}
	}
	return errs
}

// validateModal checks a modal callback (type 9).
func validateModal(f *messageFields) []fieldError {
	var errs []fieldError
	if n := runes(f.CustomID); n < 1 || n > MaxCustomID {
		errs = append(errs, badLength("custom_id", n, 1, MaxCustomID))
	}
	if n := runes(f.Title); n < 1 || n > MaxModalTitle {
		errs = append(errs, badLength("title", n, 1, MaxModalTitle))
	}
	if n := len(f.Components); n < 1 || n > MaxActionRows {
		errs = append(errs, badLength("components", n, 1, MaxActionRows))
	}
	return append(errs, validateComponents("components", f.Components, false, true)...)
}

// Command names: 1-32 characters of letters, digits, - and _, lowercase
// where a lowercase form exists (chat commands).
var commandNameRE = regexp.MustCompile(`^[-_\p{L}\p{N}\p{Devanagari}\p{Thai}]{1,32}$`)

func validCommandName(name string) bool {
	return commandNameRE.MatchString(name) && strings.ToLower(name) == name
}

// validateCommands checks a bulk overwrite payload.
func validateCommands(cmds []*discordgo.ApplicationCommand) []fieldError {
	var errs []fieldError
	chat := 0
	names := map[string]bool{}
	for i, c := range cmds {
		p := strconv.Itoa(i) + "."
		if c == nil {
			errs = append(errs, required(strconv.Itoa(i)))
			continue
		}
		typ := c.Type
		if typ == 0 {
			typ = discordgo.ChatApplicationCommand
		}
		key := fmt.Sprint(typ, "/", c.Name)
		if names[key] {
			errs = append(errs, fieldError{p + "name", "APPLICATION_COMMANDS_DUPLICATE_NAME", "Application command names must be unique",
				fmt.Sprintf("%sname: command %q registered twice", p, c.Name)})
		}
		names[key] = true
		errs = append(errs, validateCommand(p, c)...)
		if typ == discordgo.ChatApplicationCommand {
			chat++
		}
	}
	if chat > MaxCommands {
		errs = append(errs, tooMany("commands", chat, MaxCommands, "chat commands"))
	}
	return errs
}

func validateCommand(p string, c *discordgo.ApplicationCommand) []fieldError {
	var errs []fieldError
	switch c.Type {
	case 0, discordgo.ChatApplicationCommand:
		if !validCommandName(c.Name) {
			errs = append(errs, fieldError{p + "name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid",
				fmt.Sprintf("%sname: %q is not 1-32 lowercase letters, digits, - or _", p, c.Name)})
		}
		if n := runes(c.Description); n < 1 || n > MaxCommandDesc {
			errs = append(errs, badLength(p+"description", n, 1, MaxCommandDesc))
		}
		errs = append(errs, validateOptions(p+"options", c.Options, 0)...)
		if n := commandSize(c); n > MaxCommandTotal {
			errs = append(errs, fieldError{strings.TrimSuffix(p, "."), "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)",
				fmt.Sprintf("%s: %d characters in names, descriptions and choices > %d", strings.TrimSuffix(p, "."), n, MaxCommandTotal)})
		}
	case discordgo.UserApplicationCommand, discordgo.MessageApplicationCommand:
		if n := runes(c.Name); n < 1 || n > MaxCommandName {
			errs = append(errs, badLength(p+"name", n, 1, MaxCommandName))
		}
		if c.Description != "" {
			errs = append(errs, fieldError{p + "description", "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION", "Context menu commands cannot have description",
				p + "description: context menu commands cannot have one"})
		}
	default:
		errs = append(errs, fieldError{p + "type", "BASE_TYPE_CHOICES", "Value must be one of {1, 2, 3, 4}.",
			fmt.Sprintf("%stype: %d is not a command type", p, c.Type)})
	}
	return errs
}

func commandSize(c *discordgo.ApplicationCommand) int {
	n := runes(c.Name) + runes(c.Description)
	var walk func([]*discordgo.ApplicationCommandOption)
	walk = func(opts []*discordgo.ApplicationCommandOption) {
		for _, o := range opts {
			if o == nil {
				continue
			}
			n += runes(o.Name) + runes(o.Description)
			for _, ch := range o.Choices {
				if ch != nil {
					n += runes(ch.Name) + runes(fmt.Sprint(ch.Value))
				}
			}
			walk(o.Options)
		}
	}
	walk(c.Options)
	return n
}

// validateOptions checks one level of options; depth 0 is the command's
// own level, 1 inside a subcommand group or subcommand, 2 inside a
// subcommand of a group.
func validateOptions(path string, opts []*discordgo.ApplicationCommandOption, depth int) []fieldError {
	var errs []fieldError
	if len(opts) > MaxCommandOptions {
		errs = append(errs, tooMany(path, len(opts), MaxCommandOptions, "options"))
	}
	names := map[string]bool{}
	subs, others := 0, 0
	optionalSeen := false
	for i, o := range opts {
		p := fmt.Sprintf("%s.%d.", path, i)
		if o == nil {
			errs = append(errs, required(strings.TrimSuffix(p, ".")))
			continue
		}
		if !validCommandName(o.Name) {
			errs = append(errs, fieldError{p + "name", "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid",
				fmt.Sprintf("%sname: %q is not 1-32 lowercase letters, digits, - or _", p, o.Name)})
		}
		if names[o.Name] {
			errs = append(errs, fieldError{p + "name", "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS", "Option names must be unique",
				fmt.Sprintf("%sname: option %q declared twice", p, o.Name)})
		}
		names[o.Name] = true
		if n := runes(o.Description); n < 1 || n > MaxCommandDesc {
			errs = append(errs, badLength(p+"description", n, 1, MaxCommandDesc))
		}
		switch o.Type {
		case discordgo.ApplicationCommandOptionSubCommandGroup:
			subs++
			if depth > 0 {
				errs = append(errs, nesting(p, "a subcommand group can only be at the top level"))
			}
			for j, sub := range o.Options {
				if sub != nil && sub.Type != discordgo.ApplicationCommandOptionSubCommand {
					errs = append(errs, nesting(fmt.Sprintf("%soptions.%d.", p, j), "a subcommand group may only contain subcommands"))
				}
			}
			errs = append(errs, validateOptions(p+"options", o.Options, depth+1)...)
		case discordgo.ApplicationCommandOptionSubCommand:
			subs++
			if depth > 1 {
				errs = append(errs, nesting(p, "subcommands nest at most inside one group"))
			}
			for j, sub := range o.Options {
				if sub != nil && (sub.Type == discordgo.ApplicationCommandOptionSubCommand || sub.Type == discordgo.ApplicationCommandOptionSubCommandGroup) {
					errs = append(errs, nesting(fmt.Sprintf("%soptions.%d.", p, j), "a subcommand cannot contain subcommands"))
				}
			}
			errs = append(errs, validateOptions(p+"options", o.Options, 2)...)
		default:
			others++
			if o.Type < discordgo.ApplicationCommandOptionString || o.Type > discordgo.ApplicationCommandOptionAttachment {
				errs = append(errs, fieldError{p + "type", "BASE_TYPE_CHOICES", "Value must be one of {1..11}.",
					fmt.Sprintf("%stype: %d is not an option type", p, o.Type)})
			}
			if o.Required && optionalSeen {
				errs = append(errs, fieldError{p + "required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", "Required options must be placed before non-required options",
					fmt.Sprintf("%srequired: required option %q after an optional one", p, o.Name)})
			}
			if !o.Required {
				optionalSeen = true
			}
			scalar := o.Type == discordgo.ApplicationCommandOptionString || o.Type == discordgo.ApplicationCommandOptionInteger || o.Type == discordgo.ApplicationCommandOptionNumber
			if (len(o.Choices) > 0 || o.Autocomplete) && !scalar {
				errs = append(errs, fieldError{p + "type", "APPLICATION_COMMAND_OPTION_CHOICES_INVALID_TYPE", "Choices and autocomplete need a string, integer or number option",
					fmt.Sprintf("%s: choices/autocomplete on option type %d", p, o.Type)})
			}
			if o.Autocomplete && len(o.Choices) > 0 {
				errs = append(errs, fieldError{p + "autocomplete", "APPLICATION_COMMAND_AUTOCOMPLETE_INVALID_CHOICES", "Autocomplete and choices are mutually exclusive",
					fmt.Sprintf("%sautocomplete: option %q has both choices and autocomplete", p, o.Name)})
			}
			for _, e := range validateChoices(o.Choices) {
				e.path, e.detail = p+e.path, p+e.detail
				errs = append(errs, e)
			}
		}
	}
	if subs > 0 && others > 0 {
		errs = append(errs, fieldError{path, "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
			"Sub-command and sub-command group option types are mutually exclusive to all other types",
			path + ": subcommands mixed with other options"})
	}
	return errs
}

func nesting(p, why string) fieldError {
	return fieldError{p + "type", "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID", "Invalid option nesting", p + "type: " + why}
}

// formErrors builds Discord's nested "errors" object from field errors.
func formErrors(prefix string, errs []fieldError) map[string]any {
	root := map[string]any{}
	for _, e := range errs {
		path := e.path
		if prefix != "" {
			path = prefix + "." + path
		}
		node := root
		for _, part := range strings.Split(path, ".") {
			if part == "" {
				continue
			}
			next, ok := node[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[part] = next
			}
			node = next
		}
		list, _ := node["_errors"].([]map[string]string)
		node["_errors"] = append(list, map[string]string{"code": e.code, "message": e.message})
	}
	return root
}
