package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"carefit/jobs"
)

// TestConcurrentPatchSameVersion sends two PATCHes based on the same
// version at once: exactly one wins, the other gets 412, and the stored
// position has the winner's change and not the loser's.
func TestConcurrentPatchSameVersion(t *testing.T) {
	for i := range 5 { // the race goes either way; run it a few times
		t.Run("", func(t *testing.T) {
			f := newFixture(t)
			path := "/v1/positions/" + f.posA.ID
			tag := etag(f.posA.Version)
			bodies := []map[string]any{{"title": "Family Physician — Lead"}, {"headcount": 3}}
			recs := make([]*httptest.ResponseRecorder, 2)
			var wg sync.WaitGroup
			start := make(chan struct{})
			for j, b := range bodies {
				req := newRequest(t, f.recA, "PATCH", path, b, "If-Match", tag)
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					rec := httptest.NewRecorder()
					f.srv.ServeHTTP(rec, req)
					recs[j] = rec
				}()
			}
			close(start)
			wg.Wait()
			for j, rec := range recs {
				checkSpec(t, newRequest(t, f.recA, "PATCH", path, bodies[j], "If-Match", tag), rec)
			}
			codes := []int{recs[0].Code, recs[1].Code}
			var winner int
			switch {
			case codes[0] == 200 && codes[1] == 412:
				winner = 0
			case codes[0] == 412 && codes[1] == 200:
				winner = 1
			default:
				t.Fatalf("run %d: statuses got %v, want one 200 and one 412", i, codes)
			}
			wantProblem(t, recs[1-winner], http.StatusPreconditionFailed, "")
			got := decode[jobs.Position](t, f.do(t, f.admin, "GET", path, nil))
			if got.Version != 2 {
				t.Errorf("version: got %d, want 2", got.Version)
			}
			wantTitle, wantHeadcount := f.posA.Title, f.posA.Headcount
			if winner == 0 {
				wantTitle = "Family Physician — Lead"
			} else {
				wantHeadcount = 3
			}
			if got.Title != wantTitle || got.Headcount != wantHeadcount {
				t.Errorf("stored title, headcount: got %q, %d, want %q, %d", got.Title, got.Headcount, wantTitle, wantHeadcount)
			}
			vs := decode[struct{ Items []jobs.PositionVersion }](t, f.do(t, f.admin, "GET", path+"/versions", nil)).Items
			if len(vs) != 2 {
				t.Errorf("versions: got %d, want 2", len(vs))
			}
		})
	}
}

