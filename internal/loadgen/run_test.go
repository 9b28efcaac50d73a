package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServe stands in for carefit serve: it answers the routes the load
// uses, checks each request's key and records, and answers load requests
// with a controlled delay, or 503 past a number of requests per step (a
// server with that much capacity per step). Its step counter restarts
// whenever Run writes a progress line, which it does once before the load
// and once after each step, when every answer of the step is in.
type fakeServe struct {
	admin        string
	recruiter    map[string]string   // position → its recruiter's key
	clinicians   []string            // clinician keys
	queries      []string            // the plan's queries
	lists        map[string][]string // position → the clinicians of its candidates list
	listStatus   int                 // status of the candidates lists before the load (0: 200)
	limit        int                 // load requests answered per step; more get 503 (0: all)
	delay        time.Duration       // before each load answer
	visibleAfter time.Duration       // an edit shows in the explanation this long after it
	// onLoad, when set, is called with the count of load requests so far
	// as each arrives.
	onLoad func(loads int)

	mu       sync.Mutex
	inStep   int
	loads    int            // load requests in all
	used     map[string]int // clinicians that explains and writes used
	patched  map[string]int // clinicians edited
	editedAt map[string]time.Time
	logLines []string
	problems []string
}

func (s *fakeServe) problem(format string, args ...any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.problems = append(s.problems, fmt.Sprintf(format, args...))
}

// Write takes Run's progress lines (Options.Log).
func (s *fakeServe) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inStep = 0
	s.logLines = append(s.logLines, strings.TrimSpace(string(p)))
	return len(p), nil
}

func (s *fakeServe) plan(baseURL string) Plan {
	byKey := map[string][]string{}
	var keys []string
	for pos, key := range s.recruiter {
		if byKey[key] == nil {
			keys = append(keys, key)
		}
		byKey[key] = append(byKey[key], pos)
	}
	slices.Sort(keys)
	p := Plan{BaseURL: baseURL, AdminKey: s.admin, ClinicianKeys: s.clinicians, Queries: s.queries}
	for _, k := range keys {
		slices.Sort(byKey[k])
		p.Recruiters = append(p.Recruiters, Recruiter{Key: k, Positions: byKey[k]})
	}
	return p
}

func bearer(r *http.Request) string {
	return strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
}

