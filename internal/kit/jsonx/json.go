package jsonx

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

// TimeType is the Go type named by date errors, which tells a bad date
// from other type errors.
var TimeType = reflect.TypeFor[time.Time]()

// typeError describes the JSON value b as encoding/json does, quoting a
// short string so the client sees what was wrong.
func TypeError(b []byte, t reflect.Type) *json.UnmarshalTypeError {
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

// TimeRef decodes an RFC 3339 date-time into *t; null leaves it alone,
// as it does for time.Time.
type TimeRef struct{ T *time.Time }

func (r TimeRef) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	if err := r.T.UnmarshalJSON(b); err != nil {
		return TypeError(b, TimeType)
	}
	return nil
}

// TimePtrRef decodes a nullable date-time into **t.
type TimePtrRef struct{ T **time.Time }

func (r TimePtrRef) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r.T = nil
		return nil
	}
	var v time.Time
	if err := v.UnmarshalJSON(b); err != nil {
		return TypeError(b, TimeType)
	}
	*r.T = &v
	return nil
}

// ListRef decodes a JSON array into *s element by element so that an
// element's type error names its index: the path comes out as
// "licences.[0].expires", which FieldPath and the API turn into
// "licences[0].expires". Elements are decoded into shadow(&elem), with one
// decoder for the whole array: calling the element type's UnmarshalJSON
// would make encoding/json scan each element twice more.
type ListRef[T any] struct {
	S      *[]T
	Shadow func(*T) any
}

func (r ListRef[T]) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r.S = nil
		return nil
	}
	if len(b) == 0 || b[0] != '[' {
		return TypeError(b, reflect.TypeFor[[]T]())
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if _, err := dec.Token(); err != nil { // [
		return err
	}
	out := []T{}
	for i := 0; dec.More(); i++ {
		var v T
		if err := dec.Decode(r.Shadow(&v)); err != nil {
			if te, ok := err.(*json.UnmarshalTypeError); ok {
				te.Struct, te.Field = "", joinPath("["+strconv.Itoa(i)+"]", strings.TrimPrefix(te.Field, "plain."))
			}
			return err
		}
		out = append(out, v)
	}
	*r.S = out
	return nil
}

func joinPath(a, b string) string {
	if b == "" {
		return a
	}
	return a + "." + b
}

// StrictDecode decodes one JSON value in b into v, a shadow struct
// embedding *plain, rejecting unknown fields: encoding/json does not pass
// an outer decoder's DisallowUnknownFields on to an Unmarshaler. The
// embedded struct's name, which encoding/json puts in the path of a type
// error, is removed.
func StrictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if te, ok := err.(*json.UnmarshalTypeError); ok {
		te.Struct, te.Field = "", strings.TrimPrefix(te.Field, "plain.")
	}
	return err
}

// FieldPath turns the Field of a *json.UnmarshalTypeError into a JSON
// path: "licences.[0].expires" becomes "licences[0].expires", and the
// name of a shadow's embedded struct is dropped.
func FieldPath(field string) string {
	return strings.ReplaceAll(strings.TrimPrefix(field, "plain."), ".[", "[")
}
