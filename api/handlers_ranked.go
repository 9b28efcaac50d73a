package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"carefit/app"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/logging"
	"carefit/jobs"
	"carefit/match"
	"carefit/search"
)

// Ranked lists and free search. Each handler binds its query into the use
// case's typed request (see bind.go for where each parameter is checked),
// calls one method of app.Service and renders the result.

// needsRanking answers 503 when this process was built without the
// feature store or the search client (the routes stay documented and
// role-checked either way).
func (s *Server) needsRanking(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.app.Features == nil || s.app.Search == nil {
			return fail(errs.Unavailable, "ranking and search are not available in this process")
		}
		return next(c)
	}
}

// caller is who asks, with the route and request ID for the audit log.
func caller(c echo.Context) app.Caller {
	return app.Caller{Principal: principal(c), Route: c.Path(), RequestID: logging.RequestID(c.Request().Context())}
}

func validCredential(s string) bool { return taxonomy.Credential(s).Valid() }
func validTaxonomy(s string) bool   { _, ok := taxonomy.Lookup(s); return ok }

// bindCandidates reads GET /v1/positions/{id}/candidates.
func bindCandidates(c echo.Context) (q app.CandidateQuery, err error) {
	if err = queryParams(c, "q", "credential", "specialty", "state", "available_before", "min_score", "within_miles", "pipeline", "limit", "cursor"); err != nil {
		return q, err
	}
	q = app.CandidateQuery{PositionID: c.Param("id"), Q: c.QueryParam("q"), Cursor: c.QueryParam("cursor")}
	if q.Credentials, err = listParam(c, "credential", validCredential); err != nil {
		return q, err
	}
	if q.Specialties, err = listParam(c, "specialty", validTaxonomy); err != nil {
		return q, err
	}
	if q.HomeStates, err = listParam(c, "state", geo.IsState); err != nil {
		return q, err
	}
	if q.AvailableBefore, err = dateParam(c, "available_before"); err != nil {
		return q, err
	}
	if q.MinScore, err = numParam(c, "min_score"); err != nil {
		return q, err
	}
	if q.WithinMiles, err = numParam(c, "within_miles"); err != nil {
		return q, err
	}
	if q.Pipeline, err = statesParam(c, "pipeline"); err != nil {
		return q, err
	}
	if q.Limit, err = intParam(c, "limit"); err != nil || q.Limit == 0 {
		q.Limit = 20
	}
	return q, err
}

