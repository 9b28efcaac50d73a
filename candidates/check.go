package candidates

import (
	"carefit/internal/kit/textrule"

	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/google/uuid"
)

// Length caps, in characters (runes).
const (
	maxNameLen      = 200
	maxEmailLen     = 254
	maxLicenceNoLen = 40
)

// earliestDate is the earliest date accepted for availability and
// expiries; anything before it is a typo.
var earliestDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

var postalCodeRE = regexp.MustCompile(`^[0-9]{5}(-[0-9]{4})?$`)

// checkText applies textrule.Check (the rule every domain shares for
// typed text) and reports its problem against field.
func checkText(ve *ValidationError, field, s string, max int, required, multiline bool) {
	if msg := textrule.Check(s, max, required, multiline); msg != "" {
		ve.Add(field, "%s", msg)
	}
}

// checkID validates a UUID; an empty ID is allowed only when !required (a
// new record whose ID the store assigns).
func checkID(ve *ValidationError, field, id string, required bool) {
	if id == "" {
		if required {
			ve.Add(field, "is required")
		}
		return
	}
	if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
		ve.Add(field, "must be a UUID like 123e4567-e89b-12d3-a456-426614174000")
	}
}

func checkIntRange(ve *ValidationError, field string, v *int, lo, hi int) {
	if v != nil && (*v < lo || *v > hi) {
		ve.Add(field, "must be between %d and %d, got %d", lo, hi, *v)
	}
}

func checkFloatRange(ve *ValidationError, field string, v *float64, lo, hi float64) {
	if v != nil && !(*v >= lo && *v <= hi) { // also rejects NaN
		ve.Add(field, "must be between %g and %g, got %g", lo, hi, *v)
	}
}

// checkList reports a list longer than max and duplicate entries.
// indexed is the path of element i of the list field; it is built for
// every element checked, so it avoids fmt.
func indexed(field string, i int) string { return field + "[" + strconv.Itoa(i) + "]" }

func checkList[T comparable](ve *ValidationError, field string, list []T, max int) {
	if len(list) > max {
		ve.Add(field, "must have at most %d entries, got %d", max, len(list))
	}
	seen := make(map[T]bool, len(list))
	for i, v := range list {
		if seen[v] {
			ve.Add(indexed(field, i), "duplicates an earlier entry %v", v)
		}
		seen[v] = true
	}
}

// checkEnum reports entries of list that are not valid values.
func checkEnum[T interface {
	~string
	Valid() bool
}](ve *ValidationError, field string, list []T, max int) {
	checkList(ve, field, list, max)
	for i, v := range list {
		if !v.Valid() {
			ve.Add(fmt.Sprintf("%s[%d]", field, i), "unknown value %q", string(v))
		}
	}
}
