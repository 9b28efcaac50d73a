package candidates

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

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

// checkText validates a single-line (or, with multiline, a free-text)
// string: valid UTF-8, at most max runes, no control characters other than
// newline and tab in free text, and no invisible formatting characters
// (see hiddenFormat).
func checkText(ve *ValidationError, field, s string, max int, required, multiline bool) {
	if s == "" {
		if required {
			ve.Add(field, "is required")
		}
		return
	}
	if !utf8.ValidString(s) {
		ve.Add(field, "must be valid UTF-8")
		return
	}
	if n := utf8.RuneCountInString(s); n > max {
		ve.Add(field, "must be at most %d characters, got %d", max, n)
	}
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			if multiline {
				ve.Add(field, "must not contain control characters other than newline and tab")
			} else {
				ve.Add(field, "must not contain control characters")
			}
			return
		}
		if hiddenFormat(r) {
			ve.Add(field, "must not contain invisible formatting characters such as U+%04X", r)
			return
		}
	}
	if required && isBlank(s) {
		ve.Add(field, "must not be blank")
	}
}

// hiddenFormat reports a Unicode format character (category Cf) that can
// hide or reorder what a reader sees: bidi embeddings, overrides and
// isolates (U+202A-202E, U+2066-2069), bidi marks, zero-width spaces, the
// BOM, soft hyphens. A name with U+202E can display as another name. The
// zero-width joiner and non-joiner and the emoji tag characters are Cf too,
// but emoji (👩🏽‍⚕️) and several scripts need them, so they stay allowed.
// access.NewKey.Check applies the same rule to key labels.
func hiddenFormat(r rune) bool {
	switch {
	case r < 0x80, r == '\u200C', r == '\u200D', r >= 0xE0020 && r <= 0xE007F:
		return false
	}
	return unicode.Is(unicode.Cf, r)
}

func isBlank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
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