// TestPreconditions checks If-Match on every versioned write: missing is
// 428, stale is 412, malformed is 400, and none of them changes the
// record.
func TestPreconditions(t *testing.T) {
	f := newFixture(t)
	// Move every record past version 1 so "v1" is stale.
	for _, w := range []struct{ path, body string }{
		{"/v1/organizations/" + f.orgA.ID, `{"name":"Lakeshore Health"}`},
		{"/v1/positions/" + f.posA.ID, `{"headcount":2}`},
		{"/v1/profiles/" + f.prof1.ID, `{"years_experience":8}`},
	} {
		wantStatus(t, f.do(t, f.admin, "PATCH", w.path, w.body, "If-Match", `"v1"`), http.StatusOK)
	}
	writes := []struct {
		name, method, path, body, record string
	}{
		{"patch organization", "PATCH", "/v1/organizations/" + f.orgA.ID, `{"name":"X"}`, "/v1/organizations/" + f.orgA.ID},
		{"patch position", "PATCH", "/v1/positions/" + f.posA.ID, `{"headcount":5}`, "/v1/positions/" + f.posA.ID},
		{"position status", "POST", "/v1/positions/" + f.posA.ID + "/status", `{"status":"closed"}`, "/v1/positions/" + f.posA.ID},
		{"patch profile", "PATCH", "/v1/profiles/" + f.prof1.ID, `{"years_experience":9}`, "/v1/profiles/" + f.prof1.ID},
	}
	cases := []struct {
		name    string
		ifMatch string
		status  int
	}{
		{"missing", "", http.StatusPreconditionRequired},
		{"stale", `"v1"`, http.StatusPreconditionFailed},
		{"future", `"v99"`, http.StatusPreconditionFailed},
		{"weak stale", `W/"v1"`, http.StatusPreconditionFailed},
		{"unquoted", `v2`, http.StatusBadRequest},
		{"star", `*`, http.StatusBadRequest},
		{"zero", `"v0"`, http.StatusBadRequest},
		{"SQL", `"v2'; DROP TABLE positions;--"`, http.StatusBadRequest},
	}
	for _, w := range writes {
		for _, tc := range cases {
			t.Run(w.name+"/"+tc.name, func(t *testing.T) {
				before := f.etagOf(t, w.record)
				counts := f.counts(t)
				rec := f.do(t, f.admin, w.method, w.path, w.body, "If-Match", tc.ifMatch)
				wantProblem(t, rec, tc.status, "")
				if got := f.etagOf(t, w.record); got != before {
					t.Errorf("ETag: got %s, want %s (unchanged)", got, before)
				}
				// Reading a profile as admin is audited; nothing else may change.
				got := f.counts(t)
				got["audit_log"] = counts["audit_log"]
				if !equalCounts(got, counts) {
					t.Errorf("row counts: got %v, want %v", got, counts)
				}
			})
		}
	}
}

func equalCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// TestIdempotentReplay checks Idempotency-Key on a POST: a retry replays
// the first answer (same status, body, Location and ETag) with
// Idempotent-Replayed: true and creates nothing; the same key with
// another body is 422; keys are per API key.
func TestIdempotentReplay(t *testing.T) {
	f := newFixture(t)
	body := f.positionPayload(f.orgA, jobs.StatusDraft)
	key := "retry-7f3e"
	before := f.counts(t)

	first := f.do(t, f.recA, "POST", "/v1/positions", body, "Idempotency-Key", key)
	wantStatus(t, first, http.StatusCreated)
	if first.Header().Get("Idempotent-Replayed") != "" {
		t.Errorf("first answer: Idempotent-Replayed %q, want none", first.Header().Get("Idempotent-Replayed"))
	}
	replay := f.do(t, f.recA, "POST", "/v1/positions", body, "Idempotency-Key", key)
	wantStatus(t, replay, http.StatusCreated)
	if got := replay.Header().Get("Idempotent-Replayed"); got != "true" {
		t.Errorf("Idempotent-Replayed: got %q, want true", got)
	}
	if !bytes.Equal(replay.Body.Bytes(), first.Body.Bytes()) {
		t.Errorf("replayed body: got %s, want %s", replay.Body, first.Body)
	}
	for _, h := range []string{"Location", "ETag", "Content-Type"} {
		if got, want := replay.Header().Get(h), first.Header().Get(h); got != want {
			t.Errorf("replayed %s: got %q, want %q", h, got, want)
		}
	}
	after := f.counts(t)
	if got := after["positions"] - before["positions"]; got != 1 {
		t.Errorf("positions created: got %d, want 1", got)
	}

	other := f.positionPayload(f.orgA, jobs.StatusDraft)
	other["title"] = "Internal Medicine Physician"
	wantProblem(t, f.do(t, f.recA, "POST", "/v1/positions", other, "Idempotency-Key", key), http.StatusUnprocessableEntity, "Idempotency-Key")
	// Another API key has its own key space.
	wantStatus(t, f.do(t, f.admin, "POST", "/v1/positions", body, "Idempotency-Key", key), http.StatusCreated)
	if got := f.counts(t)["positions"] - before["positions"]; got != 2 {
		t.Errorf("positions created: got %d, want 2", got)
	}
	// The same key on another route is a different request too.
	wantProblem(t, f.do(t, f.admin, "POST", "/v1/organizations", orgPayload("Z", "WI"), "Idempotency-Key", key),
		http.StatusUnprocessableEntity, "Idempotency-Key")

	// A failed request releases the key: fix the body and retry.
	bad := f.positionPayload(f.orgA, jobs.StatusDraft)
	bad["headcount"] = 0
	wantProblem(t, f.do(t, f.recA, "POST", "/v1/positions", bad, "Idempotency-Key", "retry-bad"), http.StatusUnprocessableEntity, "headcount")
	wantStatus(t, f.do(t, f.recA, "POST", "/v1/positions", body, "Idempotency-Key", "retry-bad"), http.StatusCreated)

	wantProblem(t, f.do(t, f.recA, "POST", "/v1/positions", body, "Idempotency-Key", string(bytes.Repeat([]byte("k"), 201))), http.StatusBadRequest, "Idempotency-Key")
}

