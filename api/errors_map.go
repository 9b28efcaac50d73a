package api

import (
	"errors"
	"net/http"
	"strings"

	"carefit/access"
	"carefit/candidates"
	"carefit/jobs"
)

// domainProblem maps the domains' sentinel and validation errors.
func domainProblem(err error) *Problem {
	var (
		jv *jobs.ValidationError
		cv *candidates.ValidationError
	)
	switch {
	case errors.As(err, &jv):
		p := invalid(http.StatusUnprocessableEntity, "the request is not valid")
		for _, f := range jv.Errors {
			p.Errors = append(p.Errors, FieldError{Field: f.Field, Message: f.Message})
		}
		return p
	case errors.As(err, &cv):
		p := invalid(http.StatusUnprocessableEntity, "the request is not valid")
		for _, f := range cv.Errors {
			p.Errors = append(p.Errors, FieldError{Field: f.Field, Message: f.Message})
		}
		return p
	case errors.Is(err, jobs.ErrNotFound), errors.Is(err, candidates.ErrNotFound), errors.Is(err, access.ErrNotFound):
		return newProblem(http.StatusNotFound, "not-found", "no such record, or not visible to this API key")
	case errors.Is(err, jobs.ErrPreconditionFailed), errors.Is(err, candidates.ErrPreconditionFailed):
		return newProblem(http.StatusPreconditionFailed, "stale-version",
			"the record changed since you read it: GET it again and reapply your change")
	case errors.Is(err, jobs.ErrInvalidTransition):
		return newProblem(http.StatusConflict, "invalid-transition", cleanMessage(err))
	case errors.Is(err, jobs.ErrConflict), errors.Is(err, candidates.ErrConflict):
		return newProblem(http.StatusConflict, "conflict", cleanMessage(err))
	case errors.Is(err, access.ErrInvalid):
		// access errors read "invalid key request: <field>: <message>".
		msg := cleanMessage(err)
		p := invalid(http.StatusUnprocessableEntity, msg)
		if rest, ok := strings.CutPrefix(msg, "invalid key request: "); ok {
			if field, m, ok := strings.Cut(rest, ": "); ok && !strings.Contains(field, " ") {
				p.Errors = []FieldError{{Field: field, Message: m}}
			}
		}
		return p
	case errors.Is(err, access.ErrUnauthenticated):
		return newProblem(http.StatusUnauthorized, "unauthorized", "the API key is unknown or revoked")
	}
	return nil
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
