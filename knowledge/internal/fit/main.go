// Command fit fits the engine's ranking weights and abstention model on
// question sets and writes them to knowledge/tuning.json.
//
//	go run ./knowledge/internal/fit -squad ../shared/eval/squad-dev
//
// It reads SQuAD-style questions (all-questions.jsonl: answerable,
// adversarial and out-of-scope questions on the articles in kb/) and the
// team's sets on the embedded corpus (knowledge/testdata/eval/*.jsonl),
// asks the engine once per question for every candidate's features
// (Engine.Explain), and fits offline:
//
//  1. ranking weights by coordinate ascent on hit@1 + hit@3/2 of the
//     answerable questions;
//  2. the abstention model: logistic regression of "answerable" against
//     adversarial and out-of-scope questions on the best candidate's
//     evidence, for each scale of the hand-set answerability bar; its bias
//     is then moved to abstain as much as possible while abstaining on at
//     most -fa of the answerable questions.
//
// Cross-validation: for each SQuAD article, fit on the other articles (and
// the out-of-scope questions of the other folds, and the team's sets) and
// measure the real engine (Ask, with the fold's tuning) on that article's
// questions and its fold of out-of-scope questions. Then fit on all and
// write the result.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/govbot-dev/govbot/knowledge"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fit:", err)
		os.Exit(1)
	}
}

// item is one question of a set.
type item struct {
	ID      string   `json:"id"`
	Q       string   `json:"q"`
	Answers []string `json:"answers"`
	Abstain bool     `json:"abstain"` // team sets: out of scope
	Kind    string   `json:"kind"`    // SQuAD sets: answerable, adversarial, oos
	Article string   `json:"article"`

	fold   string // SQuAD article or "oos-N"; "seed" for the team's sets
	set    string // the team's set (file name), "" for SQuAD
	x      knowledge.Explanation
	label  []bool // per candidate: its excerpt holds a gold answer
	inText []bool // per candidate: its passage holds a gold answer
}

func (it *item) answerable() bool { return it.Kind == "answerable" }

