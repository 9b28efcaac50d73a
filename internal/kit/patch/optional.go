// Package patch holds Optional, the field type of PATCH request bodies. It
// tells apart the three states JSON merge patch (RFC 7396) needs: a member
// that is absent (leave the field alone), a member that is null (clear the
// field, which for work-environment facts means "unknown") and a member with
// a value (set the field). Both jobs and candidates use it, so it lives in a
// package of its own; it shares ndjson's description of a JSON type error.
package patch

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"

	"carefit/internal/kit/jsonx"
)

// Optional is a PATCH field: the zero value is absent. Decode it with
// encoding/json; UnmarshalJSON is only called when the member is present,
// which is what sets Present.
//
// Struct fields of this type should carry the `omitzero` tag option so that
// absent fields are also absent when a patch is encoded again.
type Optional[T any] struct {
	// Present reports that the member appeared in the JSON document.
	Present bool
	// Null reports that the member was JSON null; only meaningful when
	// Present is true.
	Null bool
	// Value holds the decoded value when Present && !Null.
	Value T
}

// Of returns an Optional holding v.
func Of[T any](v T) Optional[T] { return Optional[T]{Present: true, Value: v} }

// Null returns an Optional that is explicitly null.
func Null[T any]() Optional[T] { return Optional[T]{Present: true, Null: true} }

// IsZero reports whether o is absent; encoding/json's omitzero uses it.
func (o Optional[T]) IsZero() bool { return !o.Present }

// HasValue reports whether o is present and not null.
func (o Optional[T]) HasValue() bool { return o.Present && !o.Null }

// UnmarshalJSON records presence and decodes null or a value. The value is
// decoded with unknown fields disallowed: encoding/json does not pass the
// outer decoder's DisallowUnknownFields on to an Unmarshaler, and a typo in
// a nested PATCH member must not be silently ignored.
//
// It returns the error of decoding the value into T, as a
// *json.UnmarshalTypeError whenever it can: encoding/json prefixes the
// Field of that error type (and no other) with the member's path, so a bad
// value deep inside a patch is still named. Errors of T's own UnmarshalJSON
// (such as time.Time's) are turned into one, and an error in an element of
// a slice names the element's index as "[i]" ("licences.[0].expires" once
// the outer decoder adds the member name).
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	o.Present = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Null = true
		var zero T
		o.Value = zero
		return nil
	}
	o.Null = false
	err := strictDecode(b, &o.Value)
	if err == nil {
		return nil
	}
	var te *json.UnmarshalTypeError
	typed := errors.As(err, &te)
	if !typed && (errors.As(err, new(*json.SyntaxError)) || isUnknownField(err)) {
		return err
	}
	t := reflect.TypeFor[T]()
	if t.Kind() == reflect.Slice {
		if i, e := failingElem(b, t.Elem()); i >= 0 {
			if !typed {
				te = jsonx.TypeError(e, t.Elem())
			}
			te.Field = joinPath("["+strconv.Itoa(i)+"]", te.Field)
			return te
		}
	}
	if !typed {
		return jsonx.TypeError(b, t)
	}
	return te
}

func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// isUnknownField reports encoding/json's unknown-field error, which has no
// type of its own.
func isUnknownField(err error) bool {
	return bytes.HasPrefix([]byte(err.Error()), []byte("json: unknown field "))
}

// failingElem returns the index and text of the first element of the JSON
// array b that does not decode into elem, or -1.
func failingElem(b []byte, elem reflect.Type) (int, []byte) {
	var raw []json.RawMessage
	if json.Unmarshal(b, &raw) != nil {
		return -1, nil
	}
	for i, e := range raw {
		if strictDecode(e, reflect.New(elem).Interface()) != nil {
			return i, e
		}
	}
	return -1, nil
}

func joinPath(a, b string) string {
	if b == "" {
		return a
	}
	return a + "." + b
}

// MarshalJSON encodes null for a null or absent Optional and the value
// otherwise.
func (o Optional[T]) MarshalJSON() ([]byte, error) {
	if !o.HasValue() {
		return []byte("null"), nil
	}
	return json.Marshal(o.Value)
}

// ApplyPtr applies o to a nullable field: absent leaves *dst alone, null sets
// it to nil, a value sets it to a pointer to a copy of the value.
func (o Optional[T]) ApplyPtr(dst **T) {
	switch {
	case !o.Present:
	case o.Null:
		*dst = nil
	default:
		v := o.Value
		*dst = &v
	}
}

// ApplyValue applies o to a field whose zero value is its "empty" state
// (slices, maps, booleans that default to false): absent leaves *dst alone,
// null sets the zero value, a value sets it.
func (o Optional[T]) ApplyValue(dst *T) {
	if o.Present {
		*dst = o.Value
	}
}

// ApplyRequired applies o to a field that cannot be cleared: absent leaves
// *dst alone and a value sets it. It reports false, leaving *dst alone, when
// o is null so that the caller can report a field error.
func (o Optional[T]) ApplyRequired(dst *T) bool {
	if !o.Present {
		return true
	}
	if o.Null {
		return false
	}
	*dst = o.Value
	return true
}
