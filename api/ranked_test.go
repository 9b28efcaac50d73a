package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/app"
	"carefit/candidates"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/market"
	"carefit/internal/platform/testenv"
	"carefit/jobs"
	"carefit/match"
	"carefit/ranking"
	"carefit/search"
)

// rankedFixture is a server with the ranked and search routes over a
// generated market indexed in a real Meilisearch.
type rankedFixture struct {
	*fixture
	mk       market.Market
	features *ranking.Store
	search   *search.Client
	rec      string // recruiter of the first organization
	other    string // recruiter of another organization
	clin     string // clinician key of the first profile
}

func newRankedFixture(t *testing.T) *rankedFixture {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	pool := testenv.DB(t)
	mk := market.Generate(5, market.Size{Organizations: 12, Positions: 200, Profiles: 2500}, now)
	// Make the first position accept the most common clinicians so its
	// list is long: any MD or DO in primary care, in the first org's state.
	if err := market.Load(ctx, pool, mk, time.Now, nil); err != nil {
		t.Fatal(err)
	}
	m := testenv.MeiliSearch(t)
	sc := search.New(m.Client, m.Prefix)
	if err := sc.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	var docs []search.ProfileDoc
	for _, p := range mk.Profiles {
		d, err := search.NewProfileDoc(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	if err := sc.UpsertProfiles(ctx, docs); err != nil {
		t.Fatal(err)
	}
	features, err := loadFeatures(ctx, pool, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{pool: pool}
	f.keys = &accessdb.Store{DB: pool, Now: f.now}
	f.features = features
	f.srv = newServer(pool, f.now, features, sc)
	rf := &rankedFixture{fixture: f, mk: mk, features: features, search: sc}
	rf.rec = f.mustKey(t, access.NewKey{Role: access.Recruiter, OrgID: mk.Organizations[0].ID})
	rf.other = f.mustKey(t, access.NewKey{Role: access.Recruiter, OrgID: mk.Organizations[1].ID})
	rf.clin = f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: mk.Profiles[0].ID})
	f.admin = f.mustKey(t, access.NewKey{Role: access.Admin})
	return rf
}

// candidateRow is a row of a position's candidates as a client reads it;
// the clinician decodes into profileView, so fields an audience does not
// see are zero.
type candidateRow struct {
	Clinician     profileView     `json:"clinician"`
	DistanceMiles *int            `json:"distance_miles"`
	Specialties   []app.Specialty `json:"specialties"`
	Explanation   app.Explanation `json:"explanation"`
}

// scoreOf is an eligible row's score.
func scoreOf(r candidateRow) float64 { return *r.Explanation.Score }

// ID is the row's position ID.
func (r roleRow) ID() string { return r.Position.ID }

// roleRow is a row of a clinician's roles as a client reads it.
type roleRow struct {
	Position    jobs.Position   `json:"position"`
	Specialties []app.Specialty `json:"specialties"`
	Explanation app.Explanation `json:"explanation"`
}

// positionWithMost returns the first organization's position with the
// most eligible clinicians.
func (rf *rankedFixture) positionWithMost(t *testing.T) string {
	best, n := "", -1
	for _, p := range rf.mk.Positions {
		if p.OrgID != rf.mk.Organizations[0].ID {
			continue
		}
		mp, _ := rf.features.Position(p.ID)
		page, err := rf.features.Candidates(mp.ID, ranking.CandidateFilter{Limit: 1}, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if page.Total > n {
			best, n = p.ID, page.Total
		}
	}
	if n < 3 {
		t.Fatalf("the first organization's best position has %d eligible clinicians; the market is too thin", n)
	}
	return best
}

// allCandidates follows next_cursor through the API.
func (rf *rankedFixture) allCandidates(t *testing.T, key, posID string, params url.Values) ([]candidateRow, app.RankedPage[candidateRow]) {
	t.Helper()
	var rows []candidateRow
	var first app.RankedPage[candidateRow]
	params.Set("limit", "37")
	for i := 0; ; i++ {
		rec := rf.do(t, key, http.MethodGet, "/v1/positions/"+posID+"/candidates?"+params.Encode(), nil)
		wantStatus(t, rec, http.StatusOK)
		page := decode[app.RankedPage[candidateRow]](t, rec)
		if i == 0 {
			first = page
		}
		rows = append(rows, page.Items...)
		if page.NextCursor == "" {
			return rows, first
		}
		params.Set("cursor", page.NextCursor)
	}
}

func TestCandidatesRankTheWholeEligibleSet(t *testing.T) {
	rf := newRankedFixture(t)
	posID := rf.positionWithMost(t)
	rows, first := rf.allCandidates(t, rf.rec, posID, url.Values{})
	if len(rows) != first.Total {
		t.Fatalf("pages hold %d rows, total is %d", len(rows), first.Total)
	}
	mp, _ := rf.features.Position(posID)
	now := time.Now()
	byID := map[string]candidates.Profile{}
	for _, p := range rf.mk.Profiles {
		byID[p.ID] = p
	}
	var want []match.Ranked
	for _, p := range rf.mk.Profiles {
		c := ranking.FromProfile(p)
		if match.Check(mp, c, now, ranking.DefaultOptions()).Eligible {
			want = append(want, match.Ranked{ID: p.ID, Score: match.Explain(mp, c, now, ranking.DefaultOptions()).Score})
		}
	}
	if len(rows) != len(want) {
		t.Fatalf("got %d candidates, the engine finds %d eligible", len(rows), len(want))
	}
	for i, r := range rows {
		if !r.Explanation.Eligible {
			t.Fatalf("row %d is not eligible: %+v", i, r.Explanation.Reasons)
		}
		if r.Explanation.Score == nil || r.Explanation.Band == nil || *r.Explanation.Band != string(match.BandOf(*r.Explanation.Score)) {
			t.Fatalf("row %d: an eligible row shows score %v and band %v", i, r.Explanation.Score, r.Explanation.Band)
		}
		if i > 0 && scoreOf(r) > scoreOf(rows[i-1])+0.01 {
			t.Fatalf("row %d scores %.2f above row %d's %.2f", i, scoreOf(r), i-1, scoreOf(rows[i-1]))
		}
		sum := map[string]float64{}
		for _, f := range r.Explanation.Factors {
			sum[f.Side] += f.Contribution
			if f.Sentence == "" {
				t.Fatalf("factor %s has no sentence", f.Factor)
			}
		}
		for side, want := range map[string]float64{"clinician": r.Explanation.ClinicianSide, "employer": r.Explanation.EmployerSide} {
			if d := sum[side] - want; sum[side] != 0 && (d > 0.05 || d < -0.05) {
				t.Fatalf("%s points add up to %.3f, the side is %.3f", side, sum[side], want)
			}
		}
		if r.Clinician.Contact.Email != "" || r.Clinician.Contact.Phone != "" {
			t.Fatal("a list row carries contact details")
		}
		if !byID[r.Clinician.ID].VisibleToRecruiters && r.Clinician.Name.Family != "" {
			t.Fatal("a non-consenting clinician is named to a recruiter")
		}
	}
	total := 0
	for _, n := range first.Facets["credential"] {
		total += n
	}
	if total != first.Total {
		t.Fatalf("credential facets count %d, total is %d", total, first.Total)
	}
}

func TestCandidatesTextAndFilters(t *testing.T) {
	rf := newRankedFixture(t)
	posID := rf.positionWithMost(t)
	all, _ := rf.allCandidates(t, rf.rec, posID, url.Values{})
	byID := map[string]candidates.Profile{}
	for _, p := range rf.mk.Profiles {
		byID[p.ID] = p
	}
	tests := []struct {
		name   string
		params url.Values
		keep   func(p candidates.Profile, r candidateRow) bool
	}{
		{"text spanish", url.Values{"q": {"spanish"}}, func(p candidates.Profile, _ candidateRow) bool {
			return slices.Contains(p.Languages, taxonomy.Language("es"))
		}},
		{"min score", url.Values{"min_score": {"55"}}, func(_ candidates.Profile, r candidateRow) bool { return scoreOf(r) >= 55-0.01 }},
		{"credential", url.Values{"credential": {"DO"}}, func(p candidates.Profile, _ candidateRow) bool { return p.Credential == taxonomy.DO }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			for _, r := range all {
				if tc.keep(byID[r.Clinician.ID], r) {
					want = append(want, r.Clinician.ID)
				}
			}
			rows, first := rf.allCandidates(t, rf.rec, posID, tc.params)
			var got []string
			for _, r := range rows {
				got = append(got, r.Clinician.ID)
			}
			if !slices.Equal(got, want) {
				t.Fatalf("got %d candidates %v, want %d %v", len(got), got, len(want), want)
			}
			if first.Total != len(want) {
				t.Fatalf("total %d, want %d", first.Total, len(want))
			}
		})
	}
}

func TestExplainNamesTheFailingRule(t *testing.T) {
	rf := newRankedFixture(t)
	posID := rf.positionWithMost(t)
	mp, _ := rf.features.Position(posID)
	now := time.Now()
	var ineligible, unreachable string
	for _, p := range rf.mk.Profiles {
		if slices.Contains(mp.Credentials, match.Credential(p.Credential)) {
			continue
		}
		switch {
		case ineligible == "":
			ineligible = p.ID
		case unreachable == "" && !rf.features.EligibleFor(p.ID, mp.OrgID, now):
			unreachable = p.ID
		}
	}
	// The clinician's interest in the position makes them the
	// organization's to see, eligible or not.
	clin := rf.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: ineligible})
	wantStatus(t, rf.do(t, clin, http.MethodPost, "/v1/me/introductions", map[string]any{"position_id": posID}), http.StatusCreated)
	rec := rf.do(t, rf.rec, http.MethodGet, "/v1/positions/"+posID+"/candidates/"+ineligible, nil)
	wantStatus(t, rec, http.StatusOK)
	row := decode[candidateRow](t, rec)
	if row.Explanation.Eligible {
		t.Fatal("a clinician with another credential is eligible")
	}
	found := false
	for _, r := range row.Explanation.Reasons {
		found = found || r.Rule == string(match.RuleCredential)
	}
	if !found {
		t.Fatalf("reasons %+v do not name the credential rule", row.Explanation.Reasons)
	}
	if unreachable == "" {
		t.Fatal("every clinician of another credential is eligible for the organization: the market is too thin")
	}
	wantProblem(t, rf.do(t, rf.rec, http.MethodGet, "/v1/positions/"+posID+"/candidates/"+unreachable, nil), http.StatusNotFound, "")
	wantStatus(t, rf.do(t, rf.admin, http.MethodGet, "/v1/positions/"+posID+"/candidates/"+unreachable, nil), http.StatusOK)
}

