package app

import (
	"context"
	"math"
	"strings"
	"time"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/geo"
	"carefit/jobs"
	"carefit/match"
	"carefit/pipeline"
	"carefit/ranking"
	"carefit/search"
)

// The ranked use cases. The fit engine ranks every eligible clinician (or
// open position) held in the feature store, so a list is the engine's own
// ranking over the whole eligible set, not over a page of search hits.
// Free text narrows the eligible set as the search index would match it:
// the feature store keeps every record's searchable text and matches it
// with Meilisearch's rules (search/textmatch), so no request asks the
// index or sends it a list of IDs. A request reads the position and the
// clinician's features from the feature store and the page's profiles or
// positions from Postgres in one query; an explanation reads one profile
// (and writes the audit entry when it reveals contact details).

// CandidateRow is one clinician in a position's ranked candidates, or one
// explained pair.
type CandidateRow struct {
	Clinician ClinicianView `json:"clinician"`
	// DistanceMiles is from the clinician's home to the position, in whole
	// miles; nil when either place is unknown.
	DistanceMiles *int `json:"distance_miles"`
	// Specialties name the clinician's taxonomy codes.
	Specialties []Specialty `json:"specialties"`
	Explanation Explanation `json:"explanation"`
	// PipelineState is the pair's state in the recruiter's pipeline; nil
	// when the clinician is not in it.
	PipelineState *string `json:"pipeline_state"`
}

// RoleRow is one position in a clinician's ranked roles, or one role
// explained; the explanation speaks to the clinician ("you").
type RoleRow struct {
	Position PositionView `json:"position"`
	// Specialties name the taxonomy codes the position accepts.
	Specialties []Specialty `json:"specialties"`
	Explanation Explanation `json:"explanation"`
}

// RankedPage is a page of a ranked list.
type RankedPage[T any] struct {
	Items  []T                       `json:"items"`
	Total  int                       `json:"total"`
	Facets map[string]map[string]int `json:"facets"`
	// FacetLabels name the facets' coded values: specialties by NUCC code.
	FacetLabels map[string]map[string]string `json:"facet_labels"`
	NextCursor  string                       `json:"next_cursor"`
}

// CandidateQuery asks for a position's ranked candidates. Zero fields do
// not filter; Limit is 1 to 100.
type CandidateQuery struct {
	PositionID      string
	Q               string
	Credentials     []string
	Specialties     []string
	HomeStates      []string
	AvailableBefore time.Time
	MinScore        float64
	WithinMiles     float64
	// Pipeline keeps the clinicians in one of these pipeline states.
	Pipeline []pipeline.State
	Limit    int
	Cursor   string
}

// RoleQuery asks for the calling clinician's ranked roles. Zero fields do
// not filter; WithinMiles is measured from Near, or from the clinician's
// home when Near is nil.
type RoleQuery struct {
	Q               string
	States          []string
	EmploymentTypes []string
	Settings        []string
	MinAnnualPay    float64
	Near            *match.Point
	WithinMiles     float64
	// Sort orders the roles by the clinician's own side of the fit
	// (match.ByFit) or by the mutual score (match.ByMutual).
	Sort   match.Order
	Limit  int
	Cursor string
}

// round rounds v to places decimals (0 to 6). Every number of every
// explained row goes through it, so the powers of ten are a table rather
// than math.Pow's loop.
func round(v float64, places int) float64 {
	p := pow10[places]
	return math.Round(v*p) / p
}

var pow10 = [...]float64{1, 10, 100, 1e3, 1e4, 1e5, 1e6}

// distance is the whole miles from c's home to p; nil when either is
// unknown.
func distance(p match.Position, c match.Clinician) *int {
	if p.Location == nil || c.Home == nil || (c.Home.Lat == 0 && c.Home.Lng == 0) {
		return nil
	}
	d := int(math.Round(geo.DistanceMiles(p.Location.Lat, p.Location.Lng, c.Home.Lat, c.Home.Lng)))
	return &d
}

func (s *Service) ranked() error {
	if s.Features == nil {
		return errs.E("app", errs.Unavailable, "ranking is not available in this process")
	}
	return nil
}

// rankedText is free text for a ranked list, trimmed; it returns the
// error free search gives for the same text (too long, not UTF-8).
func rankedText(q string) (string, error) {
	if err := search.CheckText(q); err != nil {
		return "", err
	}
	return strings.TrimSpace(q), nil
}

// rankedPosition is the position with id from the feature store, if who
// may rank for it: an admin, or a recruiter of its organization. Another
// organization's position is not found.
func (s *Service) rankedPosition(who access.Principal, id string) (match.Position, error) {
	p, ok := s.Features.Position(id)
	if !ok || !owns(who, p.OrgID) {
		return match.Position{}, errs.E("app.rankedPosition", errs.NotFound, "")
	}
	return p, nil
}

