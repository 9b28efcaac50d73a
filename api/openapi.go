package api

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/labstack/echo/v4"

	"carefit/internal/kit/errs"
)

// openapiYAML is the hand-written OpenAPI 3.0 document of the API: served
// at /openapi.yaml, rendered at /docs, and enforced on every /v1 request.
//
//go:embed openapi.yaml
var openapiYAML []byte

// apiSpec is the parsed document and the lookups built from it.
type apiSpec struct {
	doc *openapi3.T
	// router finds the operation of a raw *http.Request (response checks
	// in tests).
	router routers.Router
	// ops maps "METHOD /echo/path/:id" to its operation, so the request
	// validator uses exactly the route echo matched.
	ops map[string]*routers.Route
}

// loadSpec parses and validates the embedded document once. The document
// is part of the binary, so an error here is a programming error that the
// package's tests catch.
var loadSpec = sync.OnceValues(func() (*apiSpec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapiYAML)
	if err != nil {
		return nil, fmt.Errorf("api: load openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("api: openapi.yaml is not valid: %w", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("api: openapi.yaml: %w", err)
	}
	sp := &apiSpec{doc: doc, router: router, ops: map[string]*routers.Route{}}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			// The authenticate middleware has checked the key before any
			// validation, so the validator is given no security to check:
			// kin-openapi reads the whole body into memory to check one,
			// which would buffer every streamed import. The document keeps
			// its security for readers.
			checked := *op
			checked.Security = &openapi3.SecurityRequirements{}
			sp.ops[method+" "+echoPath(path)] = &routers.Route{Spec: doc, Path: path, PathItem: item, Method: method, Operation: &checked}
		}
	}
	return sp, nil
})

var templateParam = regexp.MustCompile(`\{([^}/]+)\}`)

// echoPath turns an OpenAPI path template (/v1/positions/{id}) into echo's
// form (/v1/positions/:id).
func echoPath(p string) string { return templateParam.ReplaceAllString(p, ":$1") }

// mustSpec is loadSpec for server construction, where the embedded
// document cannot be missing.
func mustSpec() *apiSpec {
	sp, err := loadSpec()
	if err != nil {
		panic(err)
	}
	return sp
}

// validated returns roles followed by request validation, so that every
// route checks the caller (401, then 403) before the request's shape (400,
// 415, 422): a caller without the role learns nothing from validation and
// gets the same 403 whatever it sent. Mount it by wrapping the role
// middleware of the /v1 routes.
func validated(roles echo.MiddlewareFunc) echo.MiddlewareFunc {
	check := mustSpec().validateRequest
	return func(next echo.HandlerFunc) echo.HandlerFunc { return roles(check(next)) }
}

// validateRequest checks the path, query, headers and JSON body of a
// request against its operation, and answers a mismatch with a problem
// naming the fields: 415 for a body of the wrong media type, 400 for
// malformed input (bad JSON, wrong types, unknown fields, bad query
// parameters or headers) and 422 for values that break a rule of the
// schema, as the domains would. Routes the document does not describe pass
// through (the package's tests fail on them). Streamed bodies (NDJSON
// imports) are left to their handler, which validates line by line; other
// bodies were capped by BodyLimit, which runs first, and are read once into
// memory and handed on to the handler.
func (sp *apiSpec) validateRequest(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		route := sp.ops[req.Method+" "+c.Path()]
		if route == nil {
			return next(c)
		}
		opts := &openapi3filter.Options{
			AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, // the authenticate middleware did it
			MultiError:         true,
			// Defaults are documentation: the handlers apply them, and
			// rewriting the body or query here would hide what was sent.
			SkipSettingDefaults: true,
			// Read-only fields (id, version, timestamps, consent time) are
			// the server's: a body that sets one is refused, naming it.
		}
		if rb := route.Operation.RequestBody; rb != nil {
			if streamed(rb.Value) || !rb.Value.Required && noBody(req) {
				opts.ExcludeRequestBody = true
			} else if rb.Value.Content.Get(req.Header.Get(echo.HeaderContentType)) == nil {
				// Refuse before reading a body that cannot be used.
				return fail(errs.Unsupported, "send the body as application/json")
			} else if err := bufferBody(req); err != nil {
				return err
			}
		}
		params := make(map[string]string, len(c.ParamNames()))
		for i, name := range c.ParamNames() {
			params[name] = c.ParamValues()[i]
		}
		err := openapi3filter.ValidateRequest(req.Context(), &openapi3filter.RequestValidationInput{
			Request: req, PathParams: params, Route: route, Options: opts,
		})
		if err != nil {
			return requestProblem(err)
		}
		return next(c)
	}
}

