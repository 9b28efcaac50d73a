package ranking_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/market"
	"carefit/internal/platform/testenv"
	"carefit/jobs"
	"carefit/match"
	"carefit/ranking"
	"carefit/ranking/rankingdb"
	"carefit/search"
)

func TestMain(m *testing.M) { testenv.Main(m) }

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// seeded loads a generated market, into the database whose pool it
// returns, in which the first bigN clinicians are registered nurses living
// in Dallas with Texas licences, so that one nursing position there has
// more than 1,000 eligible clinicians.
func seeded(t *testing.T, bigN int) (*ranking.Store, market.Market, time.Time, *pgxpool.Pool) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	mk := market.Generate(11, market.Size{Organizations: 30, Positions: 400, Profiles: 4000}, now)
	for i := 0; i < bigN; i++ {
		p := &mk.Profiles[i]
		p.Credential, p.Taxonomies, p.BoardCertifications = taxonomy.RN, []string{"163W00000X"}, nil
		p.Home.Lat, p.Home.Lng, p.Home.State = 32.78+float64(i%10)*0.01, -96.80, "TX"
		p.Licences = []candidates.Licence{{State: "TX", Number: "RN-1", Expires: now.AddDate(2, 0, 0).Truncate(24 * time.Hour), Multistate: true}}
		p.AvailableFrom = now.Truncate(24 * time.Hour)
		p.EmploymentTypes = []taxonomy.EmploymentType{taxonomy.EmploymentPermanent}
		p.Wishes.PatientsPerNurseMax = nil
	}
	big := &mk.Positions[0]
	org := orgOf(mk, big.OrgID)
	org.Locations[0].State, org.Locations[0].Lat, org.Locations[0].Lng = "TX", 32.78, -96.80
	big.LocationID, big.LicenceStates = org.Locations[0].ID, []string{"TX"}
	big.Credentials, big.Taxonomies = []taxonomy.Credential{taxonomy.RN}, []string{"163W00000X"}
	big.EmploymentType, big.DurationWeeks = taxonomy.EmploymentPermanent, nil
	big.StartDate = now.AddDate(0, 0, 30).Truncate(24 * time.Hour)
	big.Environment.PatientsPerNurse, big.Environment.CollaborativePractice = nil, nil
	pool := testenv.DB(t)
	if err := market.Load(ctx, pool, mk, time.Now, nil); err != nil {
		t.Fatal(err)
	}
	src, err := rankingdb.Sources(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	src.Text = ranking.Texts{Profile: search.ProfileText, Position: search.PositionText}
	s, err := ranking.Load(ctx, src, quiet, ranking.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	return s, mk, now, pool
}

func orgOf(mk market.Market, id string) *jobs.Organization {
	for i := range mk.Organizations {
		if mk.Organizations[i].ID == id {
			return &mk.Organizations[i]
		}
	}
	return nil
}

// bruteForce ranks every clinician with the engine's own Check and
// Explain, one pair at a time.
func bruteForce(p match.Position, mk market.Market, now time.Time) []match.Ranked {
	var out []match.Ranked
	for _, prof := range mk.Profiles {
		c := ranking.FromProfile(prof)
		if !match.Check(p, c, now, ranking.DefaultOptions()).Eligible {
			continue
		}
		out = append(out, match.Ranked{ID: c.ID, Score: match.Explain(p, c, now, ranking.DefaultOptions()).Score})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// allPages follows the cursor to the end of a position's candidates.
func allPages(t *testing.T, s *ranking.Store, p match.Position, f ranking.CandidateFilter, now time.Time) []match.Ranked {
	t.Helper()
	var got []match.Ranked
	f.Limit = 50
	for pages := 0; ; pages++ {
		page, err := s.Candidates(p.ID, f, now)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.Items...)
		if page.NextCursor == "" {
			if len(got) != page.Total {
				t.Fatalf("pages hold %d items, total says %d", len(got), page.Total)
			}
			return got
		}
		if pages > 1000 {
			t.Fatal("cursor does not end")
		}
		f.Cursor = page.NextCursor
	}
}

func sameRanking(t *testing.T, got, want []match.Ranked) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d eligible clinicians, want %d", len(got), len(want))
	}
	for i := range want {
		// The index keeps scores in float32: a swap of two clinicians whose
		// scores agree to 1e-3 is the same ranking.
		if got[i].ID != want[i].ID && math.Abs(got[i].Score-want[i].Score) > 1e-3 {
			t.Fatalf("rank %d: got %s (%.4f), want %s (%.4f)", i, got[i].ID, got[i].Score, want[i].ID, want[i].Score)
		}
		if math.Abs(got[i].Score-want[i].Score) > 0.01 {
			t.Fatalf("rank %d: score %.4f, want %.4f", i, got[i].Score, want[i].Score)
		}
	}
}

