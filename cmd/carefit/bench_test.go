package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/meilisearch/meilisearch-go"

	"carefit/internal/market"
	"carefit/internal/platform/pg"
	"carefit/internal/platform/testenv"
	"carefit/rematch"
	"carefit/rematch/rematchdb"
	"carefit/tasks"
)

// benchSize reads a market size from the environment (as the API
// benchmarks do), with a default.
func benchSize(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// BenchmarkRematchRun measures a full rematch end to end, from the run's
// enqueue to its last row committed, over a market of
// CAREFIT_BENCH_POSITIONS open positions (default 20,000) and
// CAREFIT_BENCH_PROFILES clinicians (default 200,000), with one and with
// two real `carefit worker` processes. It reports the run's seconds, pairs
// visited per second, rows stored and each worker's peak resident memory.
// It needs the private stack of `carefit stack exec` (make bench). With
// CAREFIT_BENCH_PROFILE_DIR set, it saves each worker's CPU profile of each
// run there.
func BenchmarkRematchRun(b *testing.B) {
	profileDir := os.Getenv("CAREFIT_BENCH_PROFILE_DIR")
	nProf, nPos := benchSize("CAREFIT_BENCH_PROFILES", 200000), benchSize("CAREFIT_BENCH_POSITIONS", 20000)
	ctx := context.Background()
	dbURL := testenv.DatabaseURL(b)
	db, err := pg.Open(ctx, dbURL, 4)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	started := time.Now()
	mk := market.Generate(42, market.Size{Organizations: nPos / 50, Positions: nPos, Profiles: nProf}, time.Now())
	if err := market.Load(ctx, db, mk, time.Now, nil); err != nil {
		b.Fatal(err)
	}
	mk = market.Market{} // let the collector have it before the workers start
	b.Logf("market of %d positions and %d clinicians loaded in %v", nPos, nProf, time.Since(started).Round(time.Second))
	m := testenv.MeiliSearch(b)
	// The national market (scripts/bench-national) is not indexed in
	// Meilisearch: indexing is not part of a rematch and would take the
	// cores for the better part of an hour. Its changes are marked sent.
	skipSearch := os.Getenv("CAREFIT_BENCH_SKIP_SEARCH") == "1"
	if skipSearch {
		if _, err := db.Exec(ctx, `UPDATE outbox SET done_at = now() WHERE done_at IS NULL`); err != nil {
			b.Fatal(err)
		}
	}
	for _, workers := range benchWorkers() {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			redisURL := testenv.Redis(b)
			vars := map[string]string{"CAREFIT_DATABASE_URL": dbURL, "CAREFIT_REDIS_URL": redisURL,
				"CAREFIT_MEILI_URL": m.URL, "CAREFIT_MEILI_KEY": m.Key, "CAREFIT_MEILI_INDEX_PREFIX": "b" + m.Prefix,
				"CAREFIT_SHUTDOWN_TIMEOUT": "5s", "CAREFIT_WORKER_METRICS_ADDR": "off", "CAREFIT_LOG_LEVEL": "info",
				"CAREFIT_WORKER_CONCURRENCY": "2", "CAREFIT_MEMORY_LIMIT": benchMemoryLimit()}
			var procs []*child
			for i := range workers {
				v := maps(vars)
				v["CAREFIT_SCHEDULER"] = strconv.FormatBool(i == 0)
				if profileDir != "" {
					v["CAREFIT_WORKER_METRICS_ADDR"] = fmt.Sprintf("127.0.0.1:%d", 19470+i)
				}
				procs = append(procs, startChild(b, v, "worker"))
			}
			for _, p := range procs {
				testenv.WaitFor(b, 20*time.Minute, "a worker loads its feature store and starts", func() bool {
					_, ok := p.stderr.record("worker started")
					return ok
				})
			}
			if !skipSearch {
				settleSearch(b, db, m)
			}
			opt, err := asynq.ParseRedisURI(redisURL)
			if err != nil {
				b.Fatal(err)
			}
			client := asynq.NewClient(opt)
			defer client.Close()
			store := rematchdb.New(db)
			b.ResetTimer()
			var run rematch.Run
			for range b.N {
				// Cold: no stored match, every row is inserted (the first
				// night, or after the table was rebuilt). Warm: the same
				// market again, the usual night.
				b.StopTimer()
				if _, err := db.Exec(ctx, `TRUNCATE matches`); err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				for _, phase := range []string{"cold", "warm"} {
					var took time.Duration
					stop := profileWorkers(b, workers, fmt.Sprintf("%s-%dw", phase, workers))
					run, took = benchRun(ctx, b, store, client)
					stop()
					b.ReportMetric(took.Seconds(), "s/run-"+phase)
					b.Logf("%s run %d: %d positions, %d shards, %d pairs in %v (planned and started %v after enqueue)", phase,
						run.ID, run.Positions, run.ShardsTotal, run.PairsScored, run.Elapsed(time.Now()).Round(time.Millisecond),
						run.StartedAt.Sub(run.CreatedAt).Round(time.Millisecond))
					logShardTimes(b, procs, run)
				}
			}
			b.StopTimer()
			var rows int
			_ = db.QueryRow(ctx, `SELECT count(*) FROM matches`).Scan(&rows)
			b.ReportMetric(float64(run.PairsScored)/run.Elapsed(time.Now()).Seconds(), "pairs/s")
			b.ReportMetric(float64(rows), "rows")
			b.ReportMetric(float64(run.Positions), "positions")
			for i, p := range procs {
				b.ReportMetric(float64(peakRSS(b, p.cmd.Process.Pid))/(1<<20), fmt.Sprintf("MiB-peak-rss-w%d", i+1))
			}
			if os.Getenv("CAREFIT_BENCH_SERVE_RSS") == "1" {
				b.ReportMetric(serveRSS(b, vars)/(1<<20), "MiB-rss-serve")
			}
		})
	}
}

