package api

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/meilisearch/meilisearch-go"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/app"
	"carefit/internal/market"
	"carefit/internal/platform/testenv"
	"carefit/ranking"
	"carefit/search"
	"carefit/search/searchsync"
	"carefit/tasks"
)

// The ranked-list benchmarks of issue [4] run against one market of
// CAREFIT_BENCH_PROFILES clinicians (default 200,000) and
// CAREFIT_BENCH_POSITIONS positions (default 20,000) in the real Postgres
// and Meilisearch, served in-process with the real worker relaying edits
// to the search index. The market is built once per test binary.

func benchSize(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

type benchMarket struct {
	*fixture
	features  *ranking.Store
	positions []string // open positions
	clinKeys  []string
	recKeys   map[string]string // organization → recruiter key
}

var (
	benchOnce sync.Once
	bench     *benchMarket
	benchErr  error
)

// benchT lets the once-only setup use the test helpers that need a
// testing.TB; its cleanups run when the process ends, not per benchmark.
type benchT struct{ testing.TB }

func (benchT) Cleanup(func()) {}

func setupBench(b *testing.B) *benchMarket {
	b.Helper()
	benchOnce.Do(func() {
		bench, benchErr = buildBench(b)
		// The generated market (hundreds of MB of domain objects) is not
		// part of a serving process: collect it now so the garbage
		// collector works only on what a server holds.
		runtime.GC()
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return bench
}

func buildBench(b *testing.B) (*benchMarket, error) {
	ctx := context.Background()
	nProf, nPos := benchSize("CAREFIT_BENCH_PROFILES", 200_000), benchSize("CAREFIT_BENCH_POSITIONS", 20_000)
	t := benchT{b}
	pool := testenv.DB(t)
	started := time.Now()
	mk := market.Generate(42, market.Size{Organizations: nPos / 50, Positions: nPos, Profiles: nProf}, time.Now())
	if err := market.Load(ctx, pool, mk, time.Now, nil); err != nil {
		return nil, err
	}
	b.Logf("loaded %d profiles and %d positions into Postgres in %s", nProf, nPos, time.Since(started).Round(time.Millisecond))
	m := testenv.MeiliSearch(t)
	// The server's own Meilisearch client, as cmd/carefit builds it.
	sc := search.New(meilisearch.New(m.URL, meilisearch.WithAPIKey(m.Key), meilisearch.WithCustomClient(search.HTTPClient(time.Minute))), m.Prefix)
	sc.TaskTimeout = 15 * time.Minute
	for _, k := range search.Kinds() {
		started = time.Now()
		if err := searchsync.Reindex(ctx, pool, sc, k, nil); err != nil {
			return nil, err
		}
		b.Logf("reindexed %s in %s", k, time.Since(started).Round(time.Millisecond))
	}
	started = time.Now()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	features, err := loadFeatures(ctx, pool, log)
	if err != nil {
		return nil, err
	}
	b.Logf("feature store loaded in %s", time.Since(started).Round(time.Millisecond))
	go features.Follow(context.Background(), 250*time.Millisecond)

	// The real worker relays edits to Meilisearch, woken by the API.
	redisURL := testenv.Redis(t)
	ropt, err := asynq.ParseRedisURI(redisURL)
	if err != nil {
		return nil, err
	}
	w, err := tasks.NewWorker(ropt, &tasks.Handlers{Pool: pool, Log: log, Now: time.Now, Search: sc},
		tasks.WorkerOptions{Concurrency: 2, ShutdownTimeout: 5 * time.Second, Log: log})
	if err != nil {
		return nil, err
	}
	if err := w.Start(); err != nil {
		return nil, err
	}
	client := asynq.NewClient(ropt)

	f := &fixture{pool: pool}
	f.keys = &accessdb.Store{DB: pool, Now: f.now}
	d := testDeps(pool, f.now, features, sc)
	d.Logger, d.OnWrite = log, func(ctx context.Context) { _ = tasks.EnqueueSync(ctx, client) }
	f.srv = New(d)
	f.admin = f.mustKey(t, access.NewKey{Role: access.Admin})
	bm := &benchMarket{fixture: f, features: features, recKeys: map[string]string{}}
	// Listed positions only: an open posting past its expiry ranks nobody
	// and refuses an edit that keeps it open.
	for _, p := range mk.Positions {
		if p.Listed(time.Now()) {
			bm.positions = append(bm.positions, p.ID)
		}
	}
	for i := 0; i < 300 && i < len(mk.Profiles); i++ {
		bm.clinKeys = append(bm.clinKeys, f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: mk.Profiles[i*len(mk.Profiles)/300].ID}))
	}
	return bm, nil
}

// latencies records request durations and reports percentiles.
type latencies []time.Duration

func (l latencies) report(b *testing.B, unit string) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	pct := func(p float64) float64 {
		i := int(p * float64(len(l)-1))
		return float64(l[i].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-"+unit)
	b.ReportMetric(pct(0.95), "p95-"+unit)
	b.ReportMetric(pct(0.99), "p99-"+unit)
}

// processCPU is the CPU time, user and system, this process has used so
// far: every goroutine's, the garbage collector's included.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// cpuMeter reports the process's CPU time per operation in microseconds:
// what a server spends on a request, whatever the machine's other load
// does to the wall clock.
type cpuMeter struct{ start time.Duration }

// startCPU starts measuring; with CAREFIT_BENCH_CPUPROFILE set to a
// directory it also writes the CPU profile of the timed requests alone
// (not of building the market, which -cpuprofile includes) to a file
// there named after the benchmark.
func startCPU(b *testing.B) cpuMeter {
	b.ReportAllocs()
	if dir := os.Getenv("CAREFIT_BENCH_CPUPROFILE"); dir != "" {
		f, err := os.Create(filepath.Join(dir, strings.ReplaceAll(b.Name(), "/", "_")+".cpu"))
		if err != nil {
			b.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { pprof.StopCPUProfile(); f.Close() })
	}
	return cpuMeter{start: processCPU(b)}
}

func (m cpuMeter) report(b *testing.B) {
	if b.N > 0 {
		b.ReportMetric(float64((processCPU(b)-m.start).Microseconds())/float64(b.N), "cpu-µs/op")
	}
}

func (bm *benchMarket) timedGet(b *testing.B, key, path string) time.Duration {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	rec := httptest.NewRecorder()
	started := time.Now()
	bm.srv.ServeHTTP(rec, req)
	d := time.Since(started)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: %d %s", path, rec.Code, rec.Body)
	}
	return d
}

// BenchmarkCandidates is one recruiter request for a position's ranked
// candidates (first page of 20, explanations included), positions taken
// round-robin; it reports latency percentiles in milliseconds.
func BenchmarkCandidates(b *testing.B) {
	bm := setupBench(b)
	for _, tc := range []struct{ name, query string }{
		{"all", ""},
		{"text", "q=spanish"},
		{"filtered", "min_score=40&within_miles=50"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var lat latencies
			r := rand.New(rand.NewPCG(1, 2))
			b.ResetTimer()
			cpu := startCPU(b)
			for i := 0; i < b.N; i++ {
				id := bm.positions[r.IntN(len(bm.positions))]
				lat = append(lat, bm.timedGet(b, bm.admin, "/v1/positions/"+id+"/candidates?limit=20&"+tc.query))
			}
			b.StopTimer()
			cpu.report(b)
			lat.report(b, "ms")
		})
	}
}

