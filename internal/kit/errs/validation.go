package errs

import (
	"fmt"
	"strings"
)

// Validation collects every problem found in an input; validation does not
// stop at the first one, so a form can show them all. The zero value is
// ready to use.
type Validation struct {
	// Op names the check, such as "jobs.Position.Validate"; it is kept on
	// the error Err returns.
	Op     string
	Fields []Field
}

// Add records a problem with the field at path.
func (v *Validation) Add(path, format string, args ...any) {
	v.Fields = append(v.Fields, Field{Path: path, Message: fmt.Sprintf(format, args...)})
}

// Merge adds err's field errors with prefix (such as "locations[1]")
// prepended to their paths. An error without field errors is added under
// prefix itself with its client message, or "is not valid" when it has
// none: its text is not meant for clients.
func (v *Validation) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	fields := Fields(err)
	if len(fields) == 0 {
		msg := Message(err)
		if msg == "" {
			msg = "is not valid"
		}
		v.Add(prefix, "%s", msg)
		return
	}
	for _, f := range fields {
		v.Fields = append(v.Fields, Field{Path: JoinPath(prefix, f.Path), Message: f.Message})
	}
}

// JoinPath joins a JSON path prefix and a relative path: "a" and "b" give
// "a.b", "a" and "[2].b" give "a[2].b", and an empty side gives the other.
func JoinPath(prefix, path string) string {
	switch {
	case prefix == "":
		return path
	case path == "":
		return prefix
	case strings.HasPrefix(path, "["):
		return prefix + path
	default:
		return prefix + "." + path
	}
}

// Has reports whether a problem was recorded for path.
func (v *Validation) Has(path string) bool {
	for _, f := range v.Fields {
		if f.Path == path {
			return true
		}
	}
	return false
}

// Err returns an Invalid *Error holding the problems, or nil when there
// are none, so callers never return a non-nil error holding an empty list.
func (v *Validation) Err() error {
	if v == nil || len(v.Fields) == 0 {
		return nil
	}
	return &Error{Op: v.Op, Kind: Invalid, Message: "the request is not valid", Fields: v.Fields}
}

// Invalidf is an Invalid error for one field.
func Invalidf(op, path, format string, args ...any) *Error {
	return &Error{Op: op, Kind: Invalid, Message: "the request is not valid",
		Fields: []Field{{Path: path, Message: fmt.Sprintf(format, args...)}}}
}

// Malformedf is a Malformed error for one field or parameter, with a
// message for the whole request.
func Malformedf(op, path, msg, format string, args ...any) *Error {
	return &Error{Op: op, Kind: Malformed, Message: msg,
		Fields: []Field{{Path: path, Message: fmt.Sprintf(format, args...)}}}
}
