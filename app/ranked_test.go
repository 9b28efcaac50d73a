package app

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"carefit/access"
	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/jobs"
	"carefit/match"
	"carefit/ranking"
	"carefit/search"
)

// fakeFeatures is a feature store holding a few positions and clinicians;
// its lists return every held ID in the order given, those of textMatches
// only when there is text, those of Among only when it is set.
type fakeFeatures struct {
	positions  map[string]match.Position
	clinicians map[string]match.Clinician
	eligible   map[string][]string // organization → clinicians eligible for its positions
	order      []string            // IDs the next list returns, best first
	// textMatches are the IDs any free text matches.
	textMatches map[string]bool
	candFilter  ranking.CandidateFilter
	roleFilter  ranking.RoleFilter
}

func (f *fakeFeatures) Position(id string) (match.Position, bool) {
	p, ok := f.positions[id]
	return p, ok
}
func (f *fakeFeatures) Clinician(id string) (match.Clinician, bool) {
	c, ok := f.clinicians[id]
	return c, ok
}
func (f *fakeFeatures) page(text string, among map[string]struct{}) (ranking.Page, error) {
	var ids []string
	for _, id := range f.order {
		_, in := among[id]
		if (text == "" || f.textMatches[id]) && (among == nil || in) {
			ids = append(ids, id)
		}
	}
	var items []match.Ranked
	for i, id := range ids {
		items = append(items, match.Ranked{ID: id, Score: float64(90 - i)})
	}
	return ranking.Page{Items: items, Total: len(items), Facets: ranking.Facets{}}, nil
}
func (f *fakeFeatures) Candidates(_ string, fl ranking.CandidateFilter, _ time.Time) (ranking.Page, error) {
	f.candFilter = fl
	return f.page(fl.Text, fl.Among)
}
func (f *fakeFeatures) Roles(_ string, fl ranking.RoleFilter, _ time.Time) (ranking.Page, error) {
	f.roleFilter = fl
	return f.page(fl.Text, nil)
}
func (f *fakeFeatures) Explain(p match.Position, c match.Clinician, now time.Time, reader match.Reader) match.Explanation {
	opts := ranking.DefaultOptions()
	opts.Reader = reader
	return match.Explain(p, c, now, opts)
}

// EligibleFor and EligibleClinicians answer from f.eligible, the
// clinicians each organization's positions could hire.
func (f *fakeFeatures) EligibleFor(id, orgID string, _ time.Time) bool {
	return slices.Contains(f.eligible[orgID], id)
}
func (f *fakeFeatures) EligibleClinicians(orgID string, _ time.Time) []string {
	return slices.Sorted(slices.Values(f.eligible[orgID]))
}
func (f *fakeFeatures) ClinicianFacets(ids []string) ranking.Facets {
	return ranking.Facets{"credential": {"MD": len(ids)}}
}

// fakeSearch answers text queries with a fixed set of IDs.
type fakeSearch struct {
	match   []string
	query   search.ProfileQuery
	profile search.Result[search.ProfileDoc]
}

func (s *fakeSearch) SearchPositions(context.Context, search.PositionQuery) (search.Result[search.PositionDoc], error) {
	return search.Result[search.PositionDoc]{}, nil
}
func (s *fakeSearch) SearchProfiles(_ context.Context, q search.ProfileQuery) (search.Result[search.ProfileDoc], error) {
	s.query = q
	return s.profile, nil
}
func (s *fakeSearch) ProfileIDsFor(_ context.Context, q search.ProfileQuery) ([]string, error) {
	s.query = q
	return s.match, nil
}

// fakeStore holds profiles and positions and counts the queries made.
type fakeStore struct {
	profiles  map[string]candidates.Profile
	positions map[string]jobs.Position
	queries   int
	listed    candidates.ProfileFilter // the last list's filter
}

