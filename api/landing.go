package api

import (
	_ "embed"
	"net/http"

	"github.com/labstack/echo/v4"
)

// landingHTML is the page at /: what carefit is and where to go next.
// A process built without the application service (no /v1 routes) serves
// it; otherwise the sign-in page of the web pages (pages.go) is at /.
//
//go:embed landing.html
var landingHTML []byte

// mountLanding serves the landing page at / (GET and HEAD).
func mountLanding(e *echo.Echo) {
	e.GET("/", func(c echo.Context) error {
		c.Response().Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
		return c.HTMLBlob(http.StatusOK, landingHTML)
	})
}
