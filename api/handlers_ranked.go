package api

import (
	"carefit/internal/kit/errs"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
	"carefit/match"
	"carefit/ranking"
	"carefit/search"
)

// Ranked lists. Design: the fit engine ranks every eligible clinician (or
// open position) held in the in-memory feature store (package ranking),
// so a list is the engine's own ranking over the whole eligible set, not
// over a page of search hits. Free text is the one thing Meilisearch
// decides: q is turned into the set of matching IDs, which narrows the
// eligible set before it is ranked. Structured filters and facet counts
// are computed in Go over the same set, and explanations are built only
// for the rows of the page shown.

// needsRanking answers 503 when this process was built without the
// feature store or the search client (the routes stay documented and
// role-checked either way).
func (s *Server) needsRanking(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.features == nil || s.search == nil {
			return fail(errs.Unavailable, "ranking and search are not available in this process")
		}
		return next(c)
	}
}

// FactorView is one factor of an explanation.
type FactorView struct {
	Factor       string  `json:"factor"`
	Side         string  `json:"side"`
	Fit          float64 `json:"fit"`
	Weight       float64 `json:"weight"`
	Contribution float64 `json:"contribution"`
	Missing      bool    `json:"missing"`
	Sentence     string  `json:"sentence"`
}

// ReasonView is a failed eligibility rule.
type ReasonView struct {
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// Explanation is the fit of one pair as the API shows it.
type Explanation struct {
	Eligible      bool         `json:"eligible"`
	Reasons       []ReasonView `json:"reasons"`
	Score         float64      `json:"score"`
	ClinicianSide float64      `json:"clinician_side"`
	EmployerSide  float64      `json:"employer_side"`
	Factors       []FactorView `json:"factors"`
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

func explanationView(e match.Explanation) Explanation {
	out := Explanation{Eligible: e.Eligibility.Eligible, Reasons: []ReasonView{}, Score: round(e.Score, 2),
		ClinicianSide: round(e.ClinicianSide, 2), EmployerSide: round(e.EmployerSide, 2), Factors: []FactorView{}}
	for _, r := range e.Eligibility.Reasons {
		out.Reasons = append(out.Reasons, ReasonView{Rule: string(r.Rule), Message: r.Message})
	}
	for _, f := range e.Factors {
		out.Factors = append(out.Factors, FactorView{Factor: f.Factor.String(), Side: f.Side.String(), Fit: round(f.Fit, 4),
			Weight: round(f.Weight, 4), Contribution: round(f.Contribution, 4), Missing: f.Missing, Sentence: f.Sentence})
	}
	return out
}

// CandidateRow is one clinician in a position's ranked candidates.
type CandidateRow struct {
	Clinician   candidates.Profile `json:"clinician"`
	Explanation Explanation        `json:"explanation"`
}

// RankedPage is a page of a ranked list.
type RankedPage[T any] struct {
	Items      []T                       `json:"items"`
	Total      int                       `json:"total"`
	Facets     map[string]map[string]int `json:"facets"`
	NextCursor string                    `json:"next_cursor"`
}

// listParam reads a comma-separated query parameter, each value checked
// by valid; an unknown value is a 400 naming the parameter.
func listParam(c echo.Context, name string, valid func(string) bool) ([]string, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return nil, nil
	}
	parts := strings.Split(raw, ",")
	if len(parts) > 20 {
		return nil, malformed("too many values", FieldError{Path: name, Message: "at most 20 values"})
	}
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
		if !valid(parts[i]) {
			return nil, malformed("unknown filter value", FieldError{Path: name, Message: "unknown value " + strconv.Quote(parts[i])})
		}
	}
	return parts, nil
}

func floatParam(c echo.Context, name string, lo, hi float64) (float64, error) {
	s := c.QueryParam(name)
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < lo || f > hi {
		return 0, malformed("a query parameter is out of range",
			FieldError{Path: name, Message: "must be a number from " + strconv.FormatFloat(lo, 'f', -1, 64) + " to " + strconv.FormatFloat(hi, 'f', -1, 64)})
	}
	return f, nil
}

func dateParam(c echo.Context, name string) (time.Time, error) {
	s := c.QueryParam(name)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, malformed("a date is malformed", FieldError{Path: name, Message: "must be a date like 2027-01-31"})
	}
	return t, nil
}

