package metrics

// Command is the way a question reached govbot, the "command" label of
// govbot_questions_total and govbot_answer_duration_seconds.
type Command string

// Commands. Any other value is recorded as "unknown" so that a mistake in a
// caller cannot grow the number of series.
const (
	CommandAsk     Command = "ask"     // the /ask slash command
	CommandSearch  Command = "search"  // the /search slash command
	CommandMention Command = "mention" // a message that mentions the bot
	CommandAuto    Command = "auto"    // a question answered unprompted in a watched channel
)

// Outcome is how a question ended, the "outcome" label of
// govbot_questions_total.
type Outcome string

// Outcomes. Any other value is recorded as "unknown".
const (
	OutcomeAnswered    Outcome = "answered"     // cited excerpts were shown
	OutcomeAbstained   Outcome = "abstained"    // nothing relevant enough was found, and govbot said so
	OutcomeRateLimited Outcome = "rate_limited" // refused by govbot's own rate limit
	OutcomeError       Outcome = "error"        // failed; the user saw an apology
	OutcomeInvalid     Outcome = "invalid"      // refused before searching: empty, too long, not a question
	OutcomeSmallTalk   Outcome = "small_talk"   // thanks, ok, lol, emoji, greetings: a reaction, nothing searched or recorded
)

// Result is how a reload or an upload ended, the "result" label of
// govbot_reloads_total and govbot_uploads_total.
type Result string

// Results. Any other value is recorded as "unknown".
const (
	ResultOK        Result = "ok"        // the new index is serving
	ResultUnchanged Result = "unchanged" // nothing had changed; the index was kept
	ResultRejected  Result = "rejected"  // refused before indexing (uploads: bad type, too large, no permission)
	ResultFailed    Result = "failed"    // indexing failed; the previous index is still serving
)

// unknown is the label value recorded for a Command, Outcome or Result that is
// not one of the constants above.
const unknown = "unknown"

// allCommands, allOutcomes and allResults list the known values; New creates
// a series for each so that they are exported as 0 before anything happens.
func allCommands() []Command {
	return []Command{CommandAsk, CommandSearch, CommandMention, CommandAuto}
}

func allOutcomes() []Outcome {
	return []Outcome{OutcomeAnswered, OutcomeAbstained, OutcomeRateLimited, OutcomeError, OutcomeInvalid, OutcomeSmallTalk}
}

func allResults() []Result {
	return []Result{ResultOK, ResultUnchanged, ResultRejected, ResultFailed}
}

// label returns v as a label value when it is one of known, and "unknown"
// otherwise.
func label[T ~string](v T, known []T) string {
	for _, k := range known {
		if v == k {
			return string(v)
		}
	}
	return unknown
}
