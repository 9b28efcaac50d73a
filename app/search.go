package app

import (
	"context"
	"maps"
	"slices"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/taxonomy"
	"carefit/search"
)

// SearchPage is one page of a free search whose hits are audience views.
type SearchPage[T any] struct {
	Hits   []T                       `json:"hits"`
	Total  int                       `json:"total"`
	Facets map[string]map[string]int `json:"facets"`
	// FacetLabels name the facets' coded values: specialties by NUCC code,
	// languages by ISO 639-1 code.
	FacetLabels map[string]map[string]string `json:"facet_labels"`
	Offset      int                          `json:"offset"`
	Limit       int                          `json:"limit"`
}

// labelled is page with its facets' labels.
func labelled[T any](page SearchPage[T], err error) (SearchPage[T], error) {
	page.FacetLabels = facetLabels(page.Facets)
	return page, err
}

// SearchPositions is free search over listed positions. Hits are the
// index's documents, which hold only what a public listing shows. It
// returns a Malformed error for a value the index rejects, and
// Unavailable without search.
func (s *Service) SearchPositions(ctx context.Context, q search.PositionQuery) (SearchPage[search.PositionDoc], error) {
	if err := s.searchable(); err != nil {
		return SearchPage[search.PositionDoc]{}, err
	}
	res, err := s.Search.SearchPositions(ctx, q)
	return labelled(SearchPage[search.PositionDoc]{Hits: res.Hits, Total: res.Total, Facets: res.Facets, Offset: res.Offset, Limit: res.Limit}, err)
}

// SearchProfiles is free search over profiles for recruiters and admins.
// The index chooses and orders the hits; each hit is then the caller's list
// view of the profile read from Postgres (one query per page), so consent
// and every shown field come from the source of truth, never from the
// index's copy. Hits deleted since they were indexed are dropped.
//
// A recruiter searches only the clinicians their organization may see
// (reach.go): the index is asked with a filter holding exactly their IDs,
// built on the server from the reach, never from the request's text, so
// hits, total and facets count nobody else. Past search.MaxFilterIDs such
// clinicians, the index lists every match in its order and the page,
// total and facets are cut from the reachable ones (searchMany). Errors
// as for SearchPositions.
func (s *Service) SearchProfiles(ctx context.Context, who Caller, q search.ProfileQuery) (SearchPage[ClinicianView], error) {
	return labelled(s.searchProfiles(ctx, who, q))
}

func (s *Service) searchProfiles(ctx context.Context, who Caller, q search.ProfileQuery) (SearchPage[ClinicianView], error) {
	var out SearchPage[ClinicianView]
	if err := s.searchable(); err != nil {
		return out, err
	}
	var reach orgReach
	if who.Role == access.Recruiter {
		var err error
		if reach, err = s.reachOf(ctx, who); err != nil {
			return out, err
		}
		ids := reach.visible()
		switch {
		case len(ids) == 0:
			return emptySearch(q)
		case len(ids) > search.MaxFilterIDs:
			return s.searchMany(ctx, who, q, reach, ids)
		}
		q.IDs = ids
	}
	res, err := s.Search.SearchProfiles(ctx, q)
	if err != nil {
		return out, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	hits, err := s.hitViews(ctx, who, reach, ids)
	return SearchPage[ClinicianView]{Hits: hits, Total: res.Total, Facets: res.Facets, Offset: res.Offset, Limit: res.Limit}, err
}

// searchable returns Unavailable when this process has no search index.
func (s *Service) searchable() error {
	if s.Search == nil {
		return errs.E("app", errs.Unavailable, "search is not available in this process")
	}
	return nil
}

// emptySearch is the answer to a search among no clinicians, for a valid
// query.
func emptySearch(q search.ProfileQuery) (SearchPage[ClinicianView], error) {
	if err := q.Validate(); err != nil {
		return SearchPage[ClinicianView]{}, err
	}
	limit := q.Limit
	if limit == 0 {
		limit = search.DefaultLimit
	}
	return SearchPage[ClinicianView]{Hits: []ClinicianView{}, Facets: map[string]map[string]int{}, Offset: q.Offset, Limit: limit}, nil
}

// searchMany is a recruiter's search among more reachable clinicians than
// one filter may name: the index lists every match in search order,
// narrowed by the organization's clinicians' credentials and specialties
// (server-side values), and the reachable ones make the total, the
// facets (counted from the feature store) and the page.
func (s *Service) searchMany(ctx context.Context, who Caller, q search.ProfileQuery, reach orgReach, visible []string) (SearchPage[ClinicianView], error) {
	facets := s.Features.ClinicianFacets(visible)
	for _, c := range slices.Sorted(maps.Keys(facets["credential"])) {
		q.Within.Credentials = append(q.Within.Credentials, taxonomy.Credential(c))
	}
	q.Within.Taxonomies = slices.Sorted(maps.Keys(facets["taxonomies"]))
	all, err := s.Search.ProfileIDsFor(ctx, q)
	if err != nil {
		return SearchPage[ClinicianView]{}, err
	}
	kept := all[:0]
	for _, id := range all {
		if _, ok := slices.BinarySearch(visible, id); ok {
			kept = append(kept, id)
		}
	}
	page, err := emptySearch(q)
	if err != nil {
		return page, err
	}
	page.Total, page.Facets = len(kept), s.Features.ClinicianFacets(kept)
	from, to := min(q.Offset, len(kept)), min(q.Offset+page.Limit, len(kept))
	page.Hits, err = s.hitViews(ctx, who, reach, kept[from:to])
	return page, err
}

// hitViews reads the profiles ids in one query and returns who's list
// views of them in the order of ids; profiles deleted since they were
// indexed are dropped.
func (s *Service) hitViews(ctx context.Context, who Caller, reach orgReach, ids []string) ([]ClinicianView, error) {
	profs, err := s.profilesByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]ClinicianView, 0, len(ids))
	for _, id := range ids {
		if p, ok := profs[id]; ok {
			view, _ := ProfileFor(who.Principal, p, reach.reading(id))
			out = append(out, view)
		}
	}
	return out, nil
}

// listViews maps a page of profiles to who's list views.
func listViews(who Caller, reach orgReach, ps []candidates.Profile) []ClinicianView {
	out := make([]ClinicianView, len(ps))
	for i, p := range ps {
		out[i], _ = ProfileFor(who.Principal, p, reach.reading(p.ID))
	}
	return out
}
