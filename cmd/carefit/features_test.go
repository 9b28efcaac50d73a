package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"carefit/internal/platform/testenv"
)

// TestReadinessShowsTheFeatureStoreLag checks that a serving process
// reports its feature store's freshness in /readyz and /metrics, and that
// the held-changes count rises while an unrelated transaction stays open
// and falls back once it ends, while the lag stays small throughout.
func TestReadinessShowsTheFeatureStoreLag(t *testing.T) {
	_, cfg := privateStack(t)
	ctx := context.Background()
	a, srv := servingApp(t, cfg)

	feature := func() (string, map[string]any) {
		code, checks := readyz(t, srv)
		m, _ := checks["feature_store"].(map[string]any)
		d, _ := m["detail"].(map[string]any)
		if code != http.StatusOK {
			t.Fatalf("readyz: got %d %v, want 200", code, checks)
		}
		return status(checks, "feature_store"), d
	}
	if st, d := feature(); st != "ok" || d["lag_seconds"] == nil || d["held_changes"] == nil {
		t.Fatalf("feature_store check: %s %v, want ok with lag_seconds and held_changes", st, d)
	}

	// An unrelated write transaction left open, then changes committed
	// after it: they are applied (held past the cursor), not delayed.
	open, err := a.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer open.Rollback(ctx)
	if _, err := open.Exec(ctx, `SELECT pg_current_xact_id()`); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if _, err := a.pool.Exec(ctx, `INSERT INTO outbox (entity, entity_id, op) VALUES ('profile', gen_random_uuid(), 'upsert')`); err != nil {
			t.Fatalf("outbox row %d: %v", i, err)
		}
	}
	testenv.WaitFor(t, 5*time.Second, "the feature store applies the rows committed after the open transaction", func() bool {
		_, d := feature()
		held, _ := d["held_changes"].(float64)
		return held == 3
	})
	if _, d := feature(); d["lag_seconds"].(float64) > 1 {
		t.Errorf("lag while a transaction stays open: %v s, want under 1 s", d["lag_seconds"])
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, m := range []string{"carefit_feature_store_lag_seconds ", "carefit_feature_store_held_changes 3",
		"carefit_outbox_pending ", "carefit_outbox_oldest_pending_seconds ", "carefit_rematch_runs_in_progress 0"} {
		if !strings.Contains(rec.Body.String(), m) {
			t.Errorf("/metrics lacks %q", m)
		}
	}
	if err := open.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	testenv.WaitFor(t, 5*time.Second, "the held changes are released once the transaction ends", func() bool {
		_, d := feature()
		return d["held_changes"].(float64) == 0
	})
}
