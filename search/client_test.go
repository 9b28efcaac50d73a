package search

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
	"carefit/search/searchtest"
)

func TestSettingsApplied(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t)
	for _, k := range Kinds() {
		got, err := c.ms.Index(c.IndexName(k)).GetSettings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := Settings(k)
		sorted := func(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }
		if d := cmp.Diff(sorted(want.FilterableAttributes), sorted(got.FilterableAttributes)); d != "" {
			t.Errorf("%s filterable (-want +got):\n%s", k, d)
		}
		if d := cmp.Diff(sorted(want.SortableAttributes), sorted(got.SortableAttributes)); d != "" {
			t.Errorf("%s sortable (-want +got):\n%s", k, d)
		}
		if d := cmp.Diff(want.SearchableAttributes, got.SearchableAttributes); d != "" {
			t.Errorf("%s searchable (-want +got):\n%s", k, d)
		}
		if d := cmp.Diff(want.RankingRules, got.RankingRules); d != "" {
			t.Errorf("%s ranking rules (-want +got):\n%s", k, d)
		}
		if got.Pagination == nil || got.Pagination.MaxTotalHits != MaxTotalHits {
			t.Errorf("%s pagination %+v, want maxTotalHits %d", k, got.Pagination, MaxTotalHits)
		}
		if tt := got.TypoTolerance; tt == nil || !tt.Enabled || tt.MinWordSizeForTypos.OneTypo != 5 {
			t.Errorf("%s typo tolerance %+v", k, tt)
		}
	}
	// Applying again is harmless: it keeps the documents and the settings.
	d, _ := NewProfileDoc(searchtest.NewProfile())
	if err := c.UpsertProfiles(ctx, []ProfileDoc{d}); err != nil {
		t.Fatal(err)
	}
	if err := c.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Count(ctx, KindProfiles); err != nil || n != 1 {
		t.Errorf("after applying again: %d documents, %v; want the 1 indexed before", n, err)
	}
	if res, err := c.SearchProfiles(ctx, ProfileQuery{LicensedIn: "WI"}); err != nil || res.Total != 1 {
		t.Errorf("filtered search after applying again: %+v, %v; want 1 hit", res, err)
	}
}

func TestUpsertRejectsBadGeoBeforeSending(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t)
	good, _ := NewProfileDoc(searchtest.NewProfile())
	bad := good
	bad.ID, bad.Geo = uuid.NewString(), Geo{Lat: 95, Lng: 0}
	if err := c.UpsertProfiles(ctx, []ProfileDoc{good, bad}); err == nil {
		t.Fatal("bad _geo accepted")
	}
	if n, err := c.Count(ctx, KindProfiles); err != nil || n != 0 {
		t.Fatalf("count %d, %v; want nothing sent", n, err)
	}
}

// seed indexes a small, known set: positions in Milwaukee, Madison and
// Austin, and four clinicians.
func seed(t *testing.T, c *Client, now time.Time) (pos []PositionDoc, prof []ProfileDoc) {
	t.Helper()
	org := searchtest.Org
	org.ID = uuid.NewString()
	places := []PositionPlace{
		{OrgName: org.Name, City: "Milwaukee", State: "WI", Lat: 43.04, Lng: -87.90},
		{OrgName: org.Name, City: "Madison", State: "WI", Lat: 43.07, Lng: -89.40},
		{OrgName: org.Name, City: "Austin", State: "TX", Lat: 30.27, Lng: -97.74},
	}
	mk := func(loc int, mutate func(p *jobs.Position)) {
		p := searchtest.NewPosition(org, 0, now)
		p.ID, p.UpdatedAt = uuid.NewString(), now
		mutate(&p)
		d, err := NewPositionDoc(p, places[loc], now)
		if err != nil {
			t.Fatal(err)
		}
		pos = append(pos, d)
	}
	mk(0, func(p *jobs.Position) {}) // family physician, Milwaukee
	mk(1, func(p *jobs.Position) {
		p.Title, p.Credentials, p.Taxonomies = "Psychiatric Nurse Practitioner", []taxonomy.Credential{taxonomy.NP}, []string{"363LP0808X"}
		p.Pay = jobs.Pay{Min: 60, Max: 85, Period: jobs.PayHourly}
		p.Description = "Outpatient behavioural health."
		p.Environment.Setting = ptr(taxonomy.SettingOutpatientClinic)
	})
	mk(2, func(p *jobs.Position) {
		p.Title, p.EmploymentType, p.DurationWeeks = "Locum Family Physician", taxonomy.EmploymentLocumTenens, ptr(12)
		p.Pay.Max = 400000
	})
	mk(0, func(p *jobs.Position) { p.Title, p.Status = "Closed Family Physician", jobs.StatusClosed })
	mk(1, func(p *jobs.Position) { p.Title, p.ExpiresAt = "Expired Family Physician", ptr(now.Add(-time.Hour)) })

	for i, mutate := range []func(d *ProfileDoc){
		func(d *ProfileDoc) {},
		func(d *ProfileDoc) {
			d.Credential, d.Taxonomies, d.TaxonomyNames = "NP", []string{"363LP0808X"}, []string{"Psychiatric/Mental Health Nurse Practitioner"}
			d.Languages, d.LanguageNames, d.Geo = []string{"en"}, []string{"English"}, Geo{30.3, -97.7}
			d.LicenceStates, d.HomeState = []string{"TX"}, "TX"
		},
		func(d *ProfileDoc) { d.EHRsUsed, d.AvailableFrom = []string{"athenahealth"}, day(2027, 1, 1).Unix() },
		func(d *ProfileDoc) { d.Name, d.VisibleToRecruiters = "", false },
	} {
		p := searchtest.NewProfile()
		p.Name.Family = []string{"Zyqlowski", "Brandvold", "Okonkwo", "Thistlewood"}[i]
		p.VisibleToRecruiters = true
		d, err := NewProfileDoc(p)
		if err != nil {
			t.Fatal(err)
		}
		mutate(&d)
		prof = append(prof, d)
	}
	ctx := testCtx(t)
	if err := c.UpsertPositions(ctx, pos); err != nil {
		t.Fatal(err)
	}
	if err := c.UpsertProfiles(ctx, prof); err != nil {
		t.Fatal(err)
	}
	return pos, prof
}

