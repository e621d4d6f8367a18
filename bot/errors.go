package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/govbot-dev/govbot/knowledge"
)

// userError is a refusal or problem the user can act on; its message is
// shown as is, ephemerally, and it is not logged as a fault.
type userError struct{ msg string }

func (e userError) Error() string { return e.msg }

func userErrorf(format string, args ...any) error { return userError{fmt.Sprintf(format, args...)} }

// rateLimited is the userError of a question over the per-user rate
// limit; quiet ones (the user was already told) are not shown again.
type rateLimited struct {
	msg   string
	quiet bool
}

func (e rateLimited) Error() string { return e.msg }
func (e rateLimited) Unwrap() error { return userError{e.msg} }

// invalidQuestion is the userError of a question refused before any
// search: empty, too long, or no question at all.
type invalidQuestion struct{ msg string }

func (e invalidQuestion) Error() string { return e.msg }
func (e invalidQuestion) Unwrap() error { return userError{e.msg} }

// Messages for the user, short and polite.
const (
	emptyQuestionText = "Please ask a question with a few words to look up, for example `/ask question: what is cyber sovereignty?`"
	faultText         = "Sorry, something went wrong on my side. Please try again in a moment."
	timeoutText       = "Sorry, that took too long. Please try again in a moment."
	closingText       = "govbot is restarting and not taking questions for a moment. Please try again shortly."
	unknownText       = "I don't know that command or button (Discord may be showing an outdated one). Try `/ask`, `/search` or `/source`."
)

func tooLongText(n int) string {
	return fmt.Sprintf("That is %d characters; please keep questions under %d, for example by asking about one thing at a time.", n, knowledge.MaxQuestionRunes)
}

// describe turns err into what the user is told and whether it is a fault
// worth logging at error level.
func describe(err error) (text string, fault bool) {
	var ue userError
	switch {
	case errors.As(err, &ue):
		return ue.msg, false
	case errors.Is(err, knowledge.ErrEmptyQuestion):
		return emptyQuestionText, false
	case errors.Is(err, knowledge.ErrQuestionTooLong):
		return fmt.Sprintf("That question is too long; please keep it under %d characters.", knowledge.MaxQuestionRunes), false
	case errors.Is(err, context.DeadlineExceeded):
		return timeoutText, true
	case errors.Is(err, knowledge.ErrClosed):
		return closingText, false
	default:
		return faultText, true
	}
}

// redact removes secrets (interaction tokens appear in webhook URLs, and so
// in transport errors) from an error's text before it is logged.
func redact(msg string, secrets ...string) string {
	for _, s := range secrets {
		if len(s) >= 8 {
			msg = strings.ReplaceAll(msg, s, "[redacted]")
		}
	}
	return msg
}