// noBody reports whether req was sent without a body: an optional body
// left out (an introduction's answer without a reply) is not a body of
// the wrong media type.
func noBody(req *http.Request) bool {
	return req.ContentLength == 0 && len(req.TransferEncoding) == 0
}

// bufferBody reads a JSON body into memory once, so that the validator
// and then the handler read it from there, and refuses bytes that are not
// UTF-8 as the handlers do (the JSON decoder would replace them silently).
func bufferBody(req *http.Request) error {
	if req.Body == nil || req.Body == http.NoBody {
		return nil
	}
	data, err := io.ReadAll(req.Body)
	req.Body.Close()
	if err != nil {
		var he *echo.HTTPError // BodyLimit's 413
		if errors.As(err, &he) {
			return he
		}
		return malformed("the request body could not be read")
	}
	if !utf8.Valid(data) {
		return malformed("the body is not valid UTF-8", FieldError{Path: "body", Message: "not valid UTF-8"})
	}
	req.ContentLength = int64(len(data))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	req.Body, _ = req.GetBody()
	return nil
}

// streamed reports whether a request body is NDJSON, read by its handler
// as a stream and never buffered or validated as a whole.
func streamed(rb *openapi3.RequestBody) bool {
	for mt := range rb.Content {
		if mt == "application/x-ndjson" || mt == "application/jsonl" {
			return true
		}
	}
	return false
}

// requestProblem turns a validation error from openapi3filter into the
// API's problem: 413 when BodyLimit stopped the read, otherwise a 400 or
// 422 listing every field at fault (400 when any fault is malformed input).
func requestProblem(err error) error {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he
	}
	status, detail := http.StatusUnprocessableEntity, "the request is not valid"
	var fields []FieldError
	add := func(st int, d string, f FieldError) {
		if st == http.StatusBadRequest && status != http.StatusBadRequest {
			status, detail = st, d
		}
		fields = append(fields, f)
	}
	for _, e := range flatten(err) {
		var re *openapi3filter.RequestError
		if !errors.As(e, &re) {
			add(http.StatusBadRequest, "the request is not valid", FieldError{Path: "request", Message: "does not match the API description"})
			continue
		}
		switch {
		case re.Parameter != nil:
			st, f := paramFault(re)
			d := "the query string is not valid"
			switch re.Parameter.In {
			case openapi3.ParameterInHeader:
				d = "a header is not valid"
			case openapi3.ParameterInPath:
				d = "the path is not valid"
			}
			add(st, d, f)
		case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
			add(http.StatusBadRequest, "the body is empty", FieldError{Path: "body", Message: "a JSON object is required"})
		case re.Err == nil || !hasSchemaError(re.Err):
			add(http.StatusBadRequest, "the body is not valid JSON", FieldError{Path: "body", Message: "not a JSON document of the expected shape"})
		default:
			for _, se := range schemaErrors(re.Err) {
				st, f := bodyFault(se)
				add(st, "the body does not match the API's schema", f)
			}
		}
	}
	if status == http.StatusUnprocessableEntity {
		return unprocessable(detail, fields...)
	}
	return malformed(detail, fields...)
}

// flatten lists the errors inside nested openapi3.MultiErrors.
func flatten(err error) []error {
	if me, ok := err.(openapi3.MultiError); ok {
		var out []error
		for _, e := range me {
			out = append(out, flatten(e)...)
		}
		return out
	}
	return []error{err}
}

