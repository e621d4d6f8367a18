package knowledge

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseSynonyms(t *testing.T) {
	tests := []struct {
		name, in string
		want     [][]string
		wantErr  string
	}{
		{"flow lists", "- [WIC, World Internet Conference]\n- [cyber sovereignty, internet sovereignty]\n",
			[][]string{{"WIC", "World Internet Conference"}, {"cyber sovereignty", "internet sovereignty"}}, ""},
		{"block lists", "- - MSM\n  - multistakeholder model\n",
			[][]string{{"MSM", "multistakeholder model"}}, ""},
		{"empty file", "", nil, ""},
		{"a group of one is dropped: it groups nothing", "- [alone]\n- [a, b]\n", [][]string{{"a", "b"}}, ""},
		{"duplicates differing in case and blanks are dropped", "- [WIC, ' wic ', '', World Internet Conference]\n",
			[][]string{{"WIC", "World Internet Conference"}}, ""},
		{"a member over 200 bytes is dropped", "- [short, " + strings.Repeat("x", 201) + "]\n", nil, ""},
		{"not a list of lists", "WIC: World Internet Conference\n", nil, "want a list of lists of words"},
		{"broken YAML", "- [WIC, World Internet Conference\n", nil, "want a list of lists of words"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseSynonyms([]byte(tt.in))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one saying %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseSynonymsTooManyGroups(t *testing.T) {
	var b strings.Builder
	for i := 0; i <= maxSynonymGroups; i++ {
		b.WriteString("- [a, b]\n")
	}
	if _, err := parseSynonyms([]byte(b.String())); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("error = %v, want the limit named", err)
	}
}

// FuzzParseSynonyms: an admin's synonyms file never panics the parser, and
// what it accepts is groups of at least two distinct, non-empty members.
func FuzzParseSynonyms(f *testing.F) {
	f.Add([]byte("- [WIC, World Internet Conference]\n"))
	f.Add([]byte("- - a\n  - b\n- [c, C, d]\n"))
	f.Add([]byte("a: &x [1, 2]\nb: *x\n"))
	f.Add([]byte("- [\"\\u0000\", '']\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		groups, err := parseSynonyms(data)
		if err != nil {
			if groups != nil {
				t.Fatalf("groups %q with error %v", groups, err)
			}
			if !strings.HasPrefix(err.Error(), "synonyms: ") {
				t.Fatalf("error %q does not say it is the synonyms list", err)
			}
			return
		}
		if len(groups) > maxSynonymGroups {
			t.Fatalf("%d groups", len(groups))
		}
		for _, g := range groups {
			if len(g) < 2 {
				t.Fatalf("group %q has fewer than two members", g)
			}
			seen := map[string]bool{}
			for _, m := range g {
				if m == "" || m != strings.TrimSpace(m) || len(m) > 200 || seen[strings.ToLower(m)] {
					t.Fatalf("member %q of %q", m, g)
				}
				seen[strings.ToLower(m)] = true
			}
		}
	})
}
