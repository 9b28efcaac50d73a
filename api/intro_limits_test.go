package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"carefit/access"
	"carefit/app"
	"carefit/intro"
	"carefit/jobs"
)

// wantCode checks that rec is a problem of status naming the rule code.
func wantCode(t *testing.T, rec *httptest.ResponseRecorder, status int, code string) {
	t.Helper()
	if p := wantProblem(t, rec, status, ""); p.Code != code {
		t.Errorf("problem code: got %q, want %q: %s", p.Code, code, rec.Body)
	}
}

// longPosition is an open position of organization A listed for 200
// days, so that tests can move the clock past the 90-day cooldown.
func (f *fixture) longPosition(t *testing.T) jobs.Position {
	t.Helper()
	body := f.positionPayload(f.orgA, jobs.StatusOpen)
	body["expires_at"] = f.now().AddDate(0, 0, 200).UTC().Format(time.RFC3339)
	p := f.mustCreate(t, "/v1/positions", body).position(t)
	f.refresh(t)
	return p
}

// TestIntroductionPairRules: one request between an organization and a
// clinician waits for an answer at a time, a declined one cannot be
// repeated for 90 days, an introduced pair is not asked again, and each
// refusal names its rule.
func TestIntroductionPairRules(t *testing.T) {
	f := newFixture(t)
	pos := f.longPosition(t)
	in := f.mustIntro(t, f.recA, pos.ID, f.prof1.ID)
	other := f.mustKey(t, access.NewKey{Role: access.Recruiter, OrgID: f.orgA.ID, Label: "recruiter A2"})
	wantCode(t, f.requestIntro(t, other, f.posA.ID, f.prof1.ID), http.StatusConflict, intro.CodeOpen)
	wantCode(t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions", map[string]any{"position_id": pos.ID}), http.StatusConflict, intro.CodeOpen)

	wantStatus(t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions/"+in.ID+"/decline", nil), http.StatusOK)
	wantCode(t, f.requestIntro(t, f.recA, pos.ID, f.prof1.ID), http.StatusConflict, intro.CodeCooldown)
	wantCode(t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions/"+in.ID+"/accept", nil), http.StatusConflict, intro.CodeNotPending)
	// The clinician may still reach out: the refusal was theirs.
	interest := decode[clinicianIntro](t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions", map[string]any{"position_id": pos.ID}))
	wantStatus(t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions/"+interest.ID+"/revoke", nil), http.StatusOK)

	f.skew.Store(int64(91 * 24 * time.Hour))
	f.refresh(t)
	again := f.mustIntro(t, f.recA, pos.ID, f.prof1.ID)
	wantStatus(t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions/"+again.ID+"/accept", nil), http.StatusOK)
	wantCode(t, f.requestIntro(t, other, pos.ID, f.prof1.ID), http.StatusConflict, intro.CodeIntroduced)

	// Positions that are not open are not asked about.
	wantCode(t, f.requestIntro(t, f.recA, f.posA.ID, f.prof2.ID), http.StatusConflict, intro.CodeNotOpen) // expired by now
}

// TestIntroductionsExpire: a request unanswered for 14 days is expired at
// once, by query time: listed so, no longer answerable, and no longer in
// the way of a new one.
func TestIntroductionsExpire(t *testing.T) {
	f := newFixture(t)
	in := f.mustIntro(t, f.recA, f.posA.ID, f.prof1.ID)
	f.skew.Store(int64(intro.Lifetime + time.Minute))
	for _, key := range []string{f.recA, f.clin1} {
		path := "/v1/introductions?status=expired"
		if key == f.clin1 {
			path = "/v1/me/introductions?status=expired"
		}
		items := decode[struct{ Items []clinicianIntro }](t, f.do(t, key, http.MethodGet, path, nil)).Items
		if len(items) != 1 || items[0].ID != in.ID || items[0].Status != "expired" {
			t.Errorf("%s: got %+v, want the request, expired", path, items)
		}
	}
	pending := decode[struct{ Items []clinicianIntro }](t, f.do(t, f.recA, http.MethodGet, "/v1/introductions?status=pending", nil)).Items
	if len(pending) != 0 {
		t.Errorf("pending after expiry: got %+v, want none", pending)
	}
	wantCode(t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions/"+in.ID+"/accept", nil), http.StatusConflict, intro.CodeExpired)
	next := f.mustIntro(t, f.recA, f.posA.ID, f.prof1.ID)
	if got := decode[app.StaffIntroduction](t, f.do(t, f.recA, http.MethodGet, "/v1/introductions/"+in.ID, nil)); got.Status != "expired" || next.Status != "pending" {
		t.Errorf("after a new request: old %q, new %q; want expired and pending", got.Status, next.Status)
	}
}

// TestDailyLimitUnderConcurrency: a recruiter key opens at most the daily
// limit of requests however many it sends at once, the next answers 429
// naming the limit, and the window moves on after 24 hours.
func TestDailyLimitUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	f.app.IntroDailyLimit = 3
	var ids []string
	for range 10 {
		p, _ := f.freshClinician(t, "Hal", true)
		ids = append(ids, p.ID)
	}
	codes := sendAll(t, f, len(ids), func(i int) *http.Request {
		return newRequest(t, f.recA, http.MethodPost, "/v1/introductions", introBody(f.posA.ID, ids[i]))
	})
	if codes[http.StatusCreated] != 3 || codes[http.StatusTooManyRequests] != 7 {
		t.Fatalf("statuses: got %v, want 3 created and 7 refused", codes)
	}
	rec := f.requestIntro(t, f.recA, f.posA.ID, f.prof1.ID)
	wantCode(t, rec, http.StatusTooManyRequests, intro.CodeDailyLimit)
	if !strings.Contains(rec.Body.String(), "CAREFIT_INTRO_DAILY_LIMIT") {
		t.Errorf("the refusal does not name the setting: %s", rec.Body)
	}
	if ra := rec.Header().Get("Retry-After"); ra != "86400" {
		t.Errorf("Retry-After %q, want the window's 86400 seconds", ra)
	}
	other := f.mustKey(t, access.NewKey{Role: access.Recruiter, OrgID: f.orgA.ID})
	f.mustIntro(t, other, f.posA.ID, f.prof1.ID) // the limit is the key's
	f.skew.Store(int64(intro.DailyWindow + time.Minute))
	f.mustIntro(t, f.recA, f.posA.ID, f.prof2.ID)
}

// TestOnePendingPerPairUnderConcurrency: many recruiters of one
// organization asking one clinician at once make exactly one request.
func TestOnePendingPerPairUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	keys := make([]string, 8)
	for i := range keys {
		keys[i] = f.mustKey(t, access.NewKey{Role: access.Recruiter, OrgID: f.orgA.ID})
	}
	codes := sendAll(t, f, len(keys), func(i int) *http.Request {
		return newRequest(t, keys[i], http.MethodPost, "/v1/introductions", introBody(f.posA.ID, f.prof2.ID))
	})
	if codes[http.StatusCreated] != 1 || codes[http.StatusConflict] != len(keys)-1 {
		t.Fatalf("statuses: got %v, want 1 created and %d conflicts", codes, len(keys)-1)
	}
	var n int
	if err := f.pool.QueryRow(t.Context(), `SELECT count(*) FROM introductions`).Scan(&n); err != nil || n != 1 {
		t.Errorf("introductions stored: got %d (%v), want 1", n, err)
	}
}

// sendAll serves n requests at once and counts their statuses.
func sendAll(t *testing.T, f *fixture, n int, req func(i int) *http.Request) map[int]int {
	t.Helper()
	reqs := make([]*http.Request, n)
	for i := range reqs {
		reqs[i] = req(i)
	}
	var mu sync.Mutex
	codes := map[int]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, r := range reqs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			rec := f.send(t, r)
			mu.Lock()
			codes[rec.Code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

// TestIntroductionInputs: bad input is a 4xx problem naming the field.
func TestIntroductionInputs(t *testing.T) {
	f := newFixture(t)
	long := strings.Repeat("é", intro.MaxMessage+1)
	cases := []struct {
		name, key, method, path string
		body                    any
		status                  int
		field                   string
	}{
		{"message too long", f.recA, "POST", "/v1/introductions", map[string]any{"position_id": f.posA.ID, "clinician_id": f.prof1.ID, "message": long}, 422, "message"},
		{"no message", f.recA, "POST", "/v1/introductions", map[string]any{"position_id": f.posA.ID, "clinician_id": f.prof1.ID}, 422, "message"},
		{"blank message", f.recA, "POST", "/v1/introductions", map[string]any{"position_id": f.posA.ID, "clinician_id": f.prof1.ID, "message": "  \n "}, 422, "message"},
		{"hidden characters", f.recA, "POST", "/v1/introductions", map[string]any{"position_id": f.posA.ID, "clinician_id": f.prof1.ID, "message": "hi\u202e"}, 422, "message"},
		{"malformed position", f.recA, "POST", "/v1/introductions", map[string]any{"position_id": "pos-1", "clinician_id": f.prof1.ID, "message": "hi"}, 422, "position_id"},
		{"clinician missing", f.recA, "POST", "/v1/introductions", map[string]any{"position_id": f.posA.ID, "message": "hi"}, 422, "clinician_id"},
		{"unknown field", f.recA, "POST", "/v1/introductions", map[string]any{"position_id": f.posA.ID, "clinician_id": f.prof1.ID, "message": "hi", "cc": "x"}, 400, "cc"},
		{"reply too long", f.clin1, "POST", "/v1/me/introductions/" + f.posA.ID + "/decline", map[string]any{"reply": long}, 422, "reply"},
		{"interest too long", f.clin1, "POST", "/v1/me/introductions", map[string]any{"position_id": f.posA.ID, "message": long}, 422, "message"},
		{"unknown status", f.recA, "GET", "/v1/introductions?status=lost", nil, 400, "status"},
		{"malformed position filter", f.recA, "GET", "/v1/introductions?position_id=x", nil, 400, "position_id"},
		{"blocked list missing", f.clin1, "PUT", "/v1/me/blocked-organizations", map[string]any{}, 422, "organization_ids"},
		{"blocked ID malformed", f.clin1, "PUT", "/v1/me/blocked-organizations", map[string]any{"organization_ids": []string{"acme"}}, 422, "organization_ids[0]"},
		{"blocked ID unknown", f.clin1, "PUT", "/v1/me/blocked-organizations", map[string]any{"organization_ids": []string{f.orgA.ID, f.posA.ID}}, 422, "organization_ids[1]"},
		{"access log before", f.clin1, "GET", "/v1/me/access-log?before=0", nil, 400, "before"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wantProblem(t, f.do(t, tc.key, tc.method, tc.path, tc.body), tc.status, tc.field)
		})
	}
	// An unknown or unreachable introduction is 404, as if absent.
	wantProblem(t, f.do(t, f.clin1, "POST", "/v1/me/introductions/"+f.posA.ID+"/accept", nil), http.StatusNotFound, "")
	wantProblem(t, f.do(t, f.recA, "POST", "/v1/introductions/not-an-id/accept", nil), http.StatusNotFound, "")
}
