package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/market"
	"carefit/internal/platform/testenv"
)

// TestRematchCommandAndRescoring runs a real worker (its scheduler off),
// then `carefit rematch -wait`: the run ends done and stores matches. An
// edit to a stored clinician is rescored within 5 s, and a burst of 50
// edits to one profile runs only a few rescoring tasks (read from the
// worker's /metrics).
func TestRematchCommandAndRescoring(t *testing.T) {
	ctx := context.Background()
	_, vars, db := marketStack(t, 3, market.Size{Organizations: 4, Positions: 60, Profiles: 800},
		map[string]string{"CAREFIT_SCHEDULER": "false", "CAREFIT_WORKER_METRICS_ADDR": "127.0.0.1:0", "CAREFIT_MATCHES_K": "50"})

	wctx, stopWorker := context.WithCancel(ctx)
	we, _, werr := testEnv(vars)
	stopped := make(chan struct{})
	go func() { run(wctx, we, []string{"worker"}); close(stopped) }()
	t.Cleanup(func() { stopWorker(); <-stopped })
	var metricsAddr string
	testenv.WaitFor(t, 60*time.Second, "the worker starts and serves its metrics", func() bool {
		r, ok := werr.record("worker metrics")
		metricsAddr, _ = r["addr"].(string)
		_, started := werr.record("worker started")
		return ok && started
	})

	e, out, errb := testEnv(vars)
	if code := run(ctx, e, []string{"rematch", "-wait"}); code != 0 {
		t.Fatalf("rematch -wait: exit %d: %s %s", code, out, errb)
	}
	if !regexp.MustCompile(`run \d+ done in .*: \d+ positions, \d+ shards`).MatchString(out.String()) {
		t.Fatalf("rematch -wait said %q", out)
	}
	var profileID string
	var computed time.Time
	// A clinician ranked first somewhere, whose side of the fit is not
	// perfect, so that adding a wish moves the score without dropping the
	// pair from the top K.
	if err := db.QueryRow(ctx, `SELECT profile_id::text, computed_at FROM matches WHERE clinician_side < 100
		ORDER BY rank, score DESC LIMIT 1`).Scan(&profileID, &computed); err != nil {
		t.Fatalf("no stored match after the run: %v", err)
	}

	cs := candidatesdb.NewStore(db)
	edit := func() {
		t.Helper()
		p, err := cs.GetProfile(ctx, profileID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.UpdateProfile(ctx, p.ID, p.Version, func(p *candidates.Profile) error {
			// A wish that applies in every setting, met or unknown: it
			// moves the clinician's side, unlike a fact a wish never reads.
			if p.Wishes.PatientsPerDayMax == nil {
				p.Wishes.PatientsPerDayMax = ptr(40)
			} else {
				p.Wishes.PatientsPerDayMax = nil
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	edited := time.Now()
	edit()
	testenv.WaitFor(t, 5*time.Second, "the edited clinician's stored matches are rescored", func() bool {
		var n int
		err := db.QueryRow(ctx, `SELECT count(*) FROM matches WHERE profile_id = $1 AND computed_at > $2`, profileID, computed).Scan(&n)
		return err == nil && n > 0
	})
	t.Logf("rescored %v after the edit", time.Since(edited).Round(time.Millisecond))

	before := rescores(t, metricsAddr)
	burst := time.Now()
	for range 50 {
		edit()
	}
	spent := time.Since(burst)
	testenv.WaitFor(t, 10*time.Second, "the burst is rescored", func() bool { return rescores(t, metricsAddr) > before })
	time.Sleep(2 * time.Second) // any task of the burst's last second runs by then
	n := rescores(t, metricsAddr) - before
	if limit := int(spent.Seconds()) + 3; n > limit {
		t.Errorf("50 edits in %v ran %d rescoring tasks, want at most %d (one a second)", spent.Round(time.Millisecond), n, limit)
	}
	t.Logf("50 edits in %v ran %d rescoring tasks", spent.Round(time.Millisecond), n)
	body := scrape(t, metricsAddr)
	for _, series := range []string{`carefit_tasks_processed_total{outcome="ok",type="match:rematch_shard"}`,
		`carefit_tasks_duration_seconds_count{type="match:rematch_run"}`, "carefit_rematch_pairs_scored_total "} {
		if !strings.Contains(body, series) {
			t.Errorf("the worker's /metrics lacks %s", series)
		}
	}
}

// scrape reads a /metrics page.
func scrape(t *testing.T, addr string) string {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// rescores reads the worker's count of profile rescoring tasks run.
func rescores(t *testing.T, addr string) int {
	t.Helper()
	for _, line := range strings.Split(scrape(t, addr), "\n") {
		if strings.HasPrefix(line, `carefit_tasks_processed_total{outcome="ok",type="match:rescore_profile"}`) {
			f, _ := strconv.ParseFloat(line[strings.LastIndexByte(line, ' ')+1:], 64)
			return int(f)
		}
	}
	return 0
}

func ptr[T any](v T) *T { return &v }
