package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"carefit/internal/kit/errs"
	"carefit/internal/platform/logging"
	"carefit/intro"
)

// FieldError names one invalid field or parameter of a request.
type FieldError = errs.Field

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail,omitempty"`
	Instance  string `json:"instance,omitempty"`
	RequestID string `json:"request_id,omitempty"`
	// Code names the rule that refused the request when the type alone
	// does not (which limit answered 429 or 409).
	Code   string       `json:"code,omitempty"`
	Errors []FieldError `json:"errors,omitempty"`
}

// problemType is the base of the problem type URIs documented in the spec.
const problemType = "https://carefit.dev/problems/"

// kindProblem is the one table from an error's kind to what the client
// reads: the HTTP status, the problem type's slug and the detail used when
// the error carries no message of its own.
var kindProblem = map[errs.Kind]struct {
	status int
	slug   string
	detail string
}{
	errs.Internal:             {http.StatusInternalServerError, "internal", "The server could not complete the request."},
	errs.Malformed:            {http.StatusBadRequest, "malformed-request", "the request could not be read"},
	errs.Invalid:              {http.StatusUnprocessableEntity, "invalid-request", "the request is not valid"},
	errs.Unauthenticated:      {http.StatusUnauthorized, "unauthorized", "the API key is unknown or revoked"},
	errs.Forbidden:            {http.StatusForbidden, "forbidden", "this API key may not do this"},
	errs.NotFound:             {http.StatusNotFound, "not-found", "no such record, or not visible to this API key"},
	errs.NotAllowed:           {http.StatusMethodNotAllowed, "method-not-allowed", "this route does not take this method"},
	errs.Conflict:             {http.StatusConflict, "conflict", "the change clashes with the record's current state"},
	errs.PreconditionFailed:   {http.StatusPreconditionFailed, "stale-version", "the record changed since you read it: GET it again and reapply your change"},
	errs.PreconditionRequired: {http.StatusPreconditionRequired, "precondition-required", "send If-Match with the ETag you read"},
	errs.TooLarge:             {http.StatusRequestEntityTooLarge, "too-large", "the request is larger than this route accepts"},
	errs.Unsupported:          {http.StatusUnsupportedMediaType, "unsupported-media-type", "the body is not in a media type this route accepts"},
	errs.RateLimited:          {http.StatusTooManyRequests, "rate-limited", "too many requests: slow down"},
	errs.Unavailable:          {http.StatusServiceUnavailable, "unavailable", "a service this request needs is unavailable: retry shortly"},
}

// retryAfterSeconds is the Retry-After sent with 503 answers.
const retryAfterSeconds = "5"

// retryAfterLimited is the Retry-After of a 429 whose limit did not say
// when it frees: a request rate's next token is at most a second away.
const retryAfterLimited = "1"

// limitedRetryAfter is the Retry-After, in seconds, of a 429 answering
// err. The daily introduction limit frees when the oldest request it
// counts leaves its 24-hour window: the store names that time in the
// message only, so the answer gives the whole window, the longest a
// client may have to wait.
func limitedRetryAfter(err error) string {
	if errors.Is(err, intro.ErrDailyLimit) {
		return strconv.Itoa(int(intro.DailyWindow / time.Second))
	}
	return retryAfterLimited
}

// statusKind maps the statuses echo itself answers with (unknown route,
// wrong method, body limit) to kinds.
var statusKind = map[int]errs.Kind{
	http.StatusBadRequest: errs.Malformed, http.StatusUnauthorized: errs.Unauthenticated,
	http.StatusForbidden: errs.Forbidden, http.StatusNotFound: errs.NotFound,
	http.StatusMethodNotAllowed: errs.NotAllowed, http.StatusRequestEntityTooLarge: errs.TooLarge,
	http.StatusUnsupportedMediaType: errs.Unsupported, http.StatusTooManyRequests: errs.RateLimited,
	http.StatusServiceUnavailable: errs.Unavailable,
}

// fail is an error of kind with a client message, raised by the API layer.
func fail(kind errs.Kind, detail string) error { return errs.E("api", kind, detail) }

// malformed is a 400 naming the fields or parameters that could not be read.
func malformed(detail string, fields ...FieldError) error {
	return &errs.Error{Op: "api", Kind: errs.Malformed, Message: detail, Fields: fields}
}

// unprocessable is a 422 naming the fields whose values break a rule.
func unprocessable(detail string, fields ...FieldError) error {
	return &errs.Error{Op: "api", Kind: errs.Invalid, Message: detail, Fields: fields}
}

// problemFor maps any error to the problem sent to the client, and reports
// whether it is a fault of the server (to be logged). Only the kind table
// and the errors' own client messages reach the body: causes never do.
func problemFor(err error) (*Problem, bool) {
	kind := errs.KindOf(err)
	msg := errs.Message(err)
	fields := errs.Fields(err)
	var he *echo.HTTPError
	if kind == errs.Internal && errors.As(err, &he) {
		if k, ok := statusKind[he.Code]; ok {
			kind = k
			if s, ok := he.Message.(string); ok && he.Code < 500 {
				msg = s
			}
		}
	}
	row, ok := kindProblem[kind]
	if !ok {
		row, kind = kindProblem[errs.Internal], errs.Internal
	}
	if msg == "" || kind == errs.Internal {
		msg = row.detail
	}
	code := ""
	if kind != errs.Internal {
		code = errs.Code(err)
	}
	return &Problem{Type: problemType + row.slug, Title: http.StatusText(row.status), Status: row.status,
		Detail: msg, Code: code, Errors: fields}, kind == errs.Internal || kind == errs.Unavailable
}

// errorHandler writes every error as application/problem+json; faults are
// logged with the request ID and their cause, never shown to the client.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p, fault := problemFor(err)
		ctx := c.Request().Context()
		p.RequestID = logging.RequestID(ctx)
		p.Instance = c.Request().URL.Path
		if fault {
			log.ErrorContext(ctx, "request failed", "err", err, "status", p.Status, "method", c.Request().Method, "path", c.Path())
		}
		switch h := c.Response().Header(); {
		case p.Status == http.StatusServiceUnavailable:
			h.Set("Retry-After", retryAfterSeconds)
		case p.Status == http.StatusTooManyRequests && h.Get("Retry-After") == "":
			// Every 429 says when to come back; a limit that knows sets
			// its own before it fails (the rate limiter, import slots).
			h.Set("Retry-After", limitedRetryAfter(err))
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(p.Status)
			return
		}
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		c.Response().WriteHeader(p.Status)
		_ = jsonEncode(c.Response(), p)
	}
}
