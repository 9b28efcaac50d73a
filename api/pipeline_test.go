package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"

	"carefit/app"
	"carefit/jobs"
	"carefit/rematch/rematchdb"
)

// pipelinePath is the path of a pair's pipeline entry.
func pipelinePath(positionID, profileID string) string {
	return "/v1/positions/" + positionID + "/pipeline/" + profileID
}

// putPipeline sets a pair's state and note.
func (f *fixture) putPipeline(t testing.TB, key, positionID, profileID, state, note string, headers ...string) *httptest.ResponseRecorder {
	t.Helper()
	return f.do(t, key, http.MethodPut, pipelinePath(positionID, profileID), map[string]any{"state": state, "note": note}, headers...)
}

// pipelineOf lists a position's pipeline as the recruiter of A.
func (f *fixture) pipelineOf(t testing.TB, positionID string) map[string]app.PipelineEntry {
	t.Helper()
	rec := f.do(t, f.recA, http.MethodGet, "/v1/positions/"+positionID+"/pipeline", nil)
	wantStatus(t, rec, http.StatusOK)
	out := map[string]app.PipelineEntry{}
	for _, e := range decode[struct{ Items []app.PipelineEntry }](t, rec).Items {
		out[e.ClinicianID] = e
	}
	return out
}

// storeMatches stores positionID's top k as a rematch does: the worker's
// feature store ranks it (ranking.Store.RankPositions) and the rematch
// store replaces the position's stored matches (rematchdb WriteMatches).
// It returns the IDs kept, best first.
func (f *fixture) storeMatches(t testing.TB, positionID string, k int) []string {
	t.Helper()
	ctx := context.Background()
	tops, pairs, err := f.features.RankPositions(ctx, []string{positionID}, k, f.now())
	if err != nil {
		t.Fatalf("rank: %v", err)
	}
	if _, err := rematchdb.New(f.pool).WriteMatches(ctx, rematchdb.Write{At: f.now(), Tops: tops, Pairs: pairs}); err != nil {
		t.Fatalf("write matches: %v", err)
	}
	var ids []string
	for _, r := range tops[0].Rows {
		ids = append(ids, r.ProfileID)
	}
	return ids
}

