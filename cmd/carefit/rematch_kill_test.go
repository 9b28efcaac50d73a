package main

import (
	"context"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"carefit/internal/market"
	"carefit/internal/platform/testenv"
	"carefit/rematch"
	"carefit/rematch/rematchdb"
	"carefit/tasks"
)

// TestRematchSurvivesAWorkerKill kills a worker with SIGKILL while it
// writes a shard (held there by a table lock the test takes), then starts
// another worker: once asynq's lease on the shard expires, the new worker
// runs it and the run completes, with every shard done once and one change
// record per position.
func TestRematchSurvivesAWorkerKill(t *testing.T) {
	ctx := context.Background()
	cfg, vars, db := marketStack(t, 5, market.Size{Organizations: 20, Positions: 1600, Profiles: 3000},
		map[string]string{"CAREFIT_SCHEDULER": "false", "CAREFIT_WORKER_METRICS_ADDR": "off", "CAREFIT_WORKER_CONCURRENCY": "1"})
	started := func(c *child) {
		testenv.WaitFor(t, 60*time.Second, "the worker starts", func() bool {
			_, ok := c.stderr.record("worker started")
			return ok
		})
	}
	first := startChild(t, vars, "worker")
	started(first)

	lock, err := db.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Rollback(ctx)
	if _, err := lock.Exec(ctx, "LOCK TABLE matches IN SHARE MODE"); err != nil {
		t.Fatal(err)
	}
	store := rematchdb.New(db)
	run0, _, err := store.CreateRun(ctx, rematch.Manual, nil, time.Now(), 20, "")
	if err != nil {
		t.Fatal(err)
	}
	opt, _ := asynq.ParseRedisURI(cfg.RedisURL)
	client := asynq.NewClient(opt)
	defer client.Close()
	if err := tasks.Enqueue(ctx, client, tasks.NewRematchRunTask(run0.ID, time.Time{})); err != nil {
		t.Fatal(err)
	}
	testenv.WaitFor(t, 60*time.Second, "a shard's write waits on the lock", func() bool {
		return queryInt(t, cfg.DatabaseURL, `SELECT count(*) FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND query ILIKE '%"matches"%'`) == 1
	})
	first.kill()
	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	second := startChild(t, vars, "worker")
	started(second)

	var run rematch.Run
	testenv.WaitFor(t, 4*time.Minute, "the run completes on the second worker", func() bool {
		run, err = store.Run(ctx, run0.ID)
		return err == nil && (run.Status == rematch.Done || run.Status == rematch.Failed)
	})
	t.Logf("run %d: %s %d/%d shards, %v after the kill", run.ID, run.Status, run.ShardsDone, run.ShardsTotal, time.Since(killed).Round(time.Second))
	if run.Status != rematch.Done || run.ShardsTotal < 2 || run.ShardsDone != run.ShardsTotal {
		t.Fatalf("run: %+v, want done with every shard", run)
	}
	if n := queryInt(t, cfg.DatabaseURL, `SELECT count(*) FROM rematch_shards WHERE done_at IS NULL`); n != 0 {
		t.Errorf("%d shards not done", n)
	}
	if n, want := queryInt(t, cfg.DatabaseURL, `SELECT count(*) FROM rematch_changes`), run.Positions; n != want {
		t.Errorf("%d change records, want one per position (%d)", n, want)
	}
	if n := queryInt(t, cfg.DatabaseURL, `SELECT count(DISTINCT position_id) FROM matches`); n == 0 {
		t.Error("no stored matches")
	}
}