func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("fit", flag.ContinueOnError)
	squad := fs.String("squad", "../shared/eval/squad-dev", "directory with kb/ and all-questions.jsonl")
	team := fs.String("team", "knowledge/testdata/eval", "directory of the team's sets on the embedded corpus")
	out := fs.String("o", "knowledge/tuning.json", "where to write the fitted values")
	fa := fs.Float64("fa", 0.05, "most false abstentions allowed on the fitting questions")
	baseline := fs.Bool("baseline", false, "only measure the hand-set and the shipped tuning per article, fit nothing")
	report := fs.String("report", "", "write an error analysis of the fitted tuning's misses to this file")
	verbose := fs.Bool("v", false, "trace every step of the fits (weights tried, abstention per bar scale) on standard error")
	indexDir := fs.String("index", "", "index directory for the SQuAD kb (default: a temporary one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	start := time.Now()
	var trace io.Writer
	if *verbose {
		trace = os.Stderr
	}
	squadItems, err := readItems(filepath.Join(*squad, "all-questions.jsonl"))
	if err != nil {
		return err
	}
	for i := range squadItems {
		it := &squadItems[i]
		it.fold = it.Article
		if it.Kind == "oos" {
			h := fnv.New32a()
			h.Write([]byte(it.ID))
			it.fold = fmt.Sprintf("oos-%d", h.Sum32()%6)
		}
	}
	var teamItems []item
	files, _ := filepath.Glob(filepath.Join(*team, "*.jsonl"))
	for _, f := range files {
		if strings.Contains(filepath.Base(f), "-unseen") {
			continue // held out: scored once by the tests, never fitted on
		}
		its, err := readItems(f)
		if err != nil {
			return err
		}
		// Only sets of single questions ({"q": ...}); conversations are
		// measured by their own test.
		its = slices.DeleteFunc(its, func(it item) bool { return it.Q == "" })
		for i := range its {
			its[i].fold = "seed"
			its[i].set = filepath.Base(f)
			its[i].Kind = "answerable"
			if its[i].Abstain {
				its[i].Kind = "oos"
			}
		}
		teamItems = append(teamItems, its...)
	}
	base := knowledge.BaseTuning()
	if *indexDir == "" {
		d, err := os.MkdirTemp("", "fit-index-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*indexDir = d
	}
	seedDir, err := os.MkdirTemp("", "fit-seed-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(seedDir)
	squadCfg := knowledge.Config{CorpusDir: filepath.Join(*squad, "kb"), IndexDir: *indexDir}
	seedCfg := knowledge.Config{IndexDir: seedDir}
	if *baseline {
		def := knowledge.DefaultTuning()
		for _, tc := range []struct {
			name string
			t    *knowledge.Tuning
		}{{"hand-set (BaseTuning)", &base}, {"shipped (DefaultTuning)", &def}} {
			fmt.Fprintf(stdout, "\n%s, by article:\n", tc.name)
			by := map[string][]*item{}
			var keys []string
			for i := range squadItems {
				it := &squadItems[i]
				k := it.Article
				if it.Kind == "oos" {
					k = "(out of scope)"
				}
				if by[k] == nil {
					keys = append(keys, k)
				}
				by[k] = append(by[k], it)
			}
			for i := range teamItems {
				if by["(team sets)"] == nil {
					keys = append(keys, "(team sets)")
				}
				by["(team sets)"] = append(by["(team sets)"], &teamItems[i])
			}
			sort.Strings(keys)
			for _, k := range keys {
				cfg := squadCfg
				if k == "(team sets)" {
					cfg = seedCfg
				}
				m, err := measure(ctx, cfg, tc.t, by[k])
				if err != nil {
					return err
				}
				fmt.Fprintf(stdout, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f |\n", k, m.n, m.hit1, m.hit3, m.fa, m.adv, m.oos)
			}
		}
		return nil
	}

	if err := explainAll(ctx, squadCfg, &base, squadItems); err != nil {
		return err
	}
	if err := explainAll(ctx, seedCfg, &base, teamItems); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "features of %d SQuAD and %d team questions in %s\n", len(squadItems), len(teamItems), time.Since(start).Round(time.Millisecond))

	// Cross-validation across articles.
	articles := map[string]bool{}
	for _, it := range squadItems {
		if it.Kind != "oos" {
			articles[it.Article] = true
		}
	}
	var names []string
	for a := range articles {
		names = append(names, a)
	}
	sort.Strings(names)
	fmt.Fprintf(stdout, "\ncross-validation (fit on the other articles, measured by the engine on this one):\n")
	fmt.Fprintf(stdout, "| held-out article | answerable | hit@1 | hit@3 | false abstain | adversarial abstain | out-of-scope abstain |\n|---|---|---|---|---|---|---|\n")
	var sum [5]float64
	var folds []string
	for k, held := range names {
		oosFold := fmt.Sprintf("oos-%d", k)
		var train, test []*item
		for i := range squadItems {
			it := &squadItems[i]
			if it.fold == held || it.fold == oosFold {
				test = append(test, it)
			} else {
				train = append(train, it)
			}
		}
		for i := range teamItems {
			train = append(train, &teamItems[i])
		}
		t := fitAll(base, train, *fa, trace)
		m, err := measure(ctx, squadCfg, &t, test)
		if err != nil {
			return err
		}
		line := fmt.Sprintf("| %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f |", held, m.n, m.hit1, m.hit3, m.fa, m.adv, m.oos)
		folds = append(folds, line)
		fmt.Fprintln(stdout, line)
		for i, v := range []float64{m.hit1, m.hit3, m.fa, m.adv, m.oos} {
			sum[i] += v / float64(len(names))
		}
	}
	mean := fmt.Sprintf("| mean of folds | | %.3f | %.3f | %.3f | %.3f | %.3f |", sum[0], sum[1], sum[2], sum[3], sum[4])
	fmt.Fprintln(stdout, mean)

	// The shipped values: fitted on everything.
	var all []*item
	for i := range squadItems {
		all = append(all, &squadItems[i])
	}
	for i := range teamItems {
		all = append(all, &teamItems[i])
	}
	t := fitAll(base, all, *fa, trace)
	if *report != "" {
		if err := analyse(*report, &t, all); err != nil {
			return err
		}
	}
	if err := write(*out, base, t, append(folds, mean)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "\nwrote %s in %s\n", *out, time.Since(start).Round(time.Millisecond))
	return nil
}

func readItems(path string) ([]item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []item
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var it item
		if err := json.Unmarshal(sc.Bytes(), &it); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, it)
	}
	return out, sc.Err()
}

