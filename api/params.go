package api

import (
	"fmt"

	"github.com/labstack/echo/v4"

	"carefit/internal/kit/textrule"
)

// maxParamRunes bounds any query or path parameter's value; the spec sets
// tighter limits where a parameter has one.
const maxParamRunes = 2000

// checkedHeaders are the request headers the API reads as parameters.
var checkedHeaders = []string{"Idempotency-Key", "If-Match"}

// checkParams applies to every query and path parameter of every /v1
// route (and the headers it reads as parameters) the rule body strings get: valid UTF-8, no NUL or other control
// characters, no invisible formatting characters, a bounded length, and
// each parameter given once (several values are comma-separated). It runs
// before anything reads a parameter, so no hostile value reaches a store,
// Postgres or Meilisearch, and a route added later is covered.
func checkParams(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var bad []FieldError
		for name, vals := range c.QueryParams() {
			if msg := textrule.Check(name, 100, false, false); msg != "" {
				bad = append(bad, FieldError{Path: "query", Message: "a parameter name " + msg})
				continue
			}
			if len(vals) > 1 {
				bad = append(bad, FieldError{Path: name, Message: "give it once; separate several values with commas"})
				continue
			}
			if msg := textrule.Check(vals[0], maxParamRunes, false, false); msg != "" {
				bad = append(bad, FieldError{Path: name, Message: msg})
			}
		}
		for i, name := range c.ParamNames() {
			if i >= len(c.ParamValues()) {
				break
			}
			if msg := textrule.Check(c.ParamValues()[i], maxParamRunes, false, false); msg != "" {
				bad = append(bad, FieldError{Path: name, Message: msg})
			}
		}
		for _, h := range checkedHeaders {
			for _, v := range c.Request().Header.Values(h) {
				if msg := textrule.Check(v, maxParamRunes, false, false); msg != "" {
					bad = append(bad, FieldError{Path: h, Message: msg})
				}
			}
		}
		if len(bad) > 0 {
			return malformed(fmt.Sprintf("%d parameter(s) are not acceptable", len(bad)), bad...)
		}
		return next(c)
	}
}
