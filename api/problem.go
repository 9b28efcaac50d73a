package api

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"carefit/internal/platform/logging"
)

// FieldError names one invalid field of a request.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Problem is an RFC 9457 problem details body.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
}

// Error lets a Problem travel as an error from a handler to the error
// handler.
func (p *Problem) Error() string { return p.Title + ": " + p.Detail }

// problemType is the base of the problem type URIs documented in the spec.
const problemType = "https://carefit.dev/problems/"

// newProblem builds a problem with status and a stable type slug.
func newProblem(status int, slug, detail string) *Problem {
	return &Problem{Type: problemType + slug, Title: http.StatusText(status), Status: status, Detail: detail}
}

// invalid is a 400/422 naming the fields at fault.
func invalid(status int, detail string, fields ...FieldError) *Problem {
	p := newProblem(status, "invalid-request", detail)
	p.Errors = fields
	return p
}

// problemFor maps any error to the problem sent to the client. Unknown
// errors become a generic 500 that reveals nothing of the cause.
func problemFor(err error) (*Problem, bool) {
	var p *Problem
	if errors.As(err, &p) {
		cp := *p
		return &cp, false
	}
	var he *echo.HTTPError
	if errors.As(err, &he) {
		detail := http.StatusText(he.Code)
		if s, ok := he.Message.(string); ok {
			detail = s
		}
		slug := map[int]string{
			http.StatusNotFound: "not-found", http.StatusMethodNotAllowed: "method-not-allowed",
			http.StatusRequestEntityTooLarge: "body-too-large", http.StatusUnauthorized: "unauthorized",
			http.StatusForbidden: "forbidden", http.StatusTooManyRequests: "rate-limited",
			http.StatusUnsupportedMediaType: "unsupported-media-type", http.StatusBadRequest: "invalid-request",
		}[he.Code]
		if slug == "" {
			slug = "http-error"
		}
		if he.Code >= 500 {
			return newProblem(he.Code, "internal", "The server could not complete the request."), true
		}
		return newProblem(he.Code, slug, detail), false
	}
	if p := domainProblem(err); p != nil {
		return p, false
	}
	return newProblem(http.StatusInternalServerError, "internal", "The server could not complete the request."), true
}

// errorHandler writes every error as application/problem+json; real faults
// are logged with the request ID and never shown to the client.
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
			log.ErrorContext(ctx, "request failed", "err", err, "method", c.Request().Method, "path", c.Path())
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