// explainAll computes every item's candidates and labels.
func explainAll(ctx context.Context, cfg knowledge.Config, t *knowledge.Tuning, items []item) error {
	cfg.Tuning = t
	eng, _, err := knowledge.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer eng.Close()
	const workers = 2
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < len(items); i += workers {
				explainOne(ctx, eng, &items[i])
			}
		}()
	}
	wg.Wait()
	return nil
}

func explainOne(ctx context.Context, eng *knowledge.Engine, it *item) {
	{
		x, err := eng.Explain(ctx, it.Q)
		if err != nil {
			return // unusable question: no candidates, abstains
		}
		it.x = x
		it.label = make([]bool, len(x.Candidates))
		it.inText = make([]bool, len(x.Candidates))
		for j, c := range x.Candidates {
			it.label[j] = holds(c.Excerpt, it.Answers)
			it.inText[j] = strings.Contains(norm(c.Text), norm(firstNonEmpty(it.Answers)))
			it.x.Candidates[j].Text = ""
		}
	}
}

func firstNonEmpty(xs []string) string {
	for _, x := range xs {
		if x != "" {
			return x
		}
	}
	return "\x00"
}

var emphasis = regexp.MustCompile("[*_`~]")
var spaces = regexp.MustCompile(`\s+`)

// norm is score.py's: case, quotes, emphasis and spacing ignored.
func norm(s string) string {
	s = strings.ToLower(s)
	s = strings.NewReplacer("\u2019", "'", "\u2018", "'", "\u201c", `"`, "\u201d", `"`).Replace(s)
	s = emphasis.ReplaceAllString(s, "")
	return strings.TrimSpace(spaces.ReplaceAllString(s, " "))
}

func holds(excerpt string, answers []string) bool {
	if len([]rune(excerpt)) > knowledge.MaxExcerptRunes {
		return false
	}
	ex := norm(excerpt)
	for _, a := range answers {
		if a != "" && strings.Contains(ex, norm(a)) {
			return true
		}
	}
	return false
}

// fitAll fits the ranking weights, then the abstention model.
func fitAll(base knowledge.Tuning, train []*item, fa float64, trace io.Writer) knowledge.Tuning {
	t := fitRanking(base, train, trace)
	t = fitAbstention(t, train, fa, trace)
	return fitTranslated(base, t, train, trace)
}

// translatedScales are tried largest first for Tuning.AbstainTranslated.
var translatedScales = []float64{1, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5}

// fitTranslated fits the bar's scale for questions read through the
// Chinese dictionary (only the team's Chinese set has them): the lowest
// scale that abstains least on its answerable questions while abstaining
// on every out-of-scope one it abstained on at scale 1. The items'
// explanations were made with base, whose AbstainTranslated is 1.
func fitTranslated(base, t knowledge.Tuning, items []*item, trace io.Writer) knowledge.Tuning {
	var tr []*item
	for _, it := range items {
		if it.x.Translated {
			tr = append(tr, it)
		}
	}
	if len(tr) == 0 {
		return t
	}
	global := t.AbstainBelow / base.AbstainBelow // fitAbstention's scale of the bar
	count := func(s float64) (answered, oos int) {
		for _, it := range tr {
			x := it.x
			x.Bar *= global * s
			if !x.Answers(&t, x.Order(&t)) {
				if !it.answerable() {
					oos++
				}
				continue
			}
			if it.answerable() {
				answered++
			}
		}
		return answered, oos
	}
	bestS := 1.0
	bestAnswered, floorOOS := count(1)
	for _, s := range translatedScales[1:] {
		answered, oos := count(s)
		if trace != nil {
			fmt.Fprintf(trace, "translated scale %.2f: answered %d of the answerable, abstained on %d out of scope (floor %d)\n", s, answered, oos, floorOOS)
		}
		if oos < floorOOS {
			break
		}
		if answered > bestAnswered {
			bestS, bestAnswered = s, answered
		}
	}
	t.AbstainTranslated = bestS
	return t
}

