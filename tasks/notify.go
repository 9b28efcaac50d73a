package tasks

import (
	"context"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
)

// notifyTimeout bounds one enqueue of the sync wake-up. The 30 s sweep
// catches up whatever a failed wake-up missed.
const notifyTimeout = 500 * time.Millisecond

// SyncNotifier wakes the search relay after writes without making them
// wait: Notify only marks that a wake-up is due, and one goroutine enqueues
// it, so a burst of writes costs one enqueue and a Redis outage costs the
// writes nothing.
type SyncNotifier struct {
	due     chan struct{}
	enqueue func(ctx context.Context) error
	log     *slog.Logger
}

// NewSyncNotifier returns a notifier that enqueues the search sync with
// client. Run must be running for wake-ups to be sent.
func NewSyncNotifier(client *asynq.Client, log *slog.Logger) *SyncNotifier {
	return newSyncNotifier(func(ctx context.Context) error { return EnqueueSync(ctx, client) }, log)
}

func newSyncNotifier(enqueue func(ctx context.Context) error, log *slog.Logger) *SyncNotifier {
	return &SyncNotifier{due: make(chan struct{}, 1), enqueue: enqueue, log: log}
}

// Notify asks for a wake-up. It never blocks; wake-ups asked for while one
// is pending are one.
func (n *SyncNotifier) Notify(context.Context) {
	select {
	case n.due <- struct{}{}:
	default:
	}
}

// Run sends the wake-ups until ctx ends, each enqueue bounded by a short
// deadline; failures are logged.
func (n *SyncNotifier) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-n.due:
			ectx, cancel := context.WithTimeout(ctx, notifyTimeout)
			if err := n.enqueue(ectx); err != nil && ctx.Err() == nil {
				n.log.WarnContext(ctx, "waking the search sync", "err", err)
			}
			cancel()
		}
	}
}
