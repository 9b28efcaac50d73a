package api

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/taxonomy"
)

// Who sees what of a profile is decided in one place, app.ProfileFor;
// see app/views_profile.go.

func (s *Server) createProfile(c echo.Context) error {
	var p candidates.Profile
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	out, err := s.cands.CreateProfile(c.Request().Context(), p)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/profiles/"+out.ID)
	s.changed(c)
	view, err := s.app.WrittenProfile(c.Request().Context(), caller(c), out)
	if err != nil {
		return err
	}
	return writeVersioned(c, http.StatusCreated, out.Version, view)
}

func (s *Server) listProfiles(c echo.Context) error {
	if err := queryParams(c, "limit", "cursor", "credential", "taxonomy", "licensed_in", "visible_only"); err != nil {
		return err
	}
	limit, err := intParam(c, "limit")
	if err != nil {
		return err
	}
	f := candidates.ProfileFilter{Credential: taxonomy.Credential(c.QueryParam("credential")), Taxonomy: c.QueryParam("taxonomy"),
		LicensedIn: c.QueryParam("licensed_in"), Limit: limit, Cursor: c.QueryParam("cursor")}
	f.VisibleOnly, _ = strconv.ParseBool(c.QueryParam("visible_only")) // a boolean, checked by the OpenAPI validator
	page, err := s.app.ListProfiles(c.Request().Context(), caller(c), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// ownProfile checks that a clinician acts on their own profile; another
// profile is reported as not found.
func ownProfile(c echo.Context) error {
	if p := principal(c); p.Role == access.Clinician && p.ProfileID != c.Param("id") {
		return candidates.ErrNotFound
	}
	return nil
}

func (s *Server) getProfile(c echo.Context) error {
	view, version, err := s.app.Profile(c.Request().Context(), caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return writeVersioned(c, http.StatusOK, version, view)
}

func (s *Server) patchProfile(c echo.Context) error {
	if err := ownProfile(c); err != nil {
		return err
	}
	version, err := ifMatch(c)
	if err != nil {
		return err
	}
	var patch candidates.ProfilePatch
	if err := decodeJSON(c, &patch); err != nil {
		return err
	}
	p, err := s.cands.PatchProfile(c.Request().Context(), c.Param("id"), version, patch)
	if err != nil {
		return err
	}
	s.changed(c)
	view, err := s.app.WrittenProfile(c.Request().Context(), caller(c), p)
	if err != nil {
		return err
	}
	return writeVersioned(c, http.StatusOK, p.Version, view)
}

// consent is the body of PUT /v1/profiles/{id}/consent.
type consent struct {
	VisibleToRecruiters *bool `json:"visible_to_recruiters"`
}

// setConsent gives or withdraws consent at once, without If-Match:
// consent is the clinician's current wish and must never be refused
// because of a concurrent edit.
func (s *Server) setConsent(c echo.Context) error {
	if err := ownProfile(c); err != nil {
		return err
	}
	var req consent
	if err := decodeJSON(c, &req); err != nil {
		return err
	}
	if req.VisibleToRecruiters == nil {
		return unprocessable("consent must be given or withdrawn",
			FieldError{Path: "visible_to_recruiters", Message: "required: true or false"})
	}
	p, err := s.cands.SetConsent(c.Request().Context(), c.Param("id"), *req.VisibleToRecruiters)
	if err != nil {
		return err
	}
	s.changed(c)
	view, err := s.app.WrittenProfile(c.Request().Context(), caller(c), p)
	if err != nil {
		return err
	}
	return writeVersioned(c, http.StatusOK, p.Version, view)
}

func (s *Server) deleteProfile(c echo.Context) error {
	if err := ownProfile(c); err != nil {
		return err
	}
	if err := s.cands.DeleteProfile(c.Request().Context(), c.Param("id")); err != nil {
		return err
	}
	s.changed(c)
	return c.NoContent(http.StatusNoContent)
}