// rankParams are the fitted ranking weights.
var rankParams = []struct {
	name string
	get  func(*knowledge.Tuning) *float64
}{
	{"RankCoverage", func(t *knowledge.Tuning) *float64 { return &t.RankCoverage }},
	{"RankWindow", func(t *knowledge.Tuning) *float64 { return &t.RankWindow }},
	{"RankSentence", func(t *knowledge.Tuning) *float64 { return &t.RankSentence }},
	{"RankSentenceKeys", func(t *knowledge.Tuning) *float64 { return &t.RankSentenceKeys }},
	{"RankTerms", func(t *knowledge.Tuning) *float64 { return &t.RankTerms }},
	{"RankBM25", func(t *knowledge.Tuning) *float64 { return &t.RankBM25 }},
	{"RankProximity", func(t *knowledge.Tuning) *float64 { return &t.RankProximity }},
	{"RankDocument", func(t *knowledge.Tuning) *float64 { return &t.RankDocument }},
	{"RankKeys", func(t *knowledge.Tuning) *float64 { return &t.RankKeys }},
	{"CueBonus", func(t *knowledge.Tuning) *float64 { return &t.CueBonus }},
}

var rankGrid = []float64{0, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.8}

// rankObjective is hit@1 + hit@3/2 over the answerable items, each
// article weighing as much as the team's sets together (so neither the
// largest article nor the small seed corpus dominates).
func rankObjective(t *knowledge.Tuning, items []*item) float64 {
	all, _ := rankObjectives(t, items)
	return all
}

// setScore is what a team set must not lose: hits at 1 and within 3,
// out-of-scope questions abstained on, answerable ones not abstained on.
type setScore struct{ hit1, hit3, oos, answered int }

// seedHits scores each team set under t (simulated from the features).
func seedHits(t *knowledge.Tuning, items []*item) map[string]setScore {
	out := map[string]setScore{}
	for _, it := range items {
		if it.set == "" {
			continue
		}
		sc := out[it.set]
		order := it.x.Order(t)
		answers := it.x.Answers(t, order)
		switch {
		case !it.answerable():
			if !answers {
				sc.oos++
			}
		case answers:
			sc.answered++
			for r, i := range order {
				if r == 3 {
					break
				}
				if it.label[i] {
					if r == 0 {
						sc.hit1++
					}
					sc.hit3++
					break
				}
			}
		}
		out[it.set] = sc
	}
	return out
}

// noWorse reports whether every team set scores at least as in floor.
func noWorse(got, floor map[string]setScore) bool {
	for set, f := range floor {
		g := got[set]
		if g.hit1 < f.hit1 || g.hit3 < f.hit3 || g.oos < f.oos || g.answered < f.answered {
			return false
		}
	}
	return true
}

// rankObjectives is rankObjective, and the same on the team's sets alone.
func rankObjectives(t *knowledge.Tuning, items []*item) (float64, float64) {
	type acc struct{ v, n float64 }
	by := map[string]*acc{}
	for _, it := range items {
		if !it.answerable() {
			continue
		}
		a := by[it.fold]
		if a == nil {
			a = &acc{}
			by[it.fold] = a
		}
		a.n++
		if len(it.x.Candidates) == 0 {
			continue
		}
		order := it.x.Order(t)
		for r, i := range order {
			if r == 3 {
				break
			}
			if it.label[i] {
				if r == 0 {
					a.v++
				}
				a.v += 0.5
				break
			}
		}
	}
	folds := make([]string, 0, len(by))
	for f := range by {
		folds = append(folds, f)
	}
	sort.Strings(folds) // a fixed order of sums: the same fit every run
	s, seed := 0.0, 0.0
	for _, f := range folds {
		s += by[f].v / by[f].n
	}
	if a := by["seed"]; a != nil {
		seed = a.v / a.n
	}
	return s / float64(max(len(by), 1)), seed
}

// fitRanking fits the ranking weights; the team's sets, on which the
// hand-set weights were shaped, may not score lower than with those.
func fitRanking(t knowledge.Tuning, items []*item, trace io.Writer) knowledge.Tuning {
	best, seedFloor := rankObjectives(&t, items)
	setFloor := seedHits(&t, items)
	for round := 0; round < 3; round++ {
		improved := false
		for _, p := range rankParams {
			cur := *p.get(&t)
			bestV := cur
			for _, v := range rankGrid {
				*p.get(&t) = v
				o, seed := rankObjectives(&t, items)
				ok := seed >= seedFloor-1e-9 && noWorse(seedHits(&t, items), setFloor)
				if trace != nil {
					fmt.Fprintf(trace, "round %d %s=%.3f objective %.4f (best %.4f) seed %.3f ok=%v\n", round, p.name, v, o, best, seed, ok)
				}
				if o > best+1e-9 && ok {
					best, bestV, improved = o, v, true
				}
			}
			*p.get(&t) = bestV
		}
		if !improved {
			break
		}
	}
	return t
}