// Candidates ranks the clinicians eligible for a position by mutual fit.
// It returns a NotFound error for a position the caller may not see, a
// Malformed one for a foreign cursor or rejected text, and Unavailable
// without the feature store or search.
func (s *Service) Candidates(ctx context.Context, who Caller, q CandidateQuery) (RankedPage[CandidateRow], error) {
	var out RankedPage[CandidateRow]
	if err := s.ranked(); err != nil {
		return out, err
	}
	mp, err := s.rankedPosition(who.Principal, q.PositionID)
	if err != nil {
		return out, err
	}
	text, err := rankedText(q.Q)
	if err != nil {
		return out, err
	}
	f := ranking.CandidateFilter{Credentials: q.Credentials, Taxonomies: q.Specialties, HomeStates: q.HomeStates,
		AvailableBefore: q.AvailableBefore, MinScore: q.MinScore, WithinMiles: q.WithinMiles, Limit: q.Limit, Cursor: q.Cursor,
		Text: text}
	// Every row is eligible for the position, so the organization may see
	// it unless the clinician blocked the organization: the feature store
	// leaves those out before the list is cut (within a refresh of the
	// block), and the page's own read drops any it still held. Each row's
	// standing (introduced or not) comes with its profile.
	if who.Role == access.Recruiter {
		f.ForOrg = who.OrgID
	}
	// Filtered by pipeline state, the pipeline's clinicians in those states
	// and their profiles are read first, in one query: the ranking keeps
	// only them and the page is built from them. Otherwise the page's
	// profiles and states are read after ranking, also in one query.
	var profs map[string]rowProfile
	if len(q.Pipeline) > 0 {
		if profs, err = s.pipelineProfiles(ctx, mp.ID, q.Pipeline); err != nil {
			return out, err
		}
		f.Among = make(map[string]struct{}, len(profs))
		for id := range profs {
			f.Among[id] = struct{}{}
		}
	}
	now := s.now()
	page, err := s.Features.Candidates(mp.ID, f, now)
	if err != nil {
		return out, err
	}
	if profs == nil {
		if profs, err = s.pageProfiles(ctx, who, mp, page.IDs()); err != nil {
			return out, err
		}
	}
	out = RankedPage[CandidateRow]{Items: make([]CandidateRow, 0, len(page.Items)), Total: page.Total, Facets: page.Facets,
		FacetLabels: facetLabels(page.Facets), NextCursor: page.NextCursor}
	for _, r := range page.Items {
		p, ok := profs[r.ID]
		if !ok || who.Role == access.Recruiter && p.standing.Blocked {
			continue // deleted, or blocked the organization, since the store last refreshed
		}
		view, _ := ProfileFor(who.Principal, p.profile, Reading{Introduced: p.standing.Introduced, PositionID: mp.ID})
		out.Items = append(out.Items, s.candidateRow(mp, p, view, now))
	}
	return out, nil
}

// candidateRow explains one pair with the features the list ranked by.
func (s *Service) candidateRow(mp match.Position, p rowProfile, view ClinicianView, now time.Time) CandidateRow {
	c, ok := s.Features.Clinician(p.profile.ID)
	if !ok {
		c = ranking.FromProfile(p.profile) // created since the store last refreshed
	}
	return CandidateRow{Clinician: view, DistanceMiles: distance(mp, c), Specialties: specialties(p.profile.Taxonomies),
		Explanation: explanationView(s.Features.Explain(mp, c, now, match.ReaderRecruiter)), PipelineState: stateView(p.standing.State)}
}

