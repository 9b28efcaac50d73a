package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"carefit/internal/kit/errs"
)

// decodeJSON reads the request body as exactly one JSON value into v,
// rejecting a wrong content type (415), malformed JSON, unknown fields and
// wrong types (400, naming the field). Bodies over the limit were already
// refused with 413 by the BodyLimit middleware.
func decodeJSON(c echo.Context, v any) error {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if mt, _, err := mime.ParseMediaType(ct); err != nil || (mt != "application/json" && mt != "application/merge-patch+json") {
		return fail(errs.Unsupported, "send the body as application/json")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var he *echo.HTTPError // BodyLimit's 413
		if errors.As(err, &he) {
			return he
		}
		return malformed("the request body could not be read")
	}
	return decodeBytes(body, v)
}

// decodeBytes decodes one JSON document strictly (see decodeJSON).
func decodeBytes(body []byte, v any) error {
	if !utf8.Valid(body) {
		return malformed("the body is not valid UTF-8", FieldError{Path: "body", Message: "not valid UTF-8"})
	}
	// null decodes into a struct as a no-op, which would turn a PATCH into
	// an empty change that still bumps the version.
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return malformed("the body must be a JSON object", FieldError{Path: "body", Message: "a JSON object is required, not null"})
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return malformed("the body holds more than one JSON value", FieldError{Path: "body", Message: "trailing data after the JSON value"})
	}
	if _, err := dec.Token(); err != io.EOF {
		return malformed("the body holds more than one JSON value", FieldError{Path: "body", Message: "trailing data after the JSON value"})
	}
	return nil
}

// jsonProblem turns a decoding error into a 400 naming the field.
func jsonProblem(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
	)
	switch {
	case errors.Is(err, io.EOF):
		return malformed("the body is empty", FieldError{Path: "body", Message: "a JSON object is required"})
	case errors.As(err, &syn):
		return malformed("the body is not valid JSON",
			FieldError{Path: "body", Message: fmt.Sprintf("malformed JSON at byte %d", syn.Offset)})
	case errors.As(err, &typ):
		// The domains' list decoders mark an element as ".[i]" because
		// encoding/json joins path segments with dots.
		field := strings.ReplaceAll(typ.Field, ".[", "[")
		if field == "" {
			field = "body"
		}
		want := jsonType(typ.Type.Kind().String())
		if typ.Type == timeType {
			want = "an RFC 3339 date-time like 2026-09-01T00:00:00Z"
		}
		return malformed("a field has the wrong type",
			FieldError{Path: field, Message: fmt.Sprintf("must be %s, not %s", want, typ.Value)})
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name, _ := strconv.Unquote(strings.TrimPrefix(err.Error(), "json: unknown field "))
		return malformed("the body has a field this API does not know",
			FieldError{Path: name, Message: "unknown field"})
	case errors.Is(err, io.ErrUnexpectedEOF):
		return malformed("the body is not valid JSON", FieldError{Path: "body", Message: "unexpected end of JSON"})
	default:
		// Errors from custom UnmarshalJSON methods (dates, enums, patch
		// fields) carry their own message; report it without internals.
		msg := strings.TrimPrefix(err.Error(), "json: ")
		field := "body"
		if i := strings.Index(msg, ": "); i > 0 && !strings.Contains(msg[:i], " ") {
			field, msg = msg[:i], msg[i+2:]
		}
		return malformed("a field could not be read", FieldError{Path: field, Message: msg})
	}
}

// timeType is the type named by the domains' errors for a bad date-time.
var timeType = reflect.TypeFor[time.Time]()

func jsonType(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number in range"
	case "float32", "float64":
		return "a number"
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "map", "struct":
		return "an object"
	}
	return kind
}

// queryParams checks that a request uses only the query parameters the
// route knows, so a typo is a 400 instead of a silently ignored filter.
func queryParams(c echo.Context, allowed ...string) error {
	// net/url drops pairs it cannot parse (such as ones with a raw ";"),
	// which would silently remove a filter.
	if _, err := url.ParseQuery(c.Request().URL.RawQuery); err != nil {
		return malformed("the query string is not valid",
			FieldError{Path: "query", Message: "malformed query string; escape ; as %3B"})
	}
	q := c.QueryParams()
	var bad []FieldError
	for k, vs := range q {
		known := false
		for _, a := range allowed {
			if k == a {
				known = true
				break
			}
		}
		switch {
		case !known:
			bad = append(bad, FieldError{Path: k, Message: "unknown query parameter"})
		case len(vs) > 1:
			bad = append(bad, FieldError{Path: k, Message: "give this parameter once"})
		case len(vs[0]) > 500:
			bad = append(bad, FieldError{Path: k, Message: "at most 500 characters"})
		}
	}
	if len(bad) > 0 {
		return malformed("the query string is not valid", bad...)
	}
	return nil
}

// Checking parameters once. The OpenAPI validator (see validated) is the
// one check of each query parameter's type, range and length: it runs on
// every /v1 route before the handler. The binders below only convert the
// validated text into typed values (a parse failure cannot happen after
// validation and is reported as malformed all the same) and check what the
// document cannot express: that no unknown parameter is sent
// (queryParams), the values of comma-separated vocabularies (listParam),
// dates (dateParam) and parameters that go together (a point needs both
// coordinates). Use cases and stores then trust their typed input; only
// what a store alone can judge, such as a cursor it issued, is checked
// there.

// intParam reads an optional integer query parameter; its range was
// checked by the OpenAPI validator.
func intParam(c echo.Context, name string) (int, error) {
	s := c.QueryParam(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, malformed("a query parameter is not a whole number", FieldError{Path: name, Message: "must be a whole number"})
	}
	return n, nil
}

// limitParam reads the optional page-size parameter "limit" (its range
// checked by the OpenAPI validator), def when absent.
func limitParam(c echo.Context, def int) (int, error) {
	n, err := intParam(c, "limit")
	if n == 0 && err == nil {
		n = def
	}
	return n, err
}

// numParam reads an optional number query parameter; its range was
// checked by the OpenAPI validator.
func numParam(c echo.Context, name string) (float64, error) {
	s := c.QueryParam(name)
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, malformed("a query parameter is not a number", FieldError{Path: name, Message: "must be a number"})
	}
	return f, nil
}

// listParam reads a comma-separated query parameter, each value checked
// by valid; an unknown value is a 400 naming the parameter.
func listParam(c echo.Context, name string, valid func(string) bool) ([]string, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return nil, nil
	}
	parts := strings.Split(raw, ",")
	if len(parts) > 20 {
		return nil, malformed("too many values", FieldError{Path: name, Message: "at most 20 values"})
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if !valid(parts[i]) {
			return nil, malformed("unknown filter value", FieldError{Path: name, Message: "unknown value " + strconv.Quote(parts[i])})
		}
	}
	return parts, nil
}

// dateParam reads an optional YYYY-MM-DD query parameter.
func dateParam(c echo.Context, name string) (time.Time, error) {
	s := c.QueryParam(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, malformed("a date is malformed", FieldError{Path: name, Message: "must be a date like 2027-01-31"})
	}
	return t, nil
}
