package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"

	"carefit/rematch"
	"carefit/rematch/rematchdb"
	"carefit/tasks"
)

func runRematch(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "rematch", "[-wait]",
		"Start a rematch of every open position now: the workers rank each position's top CAREFIT_MATCHES_K\n"+
			"consenting, eligible clinicians and store them. With -wait, follow the run with a progress bar until it\n"+
			"ends; the exit status is 1 if it failed. A worker must be running to do the work.")
	wait := fs.Bool("wait", false, "follow the run until it ends")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return usageError{"rematch takes no arguments"}
	}
	cfg, log, err := loadConfig(e, "text")
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	store := rematchdb.New(a.pool)
	run, _, err := store.CreateRun(ctx, rematch.Manual, nil, time.Now(), cfg.MatchesK, "")
	if err != nil {
		return err
	}
	if err := tasks.Enqueue(ctx, a.tasks, tasks.NewRematchRunTask(run.ID, time.Time{})); err != nil {
		_ = store.Fail(context.WithoutCancel(ctx), run.ID, "the run could not be queued", time.Now())
		return fmt.Errorf("queue the run: %w", err)
	}
	fmt.Fprintf(e.stdout, "rematch run %d queued\n", run.ID)
	if !*wait {
		return nil
	}
	run, err = followRun(ctx, e, store, run.ID)
	if err != nil {
		return err
	}
	c := run.Changes
	fmt.Fprintf(e.stdout, "run %d %s in %s: %d positions, %d shards, %d pairs scored; %d new, %d improved, %d worse, %d dropped\n",
		run.ID, run.Status, run.Elapsed(time.Now()).Round(time.Millisecond), run.Positions, run.ShardsTotal, run.PairsScored,
		c.New, c.Improved, c.Worse, c.Dropped)
	if run.Status == rematch.Failed {
		return errors.New("the run failed: " + run.Error)
	}
	return nil
}

// followRun shows a run's shards done on a progress bar until it ends.
func followRun(ctx context.Context, e env, store *rematchdb.Store, id int64) (rematch.Run, error) {
	bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("rematch: waiting for a worker"),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionShowCount(),
		progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionSetWidth(30))
	defer fmt.Fprintln(e.stderr)
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	for {
		run, err := store.Run(ctx, id)
		if err != nil {
			return run, err
		}
		if run.ShardsTotal > 0 {
			if bar.GetMax() != run.ShardsTotal {
				bar.ChangeMax(run.ShardsTotal)
			}
			_ = bar.Set(run.ShardsDone)
			desc := fmt.Sprintf("rematch: %d positions, shards", run.Positions)
			if left, ok := run.Remaining(time.Now()); ok && run.Status == rematch.Running {
				desc += fmt.Sprintf(" (about %s left)", left.Round(time.Second))
			}
			bar.Describe(desc)
		}
		if run.Status == rematch.Done || run.Status == rematch.Failed {
			_ = bar.Finish()
			return run, nil
		}
		select {
		case <-ctx.Done():
			return run, ctx.Err()
		case <-tick.C:
		}
	}
}