// storedMatches counts the stored matches of a position.
func (f *fixture) storedMatches(t testing.TB, positionID string) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), `SELECT count(*) FROM matches WHERE position_id = $1`, positionID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPipelineRoundTripWithHistory(t *testing.T) {
	f := newFixture(t)
	keyA := f.keyID(t, f.recA)
	path := pipelinePath(f.posA.ID, f.prof1.ID)
	const first, second = "Strong continuity fit.\n\tCall Tuesday.", "Left a voicemail."

	rec := f.putPipeline(t, f.recA, f.posA.ID, f.prof1.ID, "shortlisted", first)
	wantStatus(t, rec, http.StatusCreated)
	created := decode[app.PipelineWritten](t, rec)
	if rec.Header().Get("ETag") != `"v1"` || rec.Header().Get("Location") != path {
		t.Errorf("ETag %q, Location %q: want \"v1\" and %s", rec.Header().Get("ETag"), rec.Header().Get("Location"), path)
	}
	if created.State != "shortlisted" || created.Note != first || created.ChangedByKey != keyA || created.Version != 1 || created.PositionFilled {
		t.Errorf("created: got %+v", created)
	}

	// Repeating the entry's state and note stores nothing.
	rec = f.putPipeline(t, f.recA, f.posA.ID, f.prof1.ID, "shortlisted", first)
	wantStatus(t, rec, http.StatusOK)
	if got := decode[app.PipelineWritten](t, rec); got.Version != 1 || !got.ChangedAt.Equal(created.ChangedAt) {
		t.Errorf("a repeated change stored something: got %+v", got)
	}

	f.skew.Add(int64(1e9))
	rec = f.putPipeline(t, f.recA, f.posA.ID, f.prof1.ID, "contacted", second, "If-Match", `"v1"`)
	wantStatus(t, rec, http.StatusOK)
	if got := decode[app.PipelineWritten](t, rec); got.Version != 2 || got.State != "contacted" || !got.ChangedAt.After(created.ChangedAt) {
		t.Errorf("second change: got %+v", got)
	}
	wantProblem(t, f.putPipeline(t, f.recA, f.posA.ID, f.prof1.ID, "offered", "", "If-Match", `"v1"`), http.StatusPreconditionFailed, "")
	wantProblem(t, f.putPipeline(t, f.recA, f.posA.ID, f.prof2.ID, "offered", "", "If-Match", `"v1"`), http.StatusPreconditionFailed, "")

	rec = f.do(t, f.recA, http.MethodGet, path, nil)
	wantStatus(t, rec, http.StatusOK)
	pair := decode[app.PipelinePair](t, rec)
	if rec.Header().Get("ETag") != `"v2"` || pair.State != "contacted" || pair.Note != second {
		t.Errorf("pair: ETag %s, got %+v", rec.Header().Get("ETag"), pair)
	}
	var history []string
	for _, h := range pair.History {
		history = append(history, h.State+": "+h.Note+" by "+h.ChangedByKey)
	}
	want := []string{"shortlisted: " + first + " by " + keyA, "contacted: " + second + " by " + keyA}
	if diff := cmp.Diff(want, history); diff != "" {
		t.Errorf("history (-want +got):\n%s", diff)
	}

	f.skew.Add(int64(1e9))
	wantStatus(t, f.putPipeline(t, f.admin, f.posA.ID, f.prof2.ID, "rejected", ""), http.StatusCreated)
	lists := []struct {
		query string
		want  []string
	}{
		{"", []string{f.prof2.ID, f.prof1.ID}}, // most recently changed first
		{"?state=rejected", []string{f.prof2.ID}},
		{"?state=contacted,rejected", []string{f.prof2.ID, f.prof1.ID}},
		{"?state=placed", nil},
	}
	for _, l := range lists {
		rec := f.do(t, f.recA, http.MethodGet, "/v1/positions/"+f.posA.ID+"/pipeline"+l.query, nil)
		wantStatus(t, rec, http.StatusOK)
		var got []string
		for _, e := range decode[struct{ Items []app.PipelineEntry }](t, rec).Items {
			got = append(got, e.ClinicianID)
		}
		if diff := cmp.Diff(l.want, got); diff != "" {
			t.Errorf("list%s (-want +got):\n%s", l.query, diff)
		}
	}
	wantProblem(t, f.do(t, f.recA, http.MethodGet, "/v1/positions/"+f.posA.ID+"/pipeline?state=hired", nil), http.StatusBadRequest, "state")
	other := f.nearbyProfile(t, true)
	wantProblem(t, f.do(t, f.recA, http.MethodGet, pipelinePath(f.posA.ID, other.ID), nil), http.StatusNotFound, "")
}

func TestPipelineValidation(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		name   string
		body   any
		status int
		field  string
	}{
		{"unknown state", map[string]any{"state": "hired"}, http.StatusUnprocessableEntity, "state"},
		{"no state", map[string]any{"note": "hello"}, http.StatusUnprocessableEntity, "state"},
		{"note too long", map[string]any{"state": "shortlisted", "note": strings.Repeat("é", 2001)}, http.StatusUnprocessableEntity, "note"},
		{"control character", map[string]any{"state": "shortlisted", "note": "call\x07back"}, http.StatusUnprocessableEntity, "note"},
		{"bidi override", map[string]any{"state": "shortlisted", "note": "call \u202eback"}, http.StatusUnprocessableEntity, "note"},
		{"note not text", map[string]any{"state": "shortlisted", "note": 5}, http.StatusBadRequest, "note"},
		{"unknown field", map[string]any{"state": "shortlisted", "stage": "phone"}, http.StatusBadRequest, "stage"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.do(t, f.recA, http.MethodPut, pipelinePath(f.posA.ID, f.prof1.ID), tc.body)
			wantProblem(t, rec, tc.status, tc.field)
		})
	}
	var n int
	if err := f.pool.QueryRow(context.Background(), `SELECT (SELECT count(*) FROM pipeline) + (SELECT count(*) FROM pipeline_history)`).Scan(&n); err != nil || n != 0 {
		t.Errorf("refused changes wrote %d rows (%v), want 0", n, err)
	}
	// The limit counts characters, not bytes.
	wantStatus(t, f.putPipeline(t, f.recA, f.posA.ID, f.prof1.ID, "shortlisted", strings.Repeat("é", 2000)), http.StatusCreated)
}

