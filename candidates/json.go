package candidates

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Dates and list elements are decoded through small reference types so
// that a bad value is reported as a *json.UnmarshalTypeError: encoding/json
// fills in the field path for that error type only, and time.Time's own
// errors carry no path ("Time.UnmarshalJSON: ..."). The domain types keep
// plain time.Time fields.

// timeType is the Go type named by date errors, which tells a bad date
// from other type errors.
var timeType = reflect.TypeFor[time.Time]()

// typeError describes the JSON value b as encoding/json does, quoting a
// short string so the client sees what was wrong.
func typeError(b []byte, t reflect.Type) *json.UnmarshalTypeError {
	v := "value"
	switch b = bytes.TrimSpace(b); {
	case len(b) == 0:
	case b[0] == '"':
		v = "string"
		if s, err := strconv.Unquote(string(b)); err == nil && len(s) <= 40 {
			v = "string " + strconv.Quote(s)
		}
	case b[0] == '{':
		v = "object"
	case b[0] == '[':
		v = "array"
	case b[0] == 't' || b[0] == 'f':
		v = "bool"
	case b[0] == 'n':
		v = "null"
	default:
		v = "number"
	}
	return &json.UnmarshalTypeError{Value: v, Type: t}
}

// timeRef decodes an RFC 3339 date-time into *t; null leaves it alone,
// as it does for time.Time.
type timeRef struct{ t *time.Time }

func (r timeRef) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if err := r.t.UnmarshalJSON(b); err != nil {
		return typeError(b, timeType)
	}
	return nil
}

// timePtrRef decodes a nullable date-time into **t.
type timePtrRef struct{ t **time.Time }

func (r timePtrRef) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r.t = nil
		return nil
	}
	var v time.Time
	if err := v.UnmarshalJSON(b); err != nil {
		return typeError(b, timeType)
	}
	*r.t = &v
	return nil
}

// listRef decodes a JSON array into *s element by element so that an
// element's type error names its index: the path comes out as
// "licences.[0].expires", which fieldPath and the API turn into
// "licences[0].expires".
type listRef[T any] struct{ s *[]T }

func (r listRef[T]) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	if raw == nil {
		*r.s = nil
		return nil
	}
	out := make([]T, len(raw))
	for i, e := range raw {
		if err := json.Unmarshal(e, &out[i]); err != nil {
			if te, ok := err.(*json.UnmarshalTypeError); ok {
				te.Field = joinPath("["+strconv.Itoa(i)+"]", te.Field)
			}
			return err
		}
	}
	*r.s = out
	return nil
}

func joinPath(a, b string) string {
	if b == "" {
		return a
	}
	return a + "." + b
}

// strictDecode decodes one JSON value in b into v, a shadow struct
// embedding *plain, rejecting unknown fields: encoding/json does not pass
// an outer decoder's DisallowUnknownFields on to an Unmarshaler. The
// embedded struct's name, which encoding/json puts in the path of a type
// error, is removed.
func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		te.Struct, te.Field = "", strings.TrimPrefix(te.Field, "plain.")
	}
	return err
}

// UnmarshalJSON decodes the API's JSON shape strictly (unknown fields are
// errors). A bad date or list element is a *json.UnmarshalTypeError whose
// Field is the JSON path; other errors are those of encoding/json.
func (p *Profile) UnmarshalJSON(b []byte) error {
	type plain Profile
	v := struct {
		*plain
		BoardCertifications listRef[BoardCertification] `json:"board_certifications"`
		Licences            listRef[Licence]            `json:"licences"`
		AvailableFrom       timeRef                     `json:"available_from"`
		ConsentUpdatedAt    timePtrRef                  `json:"consent_updated_at"`
		CreatedAt           timeRef                     `json:"created_at"`
		UpdatedAt           timeRef                     `json:"updated_at"`
	}{
		plain:               (*plain)(p),
		BoardCertifications: listRef[BoardCertification]{&p.BoardCertifications},
		Licences:            listRef[Licence]{&p.Licences},
		AvailableFrom:       timeRef{&p.AvailableFrom},
		ConsentUpdatedAt:    timePtrRef{&p.ConsentUpdatedAt},
		CreatedAt:           timeRef{&p.CreatedAt},
		UpdatedAt:           timeRef{&p.UpdatedAt},
	}
	return strictDecode(b, &v)
}

// UnmarshalJSON decodes a licence strictly; a bad expiry is a
// *json.UnmarshalTypeError naming "expires".
func (l *Licence) UnmarshalJSON(b []byte) error {
	type plain Licence
	v := struct {
		*plain
		Expires timeRef `json:"expires"`
	}{(*plain)(l), timeRef{&l.Expires}}
	return strictDecode(b, &v)
}

// UnmarshalJSON decodes a board certification strictly; a bad expiry is a
// *json.UnmarshalTypeError naming "expires".
func (c *BoardCertification) UnmarshalJSON(b []byte) error {
	type plain BoardCertification
	v := struct {
		*plain
		Expires timePtrRef `json:"expires"`
	}{(*plain)(c), timePtrRef{&c.Expires}}
	return strictDecode(b, &v)
}

// fieldPath turns the Field of a *json.UnmarshalTypeError into a JSON
// path: "licences.[0].expires" becomes "licences[0].expires".
func fieldPath(field string) string { return strings.ReplaceAll(field, ".[", "[") }
