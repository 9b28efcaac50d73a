// Package tasks holds carefit's background work on asynq: task types and
// their constructors, the handlers, and the scheduler of periodic work.
// Payloads carry IDs only; every handler is idempotent, because asynq
// returns unfinished tasks to the queue on shutdown and retries failures.
package tasks

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/search"
)

// Queue names, most urgent first.
const (
	QueueCritical    = "critical"
	QueueDefault     = "default"
	QueueMaintenance = "maintenance"
)

// TypePrune deletes expired idempotency records.
const TypePrune = "maintenance:prune"

// IdempotencyTTL is how long a replayed POST with the same Idempotency-Key
// gets the stored answer instead of a new row.
const IdempotencyTTL = 24 * time.Hour

// NewPruneTask returns the periodic pruning task.
func NewPruneTask() *asynq.Task {
	return asynq.NewTask(TypePrune, nil, asynq.Queue(QueueMaintenance), asynq.MaxRetry(3),
		asynq.Timeout(5*time.Minute), asynq.Unique(time.Hour))
}

// Handlers holds the dependencies of the task handlers.
type Handlers struct {
	Pool *pgxpool.Pool
	Log  *slog.Logger
	Now  func() time.Time
	// Search runs the search sync and reindex tasks (tasks/search.go).
	Search *search.Client
	// Rematch runs the rematch and rescoring tasks (tasks/rematch.go);
	// nil leaves them unhandled.
	Rematch *Rematch
	// Metrics counts and times every task; nil records nothing.
	Metrics *Metrics
	// Webhooks sends each finished run's digests (tasks/webhook.go); nil
	// leaves those tasks unhandled.
	Webhooks *Webhooks
}

// Mux routes each task type to its handler.
func (h *Handlers) Mux() *asynq.ServeMux {
	mux := asynq.NewServeMux()
	if h.Metrics != nil {
		mux.Use(h.Metrics.Middleware)
	}
	mux.HandleFunc(TypePrune, h.prune)
	h.registerSearch(mux)
	h.registerRematch(mux)
	h.registerWebhooks(mux)
	return mux
}

func (h *Handlers) prune(ctx context.Context, _ *asynq.Task) error {
	tag, err := h.Pool.Exec(ctx, "DELETE FROM idempotency_keys WHERE created_at < $1", h.Now().Add(-IdempotencyTTL))
	if err != nil {
		return fmt.Errorf("prune idempotency keys: %w", err)
	}
	h.Log.InfoContext(ctx, "pruned idempotency keys", "deleted", tag.RowsAffected())
	return nil
}

// Worker is an asynq server, optionally with the deployment's single
// scheduler.
type Worker struct {
	srv   *asynq.Server
	sched *asynq.Scheduler
	mux   *asynq.ServeMux
}

// WorkerOptions configure a Worker.
type WorkerOptions struct {
	Concurrency     int
	ShutdownTimeout time.Duration
	// Scheduler runs the periodic tasks; exactly one per deployment.
	Scheduler   bool
	NightlyCron string
	// RematchCron schedules the nightly rematch in RematchTZ; empty
	// schedules none.
	RematchCron string
	RematchTZ   *time.Location
	Log         *slog.Logger
}

