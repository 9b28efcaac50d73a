package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/app"
)

// The clinicians' pages: the roles that fit them, their profile and
// wishes, and their introductions.

type rolesData struct {
	Roles  []roleCard
	Total  int
	Next   string
	Filter roleFilters
}

// roleFilters is the roles' filter form, filled in from the query.
type roleFilters struct{ Q, State, WithinMiles, MinPay string }

// rolesPage ranks the open positions the clinician is eligible for, by
// their own fit; it reads the same query as GET /v1/me/roles.
func (s *Server) rolesPage(c echo.Context) error {
	q, err := bindRoles(c)
	if err != nil {
		return err
	}
	page, err := s.app.Roles(c.Request().Context(), caller(c), q)
	if err != nil {
		return err
	}
	d := rolesData{Total: page.Total, Filter: roleFilters{Q: q.Q, State: c.QueryParam("state"),
		WithinMiles: c.QueryParam("within_miles"), MinPay: c.QueryParam("min_pay")}}
	for _, r := range page.Items {
		d.Roles = append(d.Roles, roleCardOf(r))
	}
	if page.NextCursor != "" {
		d.Next = withCursor(c.QueryParams(), page.NextCursor)
	}
	return s.render(c, http.StatusOK, "roles", "Roles that fit you", d)
}

// introductionCard is one introduction as its clinician reads it.
type introductionCard struct {
	ID, Organization, OrgID, Status, Message, Reply, Initiator string
	Position                                                   positionRow
	Created, Expires                                           whenView
	Fit                                                        *fitView
	// Open is a request waiting for the clinician's answer; Revoke names
	// what taking it back means, when it can be taken back (an accepted
	// introduction, or the clinician's own interest still waiting).
	Open    bool
	Revoke  string
	Blocked bool
}

func introductionCardOf(v app.IntroductionView, blocked map[string]bool) (introductionCard, bool) {
	in, ok := v.(app.ClinicianIntroduction)
	if !ok {
		return introductionCard{}, false
	}
	c := introductionCard{ID: in.ID, Organization: in.Organization.Name, OrgID: in.Organization.ID, Status: in.Status,
		Message: in.Message, Reply: in.Reply, Initiator: in.Initiator, Created: whenOf(in.CreatedAt),
		Expires: whenOf(in.ExpiresAt), Open: in.Status == "pending" && in.Initiator == "recruiter",
		Blocked: blocked[in.Organization.ID]}
	switch {
	case in.Status == "accepted":
		c.Revoke = "Take back my contact details"
	case in.Status == "pending" && in.Initiator == "clinician":
		c.Revoke = "Withdraw my interest"
	}
	if in.Position != nil {
		c.Position = positionRowOf(in.Position)
	}
	if in.Explanation != nil {
		f := fitOf(*in.Explanation)
		c.Fit = &f
	}
	return c, true
}

// introductionNotices are the confirmations the introductions page shows
// after a form.
var introductionNotices = map[string]string{
	"accept":  "Accepted: the organization now sees your contact details.",
	"decline": "Declined.",
	"revoke":  "Taken back: the organization no longer sees your contact details.",
}

// introductionsPage lists the clinician's introductions, to answer, take
// back, or block the organization behind one.
func (s *Server) introductionsPage(c echo.Context) error {
	if err := queryParams(c, "done"); err != nil {
		return err
	}
	ctx := c.Request().Context()
	page, err := s.app.Introductions(ctx, caller(c), app.IntroductionQuery{Limit: 50})
	if err != nil {
		return err
	}
	blocks, err := s.app.BlockedOrganizations(ctx, caller(c))
	if err != nil {
		return err
	}
	blocked := map[string]bool{}
	for _, b := range blocks {
		blocked[b.OrgID] = true
	}
	d := struct {
		Items  []introductionCard
		Notice string
	}{Notice: introductionNotices[c.QueryParam("done")]}
	for _, v := range page.Items {
		if card, ok := introductionCardOf(v, blocked); ok {
			d.Items = append(d.Items, card)
		}
	}
	return s.render(c, http.StatusOK, "introductions", "Introductions", d)
}

// answerIntroductionPage accepts or declines one, with an optional reply.
func (s *Server) answerIntroductionPage(accept bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		_, err := s.app.AnswerIntroduction(c.Request().Context(), caller(c), c.Param("id"), accept, formText(c, "reply"))
		if err != nil {
			return err
		}
		done := "decline"
		if accept {
			done = "accept"
		}
		return c.Redirect(http.StatusSeeOther, "/introductions?done="+done)
	}
}

// revokeIntroductionPage takes an accepted introduction (or the
// clinician's own waiting interest) back, as POST
// /v1/me/introductions/{id}/revoke does.
func (s *Server) revokeIntroductionPage(c echo.Context) error {
	if _, err := s.app.RevokeIntroduction(c.Request().Context(), caller(c), c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/introductions?done=revoke")
}

// accessRow is one read of the clinician's details.
type accessRow struct {
	At             whenView
	Reader, Action string
	PositionID     string
}

// accessLogPage shows who has read the clinician's profile and contact
// details, newest first (GET /v1/me/access-log).
func (s *Server) accessLogPage(c echo.Context) error {
	if err := queryParams(c, "before"); err != nil {
		return err
	}
	before, err := intParam(c, "before")
	if err != nil {
		return err
	}
	log, err := s.app.AccessLog(c.Request().Context(), caller(c), int64(before), 50)
	if err != nil {
		return err
	}
	d := struct {
		Rows []accessRow
		Next string
	}{Next: log.NextBefore}
	for _, e := range log.Items {
		reader := e.OrgName
		if e.Role == access.Admin {
			reader = "carefit's operators"
		} else if reader == "" {
			reader = "An organization since deleted"
		}
		action := "Read your profile"
		if e.Action == access.ActionContactRead {
			action = "Read your contact details"
		}
		d.Rows = append(d.Rows, accessRow{At: whenOf(e.At), Reader: reader, Action: action, PositionID: e.PositionID})
	}
	return s.render(c, http.StatusOK, "access", "Who has read your details", d)
}
