package jobs

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Dates are decoded through small reference types so
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
// errors). A bad date is a *json.UnmarshalTypeError whose Field is the
// JSON name; other errors are those of encoding/json.
func (p *Position) UnmarshalJSON(b []byte) error {
	type plain Position
	v := struct {
		*plain
		StartDate timeRef    `json:"start_date"`
		ExpiresAt timePtrRef `json:"expires_at"`
		CreatedAt timeRef    `json:"created_at"`
		UpdatedAt timeRef    `json:"updated_at"`
	}{(*plain)(p), timeRef{&p.StartDate}, timePtrRef{&p.ExpiresAt}, timeRef{&p.CreatedAt}, timeRef{&p.UpdatedAt}}
	return strictDecode(b, &v)
}

// UnmarshalJSON decodes an organization strictly; a bad timestamp is a
// *json.UnmarshalTypeError naming its field.
func (o *Organization) UnmarshalJSON(b []byte) error {
	type plain Organization
	v := struct {
		*plain
		CreatedAt timeRef `json:"created_at"`
		UpdatedAt timeRef `json:"updated_at"`
	}{(*plain)(o), timeRef{&o.CreatedAt}, timeRef{&o.UpdatedAt}}
	return strictDecode(b, &v)
}