// TestIdempotentConcurrent sends the same POST with the same
// Idempotency-Key from ten goroutines: exactly one row is created, and
// every answer is the created record, first or replayed (a retry waits for
// the first request instead of being refused).
func TestIdempotentConcurrent(t *testing.T) {
	f := newFixture(t)
	const n = 10
	routes := []struct {
		path  string
		body  any
		table string
	}{
		{"/v1/organizations", orgPayload("Northwoods Clinic", "WI"), "organizations"},
		{"/v1/positions", f.positionPayload(f.orgA, jobs.StatusDraft), "positions"},
		{"/v1/profiles", f.profilePayload("Hal", true), "profiles"},
		{"/v1/keys", map[string]any{"role": "recruiter", "org_id": f.orgA.ID}, "api_keys"},
	}
	for _, rt := range routes {
		t.Run(rt.path, func(t *testing.T) {
			before := f.counts(t)
			recs := make([]*httptest.ResponseRecorder, n)
			reqs := make([]*http.Request, n)
			for i := range reqs {
				reqs[i] = newRequest(t, f.admin, "POST", rt.path, rt.body, "Idempotency-Key", "burst-"+rt.table)
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					rec := httptest.NewRecorder()
					f.srv.ServeHTTP(rec, reqs[i])
					recs[i] = rec
				}()
			}
			close(start)
			wg.Wait()
			var created []*httptest.ResponseRecorder
			for i, rec := range recs {
				checkSpec(t, newRequest(t, f.admin, "POST", rt.path, rt.body, "Idempotency-Key", "burst-"+rt.table), rec)
				switch rec.Code {
				case http.StatusCreated:
					created = append(created, rec)
				default:
					t.Errorf("request %d: got %d, want 201: %s", i, rec.Code, rec.Body)
				}
			}
			if got := f.counts(t)[rt.table] - before[rt.table]; got != 1 {
				t.Errorf("%s created: got %d, want 1", rt.table, got)
			}
			if len(created) == 0 {
				t.Fatalf("no request got 201")
			}
			// Replays answer the first answer, except that a new key's
			// secret is shown once: exactly one answer holds it.
			secrets := 0
			for _, rec := range created {
				if bytes.Contains(rec.Body.Bytes(), []byte(`"secret":`)) {
					secrets++
				}
			}
			if rt.table == "api_keys" && secrets != 1 {
				t.Errorf("%d answers hold the key's secret, want exactly 1", secrets)
			}
			for _, rec := range created[1:] {
				if a, b := withoutSecret(t, rec), withoutSecret(t, created[0]); a != b {
					t.Errorf("bodies differ: %s vs %s", a, b)
				}
			}
		})
	}
}

// withoutSecret is a created record's answer without a key's secret or the
// word that replaces it in replays.
func withoutSecret(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("answer is not a JSON object: %v", err)
	}
	delete(m, "secret")
	delete(m, "secret_withheld")
	b, _ := json.Marshal(m)
	return string(b)
}
