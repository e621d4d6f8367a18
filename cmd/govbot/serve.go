package main

import (
	"context"
	"errors"
	"io"
)

// runServe runs the Discord bot. (Being written in the bot package.)
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return errors.New("serve: not implemented yet")
}