func TestPipelineTenants(t *testing.T) {
	f := newFixture(t)
	own := pipelinePath(f.posA.ID, f.prof1.ID)
	cases := []struct {
		name, key, method, path string
		status                  int
	}{
		{"other organization's recruiter writes", f.recB, http.MethodPut, own, http.StatusNotFound},
		{"other organization's recruiter lists", f.recB, http.MethodGet, "/v1/positions/" + f.posA.ID + "/pipeline", http.StatusNotFound},
		{"clinician writes", f.clin1, http.MethodPut, own, http.StatusForbidden},
		{"clinician lists", f.clin1, http.MethodGet, "/v1/positions/" + f.posA.ID + "/pipeline", http.StatusForbidden},
		{"unknown clinician", f.recA, http.MethodPut, pipelinePath(f.posA.ID, uuid.NewString()), http.StatusNotFound},
		{"malformed clinician", f.recA, http.MethodPut, pipelinePath(f.posA.ID, "nobody"), http.StatusNotFound},
		{"unknown position", f.recA, http.MethodPut, pipelinePath(uuid.NewString(), f.prof1.ID), http.StatusNotFound},
		{"admin on another organization's draft", f.admin, http.MethodPut, pipelinePath(f.posB.ID, f.prof1.ID), http.StatusCreated},
		{"owner", f.recA, http.MethodPut, own, http.StatusCreated},
		{"owner reads", f.recA, http.MethodGet, own, http.StatusOK},
		{"other organization's recruiter reads", f.recB, http.MethodGet, own, http.StatusNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var body any
			if tc.method == http.MethodPut {
				body = map[string]any{"state": "shortlisted"}
			}
			if rec := f.do(t, tc.key, tc.method, tc.path, body); rec.Code != tc.status {
				t.Errorf("got %d, want %d: %s", rec.Code, tc.status, rec.Body)
			}
		})
	}
}

// TestPlacingHeadcountFillsThePosition: a position for two is filled by
// the second placement, in the same request: a new version with the
// recruiter's key, and its stored matches are gone.
func TestPlacingHeadcountFillsThePosition(t *testing.T) {
	f := newFixture(t)
	body := f.positionPayload(f.orgA, jobs.StatusOpen)
	body["headcount"] = 2
	pos := f.mustCreate(t, "/v1/positions", body).position(t)
	x, y := f.nearbyProfile(t, true), f.nearbyProfile(t, true)
	if kept := f.storeMatches(t, pos.ID, 10); len(kept) < 2 {
		t.Fatalf("stored matches: got %v, want both clinicians", kept)
	}
	steps := []struct {
		clinician, state string
		filled           bool
		status           jobs.Status
		version          int
	}{
		{x.ID, "placed", false, jobs.StatusOpen, 1},
		{x.ID, "placed", false, jobs.StatusOpen, 1}, // the same placement twice counts once
		{y.ID, "offered", false, jobs.StatusOpen, 1},
		{y.ID, "placed", true, jobs.StatusFilled, 2},
	}
	for i, s := range steps {
		rec := f.putPipeline(t, f.recA, pos.ID, s.clinician, s.state, "")
		if rec.Code != http.StatusOK && rec.Code != http.StatusCreated {
			t.Fatalf("step %d: got %d: %s", i, rec.Code, rec.Body)
		}
		if got := decode[app.PipelineWritten](t, rec).PositionFilled; got != s.filled {
			t.Errorf("step %d: position_filled got %v, want %v", i, got, s.filled)
		}
		p := f.do(t, f.recA, http.MethodGet, "/v1/positions/"+pos.ID, nil)
		if got := decode[jobs.Position](t, p); got.Status != s.status || got.Version != s.version {
			t.Errorf("step %d: position %s v%d, want %s v%d", i, got.Status, got.Version, s.status, s.version)
		}
	}
	if n := f.storedMatches(t, pos.ID); n != 0 {
		t.Errorf("stored matches of the filled position: got %d, want 0", n)
	}
	rec := f.do(t, f.recA, http.MethodGet, "/v1/positions/"+pos.ID+"/versions", nil)
	vs := decode[struct{ Items []jobs.PositionVersion }](t, rec).Items
	if last := vs[len(vs)-1]; len(vs) != 2 || last.Position.Status != jobs.StatusFilled || last.ChangedByKey != f.keyID(t, f.recA) {
		t.Errorf("versions: got %d, last %+v, want 2 with the fill by recruiter A", len(vs), last)
	}
	for id, e := range f.pipelineOf(t, pos.ID) {
		if e.State != "placed" || e.InTopK || e.Score != nil {
			t.Errorf("entry of %s after the fill: %+v", id, e)
		}
	}
	// Filled is final: a later placement changes the entry only.
	z := f.nearbyProfile(t, true)
	wantStatus(t, f.putPipeline(t, f.recA, pos.ID, z.ID, "placed", "backup"), http.StatusCreated)
}