func hasSchemaError(err error) bool {
	var se *openapi3.SchemaError
	return errors.As(err, &se)
}

// schemaErrors lists the schema errors inside err.
func schemaErrors(err error) []*openapi3.SchemaError {
	var out []*openapi3.SchemaError
	for _, e := range flatten(err) {
		var se *openapi3.SchemaError
		if errors.As(e, &se) {
			out = append(out, se)
		}
	}
	return out
}

// innermost follows a schema error through allOf wrappers to the keyword
// that actually failed, and returns it with the full path to the value:
// the errors of a wrapped schema carry paths relative to the wrapper.
func innermost(se *openapi3.SchemaError) (*openapi3.SchemaError, []string) {
	path := slices.Clone(se.JSONPointer())
	for se.Origin != nil {
		var inner *openapi3.SchemaError
		errs := flatten(se.Origin)
		if len(errs) == 0 || !errors.As(errs[0], &inner) {
			break
		}
		se = inner
		if p := se.JSONPointer(); len(p) >= len(path) {
			path = slices.Clone(p) // wrapped errors carry the whole path
		}
	}
	return se, path
}

var unsupportedProp = regexp.MustCompile(`^property "(.*)" is unsupported$`)

// bodyFault describes one schema error of a body: its field path in the
// domains' form (pay.min, locations[0].state) and whether it is malformed
// input (400: wrong type, unknown field, unreadable date) or a broken rule
// (422).
func bodyFault(se *openapi3.SchemaError) (int, FieldError) {
	in, path := innermost(se)
	status, msg := http.StatusUnprocessableEntity, in.Reason
	switch in.SchemaField {
	case "type":
		status = http.StatusBadRequest
		msg = "must be " + typeName(in.Schema)
	case "format":
		status = http.StatusBadRequest
		if in.Schema != nil && in.Schema.Format == "date-time" {
			msg = "must be an RFC 3339 date-time like 2026-03-01T00:00:00Z"
		}
	case "properties", "additionalProperties":
		status, msg = http.StatusBadRequest, "unknown field"
		if m := unsupportedProp.FindStringSubmatch(in.Reason); m != nil {
			path = append(path, m[1])
		}
	case "readOnly":
		status, msg = http.StatusBadRequest, "is read-only: the server sets it; leave it out"
	case "required":
		msg = "is required"
	case "nullable":
		msg = "must not be null"
		if len(path) == 0 {
			status, msg = http.StatusBadRequest, "a JSON object is required, not null"
		}
	case "enum":
		msg = "must be one of " + enumList(in.Schema)
	}
	return status, FieldError{Path: fieldPath(path), Message: msg}
}

// paramFault describes an invalid path, query or header parameter. Like
// the handlers, it answers 400 for unreadable values, numbers out of range
// and overlong strings, and 422 for a value outside a list of known ones.
func paramFault(re *openapi3filter.RequestError) (int, FieldError) {
	p := re.Parameter
	f := FieldError{Path: p.Name, Message: "is not valid"}
	var sch *openapi3.Schema
	if p.Schema != nil {
		sch = p.Schema.Value
	}
	var se *openapi3.SchemaError
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		f.Message = "is required"
		return http.StatusBadRequest, f
	case sch != nil && sch.Type.Is(openapi3.TypeInteger):
		f.Message = "must be a whole number"
		switch {
		case sch.Min != nil && sch.Max != nil:
			f.Message = fmt.Sprintf("must be a whole number from %g to %g", *sch.Min, *sch.Max)
		case sch.Min != nil:
			f.Message = fmt.Sprintf("must be a whole number of at least %g", *sch.Min)
		}
		return http.StatusBadRequest, f
	case sch != nil && sch.Type.Is(openapi3.TypeBoolean):
		f.Message = "must be true or false"
		return http.StatusBadRequest, f
	case errors.As(re.Err, &se):
		in, _ := innermost(se)
		switch in.SchemaField {
		case "enum":
			f.Message = "must be one of " + enumList(in.Schema)
			return http.StatusUnprocessableEntity, f
		case "maxLength":
			f.Message = "at most " + strconv.FormatUint(derefU(in.Schema.MaxLength), 10) + " characters"
		default:
			f.Message = in.Reason
		}
	}
	return http.StatusBadRequest, f
}