func (s *fakeStore) GetProfile(_ context.Context, id string) (candidates.Profile, error) {
	s.queries++
	p, ok := s.profiles[id]
	if !ok {
		return p, candidates.ErrNotFound
	}
	return p, nil
}
func (s *fakeStore) EachProfile(_ context.Context, ids []string, fn func(candidates.Profile) error) error {
	s.queries++
	for _, id := range ids {
		if p, ok := s.profiles[id]; ok {
			if err := fn(p); err != nil {
				return err
			}
		}
	}
	return nil
}
func (s *fakeStore) ListProfiles(_ context.Context, f candidates.ProfileFilter) (candidates.Page[candidates.Profile], error) {
	s.listed = f
	var out []candidates.Profile
	for _, id := range f.IDs {
		if p, ok := s.profiles[id]; ok {
			out = append(out, p)
		}
	}
	return candidates.Page[candidates.Profile]{Items: out}, nil
}
func (s *fakeStore) GetPosition(_ context.Context, id string, _ jobs.Scope) (jobs.Position, error) {
	s.queries++
	return s.positions[id], nil
}
func (s *fakeStore) EachPosition(_ context.Context, ids []string, fn func(jobs.Position) error) error {
	s.queries++
	for _, id := range ids {
		if p, ok := s.positions[id]; ok {
			if err := fn(p); err != nil {
				return err
			}
		}
	}
	return nil
}
func (s *fakeStore) ListPositions(context.Context, jobs.PositionFilter, jobs.Scope) (jobs.Page[jobs.Position], error) {
	return jobs.Page[jobs.Position]{}, nil
}
func (s *fakeStore) Versions(context.Context, string, jobs.Scope) ([]jobs.PositionVersion, error) {
	return nil, nil
}

// fakeAudit records entries, or fails.
type fakeAudit struct {
	entries []string
	err     error
}

func (a *fakeAudit) Record(_ context.Context, p access.Principal, r access.Read) error {
	if a.err != nil {
		return a.err
	}
	for _, s := range r.Subjects {
		a.entries = append(a.entries, strings.TrimSpace(p.KeyID+" "+r.Action+" "+r.Route+" "+r.RequestID+" "+s+" "+r.PositionID))
	}
	return nil
}

var now = time.Date(2027, 1, 10, 0, 0, 0, 0, time.UTC)

// world is a position of organization "org" in Milwaukee and three
// clinicians eligible for it: "ana" is seen by name, "ben" anonymously,
// "gone" was deleted from Postgres but is still in the feature store. No
// one is introduced to or blocks the organization (svc.Intros).
func world() (*Service, *fakeFeatures, *fakeSearch, *fakeStore, *fakeAudit) {
	pos := match.Position{ID: "pos", OrgID: "org", Status: match.StatusOpen, Credentials: []match.Credential{"MD"},
		Taxonomies: []string{"207Q00000X"}, LicenceStates: []string{"WI"}, State: "WI", StartDate: now.AddDate(0, 2, 0),
		Location: &match.Point{Lat: 43.04, Lng: -87.90}}
	home := &match.Point{Lat: 43.07, Lng: -89.40} // Madison, about 76 miles away
	clin := func(id string) match.Clinician {
		return match.Clinician{ID: id, Credential: "MD", Taxonomies: []string{"207Q00000X"}, Home: home, MaxCommuteMiles: 100,
			Licences: []match.Licence{{State: "WI", Expires: now.AddDate(3, 0, 0)}}, AvailableFrom: now}
	}
	prof := func(id, given string, visible bool) candidates.Profile {
		return candidates.Profile{ID: id, Name: candidates.Name{Given: given, Family: "López"}, NPI: "1234567893",
			Contact: candidates.Contact{Email: given + "@example.org"}, Credential: "MD", VisibleToRecruiters: visible,
			Licences: []candidates.Licence{{State: "WI", Number: "NUM-" + given}},
			Home:     candidates.Home{Lat: 43.07, Lng: -89.40, State: "WI", PostalCode: "53703"}}
	}
	ff := &fakeFeatures{positions: map[string]match.Position{"pos": pos, "open2": {ID: "open2", OrgID: "other", Status: match.StatusOpen}},
		clinicians: map[string]match.Clinician{"ana": clin("ana"), "ben": clin("ben"), "gone": clin("gone")},
		eligible:   map[string][]string{"org": {"ana", "ben", "gone"}},
		order:      []string{"ana", "gone", "ben"}}
	fs := &fakeSearch{}
	st := &fakeStore{profiles: map[string]candidates.Profile{"ana": prof("ana", "Ana", true), "ben": prof("ben", "Ben", false)},
		positions: map[string]jobs.Position{"pos": {ID: "pos", OrgID: "org", Status: jobs.StatusOpen, Title: "Family Physician"},
			"open2": {ID: "open2", OrgID: "other", Status: jobs.StatusOpen}}}
	au := &fakeAudit{}
	svc := &Service{Features: ff, Search: fs, Profiles: st, Positions: st, Audit: au, Intros: &fakeIntros{}, Now: func() time.Time { return now }}
	return svc, ff, fs, st, au
}