func ids[T any](hits []T, id func(T) string) []string {
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = id(h)
	}
	slices.Sort(out)
	return out
}

func sortedIDs(ids ...string) []string {
	ids = append([]string{}, ids...)
	slices.Sort(ids)
	return ids
}

func TestSearchPositions(t *testing.T) {
	c := newClient(t)
	now := time.Now().UTC()
	c.Now = func() time.Time { return now }
	pos, _ := seed(t, c, now)
	ctx := testCtx(t)
	posID := func(d PositionDoc) string { return d.ID }
	tests := []struct {
		name   string
		q      PositionQuery
		want   []string
		facets map[string]map[string]int
	}{
		{"all listed (closed and expired left out)", PositionQuery{}, sortedIDs(pos[0].ID, pos[1].ID, pos[2].ID),
			map[string]map[string]int{"state": {"WI": 2, "TX": 1}, "employment_type": {"permanent": 2, "locum_tenens": 1}}},
		{"typo in text", PositionQuery{Q: "psychiatirc"}, sortedIDs(pos[1].ID), nil},
		{"taxonomy name words", PositionQuery{Q: "family medicine"}, sortedIDs(pos[0].ID, pos[2].ID), nil},
		{"state", PositionQuery{State: "TX"}, sortedIDs(pos[2].ID), nil},
		{"credential", PositionQuery{Credential: taxonomy.NP}, sortedIDs(pos[1].ID), nil},
		{"taxonomy", PositionQuery{Taxonomy: "207Q00000X", EmploymentType: taxonomy.EmploymentLocumTenens}, sortedIDs(pos[2].ID), nil},
		{"setting", PositionQuery{Setting: taxonomy.SettingOutpatientClinic}, sortedIDs(pos[1].ID), nil},
		{"min pay annual", PositionQuery{MinPay: 350000, PayPeriod: jobs.PayAnnual}, sortedIDs(pos[2].ID), nil},
		{"min pay hourly", PositionQuery{MinPay: 80, PayPeriod: jobs.PayHourly}, sortedIDs(pos[1].ID), nil},
		{"within 100 miles of Milwaukee", PositionQuery{Near: &Near{Lat: 43.04, Lng: -87.90, Miles: 100}}, sortedIDs(pos[0].ID, pos[1].ID), nil},
		{"within 10 miles of Milwaukee", PositionQuery{Near: &Near{Lat: 43.04, Lng: -87.90, Miles: 10}}, sortedIDs(pos[0].ID), nil},
		{"text and filter", PositionQuery{Q: "physician", State: "WI"}, sortedIDs(pos[0].ID), nil},
		{"nothing", PositionQuery{Q: "dermatology"}, sortedIDs(), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.SearchPositions(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, ids(res.Hits, posID)); d != "" {
				t.Errorf("hits (-want +got):\n%s", d)
			}
			if res.Total != len(tc.want) {
				t.Errorf("total %d, want %d", res.Total, len(tc.want))
			}
			for attr, want := range tc.facets {
				if d := cmp.Diff(want, res.Facets[attr]); d != "" {
					t.Errorf("facet %s (-want +got):\n%s", attr, d)
				}
			}
		})
	}
	page, err := c.SearchPositions(ctx, PositionQuery{Offset: 1, Limit: 1})
	if err != nil || len(page.Hits) != 1 || page.Total != 3 || page.Offset != 1 || page.Limit != 1 {
		t.Errorf("page: %+v, %v", page, err)
	}
	got, err := c.PositionIDs(ctx, "family", PositionFilter{States: []string{"WI", "TX"}})
	if err != nil || !slices.Equal(sortedIDs(got...), sortedIDs(pos[0].ID, pos[2].ID)) {
		t.Errorf("PositionIDs: %v, %v", got, err)
	}
}