// example is one question's evidence for the abstention model.
type example struct {
	x      []float64
	y      bool   // answerable
	oos    bool   // out of scope (else adversarial, when not answerable)
	seed   bool   // a question of the team's sets, on the seed corpus
	set    string // which of them
	passes bool   // the hand-set bar and unknown-words rule let it answer
}

// barScales are tried largest first: the hand-set bar (scale 1) sets the
// floor of abstention on the team's out-of-scope questions that a lower
// bar must keep.
var barScales = []float64{1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.6}

// unknownShares are tried for Tuning.AbstainUnknown, the hand-set value
// (0.5) first: the share of a question's weight in words the corpus lacks
// at which it is about something else.
var unknownShares = []float64{0.5, 0.45, 0.4, 0.35, 0.3}

// seedCounts are, per team set, abstentions on out-of-scope questions
// and on answerable ones.
type seedCounts struct{ oos, fa map[string]int }

func seedAbstentions(m knowledge.AbstainModel, ex []example) seedCounts {
	c := seedCounts{oos: map[string]int{}, fa: map[string]int{}}
	for _, e := range ex {
		if !e.seed || (e.passes && m.Answers(e.x)) {
			continue
		}
		if e.y {
			c.fa[e.set]++
		} else {
			c.oos[e.set]++
		}
	}
	return c
}

// noWorse: the team sets together abstain no more often on answerable
// questions than with floor, and each abstains out of scope at least as
// often as with floor.
func (c seedCounts) noWorse(floor seedCounts) bool {
	for set, n := range floor.oos {
		if c.oos[set] < n {
			return false
		}
	}
	// False abstentions: no more in all team sets together, and at most
	// one more in any one of them (a trade between sets is allowed, a
	// loss overall is not).
	total, floorTotal := 0, 0
	for set, n := range c.fa {
		total += n
		if n > floor.fa[set]+1 {
			return false
		}
	}
	for _, n := range floor.fa {
		floorTotal += n
	}
	return total <= floorTotal
}

// fitAbstention fits the bar's scale and the abstention model: for each
// scale, logistic regression on the questions the bar lets through, then
// the bias that abstains most while keeping false abstentions (bar and
// model together) at most fa; the scale with the most abstentions on
// adversarial and out-of-scope questions wins, provided no team set
// abstains less out of scope or more on answerable questions than with
// the hand-set bar.
func fitAbstention(t knowledge.Tuning, items []*item, fa float64, trace io.Writer) knowledge.Tuning {
	bestT, bestObj := t, -1.0
	var seedFloor seedCounts // the hand-set bar's abstentions on the team's sets
	for _, s := range barScales {
		for _, u := range unknownShares {
			c := t
			c.AbstainBelow, c.AbstainFloor = t.AbstainBelow*s, t.AbstainFloor*s
			c.AbstainUnknown = u
			c.Abstain = knowledge.AbstainModel{}
			var ex []example
			for _, it := range items {
				x := it.x
				x.Bar *= s
				order := x.Order(&c)
				e := example{y: it.answerable(), oos: it.Kind == "oos", seed: it.fold == "seed", set: it.set, passes: x.Answers(&c, order)}
				if len(order) > 0 {
					e.x = x.Evidence(&c, order)
				}
				ex = append(ex, e)
			}
			if s == 1 && u == t.AbstainUnknown {
				seedFloor = seedAbstentions(knowledge.AbstainModel{}, ex)
			}
			m := logistic(ex)
			m.Bias = calibrate(m, ex, fa)
			c.Abstain = m
			obj := abstainObjective(m, ex)
			ok := seedAbstentions(m, ex).noWorse(seedFloor)
			if trace != nil {
				bar := abstainObjective(knowledge.AbstainModel{}, ex)
				fmt.Fprintf(trace, "abstain scale %.2f unknown %.2f: bar alone fa %.3f neg %.3f; with model fa %.3f neg %.3f team sets ok %v\n", s, u, bar.fa, bar.neg, obj.fa, obj.neg, ok)
			}
			if obj.fa <= fa+1e-9 && obj.neg > bestObj && ok {
				bestT, bestObj = c, obj.neg
			}
		}
	}
	return bestT
}

type abstainRates struct{ fa, neg float64 }

