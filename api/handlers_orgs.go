package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/jobs"
)

// orgScope limits a recruiter to their organization.
func orgScope(c echo.Context) jobs.Scope {
	p := principal(c)
	sc := jobs.Scope{KeyID: p.KeyID}
	if p.Role == access.Recruiter {
		sc.OrgID = p.OrgID
	}
	return sc
}

func (s *Server) createOrganization(c echo.Context) error {
	var o jobs.Organization
	if err := decodeJSON(c, &o); err != nil {
		return err
	}
	if err := jobs.CheckLocationIDs(o.Locations, nil); err != nil {
		return err // IDs are the server's
	}
	out, err := s.jobs.CreateOrganization(c.Request().Context(), o)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/organizations/"+out.ID)
	return writeVersioned(c, http.StatusCreated, out.Version, out)
}

func (s *Server) listOrganizations(c echo.Context) error {
	if err := queryParams(c, "limit", "cursor"); err != nil {
		return err
	}
	limit, err := intParam(c, "limit")
	if err != nil {
		return err
	}
	page, err := s.jobs.ListOrganizations(c.Request().Context(), jobs.OrgFilter{Limit: limit, Cursor: c.QueryParam("cursor")}, orgScope(c))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

func (s *Server) getOrganization(c echo.Context) error {
	o, err := s.jobs.GetOrganization(c.Request().Context(), c.Param("id"), orgScope(c))
	if err != nil {
		return err
	}
	return writeVersioned(c, http.StatusOK, o.Version, o)
}

func (s *Server) patchOrganization(c echo.Context) error {
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var patch jobs.OrganizationPatch
	if err := decodeJSON(c, &patch); err != nil {
		return err
	}
	o, err := s.jobs.UpdateOrganization(c.Request().Context(), c.Param("id"), version, orgScope(c), func(o *jobs.Organization) error {
		return patch.Apply(o)
	})
	if err != nil {
		return err
	}
	s.changed(c)
	return writeVersioned(c, http.StatusOK, o.Version, o)
}

func (s *Server) deleteOrganization(c echo.Context) error {
	if err := s.jobs.DeleteOrganization(c.Request().Context(), c.Param("id"), orgScope(c)); err != nil {
		return err
	}
	s.changed(c)
	return c.NoContent(http.StatusNoContent)
}
