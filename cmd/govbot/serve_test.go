package main

import (
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestParseServeConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // substring; "" for success
	}{
		{"token only", map[string]string{"DISCORD_TOKEN": "abc.def"}, ""},
		{"missing token", map[string]string{}, "DISCORD_TOKEN is required"},
		{"bad guild", map[string]string{"DISCORD_TOKEN": "t", "DISCORD_GUILD_ID": "my-server"}, "config: DISCORD_GUILD_ID: \"my-server\" is not a snowflake"},
		{"bad api url", map[string]string{"DISCORD_TOKEN": "t", "DISCORD_API_URL": "discord.com"}, "config: DISCORD_API_URL"},
		{"bad role", map[string]string{"DISCORD_TOKEN": "t", "ADMIN_ROLE_IDS": "1, admins"}, "config: ADMIN_ROLE_IDS"},
		{"bad channel", map[string]string{"DISCORD_TOKEN": "t", "STUDY_CHANNEL_IDS": "#general"}, "config: STUDY_CHANNEL_IDS"},
		{"auto-answer without channels", map[string]string{"DISCORD_TOKEN": "t", "STUDY_AUTO_ANSWER": "true"}, "config: STUDY_AUTO_ANSWER"},
		{"bad bool", map[string]string{"DISCORD_TOKEN": "t", "STUDY_AUTO_ANSWER": "yes please"}, "config: STUDY_AUTO_ANSWER"},
		{"shard id alone", map[string]string{"DISCORD_TOKEN": "t", "SHARD_ID": "0"}, "SHARD_ID and SHARD_COUNT"},
		{"shard out of range", map[string]string{"DISCORD_TOKEN": "t", "SHARD_ID": "2", "SHARD_COUNT": "2"}, "config: SHARD_ID"},
		{"bad rate", map[string]string{"DISCORD_TOKEN": "t", "RATE_LIMIT_PER_MINUTE": "-1"}, "config: RATE_LIMIT_PER_MINUTE"},
		{"bad burst", map[string]string{"DISCORD_TOKEN": "t", "RATE_LIMIT_BURST": "0"}, "config: RATE_LIMIT_BURST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseServeConfig(envOf(tt.env))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("parseServeConfig() = %v; want no error", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("parseServeConfig() = %v; want an error containing %q", err, tt.wantErr)
			}
			if err != nil && tt.env["DISCORD_TOKEN"] != "" && strings.Contains(err.Error(), tt.env["DISCORD_TOKEN"]) && len(tt.env["DISCORD_TOKEN"]) > 2 {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

func TestParseServeConfigValues(t *testing.T) {
	c, err := parseServeConfig(envOf(map[string]string{
		"DISCORD_TOKEN":         "Bot secret",
		"DISCORD_API_URL":       "http://127.0.0.1:9999",
		"DISCORD_GUILD_ID":      "111",
		"ADMIN_ROLE_IDS":        "222, 333",
		"STUDY_CHANNEL_IDS":     "444",
		"STUDY_AUTO_ANSWER":     "true",
		"SHARD_ID":              "1",
		"SHARD_COUNT":           "3",
		"RATE_LIMIT_PER_MINUTE": "2.5",
		"RATE_LIMIT_BURST":      "4",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Token != "secret" || c.APIURL != "http://127.0.0.1:9999" || c.GuildID != "111" ||
		strings.Join(c.AdminRoleIDs, ",") != "222,333" || strings.Join(c.StudyChannelIDs, ",") != "444" ||
		!c.StudyAutoAnswer || c.ShardID != 1 || c.ShardCount != 3 || c.RatePerMinute != 2.5 || c.RateBurst != 4 {
		t.Errorf("parseServeConfig() = %+v", c)
	}
	d, _ := parseServeConfig(envOf(map[string]string{"DISCORD_TOKEN": "t"}))
	if d.RatePerMinute != defaultRatePerMinute || d.RateBurst != defaultRateBurst {
		t.Errorf("defaults: %v per minute, burst %d", d.RatePerMinute, d.RateBurst)
	}
}