func TestSearchProfiles(t *testing.T) {
	c := newClient(t)
	now := time.Now().UTC()
	_, prof := seed(t, c, now)
	ctx := testCtx(t)
	profID := func(d ProfileDoc) string { return d.ID }
	tests := []struct {
		name   string
		q      ProfileQuery
		want   []string
		facets map[string]map[string]int
	}{
		{"all", ProfileQuery{}, sortedIDs(prof[0].ID, prof[1].ID, prof[2].ID, prof[3].ID),
			map[string]map[string]int{"credential": {"MD": 3, "NP": 1}, "licence_states": {"WI": 3, "TX": 1}}},
		{"name of a consenting clinician", ProfileQuery{Q: "Zyqlowski"}, sortedIDs(prof[0].ID), nil},
		{"name without consent is not searchable", ProfileQuery{Q: "Thistlewood"}, sortedIDs(), nil},
		{"typo in taxonomy name", ProfileQuery{Q: "psychiatirc"}, sortedIDs(prof[1].ID), nil},
		{"board certification", ProfileQuery{Q: "American Board of Family Medicine", Credential: taxonomy.MD}, sortedIDs(prof[0].ID, prof[2].ID, prof[3].ID), nil},
		{"licensed in", ProfileQuery{LicensedIn: "TX"}, sortedIDs(prof[1].ID), nil},
		{"language", ProfileQuery{Language: "es"}, sortedIDs(prof[0].ID, prof[2].ID, prof[3].ID), nil},
		{"ehr", ProfileQuery{EHR: taxonomy.EHRAthenahealth}, sortedIDs(prof[2].ID), nil},
		{"available before", ProfileQuery{AvailableBefore: day(2026, 12, 31), Taxonomy: "207Q00000X"}, sortedIDs(prof[0].ID, prof[3].ID), nil},
		{"near Austin", ProfileQuery{Near: &Near{Lat: 30.27, Lng: -97.74, Miles: 50}}, sortedIDs(prof[1].ID), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := c.SearchProfiles(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tc.want, ids(res.Hits, profID)); d != "" {
				t.Errorf("hits (-want +got):\n%s", d)
			}
			for attr, want := range tc.facets {
				if d := cmp.Diff(want, res.Facets[attr]); d != "" {
					t.Errorf("facet %s (-want +got):\n%s", attr, d)
				}
			}
		})
	}
	got, err := c.ProfileIDs(ctx, "", ProfileFilter{Credentials: []taxonomy.Credential{taxonomy.MD}, EHRs: []taxonomy.EHR{taxonomy.EHREpic}})
	if err != nil || !slices.Equal(sortedIDs(got...), sortedIDs(prof[0].ID, prof[3].ID)) {
		t.Errorf("ProfileIDs: %v, %v", got, err)
	}
}

// TestTextMatchesEveryWord: a query of several words keeps the documents
// matching every one of them, so a place's name finds the positions in
// that city and not those of another city sharing a word.
func TestTextMatchesEveryWord(t *testing.T) {
	c := newClient(t)
	now := time.Now().UTC()
	c.Now = func() time.Time { return now }
	org := searchtest.Org
	org.ID = uuid.NewString()
	var docs []PositionDoc
	for _, place := range []PositionPlace{
		{OrgName: "Summit Health", City: "San Francisco", State: "CA", Lat: 37.77, Lng: -122.42},
		{OrgName: "Summit Health", City: "San Diego", State: "CA", Lat: 32.72, Lng: -117.16},
		{OrgName: "Summit Health", City: "San Antonio", State: "TX", Lat: 29.42, Lng: -98.49},
	} {
		p := searchtest.NewPosition(org, 0, now)
		p.ID, p.UpdatedAt, p.Title = uuid.NewString(), now, "Family Physician, "+place.City
		d, err := NewPositionDoc(p, place, now)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	ctx := testCtx(t)
	if err := c.UpsertPositions(ctx, docs); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"san diego", sortedIDs(docs[1].ID)},
		{"San Francisco family", sortedIDs(docs[0].ID)},
		{"diego", sortedIDs(docs[1].ID)},
		{"san", sortedIDs(docs[0].ID, docs[1].ID, docs[2].ID)},
		{"san jose", sortedIDs()},
	} {
		got, err := c.PositionIDs(ctx, tc.q, PositionFilter{})
		if err != nil || !slices.Equal(sortedIDs(got...), tc.want) {
			t.Errorf("PositionIDs(%q): got %v, %v; want %v", tc.q, got, err, tc.want)
		}
		res, err := c.SearchPositions(ctx, PositionQuery{Q: tc.q})
		if err != nil || !slices.Equal(ids(res.Hits, func(d PositionDoc) string { return d.ID }), tc.want) {
			t.Errorf("SearchPositions(%q): got %d hits, %v; want %v", tc.q, len(res.Hits), err, tc.want)
		}
	}
}