// BenchmarkRoles is one clinician request for their ranked roles.
func BenchmarkRoles(b *testing.B) {
	bm := setupBench(b)
	for _, tc := range []struct{ name, query string }{
		{"all", ""},
		{"text", "q=clinic"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			var lat latencies
			b.ResetTimer()
			cpu := startCPU(b)
			for i := 0; i < b.N; i++ {
				key := bm.clinKeys[i%len(bm.clinKeys)]
				lat = append(lat, bm.timedGet(b, key, "/v1/me/roles?limit=20&"+tc.query))
			}
			b.StopTimer()
			cpu.report(b)
			lat.report(b, "ms")
		})
	}
}

// BenchmarkFreshness edits a position's title through the API and polls
// free search until the new title is found, and edits a clinician so they
// stop being eligible and polls the ranked candidates until they are gone;
// it reports how long each edit took to show.
func BenchmarkFreshness(b *testing.B) {
	bm := setupBench(b)
	b.Run("search", func(b *testing.B) {
		var lat latencies
		for i := 0; i < b.N; i++ {
			id := bm.positions[(i*7919)%len(bm.positions)]
			token := fmt.Sprintf("zq%dx%d", i, time.Now().UnixNano()%1e6)
			path := "/v1/positions/" + id
			etag := bm.etagOf(b, path)
			rec := bm.do(b, bm.admin, http.MethodPatch, path, map[string]any{"title": "Family Physician " + token}, "If-Match", etag)
			if rec.Code != http.StatusOK {
				b.Fatalf("patch: %d %s", rec.Code, rec.Body)
			}
			lat = append(lat, pollUntil(b, "edit "+strconv.Itoa(i)+" searchable", func() bool {
				res := bm.do(b, bm.admin, http.MethodGet, "/v1/search/positions?q="+token, nil)
				return decode[search.Result[search.PositionDoc]](b, res).Total > 0
			}))
		}
		lat.report(b, "ms")
	})
	b.Run("ranked", func(b *testing.B) {
		var lat latencies
		r := rand.New(rand.NewPCG(3, 4))
		for i := 0; i < b.N; i++ {
			// A position with candidates, and its best candidate.
			var posID, clinID string
			for posID == "" {
				id := bm.positions[r.IntN(len(bm.positions))]
				res := bm.do(b, bm.admin, http.MethodGet, "/v1/positions/"+id+"/candidates?limit=1", nil)
				if page := decode[app.RankedPage[candidateRow]](b, res); len(page.Items) > 0 {
					posID, clinID = id, page.Items[0].Clinician.ID
				}
			}
			path := "/v1/profiles/" + clinID
			etag := bm.etagOf(b, path)
			rec := bm.do(b, bm.admin, http.MethodPatch, path, map[string]any{"available_from": "2099-01-01T00:00:00Z"}, "If-Match", etag)
			if rec.Code != http.StatusOK {
				b.Fatalf("patch: %d %s", rec.Code, rec.Body)
			}
			lat = append(lat, pollUntil(b, "edit "+strconv.Itoa(i)+" reflected in the ranked list", func() bool {
				res := bm.do(b, bm.admin, http.MethodGet, "/v1/positions/"+posID+"/candidates/"+clinID, nil)
				if decode[candidateRow](b, res).Explanation.Eligible {
					return false
				}
				page := decode[app.RankedPage[candidateRow]](b, bm.do(b, bm.admin, http.MethodGet, "/v1/positions/"+posID+"/candidates?limit=100", nil))
				return !slices.ContainsFunc(page.Items, func(row candidateRow) bool { return row.Clinician.ID == clinID })
			}))
		}
		lat.report(b, "ms")
	})
}

// pollUntil checks done every 20 ms and returns how long it took to hold;
// after 30 s it fails the benchmark naming what.
func pollUntil(b *testing.B, what string, done func() bool) time.Duration {
	started := time.Now()
	for !done() {
		if time.Since(started) > 30*time.Second {
			b.Fatalf("%s: not after 30 s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return time.Since(started)
}
