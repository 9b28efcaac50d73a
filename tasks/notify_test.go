package tasks

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"carefit/internal/platform/testenv"
)

// TestNotifyNeverWaitsForRedis stands a Redis that never answers behind
// the notifier: every Notify still returns at once, and the bursts
// coalesce into few enqueues.
func TestNotifyNeverWaitsForRedis(t *testing.T) {
	var calls atomic.Int32
	stuck := make(chan struct{})
	n := newSyncNotifier(func(ctx context.Context) error {
		calls.Add(1)
		select {
		case <-stuck:
		case <-ctx.Done():
		}
		return ctx.Err()
	}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go n.Run(ctx)
	for range 10_000 {
		n.Notify(ctx) // a blocking Notify would hang the test here
	}
	testenv.WaitFor(t, 5*time.Second, "the first enqueue to start", func() bool { return calls.Load() >= 1 })
	if c := calls.Load(); c > 2 {
		t.Errorf("10,000 notifications made %d enqueues, want at most 2 while Redis hangs", c)
	}
	close(stuck)
}

// TestNotifyEnqueuesTheSync checks, against real Redis, that a
// notification becomes a pending search sync task.
func TestNotifyEnqueuesTheSync(t *testing.T) {
	opt, err := asynq.ParseRedisURI(testenv.Redis(t))
	if err != nil {
		t.Fatal(err)
	}
	client := asynq.NewClient(opt)
	t.Cleanup(func() { client.Close() })
	n := NewSyncNotifier(client, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go n.Run(ctx)
	n.Notify(ctx)
	insp := asynq.NewInspector(opt)
	t.Cleanup(func() { insp.Close() })
	testenv.WaitFor(t, 5*time.Second, "a scheduled search sync", func() bool {
		tasks, err := insp.ListScheduledTasks(QueueCritical)
		if err != nil {
			return false
		}
		for _, ti := range tasks {
			if ti.Type == TypeSearchSync {
				return true
			}
		}
		return false
	})
}
