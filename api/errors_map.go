package api

import (
	"errors"
	"strings"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/jobs"
)

// legacyError classifies the domains' sentinel and validation errors that
// are not yet *errs.Error values. It goes away once every domain returns
// errs.
func legacyError(err error) error {
	var (
		jv *jobs.ValidationError
		cv *candidates.ValidationError
	)
	switch {
	case errors.As(err, &jv):
		var fs []FieldError
		for _, f := range jv.Errors {
			fs = append(fs, FieldError{Path: f.Field, Message: f.Message})
		}
		return unprocessable("the request is not valid", fs...)
	case errors.As(err, &cv):
		var fs []FieldError
		for _, f := range cv.Errors {
			fs = append(fs, FieldError{Path: f.Field, Message: f.Message})
		}
		return unprocessable("the request is not valid", fs...)
	case errors.Is(err, jobs.ErrNotFound), errors.Is(err, candidates.ErrNotFound), errors.Is(err, access.ErrNotFound):
		return fail(errs.NotFound, "")
	case errors.Is(err, jobs.ErrPreconditionFailed), errors.Is(err, candidates.ErrPreconditionFailed):
		return fail(errs.PreconditionFailed, "")
	case errors.Is(err, jobs.ErrInvalidTransition):
		return fail(errs.Conflict, cleanMessage(err))
	case errors.Is(err, jobs.ErrConflict), errors.Is(err, candidates.ErrConflict):
		return fail(errs.Conflict, cleanMessage(err))
	case errors.Is(err, access.ErrInvalid):
		// access errors read "invalid key request: <field>: <message>".
		msg := cleanMessage(err)
		if rest, ok := strings.CutPrefix(msg, "invalid key request: "); ok {
			if field, m, ok := strings.Cut(rest, ": "); ok && !strings.Contains(field, " ") {
				return unprocessable(msg, FieldError{Path: field, Message: m})
			}
		}
		return unprocessable(msg)
	case errors.Is(err, access.ErrUnauthenticated):
		return fail(errs.Unauthenticated, "")
	}
	return err
}

// cleanMessage keeps the human part of a domain error: the text after the
// last "package: " prefix the stores add while wrapping.
func cleanMessage(err error) string {
	msg, cut := err.Error(), -1
	for _, pre := range []string{"jobs: ", "candidates: ", "access: "} {
		if i := strings.LastIndex(msg, pre); i >= 0 && i+len(pre) > cut {
			cut = i + len(pre)
		}
	}
	if cut > 0 {
		msg = msg[cut:]
	}
	return msg
}
