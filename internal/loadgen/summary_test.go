package loadgen

import (
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// nearestRank is the textbook nearest-rank percentile, in integer
// arithmetic: the value at rank ceil(pct/100 · n) of the sorted values.
func nearestRank(sorted []time.Duration, pct int) time.Duration {
	rank := (pct*len(sorted) + 99) / 100
	return sorted[max(rank, 1)-1]
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func TestLatencyOf(t *testing.T) {
	msList := func(vs ...float64) []time.Duration {
		var d []time.Duration
		for _, v := range vs {
			d = append(d, time.Duration(v*float64(time.Millisecond)))
		}
		return d
	}
	oneTo := func(n int) []time.Duration {
		var d []time.Duration
		for i := n; i >= 1; i-- { // descending: latencyOf must sort
			d = append(d, time.Duration(i)*time.Millisecond)
		}
		return d
	}
	for _, tc := range []struct {
		name   string
		d      []time.Duration
		errors int
		want   Latency
	}{
		{"empty", nil, 0, Latency{}},
		{"empty with errors counted elsewhere", []time.Duration{}, 3, Latency{}},
		{"one", msList(7), 1, Latency{N: 1, Errors: 1, P50: 7, P95: 7, P99: 7, Max: 7}},
		{"two", msList(9, 1), 0, Latency{N: 2, P50: 1, P95: 9, P99: 9, Max: 9}},
		// 1..100 ms: the p-th percentile of 100 values is the p-th value.
		{"1 to 100", oneTo(100), 2, Latency{N: 100, Errors: 2, P50: 50, P95: 95, P99: 99, Max: 100}},
		// 1..10 ms: ranks ceil(5)=5, ceil(9.5)=10, ceil(9.9)=10.
		{"1 to 10", oneTo(10), 0, Latency{N: 10, P50: 5, P95: 10, P99: 10, Max: 10}},
		// 1..200 ms: ranks 100, 190, 198.
		{"1 to 200", oneTo(200), 0, Latency{N: 200, P50: 100, P95: 190, P99: 198, Max: 200}},
		// 1..101 ms: ranks ceil(50.5)=51, ceil(95.95)=96, ceil(99.99)=100.
		{"1 to 101", oneTo(101), 0, Latency{N: 101, P50: 51, P95: 96, P99: 100, Max: 101}},
		{"ties", msList(3, 3, 3, 3, 8), 0, Latency{N: 5, P50: 3, P95: 8, P99: 8, Max: 8}},
		{"one slow outlier in 100 is not the p99", append(msList(500), oneTo(99)...), 0,
			Latency{N: 100, P50: 50, P95: 95, P99: 99, Max: 500}},
		{"two slow outliers in 100 are", append(msList(500, 400), oneTo(98)...), 0,
			Latency{N: 100, P50: 50, P95: 95, P99: 400, Max: 500}},
		{"sub-millisecond, to the microsecond", msList(0.25, 1.5, 2.0005), 0,
			Latency{N: 3, P50: 1.5, P95: 2, P99: 2, Max: 2}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := latencyOf(slices.Clone(tc.d), tc.errors); got != tc.want {
				t.Errorf("latencyOf = %+v, want %+v", got, tc.want)
			}
		})
	}
}

// latencyOf agrees with the textbook nearest-rank percentile for any
// count and order of values.
func TestLatencyOfMatchesNearestRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 2500; n += 1 + n/7 {
		d := make([]time.Duration, n)
		for i := range d {
			d[i] = time.Duration(rng.IntN(5_000_000)) * time.Microsecond
		}
		sorted := slices.Clone(d)
		slices.Sort(sorted)
		got := latencyOf(d, 0)
		want := Latency{N: n, P50: msOf(nearestRank(sorted, 50)), P95: msOf(nearestRank(sorted, 95)),
			P99: msOf(nearestRank(sorted, 99)), Max: msOf(sorted[n-1])}
		if got != want {
			t.Fatalf("n=%d: latencyOf = %+v, want %+v", n, got, want)
		}
		if !slices.Equal(d, sorted) {
			t.Fatalf("n=%d: latencyOf did not sort its input", n)
		}
	}
}