func TestMyRolesRankOpenPositions(t *testing.T) {
	rf := newRankedFixture(t)
	rec := rf.do(t, rf.clin, http.MethodGet, "/v1/me/roles?limit=100", nil)
	wantStatus(t, rec, http.StatusOK)
	page := decode[app.RankedPage[roleRow]](t, rec)
	mc := ranking.FromProfile(rf.mk.Profiles[0])
	now := time.Now()
	want := 0
	for _, p := range rf.mk.Positions {
		mp, _ := rf.features.Position(p.ID)
		if match.Check(mp, mc, now, ranking.DefaultOptions()).Eligible {
			want++
		}
	}
	if page.Total != want {
		t.Fatalf("total %d roles, the engine finds %d eligible", page.Total, want)
	}
	for _, r := range page.Items {
		if r.Position.Status != "open" || !r.Explanation.Eligible {
			t.Fatalf("role %s is %s, eligible=%v", r.Position.ID, r.Position.Status, r.Explanation.Eligible)
		}
	}
	wantProblem(t, rf.do(t, rf.rec, http.MethodGet, "/v1/me/roles", nil), http.StatusForbidden, "")
	wantProblem(t, rf.do(t, rf.clin, http.MethodGet, "/v1/me/roles?near_lat=91&near_lng=0", nil), http.StatusBadRequest, "near_lat")
}
