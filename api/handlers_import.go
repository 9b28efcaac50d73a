package api

import (
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"carefit/candidates"
)

// importOptions reads the NDJSON content type and the atomic flag shared
// by the import routes.
func importAtomic(c echo.Context) (bool, error) {
	if err := queryParams(c, "atomic"); err != nil {
		return false, err
	}
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt != "application/x-ndjson" && mt != "application/jsonl" {
		return false, newProblem(http.StatusUnsupportedMediaType, "unsupported-media-type",
			"send one JSON object a line as application/x-ndjson")
	}
	switch c.QueryParam("atomic") {
	case "", "false":
		return false, nil
	case "true":
		return true, nil
	}
	return false, invalid(http.StatusBadRequest, "atomic is true or false", FieldError{Field: "atomic", Message: "must be true or false"})
}

// importProfiles loads NDJSON profiles. The answer is 200 with a report of
// every rejected line (number, field, reason) whenever the file was read;
// with atomic=true, one bad line imports nothing.
func (s *Server) importProfiles(c echo.Context) error {
	atomic, err := importAtomic(c)
	if err != nil {
		return err
	}
	rep, err := candidates.ImportProfiles(c.Request().Context(), s.pool, c.Request().Body,
		candidates.ImportOptions{Atomic: atomic, Now: s.now})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, rep)
}