func validCredential(s string) bool { return taxonomy.Credential(s).Valid() }
func validTaxonomy(s string) bool   { _, ok := taxonomy.Lookup(s); return ok }

// textIDs narrows by free text through Meilisearch; nil means no text.
func textIDs(ids []string, err error) (map[string]struct{}, error) {
	if err != nil {
		return nil, err
	}
	set := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		set[id] = struct{}{}
	}
	return set, nil
}

// searchProblem maps a rejected search value to a 400.
func searchProblem(err error) error {
	if errors.Is(err, search.ErrInvalidQuery) {
		msg := strings.TrimPrefix(err.Error(), search.ErrInvalidQuery.Error()+": ")
		field, detail, _ := strings.Cut(msg, ": ")
		return malformed("a search parameter is not valid", FieldError{Path: field, Message: detail})
	}
	return err
}

// rankedProblem maps a cursor the list did not issue, or a rejected
// search value, to a 400.
func rankedProblem(err error) error {
	if errors.Is(err, ranking.ErrBadCursor) {
		return malformed("the cursor is not from this list", FieldError{Path: "cursor", Message: "not a cursor of this list"})
	}
	return searchProblem(err)
}

// rankedPosition reads a position in the caller's scope and its engine view.
func (s *Server) rankedPosition(c echo.Context) (jobs.Position, match.Position, error) {
	ctx := c.Request().Context()
	sc := orgScope(c)
	p, err := s.jobs.GetPosition(ctx, c.Param("id"), sc)
	if err != nil {
		return p, match.Position{}, err
	}
	org, err := s.jobs.GetOrganization(ctx, p.OrgID, jobs.Scope{})
	if err != nil {
		return p, match.Position{}, err
	}
	return p, ranking.FromPosition(p, org), nil
}

