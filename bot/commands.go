package bot

import (
	"github.com/bwmarrin/discordgo"

	"github.com/govbot-dev/govbot/knowledge"
)

// Command and option names, shared by the declarations below and the
// handlers that read them.
const (
	cmdAsk    = "ask"
	cmdSearch = "search"
	cmdSource = "source"
	cmdKB     = "kb"

	subStatus = "status"
	subReload = "reload"
	subAdd    = "add"
	subRemove = "remove"
	subGaps   = "gaps"

	optQuestion = "question"
	optPrivate  = "private"
	optQuery    = "query"
	optDocument = "document"
	optFile     = "file"
	optTitle    = "title"
	optReplace  = "replace"
	optDays     = "days"
)

// Bounds of command options.
const (
	maxTitleOption = 200 // runes of /kb add title:
	defaultGapDays = 30
	maxGapDays     = 365
)

// Commands returns govbot's slash commands as they are registered with
// Discord in one bulk overwrite. Each call returns fresh values.
//
// /kb is visible by default only to members with Manage Server
// (default_member_permissions "32"); because server admins can change
// that, /kb reload, add, remove and gaps check the member's permissions
// again when they run.
func Commands() []*discordgo.ApplicationCommand {
	manageGuild := int64(discordgo.PermissionManageGuild)
	guildOnly := []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	anywhere := []discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM}
	no := false
	maxLen := knowledge.MaxQuestionRunes
	minDays, maxDays := 1.0, float64(maxGapDays)
	return []*discordgo.ApplicationCommand{
		{
			Name:        cmdAsk,
			Description: "Ask a question; get the exact passages of the knowledge base that answer it",
			Contexts:    &anywhere,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        optQuestion,
					Description: "Your question, e.g. what is cyber sovereignty?",
					Required:    true,
					MaxLength:   maxLen,
				},
				{
					Type:        discordgo.ApplicationCommandOptionBoolean,
					Name:        optPrivate,
					Description: "Only you see the answer (default: everyone in the channel)",
				},
			},
		},
		{
			Name:        cmdSearch,
			Description: "Search the knowledge base: ranked passages, compact, paged",
			Contexts:    &anywhere,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionString,
					Name:        optQuery,
					Description: "Words to look for",
					Required:    true,
					MaxLength:   maxLen,
				},
			},
		},
		{
			Name:        cmdSource,
			Description: "Show a document of the knowledge base: who wrote it, when, and its passages",
			Contexts:    &anywhere,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:         discordgo.ApplicationCommandOptionString,
					Name:         optDocument,
					Description:  "Start typing a title and pick the document",
					Required:     true,
					Autocomplete: true,
				},
			},
		},
		{
			Name:                     cmdKB,
			Description:              "Knowledge base administration",
			DefaultMemberPermissions: &manageGuild,
			DMPermission:             &no,
			Contexts:                 &guildOnly,
			Options: []*discordgo.ApplicationCommandOption{
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        subStatus,
					Description: "Documents, passages, index age and the last reload",
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        subReload,
					Description: "Rebuild the index from the knowledge directory; answers continue meanwhile",
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        subAdd,
					Description: "Add a document (.md, .markdown, .txt, .html, .htm) to the knowledge base",
					Options: []*discordgo.ApplicationCommandOption{
						{
							Type:        discordgo.ApplicationCommandOptionAttachment,
							Name:        optFile,
							Description: "The document file",
							Required:    true,
						},
						{
							Type:        discordgo.ApplicationCommandOptionString,
							Name:        optTitle,
							Description: "Its title (default: the file's own title or first heading)",
							MaxLength:   maxTitleOption,
						},
						{
							Type:        discordgo.ApplicationCommandOptionBoolean,
							Name:        optReplace,
							Description: "Replace an uploaded document of the same name (default: keep both)",
						},
					},
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        subRemove,
					Description: "Remove a document from the knowledge base (asks to confirm)",
					Options: []*discordgo.ApplicationCommandOption{
						{
							Type:         discordgo.ApplicationCommandOptionString,
							Name:         optDocument,
							Description:  "Start typing a title and pick the document",
							Required:     true,
							Autocomplete: true,
						},
					},
				},
				{
					Type:        discordgo.ApplicationCommandOptionSubCommand,
					Name:        subGaps,
					Description: "Questions the knowledge base could not answer or that users voted down",
					Options: []*discordgo.ApplicationCommandOption{
						{
							Type:        discordgo.ApplicationCommandOptionInteger,
							Name:        optDays,
							Description: "How many days back to look (default 30)",
							MinValue:    &minDays,
							MaxValue:    maxDays,
						},
					},
				},
			},
		},
	}
}
