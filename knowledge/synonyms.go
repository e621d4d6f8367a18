package knowledge

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

// SynonymsFile is the name of the admins' synonyms and acronyms list in a
// corpus directory. It is YAML: a list of groups, each a list of words or
// phrases that mean the same thing ("- [WIC, World Internet Conference]").
const SynonymsFile = "synonyms.yaml"

// maxSynonymGroups bounds an admin's list so a mistake cannot slow every question.
const maxSynonymGroups = 5000

// parseSynonyms reads a synonyms list. Groups with fewer than two members
// are ignored; members are trimmed; an empty document is an empty list.
func parseSynonyms(data []byte) ([][]string, error) {
	var raw [][]string
	if err := yaml.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("synonyms: want a list of lists of words, e.g. \"- [WIC, World Internet Conference]\": %w", err)
	}
	if len(raw) > maxSynonymGroups {
		return nil, fmt.Errorf("synonyms: %d groups, at most %d", len(raw), maxSynonymGroups)
	}
	var out [][]string
	for _, g := range raw {
		var members []string
		seen := map[string]bool{}
		for _, m := range g {
			m = strings.TrimSpace(m)
			k := strings.ToLower(m)
			if m == "" || seen[k] || len(m) > 200 {
				continue
			}
			seen[k] = true
			members = append(members, m)
		}
		if len(members) >= 2 {
			out = append(out, members)
		}
	}
	return out, nil
}
