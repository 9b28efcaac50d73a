package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/internal/loadgen"
	"carefit/internal/market"
	"carefit/internal/platform/pg"
	"carefit/internal/platform/testenv"
)

// BenchmarkServeLoad measures `carefit serve` as clients see it: a real
// serve and worker, each a process of its own, over a market of
// CAREFIT_BENCH_PROFILES clinicians and CAREFIT_BENCH_POSITIONS positions,
// driven over loopback sockets by `carefit load`, a third process
// (internal/loadgen, open-loop at fixed rates). CAREFIT_BENCH_LOAD_RATES
// (default 50,100,200,300,500) and CAREFIT_BENCH_LOAD_DURATION (default 20s)
// set the steps. It reports the highest rate of each scenario with p99 ≤
// 25 ms and no error, the mix's p99 at each rate, freshness p95 under the
// mix at 200 req/s, and the peak resident memory of serve and worker; with
// CAREFIT_BENCH_OUT set it copies the load report there as load.json. With
// CAREFIT_BENCH_DEBUG_ADDR set (a loopback host:port), serve answers
// /debug/pprof there, to profile it while the load runs.
func BenchmarkServeLoad(b *testing.B) {
	nProf, nPos := benchSize("CAREFIT_BENCH_PROFILES", 200000), benchSize("CAREFIT_BENCH_POSITIONS", 20000)
	ctx := context.Background()
	dbURL := testenv.DatabaseURL(b)
	db, err := pg.Open(ctx, dbURL, 4)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	mk := market.Generate(42, market.Size{Organizations: nPos / 50, Positions: nPos, Profiles: nProf}, time.Now())
	if err := market.Load(ctx, db, mk, time.Now, nil); err != nil {
		b.Fatal(err)
	}
	plan := loadPlan(b, ctx, &accessdb.Store{DB: db, Now: time.Now}, mk)
	mk = market.Market{}
	m := testenv.MeiliSearch(b)
	vars := map[string]string{"CAREFIT_DATABASE_URL": dbURL, "CAREFIT_REDIS_URL": testenv.Redis(b),
		"CAREFIT_MEILI_URL": m.URL, "CAREFIT_MEILI_KEY": m.Key, "CAREFIT_MEILI_INDEX_PREFIX": "l" + m.Prefix,
		"CAREFIT_SHUTDOWN_TIMEOUT": "5s", "CAREFIT_WORKER_METRICS_ADDR": "off", "CAREFIT_LOG_LEVEL": "info",
		"CAREFIT_HTTP_ADDR": "127.0.0.1:0", "CAREFIT_RATE_LIMIT": "0", "CAREFIT_DB_MAX_CONNS": "20",
		// No nightly work during the measurement.
		"CAREFIT_REMATCH_CRON": "0 0 29 2 *", "CAREFIT_NIGHTLY_CRON": "0 0 29 2 *"}
	worker := startChild(b, vars, "worker")
	if addr := os.Getenv("CAREFIT_BENCH_DEBUG_ADDR"); addr != "" {
		vars = maps(vars)
		vars["CAREFIT_DEBUG_ADDR"] = addr
	}
	testenv.WaitFor(b, 5*time.Minute, "the worker starts", func() bool {
		_, ok := worker.stderr.record("worker started")
		return ok
	})
	serve := startChild(b, vars, "serve")
	var addr string
	testenv.WaitFor(b, 5*time.Minute, "serve listens", func() bool {
		r, ok := serve.stderr.record("listening")
		addr, _ = r["addr"].(string)
		return ok
	})
	plan.BaseURL = "http://" + addr
	settleSearch(b, db, m)
	for range b.N {
		rep := runLoadChild(b, vars, plan)
		reportLoad(b, rep)
	}
	b.ReportMetric(float64(peakRSS(b, serve.cmd.Process.Pid))/(1<<20), "MiB-peak-rss-serve")
	b.ReportMetric(float64(peakRSS(b, worker.cmd.Process.Pid))/(1<<20), "MiB-peak-rss-worker")
	b.ReportMetric(float64(currentRSS(b, serve.cmd.Process.Pid))/(1<<20), "MiB-rss-serve")
}

