package api

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"carefit/internal/kit/errs"
)

// etag renders a record version as a strong entity tag.
func etag(version int) string { return fmt.Sprintf(`"v%d"`, version) }

// ifMatch reads the version a write is based on from If-Match. Writes to
// versioned records must say which version they change, so two editors
// can never silently overwrite each other: a missing header is 428, a
// stale one 412 (from the store).
func ifMatch(c echo.Context) (int, error) {
	h := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if h == "" {
		return 0, fail(errs.PreconditionRequired, "send If-Match with the ETag of the version you are changing")
	}
	h = strings.TrimPrefix(h, "W/")
	if len(h) < 4 || !strings.HasPrefix(h, `"v`) || !strings.HasSuffix(h, `"`) {
		return 0, malformed("If-Match is not an ETag from this API", FieldError{Path: "If-Match", Message: `must look like "v3"`})
	}
	v, err := strconv.Atoi(h[2 : len(h)-1])
	if err != nil || v < 1 {
		return 0, malformed("If-Match is not an ETag from this API", FieldError{Path: "If-Match", Message: `must look like "v3"`})
	}
	return v, nil
}

// writeVersioned answers with a record and its ETag.
func writeVersioned(c echo.Context, status, version int, body any) error {
	c.Response().Header().Set("ETag", etag(version))
	return c.JSON(status, body)
}
