package knowledge

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"reflect"
)

// Tuning holds every weight, threshold and limit of question parsing,
// ranking, abstention and excerpt selection: the one place to change how
// the engine behaves. DefaultTuning returns the shipped values; a Config
// may carry its own (tests, the fitting tool).
//
// Fields marked "fitted" are overwritten by tuning.json, which the fitting
// tool writes (go run ./knowledge/internal/fit, see the README's
// "Measuring answer quality"): they were fitted on SQuAD 2.0 questions on
// six Wikipedia articles (../shared/eval/squad-dev/all-questions.jsonl)
// and the team's question sets on the seed corpus, cross-validated across
// articles. The others were set by hand on the team's sets on the seed
// corpus and are documented with what they guard against.
type Tuning struct {
	// --- How a passage may match a question word (query weights) ---

	// WeightSynonym: a member of the admins' synonym group.
	WeightSynonym float64
	// WeightTypo1, WeightTypo2: a corpus word one / two edits away from a
	// misspelt word.
	WeightTypo1, WeightTypo2 float64
	// WeightThesaurus: a WordNet synonym.
	WeightThesaurus float64
	// WeightCJKPart: one bigram of a longer CJK phrase.
	WeightCJKPart float64
	// WeightDerived: a stem of the same root (sovereign for sovereignty).
	WeightDerived float64
	// WeightDictionary: an English translation of a Chinese word of the
	// question (CC-CEDICT), when the corpus is English.
	WeightDictionary float64
	// FramingWeight scales the rarity of framing words ("happened",
	// "mean", "according to"): they frame a question, not its topic.
	FramingWeight float64

	// --- Bounds on the work one question causes ---

	// MaxConcepts: distinct content words considered.
	MaxConcepts int
	// MaxThesaurusAlts: WordNet synonyms per word.
	MaxThesaurusAlts int
	// MaxTypoAlts: spelling corrections per misspelt word.
	MaxTypoAlts int
	// MaxAltsPerConcept: alternatives kept per concept.
	MaxAltsPerConcept int
	// MaxCorrectableRunes: longer words are not corrected (a 2-edit
	// automaton for a long word costs milliseconds).
	MaxCorrectableRunes int
	// MaxDictionaryAlts: English translations per Chinese word.
	MaxDictionaryAlts int

	// --- Candidate search ---

	// TitleBoost: title matches in the BM25 query, relative to text matches.
	TitleBoost float64
	// CrossScriptBoost: CJK synonyms of a question in another script.
	CrossScriptBoost float64
	// Candidates: passages re-ranked per question.
	Candidates int
	// MaxPhraseGap: the largest position step inside a phrase (stop words
	// removed at index time leave gaps).
	MaxPhraseGap int
	// MaxScoredPostings: above this many postings a question is searched
	// in two phases, candidates first by its rare clauses alone.
	MaxScoredPostings int
	// PrefilterCandidates: candidates of the first phase.
	PrefilterCandidates int
	// RareFraction, RareFloor: a clause is rare when at most this share of
	// passages, or at most this many, has it.
	RareFraction float64
	RareFloor    int

	// --- Ranking: score = sum of weight x feature (see features.go) ---

	// RankCoverage: share of the question (rarity-weighted) the passage or
	// its title covers. Fitted.
	RankCoverage float64
	// RankWindow: the same within one excerpt-sized window. Fitted.
	RankWindow float64
	// RankSentence: the same within one sentence (refined candidates).
	// Fitted.
	RankSentence float64
	// RankSentenceKeys: share of the question's key terms in that
	// sentence. Fitted.
	RankSentenceKeys float64
	// RankTerms: BM25-style saturated term frequency of the concepts,
	// relative to the best candidate. Fitted.
	RankTerms float64
	// RankBM25: bleve's BM25 score, relative to the best candidate. Fitted.
	RankBM25 float64
	// RankProximity: how close together the matched concepts sit. Fitted.
	RankProximity float64
	// RankDocument: document-level evidence, the share of the question the
	// passage's document covers across its candidate passages and title:
	// a passage of an article about the question's subject outranks one
	// that only shares words. Fitted.
	RankDocument float64
	// RankKeys: share of the question's key names, numbers and dates that
	// the passage has. Fitted.
	RankKeys float64
	// CueBonus: added when the passage has an answer of the kind the
	// question asks for (a date for "when") near its topic. Fitted.
	CueBonus float64
	// TitleWeight: a concept found only in the document's title, relative
	// to the text.
	TitleWeight float64
	// WindowBytes: about one excerpt, the window of window coverage.
	WindowBytes int

	// --- Refinement of the best candidates by their text ---

	// RefineDepth: how many of the best candidates are refined.
	RefineDepth int
	// WeightOtherWord: the stem matched but the word is another one
	// ("capital" / "Capitalizing").
	WeightOtherWord float64
	// WeightNamePart: one word of a multi-word name the passage does not
	// have as a name ("Great Wall" / "Wall Street Journal").
	WeightNamePart float64
	// MaxNameWords, MaxNames: bounds on the names looked for per question.
	MaxNameWords, MaxNames int
	// CueReach: how far (bytes) from a matched word an answer cue may be.
	CueReach int

	// --- Abstention ---

	// AbstainBelow: the answerability (mean of passage and window
	// coverage) a best passage needs to answer a short question.
	AbstainBelow float64
	// ShortQuestion, AbstainStep, AbstainFloor: beyond ShortQuestion
	// concepts each one lowers the bar by AbstainStep, down to
	// AbstainFloor (long questions carry scene-setting words an answer
	// does not repeat).
	ShortQuestion int
	AbstainStep   float64
	AbstainFloor  float64
	// AbstainTranslated scales the bar for a Chinese question read through
	// the dictionary: a translation matches the English text less often
	// than the word the text's writer chose, so an answering passage
	// covers less of it. Fitted on the team's Chinese set (chinese.jsonl) only, the
	// one set of translated questions: the lowest scale at which it answers
	// no out-of-scope question it abstained on before.
	AbstainTranslated float64
	// AbstainUnknown: when this share of the question's weight is words
	// the corpus does not contain at all, the question is about something
	// else. Fitted together with the bar's scale (0.3-0.5 tried); every
	// lower value answers one of the team's out-of-scope questions.
	AbstainUnknown float64
	// Abstain is a linear model over the best passage's evidence
	// (features.go, abstainFeatures): the engine abstains when the bias
	// plus the weighted features is below zero. It comes on top of the
	// bar above. Fitted: logistic regression of "the best passage holds
	// the answer" against answerable, adversarial and out-of-scope
	// questions, its bias then moved so that at most AbstainTarget of the
	// answerable questions of the fitting folds are abstained on.
	Abstain AbstainModel
	// SupportShare: once the best passage answers, further passages are
	// cited while their answerability is at least this share of the bar.
	SupportShare float64

	// --- Follow-up questions (followup.go), set on the blind conversation
	// set (testdata/eval/conversations.jsonl) after its first score was
	// recorded, and checked not to change the single-question sets ---

	// FollowUpCarry scales the rarity of a concept of the most recent
	// earlier question; FollowUpCarryDecay scales it again for each turn
	// further back.
	FollowUpCarry, FollowUpCarryDecay float64
	// FollowUpCitedDoc is added to the score of a passage of a document
	// the previous answer cited; FollowUpCitedNear to the cited passages
	// and their neighbours (FollowUpCitedReach ordinals either side).
	FollowUpCitedDoc, FollowUpCitedNear float64
	FollowUpCitedReach                  int
	// FollowUpCitedQuery is the weight of the clause that makes the cited
	// passages candidates even when they share no word with the question.
	FollowUpCitedQuery float64
	// FollowUpOwnTolerance: a complete question's answer in context is
	// preferred while it covers the question's own words at least this
	// close to the answer on its own.
	FollowUpOwnTolerance float64
	// FollowUpExcerptCarry scales carried concepts once more when excerpts
	// are cut.
	FollowUpExcerptCarry float64

	// --- Excerpts ---

	// NearDuplicate: an excerpt sharing this share of its words with an
	// earlier one is dropped.
	NearDuplicate float64
}

