package ftsq

import "testing"

func TestQuery(t *testing.T) {
	for _, tc := range []struct{ name, q, want string }{
		{"stop words dropped", "What was the Wuzhen Declaration?", `"wuzhen" OR "declaration"`},
		{"repeats once", "sovereignty, Sovereignty and SOVEREIGNTY", `"sovereignty"`},
		{"apostrophes kept inside words", "Who is China's 'cyber czar'?", `"china's" OR "cyber" OR "czar"`},
		{"nothing left", "what is the?", ""},
		{"quotes cannot escape", `he said "drop table"`, `"said" OR "drop" OR "table"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Query(tc.q); got != tc.want {
				t.Errorf("Query(%q) = %q; want %q", tc.q, got, tc.want)
			}
		})
	}
}
