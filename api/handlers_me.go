package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// The clinician's controls under /v1/me: blocked organizations, the access
// log, the consent record and the export. Each acts on the caller's own
// profile (app/controls.go).

// blockedList is the body of PUT /v1/me/blocked-organizations.
type blockedList struct {
	OrganizationIDs *[]string `json:"organization_ids"`
}

func (s *Server) blockedOrganizations(c echo.Context) error {
	items, err := s.app.BlockedOrganizations(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// setBlockedOrganizations replaces the list; [] unblocks every one.
func (s *Server) setBlockedOrganizations(c echo.Context) error {
	var req blockedList
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.OrganizationIDs == nil {
		return unprocessable("say which organizations to block",
			FieldError{Path: "organization_ids", Message: "required: a list of organization IDs, [] for none"})
	}
	items, err := s.app.SetBlockedOrganizations(c.Request().Context(), caller(c), *req.OrganizationIDs)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items})
}

// accessLog pages the clinician's access log with before, as /v1/audit
// does.
func (s *Server) accessLog(c echo.Context) error {
	if err := queryParams(c, "before", "limit"); err != nil {
		return err
	}
	limit, err := intParam(c, "limit")
	if err != nil {
		return err
	}
	var before int64
	if b := c.QueryParam("before"); b != "" {
		if before, err = strconv.ParseInt(b, 10, 64); err != nil || before < 1 {
			return malformed("before is an access log entry ID", FieldError{Path: "before", Message: "must be a positive whole number"})
		}
	}
	out, err := s.app.AccessLog(c.Request().Context(), caller(c), before, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) consentRecord(c echo.Context) error {
	out, err := s.app.ConsentRecord(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

// export answers everything stored about the clinician as a JSON
// download; it is never cached.
func (s *Server) export(c echo.Context) error {
	out, err := s.app.Export(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="carefit-export.json"`)
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, out)
}