func (s *fakeServe) start(t *testing.T) *httptest.Server {
	s.used, s.patched, s.editedAt = map[string]int{}, map[string]int{}, map[string]time.Time{}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/positions/{pos}/candidates", func(w http.ResponseWriter, r *http.Request) {
		pos := r.PathValue("pos")
		if key, ok := s.recruiter[pos]; !ok || bearer(r) != key {
			http.Error(w, "not your position", http.StatusForbidden)
			return
		}
		switch r.URL.Query().Get("limit") {
		case "5": // prepare's look at the candidates
			if s.listStatus != 0 {
				http.Error(w, "no", s.listStatus)
				return
			}
			type item struct {
				Clinician struct {
					ID string `json:"id"`
				} `json:"clinician"`
			}
			page := struct {
				Items []item `json:"items"`
			}{Items: []item{}}
			for _, c := range s.lists[pos] {
				var it item
				it.Clinician.ID = c
				page.Items = append(page.Items, it)
			}
			_ = json.NewEncoder(w).Encode(page)
		case "20":
			if q := r.URL.Query(); q.Has("q") && !slices.Contains(s.queries, q.Get("q")) {
				s.problem("candidates narrowed on %q, not a plan query", q.Get("q"))
			}
			s.load(w, r)
		default:
			s.problem("candidates list with limit %q", r.URL.Query().Get("limit"))
		}
	})
	pairOK := func(r *http.Request) bool {
		pos, c := r.PathValue("pos"), r.PathValue("c")
		if bearer(r) != s.recruiter[pos] || !slices.Contains(s.lists[pos], c) {
			s.problem("%s %s with key %q: not a pair the recruiter was shown", r.Method, r.URL.Path, bearer(r))
			return false
		}
		s.mu.Lock()
		s.used[c]++
		s.mu.Unlock()
		return true
	}
	mux.HandleFunc("GET /v1/positions/{pos}/candidates/{c}", func(w http.ResponseWriter, r *http.Request) {
		if bearer(r) == s.admin { // the freshness probe polls
			s.mu.Lock()
			at, edited := s.editedAt[r.PathValue("c")]
			s.mu.Unlock()
			eligible := !edited || time.Since(at) < s.visibleAfter
			fmt.Fprintf(w, `{"explanation":{"eligible":%v}}`, eligible)
			return
		}
		if pairOK(r) {
			s.load(w, r)
		}
	})
	mux.HandleFunc("PUT /v1/positions/{pos}/pipeline/{c}", func(w http.ResponseWriter, r *http.Request) {
		var body struct{ State string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.State != "shortlisted" ||
			r.Header.Get("Content-Type") != "application/json" {
			s.problem("pipeline write with state %q (%v), type %q", body.State, err, r.Header.Get("Content-Type"))
		}
		if pairOK(r) {
			s.load(w, r)
		}
	})
	mux.HandleFunc("GET /v1/me/roles", func(w http.ResponseWriter, r *http.Request) {
		if !slices.Contains(s.clinicians, bearer(r)) {
			s.problem("roles with key %q, not a clinician's", bearer(r))
		}
		s.load(w, r)
	})
	etag := func(c string) string { return `"v1-` + c + `"` }
	mux.HandleFunc("GET /v1/profiles/{c}", func(w http.ResponseWriter, r *http.Request) {
		if bearer(r) != s.admin {
			s.problem("profile read with key %q", bearer(r))
		}
		w.Header().Set("ETag", etag(r.PathValue("c")))
		fmt.Fprint(w, `{}`)
	})
	mux.HandleFunc("PATCH /v1/profiles/{c}", func(w http.ResponseWriter, r *http.Request) {
		c := r.PathValue("c")
		if bearer(r) != s.admin || r.Header.Get("If-Match") != etag(c) {
			s.problem("profile edit of %s with key %q, If-Match %q", c, bearer(r), r.Header.Get("If-Match"))
			http.Error(w, "precondition", http.StatusPreconditionFailed)
			return
		}
		var body struct {
			AvailableFrom time.Time `json:"available_from"`
		}
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.AvailableFrom.Before(time.Now().AddDate(10, 0, 0)) {
			s.problem("profile edit of %s: available_from %v (%v), not past every start", c, body.AvailableFrom, err)
		}
		s.mu.Lock()
		s.patched[c]++
		s.editedAt[c] = time.Now()
		s.mu.Unlock()
		fmt.Fprint(w, `{}`)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.problem("unexpected %s %s", r.Method, r.URL)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "//") {
			s.problem("%s %s: an empty path segment", r.Method, r.URL.Path)
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		srv.Close()
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, p := range s.problems {
			t.Error("server saw: " + p)
		}
	})
	return srv
}