// abstainObjective: false-abstain rate on answerable questions, and the
// abstain rate on the others: out-of-scope questions count twice as much
// as adversarial ones (the goals ask 0.95 and 0.30 of them).
func abstainObjective(m knowledge.AbstainModel, ex []example) abstainRates {
	var pos, fa float64
	var n, ab [2]float64 // adversarial, out of scope
	for _, e := range ex {
		answers := e.passes && m.Answers(e.x)
		if e.y {
			pos++
			if !answers {
				fa++
			}
			continue
		}
		k := 0
		if e.oos {
			k = 1
		}
		n[k]++
		if !answers {
			ab[k]++
		}
	}
	return abstainRates{fa / math.Max(pos, 1), (ab[0]/math.Max(n[0], 1) + 2*ab[1]/math.Max(n[1], 1)) / 3}
}

// seedWeight: a team-set question weighs this many SQuAD questions in the
// abstention model (there are 277 of them against about 2,800).
const seedWeight = 10

// abstainSigns is which way each feature may push the decision: +1 only
// towards answering, -1 only towards abstaining. More coverage, key terms,
// document evidence, an answer cue or a lead can never argue for
// abstaining, nor can words missing from the corpus or the passage argue
// for answering. Without these bounds the regression gives collinear
// features weights of the wrong sign (document evidence -0.9, unknown
// words +0.5 on all folds), which fit the folds and fail on new questions
// (an out-of-scope question about a word the corpus lacks answered).
var abstainSigns = map[string]float64{
	"answerability": 1, "margin": 1, "keys": 1, "document": 1, "unknown": -1,
	"missing_rare": -1, "cue": 1, "lead": 1, "sentence": 1, "sentence_keys": 1,
}

// logistic fits weights by gradient descent (L2, classes balanced, signs
// bounded by abstainSigns) on the examples that pass the bar.
func logistic(ex []example) knowledge.AbstainModel {
	d := len(knowledge.AbstainFeatureNames)
	w := make([]float64, d)
	b := 0.0
	// Classes balanced; among the negatives, out-of-scope questions weigh
	// twice as much as adversarial ones.
	var npos, nadv, noos float64
	for _, e := range ex {
		switch {
		case !e.passes:
		case e.y:
			npos++
		case e.oos:
			noos++
		default:
			nadv++
		}
	}
	if npos == 0 || nadv+noos == 0 {
		return knowledge.AbstainModel{}
	}
	const lr, l2 = 0.5, 1e-3
	for iter := 0; iter < 600; iter++ {
		gw := make([]float64, d)
		gb := 0.0
		for _, e := range ex {
			if !e.passes {
				continue
			}
			z := b
			for i := range w {
				z += w[i] * e.x[i]
			}
			p := 1 / (1 + math.Exp(-z))
			y, cw := 0.0, 0.0
			switch {
			case e.y:
				y, cw = 1, 0.5/npos
			case e.oos:
				cw = (1.0 / 3) / math.Max(noos, 1)
			default:
				cw = (0.5 / 3) / math.Max(nadv, 1)
			}
			if e.seed {
				cw *= seedWeight
			}
			g := (p - y) * cw
			for i := range w {
				gw[i] += g * e.x[i]
			}
			gb += g
		}
		for i := range w {
			w[i] -= lr * (gw[i] + l2*w[i])
			if s := abstainSigns[knowledge.AbstainFeatureNames[i]]; s*w[i] < 0 {
				w[i] = 0
			}
		}
		b -= lr * gb
	}
	return knowledge.AbstainModel{Bias: b, Weights: w}
}

// calibrate returns the largest bias at which the model abstains on at
// most fa of the answerable examples (the bar's abstentions count too).
func calibrate(m knowledge.AbstainModel, ex []example, fa float64) float64 {
	var pos, barFA float64
	var scores []float64 // logits without bias of answerable examples the bar lets through
	for _, e := range ex {
		if !e.y {
			continue
		}
		pos++
		if !e.passes {
			barFA++
			continue
		}
		scores = append(scores, m.Logit(e.x)-m.Bias)
	}
	allowed := int(math.Floor(fa*pos - barFA))
	if allowed < 0 || len(scores) == 0 {
		return 1e6 // the model never abstains: the bar alone already uses the allowance
	}
	sort.Float64s(scores)
	if allowed >= len(scores) {
		allowed = len(scores) - 1
	}
	// Abstain on the `allowed` lowest: bias so that scores[allowed] answers.
	return -scores[allowed]
}