// profileWorkers, when CAREFIT_BENCH_PROFILE_DIR is set, takes CPU
// profiles of each worker in 5-second pieces until the returned stop is
// called, into <dir>/<name>-w<i>-<n>.pprof; go tool pprof merges the
// pieces it is given.
func profileWorkers(b *testing.B, workers int, name string) (stop func()) {
	dir := os.Getenv("CAREFIT_BENCH_PROFILE_DIR")
	if dir == "" {
		return func() {}
	}
	var done atomic.Bool
	var wg sync.WaitGroup
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; !done.Load(); n++ {
				url := fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/profile?seconds=5", 19470+i)
				resp, err := http.Get(url)
				if err != nil {
					b.Logf("profile of worker %d: %v", i+1, err)
					return
				}
				f, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-w%d-%03d.pprof", name, i+1, n)))
				if err == nil {
					_, err = io.Copy(f, resp.Body)
					f.Close()
				}
				resp.Body.Close()
				if err != nil {
					b.Logf("profile of worker %d: %v", i+1, err)
					return
				}
			}
		}()
	}
	return func() { done.Store(true); wg.Wait() }
}

// settleSearch waits until the workers have sent every change of the
// loaded market to Meilisearch and Meilisearch has indexed it: indexing
// is not part of a rematch, and running alongside it would take cores
// from the run being measured.
func settleSearch(b *testing.B, db *pgxpool.Pool, m testenv.Meili) {
	t0 := time.Now()
	testenv.WaitFor(b, 15*time.Minute, "the market's search index settles", func() bool {
		var pending int
		if err := db.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE done_at IS NULL`).Scan(&pending); err != nil || pending > 0 {
			return false
		}
		res, err := m.Client.GetTasks(context.Background(), &meilisearch.TasksQuery{Statuses: []meilisearch.TaskStatus{meilisearch.TaskStatusEnqueued,
			meilisearch.TaskStatusProcessing}, Limit: 1})
		return err == nil && res.Total == 0
	})
	b.Logf("search index of the market settled in %v", time.Since(t0).Round(time.Second))
}

// benchWorkers is the numbers of worker processes BenchmarkRematchRun
// measures: CAREFIT_BENCH_WORKERS (such as "2"), or 1 and 2.
func benchWorkers() []int {
	var out []int
	for _, f := range strings.Split(os.Getenv("CAREFIT_BENCH_WORKERS"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	if len(out) == 0 {
		return []int{1, 2}
	}
	return out
}

// benchMemoryLimit is the workers' CAREFIT_MEMORY_LIMIT: the production
// default, or CAREFIT_BENCH_MEMORY_LIMIT for a market whose feature store
// alone is larger.
func benchMemoryLimit() string {
	if v := os.Getenv("CAREFIT_BENCH_MEMORY_LIMIT"); v != "" {
		return v
	}
	return "900M"
}

// serveRSS starts carefit serve on the loaded market and returns its
// resident memory in bytes once it listens (its feature store loaded),
// after a collection has returned what loading left behind.
func serveRSS(b *testing.B, vars map[string]string) float64 {
	v := maps(vars)
	v["CAREFIT_HTTP_ADDR"] = "127.0.0.1:0"
	delete(v, "CAREFIT_WORKER_CONCURRENCY")
	if l := os.Getenv("CAREFIT_BENCH_SERVE_MEMORY_LIMIT"); l != "" {
		v["CAREFIT_MEMORY_LIMIT"] = l
	}
	c := startChild(b, v, "serve")
	defer c.kill()
	testenv.WaitFor(b, 10*time.Minute, "serve loads its feature store and listens", func() bool {
		_, ok := c.stderr.record("listening")
		return ok
	})
	time.Sleep(5 * time.Second) // a collection cycle after the load
	rss := procStatus(b, c.cmd.Process.Pid, "VmRSS:")
	b.Logf("serve: %d MiB resident, %d MiB peak", rss>>20, peakRSS(b, c.cmd.Process.Pid)>>20)
	return float64(rss)
}

// benchRun starts a rematch run, waits for its end and returns it with the
// time from enqueue to its last row committed.
func benchRun(ctx context.Context, b *testing.B, store *rematchdb.Store, client *asynq.Client) (rematch.Run, time.Duration) {
	t0 := time.Now()
	run, _, err := store.CreateRun(ctx, rematch.Manual, nil, time.Now(), 100, "")
	if err != nil {
		b.Fatal(err)
	}
	if err := tasks.Enqueue(ctx, client, tasks.NewRematchRunTask(run.ID, time.Time{})); err != nil {
		b.Fatal(err)
	}
	testenv.WaitFor(b, 30*time.Minute, "the run ends", func() bool {
		run, err = store.Run(ctx, run.ID)
		return err == nil && (run.Status == rematch.Done || run.Status == rematch.Failed)
	})
	if run.Status != rematch.Done {
		b.Fatalf("run %d: %s", run.ID, run.Error)
	}
	return run, time.Since(t0)
}

func maps(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// peakRSS is a process's peak resident memory (VmHWM) in bytes.
func peakRSS(tb testing.TB, pid int) int64 {
	return procStatus(tb, pid, "VmHWM:")
}

// procStatus reads a field of /proc/PID/status given in kB, in bytes.
func procStatus(tb testing.TB, pid int, field string) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// logShardTimes sums where the shards' time went in run runID, from the
// workers' logs.
func logShardTimes(tb testing.TB, procs []*child, run rematch.Run) {
	// The last shard logs its line just after its commit ends the run.
	testenv.Eventually(10*time.Second, func() bool { return shardLines(procs, run.ID).N >= run.ShardsTotal })
	sum := shardLines(procs, run.ID)
	tb.Logf("%d shards, summed: ranking %.1f s, writing %.1f s (lock %.1f, copy %.1f, read and compare %.1f, update and delete %.1f, record %.1f, the rest commit)",
		sum.N, sum.RankMS/1000, sum.WriteMS/1000, sum.LockMS/1000, sum.CopyMS/1000, sum.ReadMS/1000, sum.ApplyMS/1000, sum.RecordMS/1000)
}

// shardLines sums the "rematch shard done" lines of run runID.
func shardLines(procs []*child, runID int64) shardTimes {
	var sum shardTimes
	for _, p := range procs {
		for _, line := range strings.Split(p.stderr.String(), "\n") {
			var r shardTimes
			if json.Unmarshal([]byte(line), &r) == nil && r.Msg == "rematch shard done" && r.Run == runID {
				sum.N++
				sum.RankMS += r.RankMS
				sum.WriteMS += r.WriteMS
				sum.LockMS += r.LockMS
				sum.CopyMS += r.CopyMS
				sum.ReadMS += r.ReadMS
				sum.ApplyMS += r.ApplyMS
				sum.RecordMS += r.RecordMS
			}
		}
	}
	return sum
}

// shardTimes is a worker's "rematch shard done" log line (N counts lines
// when summing).
type shardTimes struct {
	Msg      string  `json:"msg"`
	Run      int64   `json:"run"`
	N        int     `json:"-"`
	RankMS   float64 `json:"rank_ms"`
	WriteMS  float64 `json:"write_ms"`
	LockMS   float64 `json:"lock_ms"`
	CopyMS   float64 `json:"copy_ms"`
	ReadMS   float64 `json:"read_ms"`
	ApplyMS  float64 `json:"apply_ms"`
	RecordMS float64 `json:"record_ms"`
}
