package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestEveryCommandAnswersHelp runs each command with each spelling of help:
// it must exit 0 and print the command's usage line, for every command
// that exists now or is added later.
func TestEveryCommandAnswersHelp(t *testing.T) {
	for _, c := range commands() {
		for _, h := range []string{"-h", "--help", "-help"} {
			t.Run(c.name+" "+h, func(t *testing.T) {
				var out, errOut bytes.Buffer
				e := env{getenv: func(string) string { return "" }, stdout: &out, stderr: &errOut}
				if code := run(context.Background(), e, []string{c.name, h}); code != 0 {
					t.Fatalf("exit %d, want 0; stderr: %s", code, errOut.String())
				}
				got := out.String() + errOut.String()
				if want := "Usage: carefit " + c.name; !strings.Contains(got, want) {
					t.Errorf("output %q does not hold %q", got, want)
				}
			})
		}
	}
}