func TestCandidatesEqualTheEngineOverAllEligible(t *testing.T) {
	s, mk, now, _ := seeded(t, 1300)
	checked, big := 0, 0
	for i, jp := range mk.Positions {
		if i%9 != 0 {
			continue
		}
		p, ok := s.Position(jp.ID)
		if !ok {
			t.Fatalf("position %s not in the store", jp.ID)
		}
		want := bruteForce(p, mk, now)
		got := allPages(t, s, p, ranking.CandidateFilter{}, now)
		sameRanking(t, got, want)
		checked++
		if len(want) > 1000 {
			big++
		}
	}
	if big == 0 {
		t.Fatal("no position with more than 1,000 eligible clinicians was checked")
	}
	t.Logf("checked %d positions", checked)
}

func TestCandidateFiltersAndFacets(t *testing.T) {
	s, mk, now, _ := seeded(t, 1300)
	p, _ := s.Position(mk.Positions[0].ID)
	all := allPages(t, s, p, ranking.CandidateFilter{}, now)

	some := map[string]struct{}{}
	for i, r := range all {
		if i%3 == 0 {
			some[r.ID] = struct{}{}
		}
	}
	cutoff := now.AddDate(0, 0, 3)
	// Filter values come from the ranking, so that each keeps some
	// candidates and drops others (checked below): the median score, and
	// the home states other than the position's, which most candidates
	// share.
	median := all[len(all)/2].Score
	var elsewhere []string
	for _, r := range all {
		if st := s.ClinicianFacts(r.ID).HomeState; st != "TX" && !slices.Contains(elsewhere, st) {
			elsewhere = append(elsewhere, st)
		}
	}
	tests := []struct {
		name string
		f    ranking.CandidateFilter
		keep func(r match.Ranked) bool
	}{
		{"among", ranking.CandidateFilter{Among: some}, func(r match.Ranked) bool { _, ok := some[r.ID]; return ok }},
		{"among and home state", ranking.CandidateFilter{Among: some, HomeStates: []string{"TX"}}, func(r match.Ranked) bool {
			_, ok := some[r.ID]
			return ok && s.ClinicianFacts(r.ID).HomeState == "TX"
		}},
		{"text", ranking.CandidateFilter{Text: "spanish"}, func(r match.Ranked) bool { return speaks(mk, r.ID, "es") }},
		{"text and home state", ranking.CandidateFilter{Text: " Spanish ", HomeStates: []string{"TX"}}, func(r match.Ranked) bool {
			return speaks(mk, r.ID, "es") && s.ClinicianFacts(r.ID).HomeState == "TX"
		}},
		{"min score", ranking.CandidateFilter{MinScore: median}, func(r match.Ranked) bool { return r.Score >= median }},
		{"within 5 miles", ranking.CandidateFilter{WithinMiles: 5}, func(r match.Ranked) bool {
			c := s.ClinicianFacts(r.ID)
			return distance(p, c) <= 5
		}},
		{"available before", ranking.CandidateFilter{AvailableBefore: cutoff}, func(r match.Ranked) bool {
			return !s.ClinicianFacts(r.ID).AvailableFrom.After(cutoff)
		}},
		{"home states", ranking.CandidateFilter{HomeStates: elsewhere}, func(r match.Ranked) bool {
			return slices.Contains(elsewhere, s.ClinicianFacts(r.ID).HomeState)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []match.Ranked
			for _, r := range all {
				if tc.keep(r) {
					want = append(want, r)
				}
			}
			// Only a filter that keeps some and drops some is tested: on
			// none or all, ignoring it would pass too.
			if len(want) == 0 || len(want) == len(all) {
				t.Fatalf("filter keeps %d of %d candidates; the market cannot tell it from no filter", len(want), len(all))
			}
			got := allPages(t, s, p, tc.f, now)
			if !slices.Equal(got, want) {
				t.Fatalf("got %d clinicians, want %d (the unfiltered ranking narrowed)", len(got), len(want))
			}
			page, err := s.Candidates(p.ID, tc.f, now)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, c := range page.Facets["credential"] {
				n += c
			}
			if n != len(want) {
				t.Fatalf("credential facet counts %d, want %d", n, len(want))
			}
		})
	}
}

