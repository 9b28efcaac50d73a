package api

import (
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"carefit/internal/kit/errs"
)

// importOptions reads the NDJSON content type and the atomic flag shared
// by the import routes.
func importAtomic(c echo.Context, params ...string) (bool, error) {
	if err := queryParams(c, append(params, "atomic")...); err != nil {
		return false, err
	}
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt != "application/x-ndjson" && mt != "application/jsonl" {
		return false, fail(errs.Unsupported, "send one JSON object a line as application/x-ndjson")
	}
	switch c.QueryParam("atomic") {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, malformed("atomic is true or false", FieldError{Path: "atomic", Message: "must be true or false"})
}

// importProfiles loads NDJSON profiles. The answer is 200 with a report of
// every rejected line (number, field, reason) whenever the file was read;
// with atomic=true, one bad line imports nothing.
func (s *Server) importProfiles(c echo.Context) error {
	atomic, err := importAtomic(c)
	if err != nil {
		return err
	}
	rep, err := s.app.ImportProfiles(c.Request().Context(), c.Request().Body, atomic)
	if err != nil {
		return err
	}
	s.changed(c)
	return c.JSON(http.StatusOK, rep)
}

// importPositions loads NDJSON positions into one organization: a
// recruiter's own, or for admins the org_id query parameter. Lines naming
// another organization are rejected.
func (s *Server) importPositions(c echo.Context) error {
	atomic, err := importAtomic(c, "org_id")
	if err != nil {
		return err
	}
	rep, err := s.app.ImportPositions(c.Request().Context(), caller(c), c.QueryParam("org_id"), c.Request().Body, atomic)
	if err != nil {
		return err
	}
	s.changed(c)
	return c.JSON(http.StatusOK, rep)
}
