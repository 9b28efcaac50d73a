package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

func (s *Server) createPosition(c echo.Context) error {
	var p jobs.Position
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	sc := orgScope(c)
	if sc.OrgID != "" && p.OrgID == "" {
		p.OrgID = sc.OrgID // a recruiter's positions belong to their organization
	}
	out, err := s.jobs.CreatePosition(c.Request().Context(), p, sc)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/positions/"+out.ID)
	s.changed(c)
	return writeVersioned(c, http.StatusCreated, out.Version, s.app.WrittenPosition(caller(c), out))
}

// listPositions lists positions in scope. Clinicians see open, unexpired
// positions of every organization and nothing else.
func (s *Server) listPositions(c echo.Context) error {
	if err := queryParams(c, "limit", "cursor", "org_id", "status", "credential", "taxonomy", "state", "employment_type"); err != nil {
		return err
	}
	limit, err := intParam(c, "limit")
	if err != nil {
		return err
	}
	f := jobs.PositionFilter{
		OrgID: c.QueryParam("org_id"), Status: jobs.Status(c.QueryParam("status")),
		Credential: taxonomy.Credential(c.QueryParam("credential")), Taxonomy: c.QueryParam("taxonomy"),
		State: c.QueryParam("state"), EmploymentType: taxonomy.EmploymentType(c.QueryParam("employment_type")),
		Limit: limit, Cursor: c.QueryParam("cursor"),
	}
	if principal(c).Role == access.Clinician {
		if f.Status != "" && f.Status != jobs.StatusOpen {
			return malformed("clinicians see open positions only", FieldError{Path: "status", Message: "must be open or absent"})
		}
		f.ListedAt = s.now()
	}
	page, err := s.app.ListPositions(c.Request().Context(), caller(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) getPosition(c echo.Context) error {
	view, version, err := s.app.Position(c.Request().Context(), caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return writeVersioned(c, http.StatusOK, version, view)
}

func (s *Server) patchPosition(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var patch jobs.PositionPatch
	if err := decodeJSON(c, &patch); err != nil {
		return err
	}
	p, err := s.jobs.PatchPosition(c.Request().Context(), c.Param("id"), version, orgScope(c), patch)
	if err != nil {
		return err
	}
	s.changed(c)
	return writeVersioned(c, http.StatusOK, p.Version, s.app.WrittenPosition(caller(c), p))
}

// statusChange is the body of POST /v1/positions/{id}/status.
type statusChange struct {
	Status jobs.Status `json:"status"`
}

func (s *Server) setPositionStatus(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var req statusChange
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if !req.Status.Valid() {
		return unprocessable("unknown status", FieldError{Path: "status", Message: "must be draft, open, filled or closed"})
	}
	p, err := s.jobs.SetStatus(c.Request().Context(), c.Param("id"), version, req.Status, orgScope(c))
	if err != nil {
		return err
	}
	s.changed(c)
	return writeVersioned(c, http.StatusOK, p.Version, s.app.WrittenPosition(caller(c), p))
}

func (s *Server) deletePosition(c echo.Context) error {
	if err := s.jobs.DeletePosition(c.Request().Context(), c.Param("id"), orgScope(c)); err != nil {
		return err
	}
	s.changed(c)
	return c.NoContent(http.StatusNoContent)
}

// positionVersions is a position's history as the caller may see it:
// the owner every version, others the published ones (app.VersionsFor).
func (s *Server) positionVersions(c echo.Context) error {
	vs, err := s.app.PositionVersions(c.Request().Context(), caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": vs})
}