// speaks reports whether the market's clinician id speaks language.
func speaks(mk market.Market, id string, language taxonomy.Language) bool {
	for _, p := range mk.Profiles {
		if p.ID == id {
			return slices.Contains(p.Languages, language)
		}
	}
	return false
}

// TestTextMatchesTheSearchableText: free text keeps the candidates and
// roles whose searchable text has every word (search.ProfileText and
// PositionText, matched by package textmatch), and nothing is kept for
// words nobody has.
func TestTextMatchesTheSearchableText(t *testing.T) {
	s, mk, now, _ := seeded(t, 300)
	p, _ := s.Position(mk.Positions[0].ID)
	all := allPages(t, s, p, ranking.CandidateFilter{}, now)
	for _, tc := range []struct {
		text string
		keep func(candidates.Profile) bool
	}{
		{"spanish", func(c candidates.Profile) bool { return slices.Contains(c.Languages, "es") }},
		{"registered nurse spansh", func(c candidates.Profile) bool { return slices.Contains(c.Languages, "es") }},
		{"epic", func(c candidates.Profile) bool { return slices.Contains(c.EHRsUsed, taxonomy.EHREpic) }},
		{"zzyzx", func(candidates.Profile) bool { return false }},
	} {
		var want []match.Ranked
		for _, r := range all {
			for _, prof := range mk.Profiles {
				if prof.ID == r.ID && tc.keep(prof) {
					want = append(want, r)
				}
			}
		}
		got := allPages(t, s, p, ranking.CandidateFilter{Text: tc.text}, now)
		if !slices.Equal(got, want) {
			t.Errorf("text %q: got %d candidates, want %d", tc.text, len(got), len(want))
		}
		if tc.text == "spanish" && (len(want) == 0 || len(want) == len(all)) {
			t.Fatalf("%d of %d candidates speak Spanish: the market cannot tell text from no text", len(want), len(all))
		}
	}
	// A clinician's roles narrowed to a city keep the roles there.
	orgs := map[string]jobs.Organization{}
	for _, o := range mk.Organizations {
		orgs[o.ID] = o
	}
	for _, prof := range mk.Profiles {
		roles, _ := s.Roles(prof.ID, ranking.RoleFilter{Limit: 1000}, now)
		if roles.Total < 3 {
			continue
		}
		cityOf := func(id string) string {
			for _, jp := range mk.Positions {
				if jp.ID == id {
					return search.PlaceOf(jp, orgs[jp.OrgID]).City
				}
			}
			return ""
		}
		city := cityOf(roles.Items[0].ID)
		var want []match.Ranked
		for _, r := range roles.Items {
			if cityOf(r.ID) == city {
				want = append(want, r)
			}
		}
		got, err := s.Roles(prof.ID, ranking.RoleFilter{Limit: 1000, Text: city}, now)
		if err != nil {
			t.Fatal(err)
		}
		// A city's name may also be in a title or description: every
		// role there is kept, and any other must name the city.
		for _, r := range want {
			if !slices.Contains(got.IDs(), r.ID) {
				t.Fatalf("roles in %s: %s is not kept by q=%q", city, r.ID, city)
			}
		}
		if got.Total == 0 || got.Total > roles.Total {
			t.Fatalf("roles with q=%q: %d of %d", city, got.Total, roles.Total)
		}
		return
	}
	t.Fatal("no clinician has three roles; the market is too small")
}

