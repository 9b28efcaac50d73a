package candidates

import (
	gojson "github.com/goccy/go-json/v2"

	"carefit/internal/kit/ndjson"
)

// Bulk imports decode most lines with goccy/go-json, about three times
// faster than encoding/json on a profile, and fall back to the
// encoding/json path (ndjson.DecodeLine with profileShadow) for any line the fast
// decoder does not accept, so every error message comes from one place.
// The fast path may only accept what encoding/json accepts, decoded to the
// same Profile; FuzzFastDecodeAgrees checks that. Two differences are
// ruled out before decoding (strictLexemes): goccy accepts raw control
// characters in strings and, as fuzzing found, numbers with leading zeros.

// fastProfile, fastLicence and fastBoardCert are the domain types without
// their UnmarshalJSON methods, so the fast decoder fills the fields itself.
type (
	fastProfile   Profile
	fastLicence   Licence
	fastBoardCert BoardCertification
)

// fastOptions are goccy/go-json's v2 semantics, stricter than
// encoding/json's (names match case-sensitively, a duplicate name, invalid
// UTF-8 or an unknown member is an error): whatever they reject falls back.
var fastOptions = gojson.RejectUnknownMembers(true)

// DecodeLine decodes one NDJSON line of a profile import into p, as
// decoding it strictly with encoding/json would (ndjson.DecodeLine with
// profileShadow), but with the fast decoder whenever it accepts the line.
// It returns the line's error, always in encoding/json's words.
func DecodeLine(line []byte, p *Profile) *ndjson.LineError {
	if decodeProfileFast(line, p) {
		return nil
	}
	*p = Profile{}
	return ndjson.DecodeLine(line, profileShadow(p))
}

// decodeProfileFast decodes line into p and reports whether it did; on
// false, p is in an unknown state and the line must be decoded with
// ndjson.DecodeLine.
func decodeProfileFast(line []byte, p *Profile) bool { return decodeFast(line, (*fastProfile)(p)) }

// decodeFast decodes b into v, a pointer to a method-free type, and
// reports whether it did.
func decodeFast(b []byte, v any) (ok bool) {
	// A fault in the third-party decoder costs the fast path, not the
	// import: v0.10.5 panicked on some malformed keys (the fuzz corpus
	// keeps the line).
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return strictLexemes(b) && gojson.Unmarshal(b, v, fastOptions) == nil
}

// strictLexemes reports whether line has no raw control characters and
// every number outside strings follows JSON's grammar:
// -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? not followed by another
// number character. Anything else outside strings is left to the decoder.
func strictLexemes(line []byte) bool {
	inString := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c < 0x20:
			return false
		case inString:
			if c == '\\' {
				i++ // the escaped character; the decoder checks the escape
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '+' || c == '.':
			return false
		case c == '-' || c >= '0' && c <= '9':
			n := numberLen(line[i:])
			if n == 0 {
				return false
			}
			i += n - 1
		}
	}
	return true
}

// numberLen returns the length of the JSON number at the start of b, or 0
// when b does not start with a well-formed one.
func numberLen(b []byte) int {
	i := 0
	digits := func() int {
		n := 0
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case digits() == 0:
		return 0
	}
	if i < len(b) && b[i] == '.' {
		i++
		if digits() == 0 {
			return 0
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if digits() == 0 {
			return 0
		}
	}
	if i < len(b) && (b[i] >= '0' && b[i] <= '9' || b[i] == '.' || b[i] == 'e' || b[i] == 'E' || b[i] == '+' || b[i] == '-') {
		return 0
	}
	return i
}
