package candidates

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors returned by this package and by the candidates store. Callers
// test for them with errors.Is; the API maps them to HTTP statuses.
var (
	// ErrNotFound means the profile does not exist (or is not visible to
	// the caller).
	ErrNotFound = errors.New("candidates: not found")
	// ErrConflict means the change clashes with existing data, such as a
	// duplicate ID or an NPI already on another profile.
	ErrConflict = errors.New("candidates: conflict")
	// ErrPreconditionFailed means the caller's version (ETag) is stale:
	// someone else changed the record since it was read.
	ErrPreconditionFailed = errors.New("candidates: precondition failed: stale version")
)

// FieldError is one problem with one input field.
type FieldError struct {
	// Field is the JSON path of the field, e.g. "contact.email" or
	// "licences[2].number".
	Field string `json:"field"`
	// Message says what is wrong in words a user can act on.
	Message string `json:"message"`
}

// ValidationError lists every problem found in an input; validation does not
// stop at the first one, so a form can show them all.
type ValidationError struct {
	Errors []FieldError `json:"errors"`
}

// Error joins the field errors into one line.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Errors))
	for i, fe := range e.Errors {
		parts[i] = fe.Field + ": " + fe.Message
	}
	return "candidates: invalid input: " + strings.Join(parts, "; ")
}

// Add records a problem with field.
func (e *ValidationError) Add(field, format string, args ...any) {
	e.Errors = append(e.Errors, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// Merge adds other's errors with prefix (e.g. "licences[1]") prepended to
// their fields. A nil or non-validation error is added under prefix itself.
func (e *ValidationError) Merge(prefix string, err error) {
	if err == nil {
		return
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		e.Add(prefix, "%v", err)
		return
	}
	for _, fe := range ve.Errors {
		f := fe.Field
		switch {
		case prefix == "":
		case strings.HasPrefix(f, "["):
			f = prefix + f
		default:
			f = prefix + "." + f
		}
		e.Errors = append(e.Errors, FieldError{Field: f, Message: fe.Message})
	}
}

// Err returns e when it holds errors and nil otherwise, so callers never
// return a non-nil error interface holding an empty list.
func (e *ValidationError) Err() error {
	if e == nil || len(e.Errors) == 0 {
		return nil
	}
	return e
}

// Has reports whether e holds an error for field.
func (e *ValidationError) Has(field string) bool {
	for _, fe := range e.Errors {
		if fe.Field == field {
			return true
		}
	}
	return false
}