func pageIDs(rs []match.Ranked) []string {
	ids := make([]string, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	return ids
}

func distance(p match.Position, c ranking.ClinicianFacts) float64 {
	return geo.DistanceMiles(p.Location.Lat, p.Location.Lng, c.Home.Lat, c.Home.Lng)
}

func TestRefreshFollowsEdits(t *testing.T) {
	s, mk, now, pool := seeded(t, 50)
	ctx := context.Background()
	p, _ := s.Position(mk.Positions[0].ID)
	before := allPages(t, s, p, ranking.CandidateFilter{}, now)
	if len(before) < 2 {
		t.Fatalf("want at least 2 candidates, got %d", len(before))
	}
	cs := candidatesdb.NewStore(pool)
	gone := before[0].ID
	if err := cs.DeleteProfile(ctx, gone); err != nil {
		t.Fatal(err)
	}
	// Withdraw the second one's availability: no longer eligible.
	second := before[1].ID
	prof, err := cs.GetProfile(ctx, second)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.UpdateProfile(ctx, second, prof.Version, func(p *candidates.Profile) error {
		p.AvailableFrom = now.AddDate(1, 0, 0)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// Refresh applies changes once every older transaction in the cluster
	// has ended (see migration 004), and may re-apply rows written while
	// the store loaded: both harmless, so the test waits, like Follow, for
	// the edits to show rather than counting refreshed rows.
	var after []match.Ranked
	testenv.WaitFor(t, 15*time.Second, "the edits reach the store", func() bool {
		if _, err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		after = allPages(t, s, p, ranking.CandidateFilter{}, now)
		return !slices.ContainsFunc(after, func(r match.Ranked) bool { return r.ID == gone || r.ID == second })
	})
	if len(after) != len(before)-2 {
		t.Fatalf("got %d candidates after the edits, want %d", len(after), len(before)-2)
	}
}

func TestRolesEqualTheEngineOverAllPositions(t *testing.T) {
	s, mk, now, _ := seeded(t, 0)
	var positions []match.Position
	for _, p := range mk.Positions {
		mp, _ := s.Position(p.ID)
		positions = append(positions, mp)
	}
	nonEmpty := 0
	for i, prof := range mk.Profiles {
		if i%20 != 0 {
			continue
		}
		c := ranking.FromProfile(prof)
		want := match.TopPositions(c, positions, len(positions), now, ranking.DefaultOptions(), match.ByMutual)
		page, err := s.Roles(c.ID, ranking.RoleFilter{Limit: 1 << 20}, now)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(page.Items, want) {
			t.Fatalf("clinician %s: roles %v, the engine over every position gives %v", c.ID, page.Items, want)
		}
		if len(want) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty < 5 {
		t.Fatalf("only %d clinicians had roles; the test proves little", nonEmpty)
	}
}

// TestRolesInTheClinicianOrder: a clinician's roles ordered by their own
// fit page through the same list as the engine ranks it, and a cursor of
// one order is refused by a list of the other.
func TestRolesInTheClinicianOrder(t *testing.T) {
	s, mk, now, _ := seeded(t, 0)
	var positions []match.Position
	for _, p := range mk.Positions {
		mp, _ := s.Position(p.ID)
		positions = append(positions, mp)
	}
	var c match.Clinician
	var want []match.Ranked
	for _, prof := range mk.Profiles {
		c = ranking.FromProfile(prof)
		if want = match.TopPositions(c, positions, len(positions), now, ranking.DefaultOptions(), match.ByFit); len(want) >= 3 {
			break
		}
	}
	if len(want) < 3 {
		t.Fatal("no clinician has three roles; the test proves little")
	}
	var got []match.Ranked
	f := ranking.RoleFilter{Order: match.ByFit, Limit: 2}
	for {
		page, err := s.Roles(c.ID, f, now)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.Items...)
		if page.NextCursor == "" {
			break
		}
		if _, err := s.Roles(c.ID, ranking.RoleFilter{Order: match.ByMutual, Cursor: page.NextCursor, Limit: 2}, now); !errors.Is(err, ranking.ErrBadCursor) {
			t.Fatalf("a cursor of the fit order continued the mutual order: %v", err)
		}
		f.Cursor = page.NextCursor
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := 1; i < len(got); i++ {
		if got[i].Fit > got[i-1].Fit {
			t.Fatalf("role %d fits %v, above role %d's %v", i, got[i].Fit, i-1, got[i-1].Fit)
		}
	}
}
