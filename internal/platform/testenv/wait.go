package testenv

import (
	"testing"
	"time"
)

// pollInterval is how often WaitFor asks again. It is short because the
// conditions tests wait on (a server answering, a document indexed) are
// cheap to check and usually hold within milliseconds.
const pollInterval = 10 * time.Millisecond

// WaitFor calls cond until it returns true and fails the test, naming what
// it waited for, if that has not happened within timeout. Tests wait on the
// condition they need instead of sleeping a guessed time: a fast machine
// does not wait longer than needed and a slow one does not fail early.
func WaitFor(tb testing.TB, timeout time.Duration, what string, cond func() bool) {
	tb.Helper()
	if !Eventually(timeout, cond) {
		tb.Fatalf("%s: not within %s", what, timeout)
	}
}

// Eventually calls cond until it returns true or timeout passes, and
// reports whether cond held. It is for callers that must clean up or say
// more than WaitFor does before failing.
func Eventually(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		<-tick.C
	}
}
