package app

import (
	"context"

	"carefit/candidates"
	"carefit/search"
)

// SearchPage is one page of a free search whose hits are audience views.
type SearchPage[T any] struct {
	Hits   []T                       `json:"hits"`
	Total  int                       `json:"total"`
	Facets map[string]map[string]int `json:"facets"`
	Offset int                       `json:"offset"`
	Limit  int                       `json:"limit"`
}

// SearchPositions is free search over listed positions. Hits are the
// index's documents, which hold only what a public listing shows. It
// returns a Malformed error for a value the index rejects, and
// Unavailable without search.
func (s *Service) SearchPositions(ctx context.Context, q search.PositionQuery) (search.Result[search.PositionDoc], error) {
	if s.Search == nil {
		return search.Result[search.PositionDoc]{}, s.ranked()
	}
	res, err := s.Search.SearchPositions(ctx, q)
	return res, err
}

// SearchProfiles is free search over profiles for recruiters and admins.
// The index chooses and orders the hits; each hit is then the caller's list
// view of the profile read from Postgres (one query per page), so consent
// and every shown field come from the source of truth, never from the
// index's copy. Hits deleted since they were indexed are dropped. Errors
// as for SearchPositions.
func (s *Service) SearchProfiles(ctx context.Context, who Caller, q search.ProfileQuery) (SearchPage[ClinicianView], error) {
	var out SearchPage[ClinicianView]
	if s.Search == nil {
		return out, s.ranked()
	}
	res, err := s.Search.SearchProfiles(ctx, q)
	if err != nil {
		return out, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	profs, err := s.profilesByID(ctx, ids)
	if err != nil {
		return out, err
	}
	out = SearchPage[ClinicianView]{Hits: make([]ClinicianView, 0, len(ids)), Total: res.Total, Facets: res.Facets, Offset: res.Offset, Limit: res.Limit}
	for _, id := range ids {
		if p, ok := profs[id]; ok {
			view, _ := ProfileFor(who.Principal, p, false)
			out.Hits = append(out.Hits, view)
		}
	}
	return out, nil
}

// listProfiles maps a page of profiles to who's list views.
func listViews(who Caller, ps []candidates.Profile) []ClinicianView {
	out := make([]ClinicianView, len(ps))
	for i, p := range ps {
		out[i], _ = ProfileFor(who.Principal, p, false)
	}
	return out
}
