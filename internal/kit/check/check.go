// Package check holds the field checks that jobs and candidates both run
// while validating: text, IDs, ranges, lists and enumerations. Each check
// records its problem in an *errs.Validation under the field's JSON path
// and never stops validation, so a form can show every problem at once.
package check

import (
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"

	"carefit/internal/kit/errs"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/textrule"
)

// Text applies textrule.Check (the rule every domain shares for typed
// text) and records its problem against field.
func Text(v *errs.Validation, field, s string, max int, required, multiline bool) {
	if msg := textrule.Check(s, max, required, multiline); msg != "" {
		v.Add(field, "%s", msg)
	}
}

// UUID reports whether s is a UUID in its canonical 36-character form.
func UUID(s string) bool {
	_, err := uuid.Parse(s)
	return err == nil && len(s) == 36
}

// UUIDs keeps the UUIDs of ids, in order: anything else names no record,
// and Postgres would refuse it in a uuid[]. The result is never nil, so an
// empty scope stays a filter that keeps nothing.
func UUIDs(ids []string) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if UUID(id) {
			out = append(out, id)
		}
	}
	return out
}

// ID validates a UUID; an empty ID is allowed only when !required (a new
// record whose ID the store assigns).
func ID(v *errs.Validation, field, id string, required bool) {
	if id == "" {
		if required {
			v.Add(field, "is required")
		}
		return
	}
	if !UUID(id) {
		v.Add(field, "must be a UUID like 123e4567-e89b-12d3-a456-426614174000")
	}
}

// IntRange records a set value outside lo..hi.
func IntRange(v *errs.Validation, field string, n *int, lo, hi int) {
	if n != nil && (*n < lo || *n > hi) {
		v.Add(field, "must be between %d and %d, got %d", lo, hi, *n)
	}
}

// FloatRange records a set value outside lo..hi, NaN included.
func FloatRange(v *errs.Validation, field string, f *float64, lo, hi float64) {
	if f != nil && !(*f >= lo && *f <= hi) {
		v.Add(field, "must be between %g and %g, got %g", lo, hi, *f)
	}
}

// Indexed is the path of element i of the list field; it is built for
// every element checked, so it avoids fmt.
func Indexed(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

// List records a list longer than max and each duplicate entry.
func List[T comparable](v *errs.Validation, field string, list []T, max int) {
	if len(list) > max {
		v.Add(field, "must have at most %d entries, got %d", max, len(list))
	}
	seen := make(map[T]bool, len(list))
	for i, x := range list {
		if seen[x] {
			v.Add(Indexed(field, i), "duplicates an earlier entry %v", x)
		}
		seen[x] = true
	}
}

// Enum is List for values of an enumeration, which also records entries
// that are not valid values.
func Enum[T interface {
	~string
	Valid() bool
}](v *errs.Validation, field string, list []T, max int) {
	List(v, field, list, max)
	for i, x := range list {
		if !x.Valid() {
			v.Add(Indexed(field, i), "unknown value %q", string(x))
		}
	}
}

// EnumPtr records a set value that is not a valid value.
func EnumPtr[T interface {
	~string
	Valid() bool
}](v *errs.Validation, field string, x *T) {
	if x != nil && !(*x).Valid() {
		v.Add(field, "unknown value %q", string(*x))
	}
}

// States is List for state codes, which also records entries that are not
// US state or territory codes.
func States(v *errs.Validation, field string, states []string, max int) {
	List(v, field, states, max)
	for i, s := range states {
		State(v, Indexed(field, i), s)
	}
}

var postalCodeRE = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)

// PostalCode records a postal code that is set but is not a US ZIP code.
func PostalCode(v *errs.Validation, field, s string) {
	if s != "" && !postalCodeRE.MatchString(s) {
		v.Add(field, "must be a US ZIP code like 12345 or 12345-6789")
	}
}

// State records a code that is not a US state or territory code.
func State(v *errs.Validation, field, s string) {
	if !geo.IsState(s) {
		v.Add(field, "must be a two-letter US state or territory code, got %q", s)
	}
}

// EarliestDate is the earliest date a record accepts for a start,
// availability or expiry; anything before it is a typo.
var EarliestDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
