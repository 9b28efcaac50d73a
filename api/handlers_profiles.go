package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/logging"
)

// Privacy rules for profiles:
//   - a clinician sees their own profile whole and no one else's;
//   - contact details and licence numbers are shown to others only on a
//     single-profile read, to admins, or to recruiters when the clinician
//     consents (visible_to_recruiters), and every such read is audited
//     before the response is written;
//   - lists never carry contact details or licence numbers;
//   - a recruiter sees a profile without consent anonymized: no name,
//     NPI, contact details or licence numbers.

// anonymized strips everything that identifies a clinician.
func anonymized(p candidates.Profile) candidates.Profile {
	p = p.Redacted()
	p.Name = candidates.Name{}
	p.NPI = ""
	return p
}

// profileView is the profile as the caller may see it, and whether it
// reveals contact details (so the read must be audited).
func profileView(who access.Principal, p candidates.Profile, single bool) (candidates.Profile, bool) {
	switch {
	case who.Role == access.Clinician && who.ProfileID == p.ID:
		return p, false
	case who.Role == access.Recruiter && !p.VisibleToRecruiters:
		return anonymized(p), false
	case !single:
		return p.Redacted(), false
	default:
		return p, true
	}
}

// audit records that the caller read the subjects' contact details.
func (s *Server) audit(c echo.Context, subjects ...string) error {
	return s.keys.Record(c.Request().Context(), principal(c), access.ActionContactRead, c.Path(),
		logging.RequestID(c.Request().Context()), subjects...)
}

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
	return writeVersioned(c, http.StatusCreated, out.Version, out)
}

func (s *Server) listProfiles(c echo.Context) error {
	if err := queryParams(c, "limit", "cursor", "credential", "taxonomy", "licensed_in", "visible_only"); err != nil {
		return err
	}
	limit, err := intParam(c, "limit", 1, candidates.MaxPageLimit)
	if err != nil {
		return err
	}
	f := candidates.ProfileFilter{Credential: taxonomy.Credential(c.QueryParam("credential")), Taxonomy: c.QueryParam("taxonomy"),
		LicensedIn: c.QueryParam("licensed_in"), Limit: limit, Cursor: c.QueryParam("cursor")}
	switch c.QueryParam("visible_only") {
	case "", "false":
	case "true":
		f.VisibleOnly = true
	default:
		return malformed("visible_only is true or false", FieldError{Path: "visible_only", Message: "must be true or false"})
	}
	page, err := s.cands.ListProfiles(c.Request().Context(), f)
	if err != nil {
		return err
	}
	who := principal(c)
	for i, p := range page.Items {
		page.Items[i], _ = profileView(who, p, false)
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
	if err := ownProfile(c); err != nil {
		return err
	}
	p, err := s.cands.GetProfile(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	view, reveals := profileView(principal(c), p, true)
	if reveals {
		if err := s.audit(c, p.ID); err != nil {
			return err
		}
	}
	return writeVersioned(c, http.StatusOK, p.Version, view)
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
	return writeVersioned(c, http.StatusOK, p.Version, p)
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
	return writeVersioned(c, http.StatusOK, p.Version, p)
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