// TestPipelineSurvivesRematch: states and notes stay as recorded through
// rematches, and the flag follows the stored matches: a clinician who
// drops out of the top K stays in the pipeline, flagged.
func TestPipelineSurvivesRematch(t *testing.T) {
	f := newFixture(t)
	x, y, _ := f.nearbyProfile(t, true), f.nearbyProfile(t, true), f.nearbyProfile(t, true)
	if kept := f.storeMatches(t, f.posA.ID, 3); len(kept) != 3 {
		t.Fatalf("first rematch kept %v, want the three clinicians", kept)
	}
	wantStatus(t, f.putPipeline(t, f.recA, f.posA.ID, x.ID, "shortlisted", "Speaks Spanish; ask about call."), http.StatusCreated)
	wantStatus(t, f.putPipeline(t, f.recA, f.posA.ID, y.ID, "contacted", "Emailed Monday."), http.StatusCreated)
	before := f.pipelineOf(t, f.posA.ID)
	for _, id := range []string{x.ID, y.ID} {
		if e := before[id]; !e.InTopK || e.Score == nil {
			t.Errorf("before: %s is in the top 3 but flagged out: %+v", id, e)
		}
	}
	history := func(id string) []app.PipelineEvent {
		return decode[app.PipelinePair](t, f.do(t, f.recA, http.MethodGet, pipelinePath(f.posA.ID, id), nil)).History
	}
	hx, hy := history(x.ID), history(y.ID)

	for _, k := range []int{1, 3, 1} {
		kept := f.storeMatches(t, f.posA.ID, k)
		top := map[string]bool{}
		for _, id := range kept {
			top[id] = true
		}
		after := f.pipelineOf(t, f.posA.ID)
		if len(after) != 2 {
			t.Fatalf("after a rematch with k=%d the pipeline has %d entries, want 2", k, len(after))
		}
		for _, id := range []string{x.ID, y.ID} {
			b, a := before[id], after[id]
			if a.InTopK != top[id] || (a.Score != nil) != top[id] {
				t.Errorf("k=%d: %s in top K %v, flagged %+v", k, id, top[id], a)
			}
			a.InTopK, a.Score, b.InTopK, b.Score = false, nil, false, nil
			if diff := cmp.Diff(b, a); diff != "" {
				t.Errorf("k=%d: %s's entry changed (-before +after):\n%s", k, id, diff)
			}
		}
		if k == 1 && top[x.ID] && top[y.ID] {
			t.Fatalf("k=1 kept both %v", kept)
		}
	}
	if diff := cmp.Diff(hx, history(x.ID)); diff != "" {
		t.Errorf("history of %s changed:\n%s", x.ID, diff)
	}
	if diff := cmp.Diff(hy, history(y.ID)); diff != "" {
		t.Errorf("history of %s changed:\n%s", y.ID, diff)
	}
}

