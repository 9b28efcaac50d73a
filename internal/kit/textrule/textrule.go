// Package textrule holds the one rule every domain applies to text that
// people type and other people read: names, titles, descriptions, key
// labels. It is pure so each domain can report the problem against its
// own field path.
package textrule

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// Check returns what is wrong with s, or "" when it is acceptable: valid
// UTF-8, at most max runes, no control characters (free text, multiline,
// may hold newline and tab), no invisible formatting characters (see
// HiddenFormat), and, when required, not empty or blank.
func Check(s string, max int, required, multiline bool) string {
	if s == "" {
		if required {
			return "is required"
		}
		return ""
	}
	if !utf8.ValidString(s) {
		return "must be valid UTF-8"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("must be at most %d characters, got %d", max, n)
	}
	blank := true
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) {
			if multiline {
				return "must not contain control characters other than newline and tab"
			}
			return "must not contain control characters"
		}
		if HiddenFormat(r) {
			return fmt.Sprintf("must not contain invisible formatting characters such as U+%04X", r)
		}
		blank = blank && unicode.IsSpace(r)
	}
	if required && blank {
		return "must not be blank"
	}
	return ""
}

// HiddenFormat reports a Unicode format character (category Cf) that can
// hide or reorder what a reader sees: bidi embeddings, overrides and
// isolates (U+202A-202E, U+2066-2069), bidi marks, zero-width spaces, the
// BOM, soft hyphens. A name with U+202E can display as another name. The
// zero-width joiner and non-joiner and the emoji tag characters are Cf too,
// but emoji (👩🏽‍⚕️) and several scripts need them, so they stay allowed.
func HiddenFormat(r rune) bool {
	switch {
	case r < 0x80, r == '\u200C', r == '\u200D', r >= 0xE0020 && r <= 0xE007F:
		return false
	}
	return unicode.Is(unicode.Cf, r)
}