// profilesByID reads the profiles with ids in one query.
func (s *Service) profilesByID(ctx context.Context, ids []string) (map[string]candidates.Profile, error) {
	out := make(map[string]candidates.Profile, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	err := s.Profiles.EachProfile(ctx, ids, func(p candidates.Profile) error { out[p.ID] = p; return nil })
	return out, err
}

// Explain explains one pair, eligible or not, if the caller may see the
// clinician (reach.go: for a recruiter, one eligible for any of the
// organization's live positions or in its pipeline or introductions). The
// clinician is shown as a single read, audited first with the position:
// to an admin, or a recruiter introduced to the clinician, with contact
// details. Errors as for Candidates; an unknown clinician, or one the
// caller may not see, is NotFound.
func (s *Service) Explain(ctx context.Context, who Caller, positionID, clinicianID string) (CandidateRow, error) {
	if err := s.ranked(); err != nil {
		return CandidateRow{}, err
	}
	mp, err := s.rankedPosition(who.Principal, positionID)
	if err != nil {
		return CandidateRow{}, err
	}
	p, err := s.pairProfile(ctx, who, mp, clinicianID)
	if err != nil {
		return CandidateRow{}, err
	}
	// The pair's standing came with the profile: the organization may see
	// a clinician who did not block it and is eligible for one of its
	// positions or related to it (reach.go), with no further query.
	st := p.standing
	if who.Role == access.Recruiter && (st.Blocked || !st.Related && !s.Features.EligibleFor(clinicianID, who.OrgID, s.now())) {
		return CandidateRow{}, candidates.ErrNotFound
	}
	view, reveals := ProfileFor(who.Principal, p.profile, Reading{Single: true, Introduced: st.Introduced, PositionID: mp.ID})
	if err := s.auditRead(ctx, who, reveals, mp.ID, p.profile.ID); err != nil {
		return CandidateRow{}, err
	}
	return s.candidateRow(mp, p, view, s.now()), nil
}

// Roles ranks the open positions the calling clinician is eligible for.
// It returns NotFound when the feature store does not hold the caller's
// profile, and errors as for Candidates otherwise.
func (s *Service) Roles(ctx context.Context, who Caller, q RoleQuery) (RankedPage[RoleRow], error) {
	var out RankedPage[RoleRow]
	if err := s.ranked(); err != nil {
		return out, err
	}
	c, ok := s.Features.Clinician(who.ProfileID)
	if who.Role != access.Clinician || !ok {
		return out, errs.E("app.Roles", errs.NotFound, "")
	}
	text, err := rankedText(q.Q)
	if err != nil {
		return out, err
	}
	f := ranking.RoleFilter{States: q.States, EmploymentTypes: q.EmploymentTypes, Settings: q.Settings, MinAnnualPay: q.MinAnnualPay,
		Near: q.Near, WithinMiles: q.WithinMiles, Order: q.Sort, Limit: q.Limit, Cursor: q.Cursor, Text: text}
	if f.WithinMiles > 0 && f.Near == nil {
		f.Near = c.Home
		if f.Near == nil {
			f.Near = &match.Point{}
		}
	}
	now := s.now()
	page, err := s.Features.Roles(c.ID, f, now)
	if err != nil {
		return out, err
	}
	posts := make(map[string]jobs.Position, len(page.Items))
	if ids := page.IDs(); len(ids) > 0 {
		if err := s.Positions.EachPosition(ctx, ids, func(p jobs.Position) error { posts[p.ID] = p; return nil }); err != nil {
			return out, err
		}
	}
	out = RankedPage[RoleRow]{Items: make([]RoleRow, 0, len(page.Items)), Total: page.Total, Facets: page.Facets,
		FacetLabels: facetLabels(page.Facets), NextCursor: page.NextCursor}
	for _, r := range page.Items {
		p, ok := posts[r.ID]
		mp, ok2 := s.Features.Position(r.ID)
		if !ok || !ok2 {
			continue
		}
		out.Items = append(out.Items, s.roleRow(who, p, mp, c, now))
	}
	return out, nil
}

// roleRow explains a role to the clinician it is for.
func (s *Service) roleRow(who Caller, p jobs.Position, mp match.Position, c match.Clinician, now time.Time) RoleRow {
	return RoleRow{Position: PositionFor(who.Principal, p), Specialties: specialties(p.Taxonomies),
		Explanation: explanationView(s.Features.Explain(mp, c, now, match.ReaderClinician))}
}

// ExplainRole explains one position to the calling clinician, eligible or
// not: the rules it fails (a must-have they marked among them) and the fit
// it would have had, in their words. A draft, or a position the feature
// store does not hold, is NotFound; other errors as for Roles.
func (s *Service) ExplainRole(ctx context.Context, who Caller, positionID string) (RoleRow, error) {
	if err := s.ranked(); err != nil {
		return RoleRow{}, err
	}
	c, ok := s.Features.Clinician(who.ProfileID)
	mp, ok2 := s.Features.Position(positionID)
	if who.Role != access.Clinician || !ok || !ok2 || mp.Status == match.StatusDraft {
		return RoleRow{}, errs.E("app.ExplainRole", errs.NotFound, "")
	}
	var p jobs.Position
	found := false
	err := s.Positions.EachPosition(ctx, []string{mp.ID}, func(x jobs.Position) error { p, found = x, true; return nil })
	if err != nil {
		return RoleRow{}, err
	}
	if !found || p.Status == jobs.StatusDraft {
		return RoleRow{}, errs.E("app.ExplainRole", errs.NotFound, "")
	}
	return s.roleRow(who, p, mp, c, s.now()), nil
}
