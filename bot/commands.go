package bot

import (
	"strings"

	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// Command and option names, shared by the table below and the handlers
// that read them.
const (
	cmdAsk    = "ask"
	cmdSearch = "search"
	cmdSource = "source"
	cmdKB     = "kb"

	optQuestion   = "question"
	optPrivate    = "private"
	optQuery      = "query"
	optDocument   = "document"
	optFile       = "file"
	optTitle      = "title"
	optURL        = "url"
	optReplace    = "replace"
	optDays       = "days"
	optCollection = "collection"

	// Values of optCollection.
	collectionServer = "server"
	collectionBase   = "base"
)

// Bounds of command options.
const (
	maxTitleOption = 200 // runes of /kb add title:
	defaultGapDays = 30
	maxGapDays     = 365
)

// access is who may run a command. The router checks it on every
// interaction, whatever Discord showed the member: server admins can open
// a command to others.
type access int

const (
	everyone access = iota
	// serverAdmins: members with Manage Server or Administrator, or a role
	// in Config.AdminRoleIDs, acting on their own server's collection.
	serverAdmins
)

// command is one slash command or subcommand: how it is declared to
// Discord, who may run it and what runs it. Subcommands are written
// "kb status" and grouped under their parent when registered.
type command struct {
	path        string
	description string
	options     []*discordgo.ApplicationCommandOption
	access      access
	run         func(*interaction) error
	// complete answers autocompletion of the focused option; nil: none.
	complete func(*interaction) error
	// refused, when set, is told that the router refused the command
	// (for the metrics).
	refused func()
}

// parent is a command that only groups subcommands.
type parent struct {
	description string
	// adminsOnly shows it by default only to Manage Server
	// (default_member_permissions "32"), in servers only.
	adminsOnly bool
}

var parents = map[string]parent{
	cmdKB: {description: "Knowledge base administration for this server", adminsOnly: true},
}

// handlers are the structs whose methods answer commands and buttons.
// Commands reads only the declarations, so it passes nil ones: a method
// value of a nil pointer is never called there.
type handlers struct {
	ask    *askCommand
	search *searchCommand
	source *sourceCommand
	kb     *kbCommand
}

// table is every slash command govbot has: the one place that declares
// them, for registration and for routing.
func table(h handlers) []command {
	maxLen := knowledge.MaxQuestionRunes
	minDays, maxDays := 1.0, float64(maxGapDays)
	document := func(desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: optDocument,
			Description: desc, Required: true, Autocomplete: true}
	}
	collection := &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: optCollection,
		Description: "Which collection (default: this server's; base: govbot's operator only)",
		Choices: []*discordgo.ApplicationCommandOptionChoice{
			{Name: "this server's documents", Value: collectionServer},
			{Name: "the base knowledge base (operator only)", Value: collectionBase},
		},
	}
	return []command{
		{
			path:        cmdAsk,
			description: "Ask a question; get the exact passages of the knowledge base that answer it",
			options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: optQuestion,
					Description: "Your question, e.g. what is cyber sovereignty?", Required: true, MaxLength: maxLen},
				{Type: discordgo.ApplicationCommandOptionBoolean, Name: optPrivate,
					Description: "Only you see the answer (default: everyone in the channel)"},
			},
			run: h.ask.run,
		},
		{
			path:        cmdSearch,
			description: "Search the knowledge base: ranked passages, compact, paged",
			options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionString, Name: optQuery,
					Description: "Words to look for", Required: true, MaxLength: maxLen},
			},
			run: h.search.run,
		},
		{
			path:        cmdSource,
			description: "Show a document of the knowledge base: who wrote it, when, and its passages",
			options:     []*discordgo.ApplicationCommandOption{document("Start typing a title and pick the document")},
			run:         h.source.run,
			complete:    h.source.complete,
		},
		{
			path:        "kb status",
			description: "This server's documents, the base knowledge base and the last reload here",
			access:      serverAdmins,
			run:         h.kb.status,
		},
		{
			path:        "kb reload",
			description: "Rebuild this server's documents; answers continue meanwhile",
			options:     []*discordgo.ApplicationCommandOption{collection},
			access:      serverAdmins,
			run:         h.kb.reload,
			refused:     h.kb.reloadRefused,
		},
		{
			path:        "kb add",
			description: "Add a document (Markdown, text, HTML, PDF, Word .docx, .odt) to this server's knowledge base",
			options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionAttachment, Name: optFile, Description: "The document file (or give url:)"},
				{Type: discordgo.ApplicationCommandOptionString, Name: optURL,
					Description: "A web page to add instead of a file (http or https)", MaxLength: 2000},
				{Type: discordgo.ApplicationCommandOptionString, Name: optTitle,
					Description: "Its title (default: the file's own title or first heading)", MaxLength: maxTitleOption},
				{Type: discordgo.ApplicationCommandOptionBoolean, Name: optReplace,
					Description: "Replace an uploaded document of the same name (default: keep both)"},
				collection,
			},
			access:  serverAdmins,
			run:     h.kb.add,
			refused: h.kb.addRefused,
		},
		{
			path:        "kb remove",
			description: "Remove a document from this server's knowledge base (asks to confirm)",
			options:     []*discordgo.ApplicationCommandOption{document("Start typing a title and pick the document"), collection},
			access:      serverAdmins,
			run:         h.kb.remove,
			complete:    h.kb.completeRemove,
		},
		{
			path:        "kb restore",
			description: "Show again a base document this server removed",
			options:     []*discordgo.ApplicationCommandOption{document("Start typing the title of a removed document")},
			access:      serverAdmins,
			run:         h.kb.restore,
			complete:    h.kb.completeRestore,
		},
		{
			path:        "kb gaps",
			description: "Questions asked here that the knowledge base could not answer or that were voted down",
			options: []*discordgo.ApplicationCommandOption{
				{Type: discordgo.ApplicationCommandOptionInteger, Name: optDays,
					Description: "How many days back to look (default 30)", MinValue: &minDays, MaxValue: maxDays},
			},
			access: serverAdmins,
			run:    h.kb.gaps,
		},
	}
}

