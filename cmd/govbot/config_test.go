package main

import (
	"fmt"
	"strings"
	"testing"
)

// configNames are the variables parseConfig reads.
var configNames = []string{
	"KNOWLEDGE_DIR", "INDEX_DIR", "DATA_DIR", "MAX_FILE_SIZE", "LOG_LEVEL", "LOG_FORMAT", "METRICS_ADDR",
	"DISCORD_API_URL", "DISCORD_GUILD_ID", "ADMIN_ROLE_IDS", "OPERATOR_USER_IDS", "STUDY_CHANNEL_IDS",
	"STUDY_AUTO_ANSWER", "SHARD_ID", "SHARD_COUNT", "RATE_LIMIT_PER_MINUTE", "RATE_LIMIT_BURST", "UPLOAD_MAX_SIZE",
	"MESSAGE_CONTENT", "STUDY_THREADS", "FEEDBACK_RETENTION_DAYS", "CORPUS_CHECK",
}

// FuzzParseConfig: whatever the operator's environment holds, parsing it
// never panics, and neither an error nor the parsed configuration as
// printed (%+v) shows the Discord token.
func FuzzParseConfig(f *testing.F) {
	f.Add("info", "json", "123456789012345678", "1k", "0", "2", "10", "https://discord.example/api")
	f.Add("", "", "", "", "", "", "", "")
	f.Add("LOUD", "xml", "12a", "-5", "3", "2", "-1", "ftp://x")
	f.Add("debug", "text", "1,2,,3", "9999999999999999999999", "1", "1", "0", "http://[::1]:0/")
	const token = "TOKEN-3f9c2e7d1a-never-shown"
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g, h, i string) {
		vals := []string{a, b, c, d, e, g, h, i}
		env := map[string]string{"HOME": "/home/govbot", "DISCORD_TOKEN": token}
		for k, name := range configNames {
			env[name] = vals[k%len(vals)]
		}
		for _, v := range vals {
			if strings.Contains(v, token[:8]) {
				return // the input itself carries the token
			}
		}
		cfg, err := parseConfig(envOf(env))
		if err != nil {
			if strings.Contains(err.Error(), token) {
				t.Fatalf("error shows the token: %v", err)
			}
			return
		}
		if s := fmt.Sprintf("%+v %v", cfg, cfg); strings.Contains(s, token) {
			t.Fatalf("the printed configuration shows the token")
		}
	})
}
