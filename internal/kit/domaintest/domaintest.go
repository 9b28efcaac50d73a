// Package domaintest holds the test helpers that the domain packages (jobs,
// candidates), their fixtures (jobstest, candidatestest) and their stores'
// tests share: the tests' clock, JSON decoding as the API does it, and the
// table checks every domain type gets, of its JSON round trip, its
// validation and its PATCH body.
package domaintest

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"carefit/internal/kit/errs/errstest"
)

// Now is the clock of the domains' tests: fixtures are valid at Now, and
// the stores under test stamp their writes with it.
var Now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// Stopped returns a clock stopped at t, for a store's Now.
func Stopped(t time.Time) func() time.Time { return func() time.Time { return t } }

// Ptr returns a pointer to a copy of v, for the optional fields of a
// literal.
func Ptr[T any](v T) *T { return &v }

// DecodeStrict decodes the JSON document in into v the way the API does:
// unknown members are errors.
func DecodeStrict(in string, v any) error {
	dec := json.NewDecoder(bytes.NewReader([]byte(in)))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// CheckRoundTrip checks that v encodes to JSON that decodes strictly back
// to an equal value.
func CheckRoundTrip[T any](t *testing.T, v T) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var got T
	if err := DecodeStrict(string(b), &got); err != nil {
		t.Fatalf("decode: got %v, want nil", err)
	}
	if diff := cmp.Diff(v, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

// CheckRejected checks that decoding the JSON document body strictly into
// v fails, as it must for an unknown member.
func CheckRejected(t *testing.T, body string, v any) {
	t.Helper()
	if err := DecodeStrict(body, v); err == nil {
		t.Errorf("got nil error, want unknown field error")
	}
}

// Validation returns the check of a validation table, whose rows are
// calls: check(name, mutate, field) runs a subtest that mutates valid()
// and checks what validate reports with errstest.Field, a problem at field
// or, when field is "", none.
func Validation[T any](t *testing.T, valid func() T, validate func(T) error) func(name string, mutate func(*T), field string) {
	return func(name string, mutate func(*T), field string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			v := valid()
			mutate(&v)
			errstest.Field(t, validate(v), field)
		})
	}
}

// Patching returns the check of a PATCH table, whose rows are calls:
// check(name, body, want, field) runs a subtest that decodes body strictly
// into a P and applies it to valid() with apply. The result must be
// valid() as want edits it, and the error must name field or, when field
// is "", be nil.
func Patching[P, T any](t *testing.T, valid func() T, apply func(P, *T) error) func(name, body string, want func(*T), field string) {
	return func(name, body string, want func(*T), field string) {
		t.Helper()
		t.Run(name, func(t *testing.T) {
			var p P
			if err := DecodeStrict(body, &p); err != nil {
				t.Fatalf("decode: got %v, want nil", err)
			}
			got, wanted := valid(), valid()
			err := apply(p, &got)
			want(&wanted)
			errstest.Field(t, err, field)
			if diff := cmp.Diff(wanted, got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
