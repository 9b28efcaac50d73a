package patch

import (
	"fmt"
	"reflect"
	"strings"

	"carefit/internal/kit/errs"
)

// Apply applies p, a patch (a struct whose fields are all Optionals, such
// as a PATCH body), to *dst all or nothing. Each member applies to the
// field of *dst with the same name, as ApplyValue, ApplyPtr and
// ApplyRequired do:
//
//   - absent leaves the field alone;
//   - null clears the field (a pointer becomes nil, anything else its zero
//     value), or is rejected when the member is tagged `patch:"required"`;
//   - a value sets the field, to a pointer to a copy of the value when the
//     field is a pointer, except that a nested patch (an Optional of a
//     struct of Optionals, for a struct field) merges into the field member
//     by member by the same rules.
//
// The members apply to a copy of *dst, which replaces *dst only when none
// was rejected; otherwise Apply returns an Invalid *errs.Error listing
// every rejected member by its JSON path ("pay.min"), in field order, and
// leaves *dst unchanged. Apply does not validate values.
//
// A member without a field to apply to (one of its type, a pointer to it
// unless the member is required, or a struct for a nested patch) is a
// programming error: Apply panics, so the first test that applies the
// patch finds it, whichever members it sets.
func Apply[P, T any](p P, dst *T) error {
	var ve errs.Validation
	next := *dst
	applyFields(&ve, reflect.ValueOf(p), reflect.ValueOf(&next).Elem())
	if err := ve.Err(); err != nil {
		return err
	}
	*dst = next
	return nil
}

// applyFields applies the patch struct p to the addressable struct dst,
// recording rejected members in ve.
func applyFields(ve *errs.Validation, p, dst reflect.Value) {
	for i := range p.NumField() {
		sf := p.Type().Field(i)
		f := dst.FieldByName(sf.Name)
		m, ok := p.Field(i).Interface().(member)
		if !ok || !f.IsValid() || !m.applyTo(ve, jsonName(sf), sf.Tag.Get("patch") == "required", f) {
			panic(fmt.Sprintf("patch: %s.%s does not apply to a field of %s", p.Type(), sf.Name, dst.Type()))
		}
	}
}

// jsonName is the member's name in JSON, which names its problems.
func jsonName(sf reflect.StructField) string {
	if name, _, _ := strings.Cut(sf.Tag.Get("json"), ","); name != "" {
		return name
	}
	return sf.Name
}

// member is an Optional of any type, as Apply sees it.
type member interface {
	// applyTo applies the Optional to dst, an addressable field, recording
	// a rejection under field in ve; it reports false when the Optional
	// cannot apply to dst's type.
	applyTo(ve *errs.Validation, field string, required bool, dst reflect.Value) bool
}

func (o Optional[T]) applyTo(ve *errs.Validation, field string, required bool, dst reflect.Value) bool {
	switch t := reflect.TypeFor[T](); {
	case dst.Type() == t && required:
		if !o.ApplyRequired(dst.Addr().Interface().(*T)) {
			ve.Add(field, "must not be null")
		}
	case dst.Type() == t:
		o.ApplyValue(dst.Addr().Interface().(*T))
	case dst.Type() == reflect.PointerTo(t) && !required:
		o.ApplyPtr(dst.Addr().Interface().(**T))
	case t.Kind() == reflect.Struct && dst.Kind() == reflect.Struct:
		o.merge(ve, field, required, dst)
	default:
		return false
	}
	return true
}

// merge applies o, a nested patch, to the struct dst: null is rejected or
// resets dst to its zero value, and a value merges into dst member by
// member, its rejected members recorded under field. An absent member
// merges its zero value, whose members are all absent: that changes
// nothing, but checks that the nested patch fits dst.
func (o Optional[T]) merge(ve *errs.Validation, field string, required bool, dst reflect.Value) {
	switch null := o.Present && o.Null; {
	case null && required:
		ve.Add(field, "must not be null")
	case null:
		dst.SetZero()
	default:
		var v T
		if o.Present {
			v = o.Value
		}
		var nested errs.Validation
		applyFields(&nested, reflect.ValueOf(v), dst)
		ve.Merge(field, nested.Err())
	}
}