// loadPlan makes the keys the load uses: an admin, a recruiter for each
// of up to 100 organizations with its open positions (at most 20 each),
// and 300 clinicians spread over the market.
func loadPlan(b *testing.B, ctx context.Context, keys *accessdb.Store, mk market.Market) loadgen.Plan {
	mustKey := func(n access.NewKey) string {
		_, secret, err := keys.Create(ctx, n)
		if err != nil {
			b.Fatal(err)
		}
		return secret
	}
	plan := loadgen.Plan{AdminKey: mustKey(access.NewKey{Role: access.Admin}), Queries: []string{"spanish", "epic", "pediatric"}}
	open := map[string][]string{}
	for _, p := range mk.Positions {
		// Listed only: an open posting past its expiry ranks nobody, which
		// would flatter the candidates figures.
		if p.Listed(time.Now()) && len(open[p.OrgID]) < 20 {
			open[p.OrgID] = append(open[p.OrgID], p.ID)
		}
	}
	for _, o := range mk.Organizations {
		if len(plan.Recruiters) == 100 {
			break
		}
		if len(open[o.ID]) > 0 {
			plan.Recruiters = append(plan.Recruiters, loadgen.Recruiter{
				Key: mustKey(access.NewKey{Role: access.Recruiter, OrgID: o.ID}), Positions: open[o.ID]})
		}
	}
	for i := 0; i < 300 && i < len(mk.Profiles); i++ {
		id := mk.Profiles[i*len(mk.Profiles)/300].ID
		plan.ClinicianKeys = append(plan.ClinicianKeys, mustKey(access.NewKey{Role: access.Clinician, ProfileID: id}))
	}
	return plan
}

// runLoadChild runs `carefit load` on plan in a process of its own and
// returns its report.
func runLoadChild(b *testing.B, vars map[string]string, plan loadgen.Plan) loadgen.Report {
	dir := b.TempDir()
	planFile, outFile := filepath.Join(dir, "plan.json"), filepath.Join(dir, "load.json")
	pb, _ := json.Marshal(plan)
	if err := os.WriteFile(planFile, pb, 0o600); err != nil {
		b.Fatal(err)
	}
	args := []string{"load", "-plan", planFile, "-out", outFile,
		"-rates", envOr("CAREFIT_BENCH_LOAD_RATES", "50,100,200,300,500"), "-duration", envOr("CAREFIT_BENCH_LOAD_DURATION", "20s")}
	c := startChild(b, map[string]string{"CAREFIT_LOG_LEVEL": "warn"}, args...)
	err := c.cmd.Wait()
	for _, line := range strings.Split(strings.TrimSpace(c.stderr.String()), "\n") {
		b.Log(line)
	}
	if err != nil {
		b.Fatalf("carefit load: %v", err)
	}
	var rep loadgen.Report
	rb, err := os.ReadFile(outFile)
	if err == nil {
		err = json.Unmarshal(rb, &rep)
	}
	if err != nil {
		b.Fatal(err)
	}
	if out := os.Getenv("CAREFIT_BENCH_OUT"); out != "" {
		if err := os.WriteFile(filepath.Join(out, "load.json"), rb, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return rep
}

// reportLoad reports each scenario's highest passing rate and p99 at each
// rate, and freshness under load.
func reportLoad(b *testing.B, rep loadgen.Report) {
	for _, sc := range rep.Scenarios {
		b.ReportMetric(float64(sc.HighestRate), "max-rps-p99ok-"+sc.Name)
		for _, st := range sc.Steps {
			b.ReportMetric(st.All.P99, fmt.Sprintf("p99-ms-%s@%d", sc.Name, st.Rate))
			if st.Errors > 0 {
				b.ReportMetric(float64(st.Errors), fmt.Sprintf("errors-%s@%d", sc.Name, st.Rate))
			}
			if st.Freshness != nil {
				b.ReportMetric(st.Freshness.P95, fmt.Sprintf("freshness-p95-ms@%d", st.Rate))
			}
		}
	}
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// currentRSS is a process's resident memory now (VmRSS) in bytes.
func currentRSS(tb testing.TB, pid int) int64 {
	return procStatus(tb, pid, "VmRSS:")
}
