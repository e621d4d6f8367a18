package discordtest

import (
	"encoding/json"
	"net/http"

	"github.com/bwmarrin/discordgo"
)

// Commands returns copies of the registered commands of a guild ("" for
// the global ones), in registration order; empty when none.
func (s *Server) Commands(guildID string) []*discordgo.ApplicationCommand {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := []*discordgo.ApplicationCommand{}
	for _, c := range s.commands[guildID] {
		out = append(out, cloneCommand(c))
	}
	return out
}

func cloneCommand(c *discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
	b, err := json.Marshal(c)
	if err != nil {
		panic("discordtest: encode command: " + err.Error())
	}
	var out discordgo.ApplicationCommand
	if err := json.Unmarshal(b, &out); err != nil {
		panic("discordtest: decode command: " + err.Error())
	}
	return &out
}

func commandType(c *discordgo.ApplicationCommand) discordgo.ApplicationCommandType {
	if c.Type == 0 {
		return discordgo.ChatApplicationCommand
	}
	return c.Type
}

// findCommandLocked finds a chat command by name as members of guild see
// it: the guild's commands first, then the global ones.
func (s *Server) findCommandLocked(name, guild string) *discordgo.ApplicationCommand {
	for _, scope := range []string{guild, ""} {
		for _, c := range s.commands[scope] {
			if c.Name == name && commandType(c) == discordgo.ChatApplicationCommand {
				return c
			}
		}
	}
	return nil
}

// scope checks the application and guild of a commands route and returns
// the guild ID ("" for global); ok false means it has answered.
func (s *Server) scope(c *call) (guildID string, ok bool) {
	if c.param("application_id") != s.opts.AppID {
		c.fail(http.StatusForbidden, codeMissingAccess, "Missing Access")
		return "", false
	}
	g := c.param("guild_id")
	if g != "" && !s.isGuild(g) {
		c.fail(http.StatusForbidden, codeMissingAccess, "Missing Access")
		return "", false
	}
	return g, true
}

// registerLocked completes a validated command for storage, keeping the ID
// of a registered command with the same name and type.
func (s *Server) registerLocked(guildID string, cmd *discordgo.ApplicationCommand, old []*discordgo.ApplicationCommand) *discordgo.ApplicationCommand {
	c := cloneCommand(cmd)
	c.Type = commandType(c)
	c.ID = s.newID()
	for _, o := range old {
		if o.Name == c.Name && commandType(o) == c.Type {
			c.ID = o.ID
		}
	}
	c.ApplicationID, c.GuildID, c.Version = s.opts.AppID, guildID, s.newID()
	return c
}

func (s *Server) handleCommandsList(c *call) {
	guildID, ok := s.scope(c)
	if ok {
		c.reply(http.StatusOK, s.Commands(guildID))
	}
}

func (s *Server) handleCommandsOverwrite(c *call) {
	guildID, ok := s.scope(c)
	if !ok {
		return
	}
	var cmds []*discordgo.ApplicationCommand
	err := json.Unmarshal(c.body, &cmds)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil {
		c.payloadErrorLocked(err)
		return
	}
	if errs := validateCommands(cmds); len(errs) > 0 {
		c.formFailLocked("", errs)
		return
	}
	old := s.commands[guildID]
	next := make([]*discordgo.ApplicationCommand, 0, len(cmds))
	for _, cmd := range cmds {
		next = append(next, s.registerLocked(guildID, cmd, old))
	}
	s.commands[guildID] = next
	s.notifyLocked()
	c.reply(http.StatusOK, next)
}

func (s *Server) handleCommandCreate(c *call) {
	guildID, ok := s.scope(c)
	if !ok {
		return
	}
	var cmd *discordgo.ApplicationCommand
	err := json.Unmarshal(c.body, &cmd)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil || cmd == nil {
		c.payloadErrorLocked(err)
		return
	}
	if errs := validateCommand("", cmd); len(errs) > 0 {
		c.formFailLocked("", errs)
		return
	}
	old := s.commands[guildID]
	reg := s.registerLocked(guildID, cmd, old)
	status := http.StatusCreated
	for i, o := range old {
		if o.ID == reg.ID {
			old[i], status = reg, http.StatusOK
		}
	}
	if status == http.StatusCreated {
		s.commands[guildID] = append(old, reg)
	}
	s.notifyLocked()
	c.reply(status, reg)
}

// commandIndexLocked finds {command_id}; -1 means it has answered 404.
func (s *Server) commandIndexLocked(c *call, guildID string) int {
	for i, o := range s.commands[guildID] {
		if o.ID == c.param("command_id") {
			return i
		}
	}
	c.fail(http.StatusNotFound, codeUnknownCommand, "Unknown application command")
	return -1
}

func (s *Server) handleCommandGet(c *call) {
	guildID, ok := s.scope(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.commandIndexLocked(c, guildID); i >= 0 {
		c.reply(http.StatusOK, s.commands[guildID][i])
	}
}

func (s *Server) handleCommandEdit(c *call) {
	guildID, ok := s.scope(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	i := s.commandIndexLocked(c, guildID)
	if i < 0 {
		return
	}
	edited := cloneCommand(s.commands[guildID][i])
	if err := json.Unmarshal(c.body, edited); err != nil {
		c.payloadErrorLocked(err)
		return
	}
	if errs := validateCommand("", edited); len(errs) > 0 {
		c.formFailLocked("", errs)
		return
	}
	edited.Version = s.newID()
	s.commands[guildID][i] = edited
	s.notifyLocked()
	c.reply(http.StatusOK, edited)
}

func (s *Server) handleCommandDelete(c *call) {
	guildID, ok := s.scope(c)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if i := s.commandIndexLocked(c, guildID); i >= 0 {
		cmds := s.commands[guildID]
		s.commands[guildID] = append(cmds[:i:i], cmds[i+1:]...)
		s.notifyLocked()
		c.reply(http.StatusNoContent, nil)
	}
}
