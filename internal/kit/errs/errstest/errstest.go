// Package errstest holds the assertions the domains' tests make about
// carefit errors.
package errstest

import (
	"testing"

	"carefit/internal/kit/errs"
)

// Field checks that err is nil when field is "" and otherwise an Invalid
// *errs.Error with a problem for field.
func Field(tb testing.TB, err error, field string) {
	tb.Helper()
	if field == "" {
		if err != nil {
			tb.Fatalf("got %v, want nil", err)
		}
		return
	}
	if k := errs.KindOf(err); k != errs.Invalid {
		tb.Fatalf("got %v (%s), want an invalid error for %s", err, k, field)
	}
	if !errs.HasField(err, field) {
		tb.Errorf("got %v, want an error for %s", err, field)
	}
}