func (s *fakeServe) load(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.inStep++
	s.loads++
	n, loads := s.inStep, s.loads
	s.mu.Unlock()
	if s.onLoad != nil {
		s.onLoad(loads)
	}
	if s.limit > 0 && n > s.limit {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	if s.delay > 0 {
		select {
		case <-time.After(s.delay):
		case <-r.Context().Done():
			return
		}
	}
	fmt.Fprint(w, `{}`)
}

// newFake is a market of two recruiters' three positions whose lists share
// some clinicians.
func newFake() *fakeServe {
	return &fakeServe{
		admin:      "admin-key",
		recruiter:  map[string]string{"p1": "rec-a", "p2": "rec-a", "p3": "rec-b"},
		clinicians: []string{"cli-1", "cli-2"},
		queries:    []string{"spanish", "epic"},
		lists: map[string][]string{
			"p1": {"c01", "c02", "c03", "c04", "c05"},
			"p2": {"c03", "c04", "c05", "c06", "c07"},
			"p3": {"c08", "c09", "c10", "c11", "c12"},
		},
	}
}

func stepRates(sr ScenarioReport) []int {
	var r []int
	for _, st := range sr.Steps {
		r = append(r, st.Rate)
	}
	return r
}

// A server that answers 50 requests a step and refuses the rest: the run
// tries the rates in order, stops raising the rate once a step collapses
// (over a tenth of its requests failed), then bisects between the highest
// passing rate and the lowest failing one and reports the highest that
// passed. At 1 s a step: 10 passes, 80 fails and collapses (160 is not
// tried), then 45 = (10+80)/2 passes and 62 = (45+80)/2 fails.
func TestRunSearchesHighestPassingRate(t *testing.T) {
	fs := newFake()
	fs.limit = 50
	srv := fs.start(t)
	sc, err := ParseScenario("candidates=candidates")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(context.Background(), fs.plan(srv.URL), Options{Scenarios: []Scenario{sc}, Rates: []int{10, 80, 160},
		Duration: time.Second, SearchSteps: 2, P99Bound: 500 * time.Millisecond, Timeout: 5 * time.Second, Log: fs})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if rep.P99BoundMS != 500 || len(rep.Scenarios) != 1 {
		t.Fatalf("report bound %v ms, %d scenarios; want 500 and 1", rep.P99BoundMS, len(rep.Scenarios))
	}
	sr := rep.Scenarios[0]
	if sr.Name != "candidates" || sr.Mix != "candidates=candidates:1" {
		t.Errorf("scenario %q mix %q", sr.Name, sr.Mix)
	}
	if got, want := stepRates(sr), []int{10, 45, 62, 80}; !slices.Equal(got, want) {
		t.Fatalf("steps at rates %v, want %v (sorted, 160 not tried after 80 collapsed)", got, want)
	}
	if sr.HighestRate != 45 {
		t.Errorf("highest rate %d, want 45", sr.HighestRate)
	}
	total := 0
	for _, st := range sr.Steps {
		total += st.Requests
		// Open loop: the rate's requests leave whatever the answers.
		if st.Requests > st.Rate || st.Requests < st.Rate*9/10 {
			t.Errorf("rate %d: %d requests in 1 s", st.Rate, st.Requests)
		}
		if want := max(0, st.Requests-fs.limit); st.Errors != want {
			t.Errorf("rate %d: %d errors of %d, want %d", st.Rate, st.Errors, st.Requests, want)
		}
		if st.Passed != (st.Errors == 0) {
			t.Errorf("rate %d: passed %v with %d errors, p99 %v ms", st.Rate, st.Passed, st.Errors, st.All.P99)
		}
		if st.Errors > 0 && (len(st.ErrorKinds) != 1 || st.ErrorKinds["503 Service Unavailable"] != st.Errors) {
			t.Errorf("rate %d: error kinds %v, want %d × 503", st.Rate, st.ErrorKinds, st.Errors)
		}
		if len(st.Routes) != 1 || st.Routes[Candidates].N != st.Requests || st.Routes[Candidates].Errors != st.Errors {
			t.Errorf("rate %d: routes %+v", st.Rate, st.Routes)
		}
		if st.Seconds < 0.9 || st.Seconds > 5 {
			t.Errorf("rate %d: step took %v s, want about 1", st.Rate, st.Seconds)
		}
		if want := float64(st.Requests-st.Errors) / st.Seconds; math.Abs(st.Throughput-want) > 1e-6 {
			t.Errorf("rate %d: throughput %v, want %v", st.Rate, st.Throughput, want)
		}
		if st.Freshness != nil {
			t.Errorf("rate %d: a freshness probe ran with FreshnessRate 0", st.Rate)
		}
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.loads != total {
		t.Errorf("server answered %d load requests, the report counts %d", fs.loads, total)
	}
	// One line before the load, one per step.
	if len(fs.logLines) != 1+len(sr.Steps) || !strings.Contains(fs.logLines[0], "3 positions") {
		t.Errorf("progress lines:\n%s", strings.Join(fs.logLines, "\n"))
	}
	for i, rate := range []int{10, 80, 45, 62} { // the order they ran in
		if l := fs.logLines[1+i]; !strings.Contains(l, "candidates") || !strings.Contains(l, fmt.Sprintf(" %d req/s", rate)) {
			t.Errorf("progress line %d %q is not rate %d's", 1+i, l, rate)
		}
	}
}

// Every answer slower than the bound, none failed: no rate passes, the
// search halves the lowest failing rate until the gap is 5 or less.
func TestRunNoRateWithinBound(t *testing.T) {
	fs := newFake()
	fs.delay = 40 * time.Millisecond
	srv := fs.start(t)
	rep, err := Run(context.Background(), fs.plan(srv.URL), Options{Scenarios: []Scenario{{"roles", map[Kind]int{Roles: 1}}},
		Rates: []int{20}, Duration: 500 * time.Millisecond, SearchSteps: 3, P99Bound: 20 * time.Millisecond,
		Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	sr := rep.Scenarios[0]
	if got, want := stepRates(sr), []int{5, 10, 20}; !slices.Equal(got, want) {
		t.Errorf("steps at rates %v, want %v", got, want)
	}
	if sr.HighestRate != 0 {
		t.Errorf("highest rate %d, want 0: none passed", sr.HighestRate)
	}
	for _, st := range sr.Steps {
		if st.Passed || st.Errors != 0 || st.Requests == 0 || st.All.P50 < 40 || st.Routes[Roles].N != st.Requests {
			t.Errorf("rate %d: passed %v, %d errors of %d, all %+v", st.Rate, st.Passed, st.Errors, st.Requests, st.All)
		}
	}
}

// A request that outlasts Options.Timeout is a failed request and a slow
// one; a step of nothing but timeouts collapses, so no higher rate runs.
func TestRunTimeouts(t *testing.T) {
	fs := newFake()
	fs.delay = 10 * time.Second // cut short by the client's timeout
	srv := fs.start(t)
	started := time.Now()
	rep, err := Run(context.Background(), fs.plan(srv.URL), Options{Scenarios: []Scenario{{"c", map[Kind]int{Candidates: 1}}},
		Rates: []int{10, 20}, Duration: 300 * time.Millisecond, P99Bound: time.Second, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if took := time.Since(started); took > 5*time.Second {
		t.Errorf("Run took %v: requests did not time out", took)
	}
	sr := rep.Scenarios[0]
	if len(sr.Steps) != 1 || sr.Steps[0].Rate != 10 {
		t.Fatalf("steps at %v, want only 10", stepRates(sr))
	}
	st := sr.Steps[0]
	if st.Requests == 0 || st.Errors != st.Requests || st.ErrorKinds["timeout"] != st.Requests || st.Throughput != 0 || st.Passed {
		t.Errorf("step: %d requests, %d errors %v, throughput %v, passed %v", st.Requests, st.Errors, st.ErrorKinds, st.Throughput, st.Passed)
	}
	if st.All.P50 < 100 {
		t.Errorf("timed-out requests count %v ms at p50, want at least the 100 ms timeout", st.All.P50)
	}
}

// A mix sends each kind in its proportion with the right keys and records;
// every fourth clinician prepare finds is kept for the freshness probe,
// which edits each once, during the named scenario's step at the named
// rate, and times the edit until the explanation reads it.
func TestRunMixAndFreshness(t *testing.T) {
	fs := newFake()
	fs.visibleAfter = 100 * time.Millisecond
	srv := fs.start(t)
	mix, err := ParseScenario("mix=candidates:2,candidates_q:1,roles:1,explain:1,write:1")
	if err != nil {
		t.Fatal(err)
	}
	other, _ := ParseScenario("roles=roles")
	// The clinicians in the order prepare meets them: p1's list, then p2's
	// and p3's; every fourth is set aside.
	var order []string
	for _, pos := range []string{"p1", "p2", "p3"} {
		for _, c := range fs.lists[pos] {
			if !slices.Contains(order, c) {
				order = append(order, c)
			}
		}
	}
	fresh := map[string]bool{}
	for i := 3; i < len(order); i += 4 {
		fresh[order[i]] = true
	}
	// mix runs twice: the second probe finds the first one's clinicians used.
	rep, err := Run(context.Background(), fs.plan(srv.URL), Options{Scenarios: []Scenario{mix, other, mix},
		Rates: []int{30}, Duration: time.Second, P99Bound: time.Second, Timeout: 5 * time.Second,
		FreshnessScenario: "mix", FreshnessRate: 30, Log: fs})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(rep.Scenarios) != 3 {
		t.Fatalf("%d scenarios, want 3", len(rep.Scenarios))
	}
	samples := 0
	for i, sr := range rep.Scenarios {
		if len(sr.Steps) != 1 {
			t.Fatalf("%s: steps at %v, want one at 30", sr.Name, stepRates(sr))
		}
		st := sr.Steps[0]
		if !st.Passed || st.Errors != 0 || sr.HighestRate != 30 {
			t.Errorf("%s: passed %v, %d errors, highest rate %d", sr.Name, st.Passed, st.Errors, sr.HighestRate)
		}
		if sr.Name == "roles" {
			if st.Freshness != nil {
				t.Errorf("roles: a freshness probe ran outside the freshness scenario")
			}
			continue
		}
		n := 0
		for _, k := range []Kind{Candidates, CandidatesText, Roles, Explain, Write} {
			got := st.Routes[k].N
			n += got
			want := float64(st.Requests*mix.Mix[k]) / 6
			if got == 0 || math.Abs(float64(got)-want) > 2 {
				t.Errorf("%s #%d: %d %s requests of %d, want about %.1f", sr.Name, i, got, k, st.Requests, want)
			}
		}
		if n != st.Requests {
			t.Errorf("%s: routes hold %d requests of %d", sr.Name, n, st.Requests)
		}
		f := st.Freshness
		if f == nil {
			t.Fatalf("%s #%d: no freshness figures", sr.Name, i)
		}
		samples += f.Samples
		if f.Missed != 0 {
			t.Errorf("%s #%d: %d edits not seen", sr.Name, i, f.Missed)
		}
		if f.Samples > 0 && (f.P50 < 100 || f.P95 < f.P50 || f.Max < f.P95 || f.Max > 2000) {
			t.Errorf("%s #%d: freshness %+v, want 100 ms ≤ p50 ≤ p95 ≤ max < 2 s", sr.Name, i, f)
		}
	}
	if samples == 0 || samples > len(fresh) {
		t.Errorf("%d edits timed in all, want 1 to %d", samples, len(fresh))
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for c, n := range fs.patched {
		if !fresh[c] || n != 1 {
			t.Errorf("clinician %s edited %d times; want only the set-aside %v, once each", c, n, fresh)
		}
	}
	if len(fs.patched) != samples {
		t.Errorf("%d clinicians edited, %d edits timed", len(fs.patched), samples)
	}
	for c := range fs.used {
		if fresh[c] {
			t.Errorf("load requests used clinician %s, who was set aside for the probe", c)
		}
	}
	if len(fs.used) == 0 {
		t.Error("no explain or write reached the server")
	}
	if !strings.Contains(fs.logLines[0], fmt.Sprintf("%d freshness pairs", len(fresh))) {
		t.Errorf("first progress line %q, want %d freshness pairs", fs.logLines[0], len(fresh))
	}
}

// Run fails before any load when the server cannot be reached or has
// nothing to load.
func TestRunErrorsBeforeLoad(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(fs *fakeServe, p *Plan)
		ctx     func() context.Context
		closed  bool
		wantErr string
	}{
		{name: "server down", closed: true, wantErr: "connection refused"},
		{name: "lists fail", change: func(fs *fakeServe, _ *Plan) { fs.listStatus = http.StatusInternalServerError }, wantErr: "500"},
		{name: "key refused", change: func(_ *fakeServe, p *Plan) { p.Recruiters[0].Key = "stale" }, wantErr: "403"},
		{name: "no positions", change: func(_ *fakeServe, p *Plan) {
			for i := range p.Recruiters {
				p.Recruiters[i].Positions = nil
			}
		}, wantErr: "no positions"},
		{name: "no candidates", change: func(fs *fakeServe, _ *Plan) {
			fs.lists = map[string][]string{}
		}, wantErr: "no position of the plan has an eligible candidate"},
		{name: "cancelled", ctx: func() context.Context {
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			return ctx
		}, wantErr: "context canceled"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFake()
			srv := fs.start(t)
			p := fs.plan(srv.URL)
			if tc.change != nil {
				tc.change(fs, &p)
			}
			if tc.closed {
				srv.Close()
			}
			ctx := context.Background()
			if tc.ctx != nil {
				ctx = tc.ctx()
			}
			sc := DefaultScenarios()
			rep, err := Run(ctx, p, Options{Scenarios: sc, Rates: []int{10}, Duration: time.Second, Timeout: time.Second})
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("Run error %v, want one saying %q", err, tc.wantErr)
			}
			if len(rep.Scenarios) != 0 {
				t.Errorf("report with %d scenarios from a run that never loaded", len(rep.Scenarios))
			}
			fs.mu.Lock()
			defer fs.mu.Unlock()
			if fs.loads != 0 {
				t.Errorf("%d load requests reached the server", fs.loads)
			}
		})
	}
}

// Cancelling a run mid-load ends the step early and returns the
// cancellation with what was measured.
func TestRunCancelledMidLoad(t *testing.T) {
	fs := newFake()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The context ends once the load is under way: when the server has
	// answered its second load request, not at a time that a busy machine
	// may reach before the load starts or after it ends.
	const sent = 2
	fs.onLoad = func(n int) {
		if n == sent {
			cancel()
		}
	}
	srv := fs.start(t)
	var rep Report
	var err error
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Steps and cooldowns of an hour: only the cancellation ends them.
		rep, err = Run(ctx, fs.plan(srv.URL), Options{Scenarios: DefaultScenarios()[:2], Rates: []int{5, 10}, Duration: time.Hour,
			SearchSteps: 2, P99Bound: time.Second, Timeout: time.Second, Cooldown: time.Hour})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Minute):
		t.Fatal("Run still runs its hour-long steps after its context ended")
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Run error %v, want the cancellation", err)
	}
	if len(rep.Scenarios) == 0 || len(rep.Scenarios[0].Steps) == 0 {
		t.Fatalf("report %+v lost the measured step", rep)
	}
	if st := rep.Scenarios[0].Steps[0]; st.Requests < sent || st.Requests > 10 {
		t.Errorf("first step: %d requests, want the %d answered before the cancellation and the few still in flight at 5 req/s", st.Requests, sent)
	}
	for _, sc := range rep.Scenarios {
		for _, st := range sc.Steps[1:] {
			if st.Requests != 0 {
				t.Errorf("%s at %d req/s: %d requests sent after the cancellation", sc.Name, st.Rate, st.Requests)
			}
		}
	}
}

// Run refuses, before it sends anything, options that would measure no
// rate: vegeta reads a rate of 0 as "as fast as possible" and a duration
// of 0 as "until stopped", and a mix that weighs nothing, or names a kind
// the plan has no records for, made the targeter divide by zero in
// vegeta's goroutines and kill the process.
func TestRunRefusesALoadThatMeasuresNoRate(t *testing.T) {
	ok := Options{Scenarios: DefaultScenarios(), Rates: []int{10}, Duration: 200 * time.Millisecond, P99Bound: time.Second, Timeout: time.Second}
	for _, tc := range []struct {
		name string
		edit func(*Options, *Plan)
	}{
		{"a rate of zero", func(o *Options, _ *Plan) { o.Rates = []int{10, 0} }},
		{"a negative rate", func(o *Options, _ *Plan) { o.Rates = []int{-5} }},
		{"no rates", func(o *Options, _ *Plan) { o.Rates = nil }},
		{"a step of no duration", func(o *Options, _ *Plan) { o.Duration = 0 }},
		{"no scenarios", func(o *Options, _ *Plan) { o.Scenarios = nil }},
		{"a mix that weighs nothing", func(o *Options, _ *Plan) { o.Scenarios = []Scenario{{Name: "none", Mix: map[Kind]int{}}} }},
		{"a mix of zero weights", func(o *Options, _ *Plan) { o.Scenarios = []Scenario{{Name: "zero", Mix: map[Kind]int{Candidates: 0}}} }},
		{"a negative weight", func(o *Options, _ *Plan) {
			o.Scenarios = []Scenario{{Name: "neg", Mix: map[Kind]int{Candidates: 2, Roles: -1}}}
		}},
		{"text without queries", func(_ *Options, p *Plan) { p.Queries = nil }},
		{"roles without clinician keys", func(_ *Options, p *Plan) { p.ClinicianKeys = nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := newFake()
			srv := fs.start(t)
			o, p := ok, fs.plan(srv.URL)
			o.Scenarios = slices.Clone(o.Scenarios)
			tc.edit(&o, &p)
			rep, err := Run(context.Background(), p, o)
			if err == nil {
				t.Fatalf("Run accepted the options: %+v", rep)
			}
			fs.mu.Lock()
			defer fs.mu.Unlock()
			if fs.loads != 0 {
				t.Errorf("%d load requests sent before the refusal (%v)", fs.loads, err)
			}
		})
	}
}

// A plan file whose base_url ends in a slash loads the same routes, each
// reported as its own kind.
func TestRunPlanFileWithTrailingSlash(t *testing.T) {
	fs := newFake()
	srv := fs.start(t)
	b, err := json.Marshal(fs.plan(srv.URL + "/"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := ReadPlan(writePlan(t, string(b)))
	if err != nil {
		t.Fatalf("ReadPlan: %v", err)
	}
	sc, _ := ParseScenario("rw=roles,explain,write")
	rep, err := Run(context.Background(), p, Options{Scenarios: []Scenario{sc}, Rates: []int{12},
		Duration: 500 * time.Millisecond, P99Bound: time.Second, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	st := rep.Scenarios[0].Steps[0]
	if st.Errors != 0 || len(st.Routes) != 3 {
		t.Fatalf("%d errors %v, routes %+v; want roles, explain and write without error", st.Errors, st.ErrorKinds, st.Routes)
	}
	for k, l := range st.Routes {
		if l.N < st.Requests/3-1 || l.N > st.Requests/3+1 {
			t.Errorf("%s: %d of %d requests, want a third", k, l.N, st.Requests)
		}
	}
}