// fieldPath renders a JSON pointer's segments as the domains name fields:
// locations[0].state.
func fieldPath(segs []string) string {
	if len(segs) == 0 {
		return "body"
	}
	var b strings.Builder
	for _, s := range segs {
		if _, err := strconv.Atoi(s); err == nil && b.Len() > 0 {
			b.WriteString("[" + s + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
}

func enumList(s *openapi3.Schema) string {
	if s == nil {
		return "the documented values"
	}
	vals := make([]string, 0, len(s.Enum))
	for _, v := range s.Enum {
		vals = append(vals, fmt.Sprint(v))
	}
	return strings.Join(vals, ", ")
}

func typeName(s *openapi3.Schema) string {
	if s == nil || s.Type == nil {
		return "of the documented type"
	}
	switch {
	case s.Type.Is(openapi3.TypeInteger):
		return "a whole number"
	case s.Type.Is(openapi3.TypeNumber):
		return "a number"
	case s.Type.Is(openapi3.TypeString):
		return "a string"
	case s.Type.Is(openapi3.TypeBoolean):
		return "true or false"
	case s.Type.Is(openapi3.TypeArray):
		return "an array"
	case s.Type.Is(openapi3.TypeObject):
		return "an object"
	}
	return "of the documented type"
}

// validateResponse checks one response to req against the document: the
// status must be documented for the operation, the Content-Type must be
// one the document lists for it, required headers (ETag, Location) must
// be there and the body must match the schema; statuses without content
// must have no body. Answers to requests that match no operation (echo's
// own 404 and 405, or 401 for an unknown /v1 path) must be problems. The
// API tests call it for every response; it returns an error describing
// the first mismatch.
func validateResponse(req *http.Request, status int, header http.Header, body []byte) error {
	sp, err := loadSpec()
	if err != nil {
		return err
	}
	what := fmt.Sprintf("%s %s → %d", req.Method, req.URL.Path, status)
	route, params, err := sp.router.FindRoute(req)
	if err != nil {
		if status >= 400 && status < 500 {
			if err := sp.checkProblem(header, body); err != nil {
				return fmt.Errorf("%s (no operation): %w", what, err)
			}
			return nil
		}
		return fmt.Errorf("%s: no operation in openapi.yaml: %w", what, err)
	}
	resp := route.Operation.Responses.Status(status)
	if resp == nil || resp.Value == nil {
		return fmt.Errorf("%s: status %d is not documented for %s %s", what, status, route.Method, route.Path)
	}
	if len(resp.Value.Content) == 0 {
		if len(bytes.TrimSpace(body)) > 0 && req.Method != http.MethodHead {
			return fmt.Errorf("%s: documented without a body, got %d bytes", what, len(body))
		}
	}
	if ct := header.Get(echo.HeaderContentType); ct != "" && len(resp.Value.Content) > 0 {
		if _, _, err := mime.ParseMediaType(ct); err != nil {
			return fmt.Errorf("%s: Content-Type %q: %w", what, ct, err)
		}
	}
	err = openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// checkProblem checks that a response is an RFC 9457 problem of the
// document's Problem schema.
func (sp *apiSpec) checkProblem(header http.Header, body []byte) error {
	mt, _, _ := mime.ParseMediaType(header.Get(echo.HeaderContentType))
	if mt != "application/problem+json" {
		return fmt.Errorf("Content-Type %q, want application/problem+json", header.Get(echo.HeaderContentType))
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("problem body: %w", err)
	}
	return sp.doc.Components.Schemas["Problem"].Value.VisitJSON(v, openapi3.VisitAsResponse(), openapi3.MultiErrors())
}

func derefU(p *uint64) uint64 {
	if p == nil {
		return 0
	}
	return *p
}