var recruiter = Caller{Principal: access.Principal{KeyID: "k1", Role: access.Recruiter, OrgID: "org"}, Route: "/r", RequestID: "req"}

func TestCandidatesViewsPerConsent(t *testing.T) {
	svc, _, _, st, au := world()
	page, err := svc.Candidates(context.Background(), recruiter, CandidateQuery{PositionID: "pos", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 {
		t.Fatalf("rows: got %d, want 2 (the deleted clinician dropped)", len(page.Items))
	}
	if _, ok := page.Items[0].Clinician.(RecruiterProfile); !ok {
		t.Errorf("consenting clinician: got %T, want RecruiterProfile", page.Items[0].Clinician)
	}
	if _, ok := page.Items[1].Clinician.(AnonymousProfile); !ok {
		t.Errorf("clinician without consent: got %T, want AnonymousProfile", page.Items[1].Clinician)
	}
	raw, _ := json.Marshal(page)
	for _, s := range []string{"@example.org", "NUM-", "43.07", "89.4"} {
		if strings.Contains(string(raw), s) {
			t.Errorf("a ranked row carries %q: %s", s, raw)
		}
	}
	anon, _ := json.Marshal(page.Items[1])
	for _, s := range []string{"53703", "Ben", "López", "1234567893"} {
		if strings.Contains(string(anon), s) {
			t.Errorf("the row of a clinician without consent carries %q: %s", s, anon)
		}
	}
	if d := page.Items[0].DistanceMiles; d == nil || *d < 70 || *d > 80 {
		t.Errorf("distance: got %v, want about 76 miles", d)
	}
	if st.queries != 1 {
		t.Errorf("store queries: got %d, want 1 for the whole page", st.queries)
	}
	if len(au.entries) != 0 {
		t.Errorf("a list was audited: %v", au.entries)
	}
}

func TestCandidatesTenantAndAvailability(t *testing.T) {
	svc, _, _, st, _ := world()
	other := Caller{Principal: access.Principal{Role: access.Recruiter, OrgID: "other"}}
	for _, tc := range []struct {
		name string
		who  Caller
		id   string
	}{{"another organization", other, "pos"}, {"unknown position", recruiter, "nope"}} {
		_, err := svc.Candidates(context.Background(), tc.who, CandidateQuery{PositionID: tc.id, Limit: 20})
		if errs.KindOf(err) != errs.NotFound {
			t.Errorf("%s: got %v, want not found", tc.name, err)
		}
	}
	if st.queries != 0 {
		t.Errorf("a rejected request queried the store %d times", st.queries)
	}
	svc.Features = nil
	if _, err := svc.Candidates(context.Background(), recruiter, CandidateQuery{PositionID: "pos"}); errs.KindOf(err) != errs.Unavailable {
		t.Errorf("without a feature store: got %v, want unavailable", err)
	}
}

// TestCandidatesText: free text reaches the feature store trimmed (it
// matches the clinicians' searchable text there, asking no index), and
// text free search would refuse is refused naming q.
func TestCandidatesText(t *testing.T) {
	svc, ff, _, _, _ := world()
	svc.Search = nil // the ranked lists need no search index
	ff.textMatches = map[string]bool{"ben": true}
	page, err := svc.Candidates(context.Background(), recruiter, CandidateQuery{PositionID: "pos", Q: " spanish ", Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 1 || page.Total != 1 {
		t.Fatalf("rows: got %d of %d, want ben only", len(page.Items), page.Total)
	}
	if ff.candFilter.Text != "spanish" {
		t.Errorf("the store was asked for text %q, want %q", ff.candFilter.Text, "spanish")
	}
	_, err = svc.Candidates(context.Background(), recruiter, CandidateQuery{PositionID: "pos", Q: strings.Repeat("a", search.MaxQueryLen+1), Limit: 20})
	if errs.KindOf(err) != errs.Malformed {
		t.Errorf("text longer than free search takes: got %v, want malformed", err)
	}
	clinician := Caller{Principal: access.Principal{Role: access.Clinician, ProfileID: "ben"}}
	if _, err := svc.Roles(context.Background(), clinician, RoleQuery{Q: " san diego ", Limit: 20}); err != nil || ff.roleFilter.Text != "san diego" {
		t.Errorf("roles: %v, the store was asked for text %q", err, ff.roleFilter.Text)
	}
}

func TestExplainAuditsReveals(t *testing.T) {
	ctx := context.Background()
	svc, _, _, _, au := world()
	svc.Intros = &fakeIntros{introduced: []string{"ana"}}
	row, err := svc.Explain(ctx, recruiter, "pos", "ana")
	if err != nil {
		t.Fatal(err)
	}
	v, ok := row.Clinician.(RecruiterProfile)
	if !ok || v.Contact == nil || v.Contact.Email != "Ana@example.org" || v.Licences[0].Number != "NUM-Ana" {
		t.Errorf("introduced clinician explained: got %+v, want contact and licence number", row.Clinician)
	}
	if want := "k1 contact.read /r req ana pos"; len(au.entries) != 1 || au.entries[0] != want {
		t.Errorf("audit: got %v, want %q", au.entries, want)
	}
	if row, err = svc.Explain(ctx, recruiter, "pos", "ben"); err != nil {
		t.Fatal(err)
	}
	anon, ok := row.Clinician.(AnonymousProfile)
	if !ok || anon.Introduction == nil || anon.Introduction.PositionID != "pos" || anon.Anonymous == "" {
		t.Errorf("anonymous clinician: got %+v, want an anonymous view offering an introduction for pos", row.Clinician)
	}
	if want := "k1 profile.read /r req ben pos"; len(au.entries) != 2 || au.entries[1] != want {
		t.Errorf("audit: got %v, want a profile read %q", au.entries, want)
	}
	au.err = errors.New("audit down")
	if _, err := svc.Explain(ctx, recruiter, "pos", "ana"); err == nil {
		t.Error("a reveal was answered although its audit failed")
	}
	if _, err := svc.Explain(ctx, recruiter, "pos", "nobody"); !errors.Is(err, candidates.ErrNotFound) {
		t.Errorf("unknown clinician: got %v, want not found", err)
	}
}

func TestRolesShowPublishedPositions(t *testing.T) {
	svc, ff, _, st, _ := world()
	ff.order = []string{"pos", "open2"}
	clinician := Caller{Principal: access.Principal{Role: access.Clinician, ProfileID: "ben"}}
	page, err := svc.Roles(context.Background(), clinician, RoleQuery{WithinMiles: 50, Limit: 20})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != 2 {
		t.Fatalf("roles: got %d, want 2", len(page.Items))
	}
	for _, r := range page.Items {
		if _, ok := r.Position.(PublishedPosition); !ok {
			t.Errorf("a clinician's role is %T, want PublishedPosition", r.Position)
		}
	}
	if n := ff.roleFilter.Near; n == nil || n.Lat != 43.07 {
		t.Errorf("within_miles without a point: measured from %+v, want the clinician's home", n)
	}
	if st.queries != 1 {
		t.Errorf("store queries: got %d, want 1 (the clinician's features come from the feature store)", st.queries)
	}
	if _, err := svc.Roles(context.Background(), Caller{Principal: access.Principal{Role: access.Clinician, ProfileID: "nobody"}}, RoleQuery{}); errs.KindOf(err) != errs.NotFound {
		t.Errorf("a clinician the store does not hold: got %v, want not found", err)
	}
}

func TestSearchProfilesUsesTheSourceOfTruth(t *testing.T) {
	svc, _, fs, _, _ := world()
	// The index still believes ben consents and holds his name.
	fs.profile = search.Result[search.ProfileDoc]{Hits: []search.ProfileDoc{
		{ID: "ben", Name: "Ben López", VisibleToRecruiters: true, Geo: search.Geo{Lat: 43.07, Lng: -89.4}},
		{ID: "gone"}, {ID: "ana"}}, Total: 3}
	page, err := svc.SearchProfiles(context.Background(), recruiter, search.ProfileQuery{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Hits) != 2 {
		t.Fatalf("hits: got %d, want 2", len(page.Hits))
	}
	if _, ok := page.Hits[0].(AnonymousProfile); !ok {
		t.Errorf("first hit: got %T, want ben anonymous, in the index's order", page.Hits[0])
	}
	raw, _ := json.Marshal(page)
	for _, s := range []string{"Ben", "_geo", "43.07", "@example.org", "NUM-"} {
		if strings.Contains(string(raw), s) {
			t.Errorf("search hits carry %q: %s", s, raw)
		}
	}
}

// TestExplainRole: a clinician reads one role explained to them, eligible
// or not; a draft, an unknown position or another audience is not found.
func TestExplainRole(t *testing.T) {
	svc, ff, _, st, _ := world()
	draft := ff.positions["pos"]
	draft.ID, draft.Status = "draft", match.StatusDraft
	ff.positions["draft"] = draft
	st.positions["draft"] = jobs.Position{ID: "draft", OrgID: "org", Status: jobs.StatusDraft}
	p := st.positions["pos"]
	p.Taxonomies = []string{"207Q00000X"}
	st.positions["pos"] = p
	ana := Caller{Principal: access.Principal{Role: access.Clinician, ProfileID: "ana"}}
	row, err := svc.ExplainRole(context.Background(), ana, "pos")
	if err != nil {
		t.Fatal(err)
	}
	if !row.Explanation.Eligible || row.Explanation.Score == nil || len(row.Specialties) != 1 || row.Specialties[0].Name != "Family Medicine Physician" {
		t.Errorf("got eligible %v, score %v, specialties %+v", row.Explanation.Eligible, row.Explanation.Score, row.Specialties)
	}
	if got := factorSentence(row.Explanation, "commute"); !strings.Contains(got, "from your home; your commute limit is 100 miles") {
		t.Errorf("the clinician reads %q", got)
	}
	if _, ok := row.Position.(PublishedPosition); !ok {
		t.Errorf("got %T, want the published view", row.Position)
	}
	for _, tc := range []struct {
		name string
		who  Caller
		id   string
	}{{"a draft", ana, "draft"}, {"an unknown position", ana, "nope"}, {"a recruiter", recruiter, "pos"}} {
		if _, err := svc.ExplainRole(context.Background(), tc.who, tc.id); errs.KindOf(err) != errs.NotFound {
			t.Errorf("%s: got %v, want not found", tc.name, err)
		}
	}
}

func factorSentence(e Explanation, name string) string {
	for _, f := range e.Factors {
		if f.Factor == name {
			return f.Sentence
		}
	}
	return ""
}
