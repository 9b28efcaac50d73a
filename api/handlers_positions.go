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
	return writeVersioned(c, http.StatusCreated, out.Version, out)
}

// listPositions lists positions in scope. Clinicians see open, unexpired
// positions of every organization and nothing else.
func (s *Server) listPositions(c echo.Context) error {
	if err := queryParams(c, "limit", "cursor", "org_id", "status", "credential", "taxonomy", "state", "employment_type"); err != nil {
		return err
	}
	limit, err := intParam(c, "limit", 1, jobs.MaxPageLimit)
	if err != nil {
		return err
	}
	f := jobs.PositionFilter{
		OrgID: c.QueryParam("org_id"), Status: jobs.Status(c.QueryParam("status")),
		Credential: taxonomy.Credential(c.QueryParam("credential")), Taxonomy: c.QueryParam("taxonomy"),
		State: c.QueryParam("state"), EmploymentType: taxonomy.EmploymentType(c.QueryParam("employment_type")),
		Limit: limit, Cursor: c.QueryParam("cursor"),
	}
	clinician := principal(c).Role == access.Clinician
	if clinician {
		if f.Status != "" && f.Status != jobs.StatusOpen {
			return malformed("clinicians see open positions only", FieldError{Path: "status", Message: "must be open or absent"})
		}
		f.ListedAt = s.now()
	}
	page, err := s.jobs.ListPositions(c.Request().Context(), f, orgScope(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// position reads a position the caller may see: recruiters their own
// organization's, clinicians only listed ones.
func (s *Server) position(c echo.Context) (jobs.Position, error) {
	p, err := s.jobs.GetPosition(c.Request().Context(), c.Param("id"), orgScope(c))
	if err != nil {
		return p, err
	}
	if principal(c).Role == access.Clinician && !p.Listed(s.now()) {
		return jobs.Position{}, jobs.ErrNotFound
	}
	return p, nil
}

func (s *Server) getPosition(c echo.Context) error {
	p, err := s.position(c)
	if err != nil {
		return err
	}
	return writeVersioned(c, http.StatusOK, p.Version, p)
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
	return writeVersioned(c, http.StatusOK, p.Version, p)
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
	return writeVersioned(c, http.StatusOK, p.Version, p)
}

func (s *Server) deletePosition(c echo.Context) error {
	if err := s.jobs.DeletePosition(c.Request().Context(), c.Param("id"), orgScope(c)); err != nil {
		return err
	}
	s.changed(c)
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) positionVersions(c echo.Context) error {
	if _, err := s.position(c); err != nil {
		return err
	}
	vs, err := s.jobs.Versions(c.Request().Context(), c.Param("id"), orgScope(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": vs})
}