// measure asks the engine, with tuning t, every test question, scoring as
// extscore.py.
type metrics struct {
	n                        int
	hit1, hit3, fa, adv, oos float64
}

func measure(ctx context.Context, cfg knowledge.Config, t *knowledge.Tuning, items []*item) (metrics, error) {
	cfg.Tuning = t
	eng, _, err := knowledge.Open(ctx, cfg)
	if err != nil {
		return metrics{}, err
	}
	defer eng.Close()
	var m metrics
	var nadv, noos float64
	for _, it := range items {
		ans, err := eng.Ask(ctx, it.Q, knowledge.AskOptions{})
		abst := err != nil || ans.Abstained
		switch it.Kind {
		case "adversarial":
			nadv++
			if abst {
				m.adv++
			}
		case "oos":
			noos++
			if abst {
				m.oos++
			}
		default:
			m.n++
			if abst {
				m.fa++
			}
			for r, c := range ans.Citations {
				if holds(c.Excerpt, it.Answers) {
					if r == 0 {
						m.hit1++
					}
					m.hit3++
					break
				}
			}
		}
	}
	n := math.Max(float64(m.n), 1)
	m.hit1, m.hit3, m.fa = m.hit1/n, m.hit3/n, m.fa/n
	m.adv /= math.Max(nadv, 1)
	m.oos /= math.Max(noos, 1)
	return m, nil
}

// write stores the fitted fields that differ from base, with provenance.
func write(path string, base, t knowledge.Tuning, folds []string) error {
	out := map[string]any{
		"_comment":          "Fitted by `go run ./knowledge/internal/fit` (see README, Measuring answer quality); do not edit by hand.",
		"_fitted_on":        "SQuAD 2.0 squad-dev all-questions.jsonl (6 articles, answerable + adversarial + out-of-scope) and knowledge/testdata/eval/*.jsonl on the embedded corpus (not the held-out *-unseen sets)",
		"_folds":            folds,
		"AbstainBelow":      t.AbstainBelow,
		"AbstainFloor":      t.AbstainFloor,
		"AbstainTranslated": t.AbstainTranslated,
		"AbstainUnknown":    t.AbstainUnknown,
		"Abstain":           t.Abstain,
	}
	for _, p := range rankParams {
		out[p.name] = *p.get(&t)
	}
	_ = base
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// analyse writes the misses of tuning t by kind, with counts, and every
// miss with its evidence.
func analyse(path string, t *knowledge.Tuning, items []*item) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	counts := map[string]int{}
	var lines []string
	for _, it := range items {
		x := it.x
		order := x.Order(t)
		ans := x.Answers(t, order)
		var kind string
		switch {
		case it.Kind != "answerable":
			if ans {
				kind = it.Kind + " answered"
			}
		case len(order) == 0:
			kind = "answerable: no candidate"
		case it.label[order[0]] && !ans:
			kind = "answerable: right passage on top, abstained"
		case it.label[order[0]]:
		case !ans:
			kind = "answerable: wrong top, abstained"
		default:
			anyLabel, anyText, sameDoc := false, false, false
			for j := range it.label {
				anyLabel = anyLabel || it.label[j]
				anyText = anyText || it.inText[j]
				if it.inText[j] && x.Candidates[j].Doc == x.Candidates[order[0]].Doc {
					sameDoc = true
				}
			}
			switch {
			case !anyText:
				kind = "answerable: answer in no candidate"
			case !anyLabel:
				kind = "answerable: excerpt misses the answer"
			case !sameDoc:
				kind = "answerable: wrong article on top"
			default:
				kind = "answerable: wrong passage of the right article on top"
			}
		}
		if kind == "" {
			continue
		}
		counts[it.fold+"|"+kind]++
		counts["all|"+kind]++
		ev := ""
		if len(order) > 0 {
			for i, v := range x.Evidence(t, order) {
				ev += fmt.Sprintf(" %s=%.2f", knowledge.AbstainFeatureNames[i], v)
			}
			ev += " top=" + x.Candidates[order[0]].Passage
		}
		lines = append(lines, fmt.Sprintf("%s\t%s\t%s\t%q\t%v\t%s", kind, it.fold, it.ID, it.Q, it.Answers, ev))
	}
	var keys []string
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(f, "%5d %s\n", counts[k], k)
	}
	sort.Strings(lines)
	for _, l := range lines {
		fmt.Fprintln(f, l)
	}
	return nil
}