// positionCandidates ranks the clinicians eligible for a position.
func (s *Server) positionCandidates(c echo.Context) error {
	q, err := bindCandidates(c)
	if err != nil {
		return err
	}
	page, err := s.app.Candidates(c.Request().Context(), caller(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// explainCandidate explains one pair, eligible or not.
func (s *Server) explainCandidate(c echo.Context) error {
	row, err := s.app.Explain(c.Request().Context(), caller(c), c.Param("id"), c.Param("clinician_id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, row)
}

// bindRoles reads GET /v1/me/roles.
func bindRoles(c echo.Context) (q app.RoleQuery, err error) {
	if err = queryParams(c, "q", "state", "employment_type", "setting", "min_pay", "near_lat", "near_lng", "within_miles", "sort", "limit", "cursor"); err != nil {
		return q, err
	}
	q = app.RoleQuery{Q: c.QueryParam("q"), Cursor: c.QueryParam("cursor"), Sort: match.ByFit}
	if c.QueryParam("sort") == "mutual" { // the spec allows fit or mutual
		q.Sort = match.ByMutual
	}
	if q.States, err = listParam(c, "state", geo.IsState); err != nil {
		return q, err
	}
	if q.EmploymentTypes, err = listParam(c, "employment_type", func(s string) bool { return taxonomy.EmploymentType(s).Valid() }); err != nil {
		return q, err
	}
	if q.Settings, err = listParam(c, "setting", func(s string) bool { return taxonomy.Setting(s).Valid() }); err != nil {
		return q, err
	}
	if q.MinAnnualPay, err = numParam(c, "min_pay"); err != nil {
		return q, err
	}
	if q.WithinMiles, err = numParam(c, "within_miles"); err != nil {
		return q, err
	}
	if lat, lng := c.QueryParam("near_lat"), c.QueryParam("near_lng"); lat != "" || lng != "" {
		if lat == "" || lng == "" {
			return q, malformed("a point needs both coordinates", FieldError{Path: "near_lat", Message: "give near_lat and near_lng together"})
		}
		q.Near = &match.Point{}
		if q.Near.Lat, err = numParam(c, "near_lat"); err != nil {
			return q, err
		}
		if q.Near.Lng, err = numParam(c, "near_lng"); err != nil {
			return q, err
		}
	}
	if q.Limit, err = intParam(c, "limit"); err != nil || q.Limit == 0 {
		q.Limit = 20
	}
	return q, err
}

// myRoles ranks the open positions the calling clinician is eligible for.
func (s *Server) myRoles(c echo.Context) error {
	q, err := bindRoles(c)
	if err != nil {
		return err
	}
	page, err := s.app.Roles(c.Request().Context(), caller(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, page)
}

// myRole explains one position to the calling clinician, eligible or not.
func (s *Server) myRole(c echo.Context) error {
	row, err := s.app.ExplainRole(c.Request().Context(), caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, row)
}

// nearParam reads near_lat, near_lng and within_miles for free search;
// the three go together.
func nearParam(c echo.Context) (*search.Near, error) {
	lat, lng, miles := c.QueryParam("near_lat"), c.QueryParam("near_lng"), c.QueryParam("within_miles")
	if lat == "" && lng == "" && miles == "" {
		return nil, nil
	}
	if lat == "" || lng == "" || miles == "" {
		return nil, malformed("a radius needs a point", FieldError{Path: "within_miles", Message: "give near_lat, near_lng and within_miles together"})
	}
	var n search.Near
	var err error
	if n.Lat, err = numParam(c, "near_lat"); err != nil {
		return nil, err
	}
	if n.Lng, err = numParam(c, "near_lng"); err != nil {
		return nil, err
	}
	if n.Miles, err = numParam(c, "within_miles"); err != nil {
		return nil, err
	}
	return &n, nil
}

// bindPositionSearch reads GET /v1/search/positions.
func bindPositionSearch(c echo.Context) (q search.PositionQuery, err error) {
	if err = queryParams(c, "q", "state", "credential", "specialty", "employment_type", "setting", "min_pay", "pay_period", "near_lat", "near_lng", "within_miles", "offset", "limit"); err != nil {
		return q, err
	}
	q = search.PositionQuery{Q: c.QueryParam("q"), State: c.QueryParam("state"), Credential: taxonomy.Credential(c.QueryParam("credential")),
		Taxonomy: c.QueryParam("specialty"), EmploymentType: taxonomy.EmploymentType(c.QueryParam("employment_type")),
		Setting: taxonomy.Setting(c.QueryParam("setting")), PayPeriod: jobs.PayPeriod(c.QueryParam("pay_period"))}
	if q.MinPay, err = numParam(c, "min_pay"); err != nil {
		return q, err
	}
	if q.Near, err = nearParam(c); err != nil {
		return q, err
	}
	if q.Offset, err = intParam(c, "offset"); err != nil {
		return q, err
	}
	q.Limit, err = intParam(c, "limit")
	return q, err
}

// searchPositions is free search over listed positions.
func (s *Server) searchPositions(c echo.Context) error {
	q, err := bindPositionSearch(c)
	if err != nil {
		return err
	}
	res, err := s.app.SearchPositions(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

// bindProfileSearch reads GET /v1/search/profiles.
func bindProfileSearch(c echo.Context) (q search.ProfileQuery, err error) {
	if err = queryParams(c, "q", "credential", "specialty", "licensed_in", "language", "ehr", "available_before", "near_lat", "near_lng", "within_miles", "offset", "limit"); err != nil {
		return q, err
	}
	q = search.ProfileQuery{Q: c.QueryParam("q"), Credential: taxonomy.Credential(c.QueryParam("credential")), Taxonomy: c.QueryParam("specialty"),
		LicensedIn: c.QueryParam("licensed_in"), Language: taxonomy.Language(c.QueryParam("language")), EHR: taxonomy.EHR(c.QueryParam("ehr"))}
	if q.AvailableBefore, err = dateParam(c, "available_before"); err != nil {
		return q, err
	}
	if q.Near, err = nearParam(c); err != nil {
		return q, err
	}
	if q.Offset, err = intParam(c, "offset"); err != nil {
		return q, err
	}
	q.Limit, err = intParam(c, "limit")
	return q, err
}

// searchProfiles is free search over profiles for recruiters and admins;
// each hit is the caller's list view of the profile.
func (s *Server) searchProfiles(c echo.Context) error {
	q, err := bindProfileSearch(c)
	if err != nil {
		return err
	}
	res, err := s.app.SearchProfiles(c.Request().Context(), caller(c), q)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}