// Commands returns govbot's slash commands as they are registered with
// Discord in one bulk overwrite. Each call returns fresh values.
//
// /kb is visible by default only to members with Manage Server
// (default_member_permissions "32") and only in servers; because server
// admins can change that, the router checks the member's permissions
// again on every use.
func Commands() []*discordgo.ApplicationCommand { return declare(table(handlers{})) }

// declare turns the table into Discord's command objects, grouping
// subcommands under their parent in table order.
func declare(cmds []command) []*discordgo.ApplicationCommand {
	guildOnly := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	anywhere := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	var out []*discordgo.ApplicationCommand
	byName := map[string]*discordgo.ApplicationCommand{}
	for _, c := range cmds {
		name, sub, isSub := strings.Cut(c.path, " ")
		if !isSub {
			out = append(out, &discordgo.ApplicationCommand{Name: name, Description: c.description,
				Contexts: &anywhere, Options: c.options})
			continue
		}
		ac := byName[name]
		if ac == nil {
			p := parents[name]
			ac = &discordgo.ApplicationCommand{Name: name, Description: p.description, Contexts: &anywhere}
			if p.adminsOnly {
				perms, no := int64(discordgo.PermissionManageGuild), false
				ac.DefaultMemberPermissions, ac.DMPermission, ac.Contexts = &perms, &no, &guildOnly
			}
			byName[name] = ac
			out = append(out, ac)
		}
		ac.Options = append(ac.Options, &discordgo.ApplicationCommandOption{
			Type: discordgo.ApplicationCommandOptionSubCommand, Name: sub, Description: c.description, Options: c.options})
	}
	return out
}
