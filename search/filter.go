package search

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"carefit/internal/kit/errs"
)

// ErrInvalidQuery matches the errors of queries whose values are not
// valid: an unknown credential, a state that is not a state, a radius out
// of range. Each is a Malformed *errs.Error naming the parameter in its
// Fields.
var ErrInvalidQuery = errs.E("search", errs.Malformed, invalidQueryMsg)

const invalidQueryMsg = "a search parameter is not valid"

// invalid is the error of a bad value of the query parameter field.
func invalid(field, format string, args ...any) error {
	return errs.Malformedf("search", field, invalidQueryMsg, format, args...)
}

// quote returns s as a Meilisearch filter string literal: in double
// quotes, with backslash and double quote escaped by a backslash, which
// is the whole of the filter syntax's escaping. Everything else, OR, =,
// brackets and newlines included, is literal inside the quotes. A value
// that is not valid UTF-8 or contains NUL cannot be stored in a document
// the same way and is rejected by the builder before it gets here.
func quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	for _, r := range s {
		if r == '\\' || r == '"' {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return b.String()
}

// filter builds a Meilisearch filter expression from typed values: every
// condition is ANDed, attribute names are constants of this package, and
// every string value goes through quote and every number through strconv.
// The first bad value is kept in err and reported by build.
type filter struct {
	conds []string
	err   error
}

func checkValue(attr, v string) error {
	if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
		return invalid(attr, "is not valid UTF-8 text")
	}
	return nil
}

// eq adds attr = v; on an array attribute it matches documents whose array
// contains v.
func (f *filter) eq(attr, v string) {
	if err := checkValue(attr, v); err != nil {
		f.fail(err)
		return
	}
	f.conds = append(f.conds, attr+" = "+quote(v))
}

// in adds attr IN [vs...], matching any of vs; no values adds nothing.
func (f *filter) in(attr string, vs []string) {
	if len(vs) == 0 {
		return
	}
	q := make([]string, len(vs))
	for i, v := range vs {
		if err := checkValue(attr, v); err != nil {
			f.fail(err)
			return
		}
		q[i] = quote(v)
	}
	f.conds = append(f.conds, attr+" IN ["+strings.Join(q, ", ")+"]")
}

// num adds attr op n for op one of = != > >= < <=.
func (f *filter) num(attr, op string, n float64) {
	switch op {
	case "=", "!=", ">", ">=", "<", "<=":
	default:
		f.fail(fmt.Errorf("search: filter operator %q", op))
		return
	}
	if math.IsNaN(n) || math.IsInf(n, 0) {
		f.fail(invalid(attr, "must be a finite number"))
		return
	}
	f.conds = append(f.conds, attr+" "+op+" "+strconv.FormatFloat(n, 'f', -1, 64))
}

// boolean adds attr = true or attr = false.
func (f *filter) boolean(attr string, v bool) {
	f.conds = append(f.conds, attr+" = "+strconv.FormatBool(v))
}

// geoRadius adds _geoRadius(lat, lng, meters); callers validate ranges.
func (f *filter) geoRadius(lat, lng, meters float64) {
	for _, v := range []float64{lat, lng, meters} {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			f.fail(invalid("near", "coordinates must be finite"))
			return
		}
	}
	ff := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	f.conds = append(f.conds, "_geoRadius("+ff(lat)+", "+ff(lng)+", "+ff(math.Round(meters))+")")
}

func (f *filter) fail(err error) {
	if f.err == nil {
		f.err = err
	}
}

// build returns the expression, "" when there are no conditions.
func (f *filter) build() (string, error) {
	if f.err != nil {
		return "", f.err
	}
	return strings.Join(f.conds, " AND "), nil
}
