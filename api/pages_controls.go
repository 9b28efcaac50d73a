package api

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/app"
	"carefit/intro"
)

// The clinician's controls as pages: the organizations they block and
// their consent record. Each calls the same app.Service method as its API
// route (GET and PUT /v1/me/blocked-organizations, GET /v1/me/consents).

// blockRow is one blocked organization.
type blockRow struct {
	OrgID, Name string
	At          whenView
}

func blockRows(bs []intro.Block) []blockRow {
	out := make([]blockRow, 0, len(bs))
	for _, b := range bs {
		out = append(out, blockRow{OrgID: b.OrgID, Name: orgName(b.OrgName), At: whenOf(b.BlockedAt)})
	}
	return out
}

// orgName is an organization's name, or words for one since deleted.
func orgName(name string) string {
	if name == "" {
		return "An organization since deleted"
	}
	return name
}

// orgOption is an organization the clinician may block from the page:
// one they have had an introduction with.
type orgOption struct{ ID, Name string }

type blockedData struct {
	Blocked []blockRow
	Options []orgOption
	Notice  string
}

var blockNotices = map[string]string{
	"block":   "Blocked: the organization no longer sees you anywhere, and your introductions with it are taken back.",
	"unblock": "Unblocked: the organization sees you again where its positions and your consent allow.",
}

// blockedPage lists the organizations the clinician blocks, with a button
// to unblock each, and a form to block one of the organizations of their
// introductions.
func (s *Server) blockedPage(c echo.Context) error {
	if err := queryParams(c, "done"); err != nil {
		return err
	}
	ctx := c.Request().Context()
	blocks, err := s.app.BlockedOrganizations(ctx, caller(c))
	if err != nil {
		return err
	}
	intros, err := s.app.Introductions(ctx, caller(c), app.IntroductionQuery{Limit: 200})
	if err != nil {
		return err
	}
	d := blockedData{Blocked: blockRows(blocks), Notice: blockNotices[c.QueryParam("done")]}
	for _, v := range intros.Items {
		in, ok := v.(app.ClinicianIntroduction)
		if !ok || in.Organization.ID == "" {
			continue
		}
		id := in.Organization.ID
		if slices.ContainsFunc(blocks, func(b intro.Block) bool { return b.OrgID == id }) ||
			slices.ContainsFunc(d.Options, func(o orgOption) bool { return o.ID == id }) {
			continue
		}
		d.Options = append(d.Options, orgOption{ID: id, Name: orgName(in.Organization.Name)})
	}
	return s.render(c, http.StatusOK, "blocked", "Blocked organizations", d)
}

// blockedIDs are the IDs of the organizations the clinician blocks now.
func (s *Server) blockedIDs(c echo.Context) ([]string, error) {
	blocks, err := s.app.BlockedOrganizations(c.Request().Context(), caller(c))
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(blocks)+1)
	for _, b := range blocks {
		ids = append(ids, b.OrgID)
	}
	return ids, nil
}

// blockPage adds the form's organization to the clinician's blocked list
// (PUT /v1/me/blocked-organizations with it added).
func (s *Server) blockPage(c echo.Context) error {
	org := c.FormValue("org_id")
	if org == "" {
		return unprocessable("say which organization to block", FieldError{Path: "org_id", Message: "choose an organization"})
	}
	ids, err := s.blockedIDs(c)
	if err != nil {
		return err
	}
	if !slices.Contains(ids, org) {
		ids = append(ids, org)
	}
	if _, err := s.app.SetBlockedOrganizations(c.Request().Context(), caller(c), ids); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/blocked?done=block")
}

// unblockPage takes one organization off the clinician's blocked list.
func (s *Server) unblockPage(c echo.Context) error {
	ids, err := s.blockedIDs(c)
	if err != nil {
		return err
	}
	org := c.Param("org_id")
	ids = slices.DeleteFunc(ids, func(id string) bool { return id == org })
	if _, err := s.app.SetBlockedOrganizations(c.Request().Context(), caller(c), ids); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/blocked?done=unblock")
}

// consentRow is one entry of the consent record, in words.
type consentRow struct {
	At       whenView
	What, By string
}

// consentWords says what an entry of the consent record means to the
// clinician; org is the organization's name.
func consentWords(e access.ConsentEvent) string {
	org := orgName(e.OrgName)
	byClinician := e.ByRole == access.Clinician
	switch e.Kind {
	case access.ConsentNamed:
		return "Recruiters see you by name"
	case access.ConsentAnonymous:
		return "Recruiters see you anonymously"
	case access.ConsentBlocked:
		return "Blocked " + org
	case access.ConsentUnblocked:
		return "Unblocked " + org
	case access.ConsentInterest:
		return "Asked " + org + " for an introduction"
	case access.ConsentAccepted:
		if byClinician {
			return "Accepted " + org + "'s introduction request: it sees your contact details"
		}
		return org + " accepted your interest: it sees your contact details"
	case access.ConsentDeclined:
		if byClinician {
			return "Declined " + org + "'s introduction request"
		}
		return org + " declined your interest"
	case access.ConsentRevoked:
		return "The introduction with " + org + " was taken back: it no longer sees your contact details"
	}
	return string(e.Kind)
}

// consentBy names who made a change by the role of its key.
func consentBy(r access.Role) string {
	switch r {
	case access.Clinician:
		return "you"
	case access.Recruiter:
		return "the organization's recruiter"
	case access.Admin:
		return "carefit's operators"
	}
	return "an operator's import"
}

type consentData struct {
	Visible bool
	Since   whenView
	Blocked []blockRow
	Events  []consentRow
}

// consentPage shows the clinician's consent record: whether recruiters see
// them by name, the organizations they block, and every consent given or
// taken back, newest first (GET /v1/me/consents).
func (s *Server) consentPage(c echo.Context) error {
	if err := queryParams(c); err != nil {
		return err
	}
	rec, err := s.app.ConsentRecord(c.Request().Context(), caller(c))
	if err != nil {
		return err
	}
	d := consentData{Visible: rec.VisibleToRecruiters, Blocked: blockRows(rec.BlockedOrganizations)}
	if rec.ConsentUpdatedAt != nil {
		d.Since = whenOf(*rec.ConsentUpdatedAt)
	}
	for i := len(rec.Events) - 1; i >= 0; i-- {
		e := rec.Events[i]
		d.Events = append(d.Events, consentRow{At: whenOf(e.At), What: consentWords(e), By: consentBy(e.ByRole)})
	}
	return s.render(c, http.StatusOK, "consents", "Your consent record", d)
}