// AbstainModel decides whether the best passage answers: it answers when
// Bias + sum of Weights[i] x feature i >= 0 (features in the order of
// AbstainFeatureNames). A zero model never abstains.
type AbstainModel struct {
	Bias    float64
	Weights []float64
}

//go:embed tuning.json
var fittedTuning []byte

// DefaultTuning returns the shipped tuning: the hand-set values below with
// the fitted ones of tuning.json on top.
func DefaultTuning() Tuning {
	t := BaseTuning()
	if err := t.apply(fittedTuning); err != nil {
		panic(fmt.Sprintf("knowledge: embedded tuning.json: %v", err)) // caught by every test
	}
	return t
}

// BaseTuning is the tuning before fitting: the hand-set values the fitting
// tool starts from.
func BaseTuning() Tuning {
	return Tuning{
		WeightSynonym:    0.8,
		WeightTypo1:      0.8,
		WeightTypo2:      0.65,
		WeightThesaurus:  0.45,
		WeightCJKPart:    0.5,
		WeightDerived:    0.7,
		WeightDictionary: 0.85,
		FramingWeight:    0.3,

		MaxConcepts:         24,
		MaxThesaurusAlts:    6,
		MaxTypoAlts:         3,
		MaxAltsPerConcept:   12,
		MaxCorrectableRunes: 20,
		MaxDictionaryAlts:   4,

		TitleBoost:          0.2,
		CrossScriptBoost:    0.2,
		Candidates:          40,
		MaxPhraseGap:        3,
		MaxScoredPostings:   8000,
		PrefilterCandidates: 500,
		RareFraction:        0.03,
		RareFloor:           50,

		RankCoverage:  0.25,
		RankWindow:    0.40,
		RankTerms:     0.15,
		RankBM25:      0.10,
		RankProximity: 0.10,
		CueBonus:      0.15,
		TitleWeight:   0.6,
		WindowBytes:   450,

		RefineDepth:     16,
		WeightOtherWord: 0.4,
		WeightNamePart:  0.4,
		MaxNameWords:    5,
		MaxNames:        4,
		CueReach:        80,

		AbstainBelow:      0.51,
		ShortQuestion:     4,
		AbstainStep:       0.04,
		AbstainFloor:      0.36,
		AbstainUnknown:    0.5,
		AbstainTranslated: 1,
		SupportShare:      0.4 / 0.51,

		FollowUpCarry:        0.6,
		FollowUpCarryDecay:   0.75,
		FollowUpCitedDoc:     0.05,
		FollowUpCitedNear:    0.05,
		FollowUpCitedReach:   1,
		FollowUpCitedQuery:   0.5,
		FollowUpOwnTolerance: 0.1,
		FollowUpExcerptCarry: 0.1,

		NearDuplicate: 0.8,
	}
}

// apply overwrites t's fields with those named in a JSON object; an
// unknown name is an error, so a renamed field cannot be silently lost.
func (t *Tuning) apply(data []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return err
	}
	v := reflect.ValueOf(t).Elem()
	for name, raw := range m {
		if len(name) > 0 && name[0] == '_' {
			continue // comments and provenance
		}
		f := v.FieldByName(name)
		if !f.IsValid() {
			return fmt.Errorf("unknown tuning field %q", name)
		}
		if err := json.Unmarshal(raw, f.Addr().Interface()); err != nil {
			return fmt.Errorf("tuning field %s: %w", name, err)
		}
	}
	return nil
}
