package main

import (
	"testing"
	"time"

	"carefit/internal/market"
	"carefit/internal/platform/testenv"
)

// TestTwoSchedulersRunEachSlotOnce runs two worker processes that both run
// the scheduler (a mistake the deployment guards against) on a one-minute
// rematch schedule, and checks that each minute's slot makes exactly one
// run, and that it completes.
func TestTwoSchedulersRunEachSlotOnce(t *testing.T) {
	cfg, vars, _ := marketStack(t, 9, market.Size{Organizations: 2, Positions: 40, Profiles: 300},
		map[string]string{"CAREFIT_SCHEDULER": "true", "CAREFIT_WORKER_METRICS_ADDR": "off", "CAREFIT_REMATCH_CRON": "* * * * *"})
	for range 2 {
		w := startChild(t, vars, "worker")
		testenv.WaitFor(t, 60*time.Second, "a worker with its scheduler starts", func() bool {
			_, ok := w.stderr.record("worker started")
			return ok
		})
	}
	// Two slots pass within 2 minutes; wait for the second's run to end.
	testenv.WaitFor(t, 150*time.Second, "two nightly slots have run", func() bool {
		return queryInt(t, cfg.DatabaseURL, `SELECT count(*) FROM rematch_runs WHERE trigger = 'nightly' AND status = 'done'`) >= 2
	})
	if n := queryInt(t, cfg.DatabaseURL, `SELECT count(*) FROM (SELECT slot FROM rematch_runs GROUP BY slot HAVING count(*) > 1) d`); n != 0 {
		t.Errorf("%d slots ran more than once", n)
	}
	if n := queryInt(t, cfg.DatabaseURL, `SELECT count(*) FROM rematch_runs WHERE slot IS NULL OR date_trunc('minute', slot) <> slot`); n != 0 {
		t.Errorf("%d nightly runs without a minute slot", n)
	}
}
