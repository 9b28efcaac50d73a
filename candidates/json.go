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
// "licences[0].expires". Elements are decoded into shadow(&elem), with one
// decoder for the whole array: calling the element type's UnmarshalJSON
// would make encoding/json scan each element twice more.
type listRef[T any] struct {
	s      *[]T
	shadow func(*T) any
}

func (r listRef[T]) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r.s = nil
		return nil
	}
	if len(b) == 0 || b[0] != '[' {
		return typeError(b, reflect.TypeFor[[]T]())
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if _, err := dec.Token(); err != nil { // [
		return err
	}
	out := []T{}
	for i := 0; dec.More(); i++ {
		var v T
		if err := dec.Decode(r.shadow(&v)); err != nil {
			if te, ok := err.(*json.UnmarshalTypeError); ok {
				te.Struct, te.Field = "", joinPath("["+strconv.Itoa(i)+"]", strings.TrimPrefix(te.Field, "plain."))
			}
			return err
		}
		out = append(out, v)
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
func (p *Profile) UnmarshalJSON(b []byte) error { return strictDecode(b, profileShadow(p)) }

// profileShadow returns a value that decodes into p, with the dates and
// lists that need it decoded through reference types. ImportProfiles
// decodes into it directly, which saves encoding/json a pass over the line
// to find the end of the value before calling UnmarshalJSON.
func profileShadow(p *Profile) any {
	type plain Profile
	return &struct {
		*plain
		BoardCertifications listRef[BoardCertification] `json:"board_certifications"`
		Licences            listRef[Licence]            `json:"licences"`
		AvailableFrom       timeRef                     `json:"available_from"`
		ConsentUpdatedAt    timePtrRef                  `json:"consent_updated_at"`
		CreatedAt           timeRef                     `json:"created_at"`
		UpdatedAt           timeRef                     `json:"updated_at"`
	}{
		plain:               (*plain)(p),
		BoardCertifications: listRef[BoardCertification]{&p.BoardCertifications, boardCertShadow},
		Licences:            listRef[Licence]{&p.Licences, licenceShadow},
		AvailableFrom:       timeRef{&p.AvailableFrom},
		ConsentUpdatedAt:    timePtrRef{&p.ConsentUpdatedAt},
		CreatedAt:           timeRef{&p.CreatedAt},
		UpdatedAt:           timeRef{&p.UpdatedAt},
	}
}

// UnmarshalJSON decodes a licence strictly; a bad expiry is a
// *json.UnmarshalTypeError naming "expires".
// The fast decoder is tried first (see fastjson.go); errors always come
// from encoding/json.
func (l *Licence) UnmarshalJSON(b []byte) error {
	if decodeFast(b, (*fastLicence)(l)) {
		return nil
	}
	*l = Licence{}
	return strictDecode(b, licenceShadow(l))
}

func licenceShadow(l *Licence) any {
	type plain Licence
	return &struct {
		*plain
		Expires timeRef `json:"expires"`
	}{(*plain)(l), timeRef{&l.Expires}}
}

// UnmarshalJSON decodes a board certification strictly; a bad expiry is a
// *json.UnmarshalTypeError naming "expires".
func (c *BoardCertification) UnmarshalJSON(b []byte) error {
	if decodeFast(b, (*fastBoardCert)(c)) {
		return nil
	}
	*c = BoardCertification{}
	return strictDecode(b, boardCertShadow(c))
}

func boardCertShadow(c *BoardCertification) any {
	type plain BoardCertification
	return &struct {
		*plain
		Expires timePtrRef `json:"expires"`
	}{(*plain)(c), timePtrRef{&c.Expires}}
}

// fieldPath turns the Field of a *json.UnmarshalTypeError into a JSON
// path: "licences.[0].expires" becomes "licences[0].expires", and the
// name of a shadow's embedded struct is dropped.
func fieldPath(field string) string {
	return strings.ReplaceAll(strings.TrimPrefix(field, "plain."), ".[", "[")
}
