// Package errs is carefit's one error type. An *Error carries a Kind (what
// went wrong, which decides the HTTP status), the operation that failed, a
// message written for the client, optional field errors with JSON paths,
// and the underlying cause, which is logged and never shown. Domains,
// stores and the application layer return *Error values (usually through
// the helpers here); the API maps each Kind to a status and problem type in
// one table. Nothing parses error strings.
//
// The model is upspin's errors.E(op, kind, err) and wtf's Error{Code,
// Message}: errors are data, not text.
package errs

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error. The zero Kind is Internal: an error that was
// never classified is a fault of the server, never the client's.
type Kind uint8

// The kinds of error. Each maps to one HTTP status and problem type.
const (
	// Internal is a fault of the server or of a dependency it did not
	// expect to fail; the client learns nothing of the cause.
	Internal Kind = iota
	// Malformed is a request the server cannot read: bad JSON, an unknown
	// query parameter, a value of the wrong type (400).
	Malformed
	// Invalid is a well-formed request whose values break a rule (422).
	Invalid
	// Unauthenticated is a missing, unknown or revoked API key (401).
	Unauthenticated
	// Forbidden is an authenticated caller whose role may not do this (403).
	Forbidden
	// NotFound is a record that does not exist or is not visible to the
	// caller: the two are never told apart (404).
	NotFound
	// NotAllowed is a method the route does not serve (405).
	NotAllowed
	// Conflict is a change that clashes with the current state, such as a
	// duplicate or a status change the lifecycle forbids (409).
	Conflict
	// PreconditionFailed is a stale If-Match version (412).
	PreconditionFailed
	// PreconditionRequired is a write to a versioned record without
	// If-Match (428).
	PreconditionRequired
	// TooLarge is a body, a list or a value over its limit (413).
	TooLarge
	// Unsupported is a body in a media type the route does not take (415).
	Unsupported
	// RateLimited is a caller over its request or concurrency limit (429).
	RateLimited
	// Unavailable is a dependency that is down or not configured; the
	// request may succeed if retried later (503).
	Unavailable
)

var kindNames = [...]string{
	Internal: "internal", Malformed: "malformed", Invalid: "invalid", Unauthenticated: "unauthenticated",
	Forbidden: "forbidden", NotFound: "not found", NotAllowed: "method not allowed", Conflict: "conflict", PreconditionFailed: "precondition failed",
	PreconditionRequired: "precondition required", TooLarge: "too large", Unsupported: "unsupported media type",
	RateLimited: "rate limited", Unavailable: "unavailable",
}

// Kinds lists every kind, for tables and tests that must cover them all.
func Kinds() []Kind {
	ks := make([]Kind, len(kindNames))
	for i := range ks {
		ks[i] = Kind(i)
	}
	return ks
}

// String names the kind in words.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// Field is one problem with one input field.
type Field struct {
	// Path is the field's JSON path, such as "pay.min" or "licences[2].number",
	// or the name of a query or path parameter.
	Path string `json:"field"`
	// Message says what is wrong in words a user can act on.
	Message string `json:"message"`
}

// Error is carefit's error value.
type Error struct {
	// Op is the operation that failed, such as "jobs.GetPosition"; logged.
	Op string
	// Kind classifies the error.
	Kind Kind
	// Message is written for the client. Empty means the kind's generic
	// message.
	Message string
	// Fields lists the fields at fault, for Malformed and Invalid.
	Fields []Field
	// Code, when set, names the rule that refused the request in words a
	// program can match, such as "introduction_daily_limit": the kind says
	// how (429, 409), the code says which limit. Clients read it as the
	// problem's "code".
	Code string
	// Err is the underlying cause. It is logged and never shown, so it may
	// hold database or library text.
	Err error
}

// E builds an error of kind for op with a client message.
func E(op string, kind Kind, msg string) *Error {
	return &Error{Op: op, Kind: kind, Message: msg}
}

// Wrap builds an error of kind for op with a client message and the cause
// err, which is kept for logs and errors.Is but never shown to the client.
func Wrap(op string, kind Kind, err error, msg string) *Error {
	return &Error{Op: op, Kind: kind, Message: msg, Err: err}
}

// Internalf wraps an unexpected failure of op: the client reads a generic
// message, the log reads the cause.
func Internalf(op string, err error) *Error {
	return &Error{Op: op, Kind: Internal, Err: err}
}

// Error renders the error for logs: op, kind, message, fields and cause.
func (e *Error) Error() string {
	var b strings.Builder
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	b.WriteString(e.Kind.String())
	if e.Code != "" {
		b.WriteString(" (" + e.Code + ")")
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Path)
		b.WriteString(": ")
		b.WriteString(f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error of the same kind with no other
// details set, so that errors.Is(err, errs.Of(errs.NotFound)) asks "is this
// a not-found" and a package sentinel such as jobs.ErrNotFound matches any
// not-found error of the same op. A target with a Code matches only errors
// with that code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok || t.Kind != e.Kind || t.Err != nil || len(t.Fields) > 0 || t.Code != "" && t.Code != e.Code {
		return false
	}
	return t.Op == "" || t.Op == e.Op || strings.HasPrefix(e.Op, t.Op+".")
}

// Of returns a bare error of kind, for errors.Is tests.
func Of(kind Kind) *Error { return &Error{Kind: kind} }

// KindOf returns the kind of the outermost *Error in err's chain whose kind
// is not Internal, or Internal when there is none (a nil err is Internal
// too; callers check for nil first).
func KindOf(err error) Kind {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return Internal
		}
		if e.Kind != Internal {
			return e.Kind
		}
		err = e.Err
	}
	return Internal
}

// As returns the outermost classified *Error in err's chain, or nil.
func As(err error) *Error {
	for err != nil {
		var e *Error
		if !errors.As(err, &e) {
			return nil
		}
		if e.Kind != Internal {
			return e
		}
		err = e.Err
	}
	return nil
}

// Message returns the client message of err's classified *Error, or "" for
// an unclassified error (whose text must not reach the client).
func Message(err error) string {
	if e := As(err); e != nil {
		return e.Message
	}
	return ""
}

// Code returns the rule code of err's classified *Error, or "" when it
// has none.
func Code(err error) string {
	if e := As(err); e != nil {
		return e.Code
	}
	return ""
}

// Fields returns the field errors of err's classified *Error.
func Fields(err error) []Field {
	if e := As(err); e != nil {
		return e.Fields
	}
	return nil
}

// HasField reports whether err names path among its field errors.
func HasField(err error, path string) bool {
	for _, f := range Fields(err) {
		if f.Path == path {
			return true
		}
	}
	return false
}