// NewWorker builds a worker serving h's handlers.
func NewWorker(redis asynq.RedisConnOpt, h *Handlers, o WorkerOptions) (*Worker, error) {
	w := &Worker{mux: h.Mux()}
	w.srv = asynq.NewServer(redis, asynq.Config{
		Concurrency: o.Concurrency,
		// Interactive work (search sync, rescoring after an edit) comes
		// before the nightly run's shards.
		Queues:          map[string]int{QueueCritical: 8, QueueRescore: 4, QueueDefault: 3, QueueRematch: 2, QueueMaintenance: 1},
		ShutdownTimeout: o.ShutdownTimeout,
		// The search sync is enqueued to run at the start of the next
		// second (coalescing bursts); asynq's default 5 s check of delayed
		// tasks would make edits wait up to 6 s to be searchable.
		DelayedTaskCheckInterval: time.Second,
		RetryDelayFunc:           retryDelay,
		Logger:                   slogAdapter{o.Log},
		LogLevel:                 asynq.WarnLevel,
		ErrorHandler: asynq.ErrorHandlerFunc(func(ctx context.Context, t *asynq.Task, err error) {
			o.Log.ErrorContext(ctx, "task failed", "type", t.Type(), "err", err)
		}),
	})
	if o.Scheduler {
		w.sched = asynq.NewScheduler(redis, &asynq.SchedulerOpts{Location: time.UTC, Logger: slogAdapter{o.Log}, LogLevel: asynq.WarnLevel})
		// Periodic tasks use Unique, not a fixed TaskID: a fixed ID would
		// conflict with the previous run's retained task and stop later runs.
		if _, err := w.sched.Register(o.NightlyCron, NewPruneTask()); err != nil {
			return nil, fmt.Errorf("tasks: schedule prune: %w", err)
		}
		if err := scheduleSearch(w.sched, o.NightlyCron); err != nil {
			return nil, err
		}
		if o.RematchCron != "" {
			tz := "UTC"
			if o.RematchTZ != nil {
				tz = o.RematchTZ.String()
			}
			if _, err := w.sched.Register("CRON_TZ="+tz+" "+o.RematchCron, NewRematchTickTask()); err != nil {
				return nil, fmt.Errorf("tasks: schedule rematch: %w", err)
			}
		}
	}
	return w, nil
}

// retryDelay is how long a failed task waits before its next try (n is
// the number of tries so far). A rematch or rescoring task is part of work
// someone waits for (a run in progress, an edit to reflect): it retries
// soon, doubling from one second up to half a minute. A webhook delivery
// backs off over hours. Other tasks keep asynq's backoff.
func retryDelay(n int, err error, t *asynq.Task) time.Duration {
	switch {
	case strings.HasPrefix(t.Type(), "match:"):
		return min(time.Second<<min(n, 5), 30*time.Second)
	case t.Type() == TypeWebhookDeliver:
		// 5 s, 20 s, 80 s, about 5 and 21 minutes, 1.4 and 5.7 hours: a
		// receiver down for a night still gets the digest.
		return min(5*time.Second<<(2*min(n, 8)), 6*time.Hour)
	}
	return asynq.DefaultRetryDelayFunc(n, err, t)
}

// Start starts processing (and scheduling) without blocking.
func (w *Worker) Start() error {
	if err := w.srv.Start(w.mux); err != nil {
		return fmt.Errorf("tasks: start worker: %w", err)
	}
	if w.sched != nil {
		if err := w.sched.Start(); err != nil {
			w.srv.Shutdown()
			return fmt.Errorf("tasks: start scheduler: %w", err)
		}
	}
	return nil
}

// Shutdown stops scheduling, then waits for running tasks up to the
// shutdown timeout; unfinished ones go back to the queue.
func (w *Worker) Shutdown() {
	if w.sched != nil {
		w.sched.Shutdown()
	}
	w.srv.Shutdown()
}

// Enqueue adds t, treating a duplicate of a task already queued as success.
func Enqueue(ctx context.Context, c *asynq.Client, t *asynq.Task, opts ...asynq.Option) error {
	_, err := c.EnqueueContext(ctx, t, opts...)
	if errors.Is(err, asynq.ErrDuplicateTask) || errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	return err
}

// slogAdapter lets asynq log through slog.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Debug(args ...any) { a.l.Debug(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Info(args ...any)  { a.l.Info(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Warn(args ...any)  { a.l.Warn(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Error(args ...any) { a.l.Error(fmt.Sprint(args...), "component", "asynq") }
func (a slogAdapter) Fatal(args ...any) {
	a.l.Error(fmt.Sprint(args...), "component", "asynq", "fatal", true)
}