// positionCandidates ranks the clinicians eligible for a position.
func (s *Server) positionCandidates(c echo.Context) error {
	if err := queryParams(c, "q", "credential", "specialty", "state", "available_before", "min_score", "within_miles", "limit", "cursor"); err != nil {
		return err
	}
	f := ranking.CandidateFilter{Cursor: c.QueryParam("cursor")}
	var err error
	if f.Credentials, err = listParam(c, "credential", validCredential); err != nil {
		return err
	}
	if f.Taxonomies, err = listParam(c, "specialty", validTaxonomy); err != nil {
		return err
	}
	if f.HomeStates, err = listParam(c, "state", geo.IsState); err != nil {
		return err
	}
	if f.AvailableBefore, err = dateParam(c, "available_before"); err != nil {
		return err
	}
	if f.MinScore, err = floatParam(c, "min_score", 0, 100); err != nil {
		return err
	}
	if f.WithinMiles, err = floatParam(c, "within_miles", 0, 3000); err != nil {
		return err
	}
	if f.Limit, err = intParam(c, "limit", 1, 100); err != nil {
		return err
	}
	if f.Limit == 0 {
		f.Limit = 20
	}
	pos, mp, err := s.rankedPosition(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	now := s.now()
	if q := strings.TrimSpace(c.QueryParam("q")); q != "" {
		// Meilisearch matches the text among the ranked clinicians only
		// when there are few enough to name; otherwise among those with an
		// accepted credential and specialty licensed in a needed state.
		f.Text = func(ids []string) (map[string]struct{}, error) {
			narrow := search.ProfileFilter{IDs: ids}
			if len(ids) > search.MaxFilterIDs {
				narrow = search.ProfileFilter{Credentials: pos.Credentials, Taxonomies: pos.Taxonomies, LicenceStates: pos.LicenceStates}
			}
			return textIDs(s.search.ProfileIDs(ctx, q, narrow))
		}
	}
	page, err := s.features.Candidates(mp, f, now)
	if err != nil {
		return rankedProblem(err)
	}
	ids := page.IDs()
	profs := map[string]candidates.Profile{}
	if err := s.cands.EachProfile(ctx, ids, func(p candidates.Profile) error { profs[p.ID] = p; return nil }); err != nil {
		return err
	}
	who := principal(c)
	out := RankedPage[CandidateRow]{Items: []CandidateRow{}, Total: page.Total, Facets: page.Facets, NextCursor: page.NextCursor}
	for _, r := range page.Items {
		p, ok := profs[r.ID]
		if !ok {
			continue // deleted since the store last refreshed
		}
		view, _ := profileView(who, p, false)
		out.Items = append(out.Items, CandidateRow{Clinician: view, Explanation: explanationView(match.Explain(mp, ranking.FromProfile(p), now, ranking.Options))})
	}
	return c.JSON(http.StatusOK, out)
}

// explainCandidate explains one pair, eligible or not.
func (s *Server) explainCandidate(c echo.Context) error {
	_, mp, err := s.rankedPosition(c)
	if err != nil {
		return err
	}
	p, err := s.cands.GetProfile(c.Request().Context(), c.Param("clinician_id"))
	if err != nil {
		return err
	}
	view, reveals := profileView(principal(c), p, true)
	if reveals {
		if err := s.audit(c, p.ID); err != nil {
			return err
		}
	}
	return c.JSON(http.StatusOK, CandidateRow{Clinician: view,
		Explanation: explanationView(match.Explain(mp, ranking.FromProfile(p), s.now(), ranking.Options))})
}

// RoleRow is one position in a clinician's ranked roles.
type RoleRow struct {
	Position    jobs.Position `json:"position"`
	Explanation Explanation   `json:"explanation"`
}

// myRoles ranks the open positions the calling clinician is eligible for.
func (s *Server) myRoles(c echo.Context) error {
	if err := queryParams(c, "q", "state", "employment_type", "setting", "min_pay", "near_lat", "near_lng", "within_miles", "limit", "cursor"); err != nil {
		return err
	}
	f := ranking.RoleFilter{Cursor: c.QueryParam("cursor")}
	var err error
	if f.States, err = listParam(c, "state", geo.IsState); err != nil {
		return err
	}
	if f.EmploymentTypes, err = listParam(c, "employment_type", func(s string) bool { return taxonomy.EmploymentType(s).Valid() }); err != nil {
		return err
	}
	if f.Settings, err = listParam(c, "setting", func(s string) bool { return taxonomy.Setting(s).Valid() }); err != nil {
		return err
	}
	if f.MinAnnualPay, err = floatParam(c, "min_pay", 0, 5_000_000); err != nil {
		return err
	}
	if f.WithinMiles, err = floatParam(c, "within_miles", 0, 3000); err != nil {
		return err
	}
	if f.Limit, err = intParam(c, "limit", 1, 100); err != nil {
		return err
	}
	if f.Limit == 0 {
		f.Limit = 20
	}
	ctx := c.Request().Context()
	prof, err := s.cands.GetProfile(ctx, principal(c).ProfileID)
	if err != nil {
		return err
	}
	lat, lng := c.QueryParam("near_lat"), c.QueryParam("near_lng")
	switch {
	case lat != "" || lng != "":
		la, err := floatParam(c, "near_lat", -90, 90)
		if err != nil {
			return err
		}
		ln, err := floatParam(c, "near_lng", -180, 180)
		if err != nil {
			return err
		}
		if lat == "" || lng == "" {
			return malformed("a point needs both coordinates", FieldError{Path: "near_lat", Message: "give near_lat and near_lng together"})
		}
		f.Near = &match.Point{Lat: la, Lng: ln}
	case f.WithinMiles > 0:
		f.Near = &match.Point{Lat: prof.Home.Lat, Lng: prof.Home.Lng}
	}
	mc := ranking.FromProfile(prof)
	now := s.now()
	if q := strings.TrimSpace(c.QueryParam("q")); q != "" {
		f.Text = func(ids []string) (map[string]struct{}, error) {
			narrow := search.PositionFilter{IDs: ids}
			if len(ids) > search.MaxFilterIDs {
				narrow = search.PositionFilter{Credentials: []taxonomy.Credential{prof.Credential}}
			}
			return textIDs(s.search.PositionIDs(ctx, q, narrow))
		}
	}
	page, err := s.features.Roles(mc, f, now)
	if err != nil {
		return rankedProblem(err)
	}
	ids := page.IDs()
	posts := map[string]jobs.Position{}
	if err := s.jobs.EachPosition(ctx, ids, func(p jobs.Position) error { posts[p.ID] = p; return nil }); err != nil {
		return err
	}
	out := RankedPage[RoleRow]{Items: []RoleRow{}, Total: page.Total, Facets: page.Facets, NextCursor: page.NextCursor}
	for _, r := range page.Items {
		p, ok := posts[r.ID]
		mp, ok2 := s.features.Position(r.ID)
		if !ok || !ok2 {
			continue
		}
		out.Items = append(out.Items, RoleRow{Position: p, Explanation: explanationView(match.Explain(mp, mc, now, ranking.Options))})
	}
	return c.JSON(http.StatusOK, out)
}

// near reads near_lat, near_lng and within_miles for free search.
func nearParam(c echo.Context) (*search.Near, error) {
	lat, lng, miles := c.QueryParam("near_lat"), c.QueryParam("near_lng"), c.QueryParam("within_miles")
	if lat == "" && lng == "" && miles == "" {
		return nil, nil
	}
	if lat == "" || lng == "" || miles == "" {
		return nil, malformed("a radius needs a point", FieldError{Path: "within_miles", Message: "give near_lat, near_lng and within_miles together"})
	}
	la, err := floatParam(c, "near_lat", -90, 90)
	if err != nil {
		return nil, err
	}
	ln, err := floatParam(c, "near_lng", -180, 180)
	if err != nil {
		return nil, err
	}
	mi, err := floatParam(c, "within_miles", 0.1, 3000)
	if err != nil {
		return nil, err
	}
	return &search.Near{Lat: la, Lng: ln, Miles: mi}, nil
}

// searchPositions is free search over listed positions.
func (s *Server) searchPositions(c echo.Context) error {
	if err := queryParams(c, "q", "state", "credential", "specialty", "employment_type", "setting", "min_pay", "pay_period", "near_lat", "near_lng", "within_miles", "offset", "limit"); err != nil {
		return err
	}
	q := search.PositionQuery{Q: c.QueryParam("q"), State: c.QueryParam("state"), Credential: taxonomy.Credential(c.QueryParam("credential")),
		Taxonomy: c.QueryParam("specialty"), EmploymentType: taxonomy.EmploymentType(c.QueryParam("employment_type")),
		Setting: taxonomy.Setting(c.QueryParam("setting")), PayPeriod: jobs.PayPeriod(c.QueryParam("pay_period"))}
	var err error
	if q.MinPay, err = floatParam(c, "min_pay", 0, 5_000_000); err != nil {
		return err
	}
	if q.Near, err = nearParam(c); err != nil {
		return err
	}
	if q.Offset, err = intParam(c, "offset", 0, 10000); err != nil {
		return err
	}
	if q.Limit, err = intParam(c, "limit", 1, 100); err != nil {
		return err
	}
	res, err := s.search.SearchPositions(c.Request().Context(), q)
	if err != nil {
		return searchProblem(err)
	}
	return c.JSON(http.StatusOK, res)
}

// searchProfiles is free search over profiles for recruiters and admins;
// documents never hold contact details, and names only with consent.
func (s *Server) searchProfiles(c echo.Context) error {
	if err := queryParams(c, "q", "credential", "specialty", "licensed_in", "language", "ehr", "available_before", "near_lat", "near_lng", "within_miles", "offset", "limit"); err != nil {
		return err
	}
	q := search.ProfileQuery{Q: c.QueryParam("q"), Credential: taxonomy.Credential(c.QueryParam("credential")), Taxonomy: c.QueryParam("specialty"),
		LicensedIn: c.QueryParam("licensed_in"), Language: taxonomy.Language(c.QueryParam("language")), EHR: taxonomy.EHR(c.QueryParam("ehr"))}
	var err error
	if q.AvailableBefore, err = dateParam(c, "available_before"); err != nil {
		return err
	}
	if q.Near, err = nearParam(c); err != nil {
		return err
	}
	if q.Offset, err = intParam(c, "offset", 0, 10000); err != nil {
		return err
	}
	if q.Limit, err = intParam(c, "limit", 1, 100); err != nil {
		return err
	}
	res, err := s.search.SearchProfiles(c.Request().Context(), q)
	if err != nil {
		return searchProblem(err)
	}
	if principal(c).Role == access.Recruiter {
		for i := range res.Hits {
			if !res.Hits[i].VisibleToRecruiters {
				res.Hits[i].Name = ""
			}
		}
	}
	return c.JSON(http.StatusOK, res)
}