func TestErrorClass(t *testing.T) {
	long := "tls: failed to verify certificate: x509: certificate signed by unknown authority (possibly because of something)"
	for _, tc := range []struct{ in, want string }{
		{"Get \"http://127.0.0.1:1/v1/me/roles?limit=20\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)", "timeout"},
		{"Put \"http://h/v1/positions/p/pipeline/c\": net/http: request canceled (Client.Timeout exceeded while reading body)", "timeout"},
		{"Get \"http://h/x\": context deadline exceeded", "timeout"},
		{"Get \"http://127.0.0.1:9/v1/me/roles\": dial tcp 127.0.0.1:9: connect: connection refused", "connection refused"},
		{"Get \"http://h/x\": read tcp 127.0.0.1:5->127.0.0.1:6: read: connection reset by peer", "connection reset"},
		{"503 Service Unavailable", "503 Service Unavailable"},
		{"429 Too Many Requests", "429 Too Many Requests"},
		{"500 Internal Server Error", "500 Internal Server Error"},
		{"404 Not Found", "404 Not Found"},
		{"599", "599"},
		{"EOF", "EOF"},
		{long, long[:60]},
		{"", ""},
	} {
		if got := errorClass(tc.in); got != tc.want {
			t.Errorf("errorClass(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	// Two different messages of one kind count as one class.
	a := errorClass("Get \"http://h/v1/positions/p1/candidates?limit=20\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
	b := errorClass("Get \"http://h/v1/positions/p2/candidates/c9\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)")
	if a != b {
		t.Errorf("timeouts on two URLs class as %q and %q", a, b)
	}
}

// testCatalog is a catalog as prepare leaves it, for the targeter.
func testCatalog() *catalog {
	return &catalog{
		plan: Plan{BaseURL: "http://serve.test", AdminKey: "adm", ClinicianKeys: []string{"ck1", "ck2", "ck3"},
			Queries: []string{"spanish", "night shift"}},
		positions: []pair{{Key: "r1", Position: "p1"}, {Key: "r1", Position: "p2"}, {Key: "r2", Position: "p3"}},
		pairs:     []pair{{"r1", "p1", "c1"}, {"r1", "p2", "c2"}, {"r2", "p3", "c3"}},
		fresh:     []pair{{"r2", "p3", "c4"}},
	}
}

// The targeter walks the scenario's schedule, builds each kind's request
// from the catalog with the right key, and kindOf reads the kind back from
// the request it built.
func TestTargeterBuildsEachKind(t *testing.T) {
	// A base_url may carry a path of its own, behind a proxy.
	for _, base := range []string{"http://serve.test", "http://serve.test/carefit"} {
		t.Run(base, func(t *testing.T) { testTargeter(t, base) })
	}
}

func testTargeter(t *testing.T, base string) {
	cat := testCatalog()
	cat.plan.BaseURL = base
	sc := Scenario{"all", map[Kind]int{Candidates: 3, CandidatesText: 2, Roles: 2, Explain: 1, Write: 1}}
	sched := sc.schedule()
	tr := cat.targeter(sc)
	posKey := map[string]string{}
	for _, p := range cat.positions {
		posKey[p.Position] = p.Key
	}
	pairOK := map[string]string{}
	for _, p := range cat.pairs {
		pairOK[p.Position+"/"+p.Clinician] = p.Key
	}
	usedQueries := map[string]bool{}
	for i := range 4 * len(sched) {
		var tg vegeta.Target
		if err := tr(&tg); err != nil {
			t.Fatalf("target %d: %v", i, err)
		}
		want := sched[i%len(sched)]
		u, err := url.Parse(tg.URL)
		if err != nil {
			t.Fatalf("target %d: URL %q: %v", i, tg.URL, err)
		}
		rel, ok := strings.CutPrefix(tg.URL, cat.plan.BaseURL+"/v1/")
		if !ok {
			t.Errorf("target %d goes to %s, not under the plan's %s", i, tg.URL, cat.plan.BaseURL)
		}
		u.Path = "/v1/" + strings.SplitN(rel, "?", 2)[0]
		key, ok := strings.CutPrefix(tg.Header.Get("Authorization"), "Bearer ")
		if !ok {
			t.Errorf("target %d has no bearer key: %v", i, tg.Header)
		}
		seg := strings.Split(strings.TrimPrefix(u.Path, "/"), "/")
		switch want {
		case Candidates, CandidatesText:
			if tg.Method != http.MethodGet || len(seg) != 4 || seg[0] != "v1" || seg[1] != "positions" || seg[3] != "candidates" {
				t.Fatalf("target %d (%s) is %s %s", i, want, tg.Method, tg.URL)
			}
			if posKey[seg[2]] != key {
				t.Errorf("target %d lists position %s with key %q, want its recruiter's %q", i, seg[2], key, posKey[seg[2]])
			}
			if u.Query().Get("limit") != "20" {
				t.Errorf("target %d: limit %q", i, u.Query().Get("limit"))
			}
			if q := u.Query(); want == CandidatesText {
				if !slices.Contains(cat.plan.Queries, q.Get("q")) {
					t.Errorf("target %d narrows on %q, not one of the plan's queries", i, q.Get("q"))
				}
				usedQueries[q.Get("q")] = true
			} else if q.Has("q") {
				t.Errorf("target %d (%s) narrows on text: %s", i, want, tg.URL)
			}
		case Roles:
			if tg.Method != http.MethodGet || u.Path != "/v1/me/roles" || !slices.Contains(cat.plan.ClinicianKeys, key) {
				t.Errorf("target %d (roles) is %s %s with key %q", i, tg.Method, tg.URL, key)
			}
		case Explain:
			if tg.Method != http.MethodGet || len(seg) != 5 || seg[3] != "candidates" || pairOK[seg[2]+"/"+seg[4]] != key {
				t.Errorf("target %d (explain) is %s %s with key %q, not a prepared pair", i, tg.Method, tg.URL, key)
			}
		case Write:
			if tg.Method != http.MethodPut || len(seg) != 5 || seg[3] != "pipeline" || pairOK[seg[2]+"/"+seg[4]] != key {
				t.Errorf("target %d (write) is %s %s with key %q, not a prepared pair", i, tg.Method, tg.URL, key)
			}
			var body struct{ State, Note string }
			if err := json.Unmarshal(tg.Body, &body); err != nil || body.State != "shortlisted" {
				t.Errorf("target %d (write) body %s: %v", i, tg.Body, err)
			}
			if tg.Header.Get("Content-Type") != "application/json" {
				t.Errorf("target %d (write) Content-Type %q", i, tg.Header.Get("Content-Type"))
			}
		}
		if want != Write && len(tg.Body) > 0 {
			t.Errorf("target %d (%s) has a body %q", i, want, tg.Body)
		}
		if strings.Contains(tg.URL, "/c4") {
			t.Errorf("target %d uses the freshness clinician: %s", i, tg.URL)
		}
		if got := kindOf(&vegeta.Result{Method: tg.Method, URL: tg.URL}); got != want {
			t.Errorf("target %d: kindOf(%s %s) = %s, want %s", i, tg.Method, tg.URL, got, want)
		}
	}
	if len(usedQueries) < 2 {
		t.Errorf("candidates_q used queries %v, want all of %v over %d requests", usedQueries, cat.plan.Queries, 4*len(sched))
	}
}

// Many goroutines share one targeter (vegeta's workers do): every request
// number is used once, so the kinds drawn hold the schedule's counts.
func TestTargeterConcurrent(t *testing.T) {
	sc := Scenario{"mix", map[Kind]int{Candidates: 5, Roles: 3, Write: 2}}
	tr := testCatalog().targeter(sc)
	const goroutines, each = 8, 250 // 2000 requests: 200 cycles of 10
	var mu sync.Mutex
	got := map[Kind]int{}
	var wg sync.WaitGroup
	for range goroutines {
		wg.Go(func() {
			local := map[Kind]int{}
			for range each {
				var tg vegeta.Target
				if err := tr(&tg); err != nil {
					t.Error(err)
					return
				}
				local[kindOf(&vegeta.Result{Method: tg.Method, URL: tg.URL})]++
			}
			mu.Lock()
			for k, n := range local {
				got[k] += n
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	want := map[Kind]int{}
	for k, w := range sc.Mix {
		want[k] = w * goroutines * each / 10
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("kinds drawn %v, want %v", got, want)
	}
}

func TestKindOf(t *testing.T) {
	for _, tc := range []struct {
		method, url string
		want        Kind
	}{
		{"GET", "http://h/v1/positions/p1/candidates?limit=20", Candidates},
		{"GET", "http://h/v1/positions/p1/candidates?limit=20&q=spanish", CandidatesText},
		{"GET", "http://h/v1/positions/p1/candidates?limit=20&q=", CandidatesText},
		{"GET", "http://h/v1/me/roles?limit=20", Roles},
		{"GET", "http://h/v1/positions/p1/candidates/c1", Explain},
		{"PUT", "http://h/v1/positions/p1/pipeline/c1", Write},
	} {
		if got := kindOf(&vegeta.Result{Method: tc.method, URL: tc.url}); got != tc.want {
			t.Errorf("kindOf(%s %s) = %s, want %s", tc.method, tc.url, got, tc.want)
		}
	}
}

// result is a vegeta result of kind k as the targeter builds it.
func result(k Kind, latency time.Duration, err string) *vegeta.Result {
	r := &vegeta.Result{Method: http.MethodGet, Latency: latency, Error: err, Code: 200}
	switch k {
	case Candidates:
		r.URL = "http://h/v1/positions/p1/candidates?limit=20"
	case CandidatesText:
		r.URL = "http://h/v1/positions/p1/candidates?limit=20&q=epic"
	case Roles:
		r.URL = "http://h/v1/me/roles?limit=20"
	case Explain:
		r.URL = "http://h/v1/positions/p1/candidates/c1"
	case Write:
		r.Method, r.URL = http.MethodPut, "http://h/v1/positions/p1/pipeline/c1"
	}
	if err != "" {
		r.Code = 0
	}
	return r
}

func TestSummarise(t *testing.T) {
	msd := func(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
	const timeout = "Get \"http://h/v1/me/roles?limit=20\": context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
	type routeWant struct{ n, errors int }
	for _, tc := range []struct {
		name       string
		results    []*vegeta.Result
		took       time.Duration
		bound      time.Duration
		wantPassed bool
		wantErrors map[string]int
		wantRoutes map[Kind]routeWant
	}{
		{name: "no results never passes", took: time.Second, bound: time.Second, wantRoutes: map[Kind]routeWant{}},
		{name: "all fast and answered passes",
			results: []*vegeta.Result{result(Candidates, msd(3), ""), result(Candidates, msd(4), ""), result(Roles, msd(5), "")},
			took:    2 * time.Second, bound: 25 * time.Millisecond, wantPassed: true,
			wantRoutes: map[Kind]routeWant{Candidates: {2, 0}, Roles: {1, 0}}},
		{name: "p99 exactly at the bound passes",
			results: []*vegeta.Result{result(Explain, msd(25), ""), result(Explain, msd(1), "")},
			took:    time.Second, bound: 25 * time.Millisecond, wantPassed: true,
			wantRoutes: map[Kind]routeWant{Explain: {2, 0}}},
		{name: "p99 a microsecond over the bound fails",
			results: []*vegeta.Result{result(Explain, 25*time.Millisecond+time.Microsecond, ""), result(Explain, msd(1), "")},
			took:    time.Second, bound: 25 * time.Millisecond,
			wantRoutes: map[Kind]routeWant{Explain: {2, 0}}},
		{name: "one error in many fails however fast",
			results: append(repeat(result(Candidates, msd(1), ""), 199), result(Write, msd(1), "503 Service Unavailable")),
			took:    time.Second, bound: time.Second,
			wantErrors: map[string]int{"503 Service Unavailable": 1},
			wantRoutes: map[Kind]routeWant{Candidates: {199, 0}, Write: {1, 1}}},
		{name: "errors are counted by class and route",
			results: []*vegeta.Result{
				result(Roles, msd(10_000), timeout), result(Roles, msd(10_000), timeout),
				result(CandidatesText, msd(2), "500 Internal Server Error"), result(CandidatesText, msd(2), ""),
				result(Write, msd(3), "503 Service Unavailable"), result(Explain, msd(1), ""),
			},
			took: 3 * time.Second, bound: time.Minute,
			wantErrors: map[string]int{"timeout": 2, "500 Internal Server Error": 1, "503 Service Unavailable": 1},
			wantRoutes: map[Kind]routeWant{Roles: {2, 2}, CandidatesText: {2, 1}, Write: {1, 1}, Explain: {1, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := summarise(tc.results, 40, tc.took, tc.bound)
			if st.Rate != 40 || st.Seconds != tc.took.Seconds() || st.Requests != len(tc.results) {
				t.Errorf("step rate %d, seconds %v, requests %d; want 40, %v, %d", st.Rate, st.Seconds, st.Requests, tc.took.Seconds(), len(tc.results))
			}
			errs := 0
			var all []time.Duration
			byKind := map[Kind][]time.Duration{}
			for _, r := range tc.results {
				all = append(all, r.Latency)
				byKind[kindOf(r)] = append(byKind[kindOf(r)], r.Latency)
				if r.Error != "" {
					errs++
				}
			}
			if st.Errors != errs {
				t.Errorf("errors %d, want %d", st.Errors, errs)
			}
			if fmt.Sprint(st.ErrorKinds) != fmt.Sprint(tc.wantErrors) {
				t.Errorf("error kinds %v, want %v", st.ErrorKinds, tc.wantErrors)
			}
			if tc.wantErrors == nil && st.ErrorKinds != nil {
				t.Errorf("error kinds %v with no error (omitted from JSON only when nil)", st.ErrorKinds)
			}
			if st.Passed != tc.wantPassed {
				t.Errorf("passed %v, want %v (all %+v, bound %v)", st.Passed, tc.wantPassed, st.All, tc.bound)
			}
			// Percentiles cover every request, failed ones too.
			if want := latencyOf(slices.Clone(all), errs); st.All != want {
				t.Errorf("all %+v, want %+v", st.All, want)
			}
			if len(all) > 0 {
				if slowest := msOf(slices.Max(all)); st.All.Max != slowest {
					t.Errorf("all max %v ms, want the slowest request's %v ms", st.All.Max, slowest)
				}
			}
			if len(st.Routes) != len(tc.wantRoutes) {
				t.Errorf("routes %v, want %v", st.Routes, tc.wantRoutes)
			}
			for k, w := range tc.wantRoutes {
				got := st.Routes[k]
				if got.N != w.n || got.Errors != w.errors {
					t.Errorf("route %s: n %d errors %d, want %d and %d", k, got.N, got.Errors, w.n, w.errors)
				}
				if want := latencyOf(slices.Clone(byKind[k]), w.errors); got != want {
					t.Errorf("route %s: %+v, want %+v", k, got, want)
				}
			}
			if want := float64(len(tc.results)-errs) / tc.took.Seconds(); math.Abs(st.Throughput-want) > 1e-9 {
				t.Errorf("throughput %v, want answered requests per second %v", st.Throughput, want)
			}
		})
	}
}

func TestSummariseZeroDuration(t *testing.T) {
	st := summarise([]*vegeta.Result{result(Roles, time.Millisecond, "")}, 10, 0, time.Second)
	if math.IsNaN(st.Throughput) || math.IsInf(st.Throughput, 0) || st.Throughput != 0 {
		t.Errorf("throughput over no time is %v, want 0", st.Throughput)
	}
	if _, err := json.Marshal(st); err != nil {
		t.Errorf("step does not encode: %v", err)
	}
}

func repeat(r *vegeta.Result, n int) []*vegeta.Result {
	out := make([]*vegeta.Result, n)
	for i := range out {
		c := *r
		out[i] = &c
	}
	return out
}

func TestCollapsed(t *testing.T) {
	for _, tc := range []struct {
		st   Step
		want bool
	}{
		{Step{Requests: 100, Errors: 10, All: Latency{P99: 2000}}, false},
		{Step{Requests: 100, Errors: 11}, true},
		{Step{Requests: 100, All: Latency{P99: 2000.001}}, true},
		{Step{}, false},
	} {
		if got := collapsed(tc.st); got != tc.want {
			t.Errorf("collapsed(%d requests, %d errors, p99 %v) = %v, want %v", tc.st.Requests, tc.st.Errors, tc.st.All.P99, got, tc.want)
		}
	}
}
