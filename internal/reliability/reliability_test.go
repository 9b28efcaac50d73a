package reliability

import (
	"context"
	"os"
	"testing"
	"time"

	"carefit/internal/platform/devstack"
)

// The bounds the issue sets, from the moment the faulty part answers again.
const (
	searchLimit = 60 * time.Second // search finds every acknowledged record
	rankedLimit = 5 * time.Second  // a write after recovery is in the ranked lists
)

// config sizes the run: the short version runs in `make test`, the full
// one (CAREFIT_RELIABILITY=full) in `make reliability`.
type config struct {
	name        string
	writers     int
	pause       time.Duration // a writer's pause between logical writes
	before      time.Duration // load before each fault
	after       time.Duration // load after each recovery
	outage      time.Duration // how long a killed process stays down
	pgOutage    time.Duration // how long Postgres stays stopped
	keyDeadline time.Duration // how long a logical write is retried
}

func loadConfig() config {
	if os.Getenv("CAREFIT_RELIABILITY") == "full" {
		return config{name: "full", writers: 8, pause: 5 * time.Millisecond, before: 15 * time.Second, after: 15 * time.Second,
			outage: 5 * time.Second, pgOutage: 10 * time.Second, keyDeadline: 90 * time.Second}
	}
	return config{name: "short", writers: 2, pause: 40 * time.Millisecond, before: 1500 * time.Millisecond, after: 2 * time.Second,
		outage: time.Second, pgOutage: 4 * time.Second, keyDeadline: 45 * time.Second}
}

// fault ends one part of the system, keeps it down, brings it back and
// returns once it answers again.
type fault struct {
	name   string
	inject func(c *cluster, cfg config) error
}

func faults() []fault {
	return []fault{
		{"kill -9 server", func(c *cluster, cfg config) error {
			return cycle(c.server.kill, cfg.outage, func() error { c.startServer(); return nil })
		}},
		{"kill -9 worker", func(c *cluster, cfg config) error {
			return cycle(c.worker.kill, cfg.outage, func() error { c.startWorker(); return nil })
		}},
		{"kill -9 redis", func(c *cluster, cfg config) error {
			return cycle(c.stack.Redis.Kill, cfg.outage, restarter(c.stack.Redis))
		}},
		{"kill -9 meilisearch", func(c *cluster, cfg config) error {
			return cycle(c.stack.Meili.Kill, cfg.outage, restarter(c.stack.Meili))
		}},
		{"postgres stopped", func(c *cluster, cfg config) error {
			return cycle(c.stack.Postgres.Halt, cfg.pgOutage, restarter(c.stack.Postgres))
		}},
	}
}

// cycle ends something, keeps it down for down and starts it again.
func cycle(end func() error, down time.Duration, start func() error) error {
	if err := end(); err != nil {
		return err
	}
	time.Sleep(down) // the outage itself
	return start()
}

// restarter starts a stack service again on its port and data, waiting
// until it answers.
func restarter(s *devstack.Service) func() error {
	return func() error {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		return s.Restart(ctx)
	}
}

// TestReliability runs a write load against the real binary and, in turn,
// kills the server, a worker, Redis and Meilisearch with SIGKILL and stops
// Postgres, checking after each fault that no acknowledged write was lost
// or duplicated, no key stayed refused, search converged within 60 s and
// the ranked lists within 5 s of recovery, and nothing hung.
func TestReliability(t *testing.T) {
	cfg := loadConfig()
	start := time.Now()
	c := startCluster(t)
	ld := newLoad(t, c, cfg)
	ld.setup(t)
	t.Logf("%s version: %d writers, %s load before and %s after each fault, killed processes down %s, Postgres stopped %s; set-up took %s",
		cfg.name, cfg.writers, cfg.before, cfg.after, cfg.outage, cfg.pgOutage, time.Since(start).Round(time.Millisecond))

	var all []figures
	for i, f := range faults() {
		fig := ld.runPhase(t, i+1, f)
		judge(t, fig)
		all = append(all, fig)
		t.Logf("after %s: %s", f.name, fig.line())
		if t.Failed() {
			t.Logf("carefit logs:\n%s", c.logs())
		}
	}
	total := ld.finalCheck(t)
	report(t, all, total, c.api.hungRequests())
	t.Logf("whole run took %s", time.Since(start).Round(time.Millisecond))
}