// TestCandidatesShowAndFilterPipelineState: each ranked row carries its
// pipeline state, and the filter keeps exactly the rows in the states
// asked for, before paging.
func TestCandidatesShowAndFilterPipelineState(t *testing.T) {
	f := newFixture(t)
	x, y, z := f.nearbyProfile(t, false), f.nearbyProfile(t, true), f.nearbyProfile(t, true)
	wantStatus(t, f.putPipeline(t, f.recA, f.posA.ID, x.ID, "shortlisted", ""), http.StatusCreated)
	wantStatus(t, f.putPipeline(t, f.recA, f.posA.ID, y.ID, "rejected", "No call coverage."), http.StatusCreated)
	// An entry on another position says nothing about this one.
	other := f.createPosition(t, f.orgA, jobs.StatusOpen)
	wantStatus(t, f.putPipeline(t, f.recA, other.ID, z.ID, "offered", ""), http.StatusCreated)

	type row struct {
		Clinician     struct{ ID string }
		PipelineState *string `json:"pipeline_state"`
	}
	list := func(t *testing.T, q url.Values) app.RankedPage[row] {
		t.Helper()
		rec := f.do(t, f.recA, http.MethodGet, "/v1/positions/"+f.posA.ID+"/candidates?"+q.Encode(), nil)
		wantStatus(t, rec, http.StatusOK)
		return decode[app.RankedPage[row]](t, rec)
	}
	states := map[string]string{}
	for _, r := range list(t, url.Values{"limit": {"100"}}).Items {
		if r.PipelineState != nil {
			states[r.Clinician.ID] = *r.PipelineState
		}
	}
	if diff := cmp.Diff(map[string]string{x.ID: "shortlisted", y.ID: "rejected"}, states); diff != "" {
		t.Errorf("row states (-want +got):\n%s", diff)
	}

	cases := []struct {
		name   string
		q      url.Values
		want   []string
		total  int
		cursor bool
	}{
		{"one state", url.Values{"pipeline": {"shortlisted"}}, []string{x.ID}, 1, false},
		{"two states, first page", url.Values{"pipeline": {"shortlisted,rejected"}, "limit": {"1"}}, nil, 2, true},
		{"a state nobody is in", url.Values{"pipeline": {"placed"}}, []string{}, 0, false},
		{"with free text", url.Values{"pipeline": {"shortlisted,rejected"}, "q": {"spanish"}}, nil, 2, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page := list(t, tc.q)
			var got []string
			for _, r := range page.Items {
				got = append(got, r.Clinician.ID)
				if r.PipelineState == nil || !strings.Contains(tc.q.Get("pipeline"), *r.PipelineState) {
					t.Errorf("row %s with state %v passed the filter %s", r.Clinician.ID, r.PipelineState, tc.q.Get("pipeline"))
				}
			}
			if page.Total != tc.total || (page.NextCursor != "") != tc.cursor {
				t.Errorf("total %d, next cursor %q: want %d, cursor %v", page.Total, page.NextCursor, tc.total, tc.cursor)
			}
			if tc.want != nil && !cmp.Equal(tc.want, append([]string{}, got...)) {
				t.Errorf("rows: got %v, want %v", got, tc.want)
			}
			if tc.cursor {
				next := list(t, url.Values{"pipeline": tc.q["pipeline"], "limit": {"1"}, "cursor": {page.NextCursor}})
				if len(next.Items) != 1 || next.NextCursor != "" || next.Items[0].Clinician.ID == got[0] {
					t.Errorf("second page: got %+v", next)
				}
			}
		})
	}
	wantProblem(t, f.do(t, f.recA, http.MethodGet, "/v1/positions/"+f.posA.ID+"/candidates?pipeline=hired", nil), http.StatusBadRequest, "pipeline")
	rec := f.do(t, f.recA, http.MethodGet, "/v1/positions/"+f.posA.ID+"/candidates/"+y.ID, nil)
	if got := decode[row](t, rec).PipelineState; got == nil || *got != "rejected" {
		t.Errorf("explained pair's state: got %v, want rejected", got)
	}
}
