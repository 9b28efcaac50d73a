package search

import (
	"errors"
	"slices"
	"testing"

	"carefit/internal/kit/taxonomy"
	"carefit/search/searchtest"
)

// TestScopedProfileSearch: a search with IDs finds, counts and facets
// only those profiles; ProfileIDsFor lists every match in search order,
// narrowed by Within; Validate refuses what a search would.
func TestScopedProfileSearch(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t)
	var docs []ProfileDoc
	for i := range 5 {
		p := searchtest.NewProfile()
		if i == 4 {
			searchtest.Nurse(&p)
		}
		d, err := NewProfileDoc(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	if err := c.UpsertProfiles(ctx, docs); err != nil {
		t.Fatal(err)
	}
	scope := []string{docs[1].ID, docs[3].ID}
	res, err := c.SearchProfiles(ctx, ProfileQuery{IDs: scope})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, h := range res.Hits {
		got = append(got, h.ID)
	}
	slices.Sort(got)
	want := slices.Sorted(slices.Values(scope))
	if !slices.Equal(got, want) || res.Total != 2 || sum(res.Facets["credential"]) != 2 {
		t.Errorf("scoped search: got %v, total %d, facets %v; want %v, 2, 2", got, res.Total, res.Facets, want)
	}
	all, err := c.ProfileIDsFor(ctx, ProfileQuery{Limit: 1})
	if err != nil || len(all) != 5 {
		t.Errorf("ProfileIDsFor: got %d IDs (%v), want every one of 5", len(all), err)
	}
	nurses, err := c.ProfileIDsFor(ctx, ProfileQuery{Within: ProfileFilter{Credentials: []taxonomy.Credential{taxonomy.RN}}})
	if err != nil || len(nurses) != 1 || nurses[0] != docs[4].ID {
		t.Errorf("ProfileIDsFor within RN: got %v, %v; want the nurse", nurses, err)
	}
	if err := (ProfileQuery{Credential: "XX"}).Validate(); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("Validate: got %v, want an invalid query", err)
	}
	if err := (ProfileQuery{Q: "family"}).Validate(); err != nil {
		t.Errorf("Validate of a good query: %v", err)
	}
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}
