package tasks

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/hibiken/asynq"

	"carefit/internal/platform/outbox"
	"carefit/search"
	"carefit/search/searchsync"
)

// Search task types.
const (
	// TypeSearchSync runs the outbox relay into Meilisearch (searchsync.Sync).
	TypeSearchSync = "search:sync"
	// TypeSearchReindex rebuilds one index from Postgres (searchsync.Reindex).
	TypeSearchReindex = "search:reindex"
	// TypeOutboxPrune deletes outbox rows done for longer than
	// outbox.Retention.
	TypeOutboxPrune = "search:prune_outbox"
)

// SyncSweep is the schedule of the periodic relay run that catches any
// change whose wake-up was lost.
const SyncSweep = "@every 30s"

// NewSearchSyncTask returns a relay run. Its payload is empty: the relay
// reads what to do from the outbox.
func NewSearchSyncTask() *asynq.Task {
	return asynq.NewTask(TypeSearchSync, nil, asynq.Queue(QueueCritical), asynq.MaxRetry(10), asynq.Timeout(2*time.Minute))
}

// ReindexPayload names the index a reindex task rebuilds.
type ReindexPayload struct {
	Kind search.Kind `json:"kind"`
}

// NewSearchReindexTask returns a task rebuilding the index of kind k. It
// returns an error for an unknown kind.
func NewSearchReindexTask(k search.Kind) (*asynq.Task, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("tasks: reindex: unknown kind %q", k)
	}
	b, err := json.Marshal(ReindexPayload{Kind: k})
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(TypeSearchReindex, b, asynq.Queue(QueueMaintenance), asynq.MaxRetry(3),
		asynq.Timeout(30*time.Minute), asynq.Unique(time.Hour)), nil
}

// NewOutboxPruneTask returns the nightly outbox pruning task.
func NewOutboxPruneTask() *asynq.Task {
	return asynq.NewTask(TypeOutboxPrune, nil, asynq.Queue(QueueMaintenance), asynq.MaxRetry(3),
		asynq.Timeout(10*time.Minute), asynq.Unique(time.Hour))
}

// EnqueueSync asks for a relay run after a write; call it after the
// write's transaction committed. Bursts coalesce into at most one task
// per second: the task of second S has the ID "search:sync:S" and runs
// at the start of second S+1, so every write whose enqueue falls in
// second S, including those that find the task already queued, is
// committed before the run reads the outbox. A duplicate is success.
// Latency is at most a second plus the worker's delayed-task check
// interval (asynq's DelayedTaskCheckInterval, 5 s by default).
func EnqueueSync(ctx context.Context, client *asynq.Client) error {
	now := time.Now()
	sec := now.Unix()
	err := Enqueue(ctx, client, NewSearchSyncTask(),
		asynq.TaskID(fmt.Sprintf("search:sync:%d", sec)), asynq.ProcessAt(time.Unix(sec+1, 0)))
	if err != nil {
		return fmt.Errorf("tasks: enqueue search sync: %w", err)
	}
	return nil
}

// registerSearch adds the search handlers to mux.
func (h *Handlers) registerSearch(mux *asynq.ServeMux) {
	mux.HandleFunc(TypeSearchSync, h.searchSync)
	mux.HandleFunc(TypeSearchReindex, h.searchReindex)
	mux.HandleFunc(TypeOutboxPrune, h.pruneOutbox)
}

// scheduleSearch registers the periodic search tasks: the relay sweep,
// and a nightly rebuild of both indexes at nightly.
func scheduleSearch(s *asynq.Scheduler, nightly string) error {
	// Unique keeps sweeps from piling up while no worker runs them.
	if _, err := s.Register(SyncSweep, NewSearchSyncTask(), asynq.Unique(25*time.Second)); err != nil {
		return fmt.Errorf("tasks: schedule search sweep: %w", err)
	}
	for _, k := range search.Kinds() {
		t, err := NewSearchReindexTask(k)
		if err != nil {
			return err
		}
		if _, err := s.Register(nightly, t); err != nil {
			return fmt.Errorf("tasks: schedule reindex of %s: %w", k, err)
		}
	}
	if _, err := s.Register(nightly, NewOutboxPruneTask()); err != nil {
		return fmt.Errorf("tasks: schedule outbox prune: %w", err)
	}
	return nil
}

func (h *Handlers) searchClient() (*search.Client, error) {
	if h.Search == nil {
		return nil, fmt.Errorf("tasks: no search client configured: %w", asynq.SkipRetry)
	}
	return h.Search, nil
}

// searchSync runs the relay. An error (Postgres or Meilisearch down, a
// failed Meilisearch task) makes asynq retry with backoff; the outbox
// rows stay undone until a run succeeds.
func (h *Handlers) searchSync(ctx context.Context, _ *asynq.Task) error {
	c, err := h.searchClient()
	if err != nil {
		return err
	}
	st, err := searchsync.Sync(ctx, h.Pool, c, searchsync.SyncOptions{})
	if err != nil {
		return fmt.Errorf("search sync: %w", err)
	}
	if st.Rows > 0 || st.Busy || !st.Drained {
		h.Log.InfoContext(ctx, "search sync", "rows", st.Rows, "upserted", st.Upserted, "deleted", st.Deleted,
			"skipped", st.Skipped, "drained", st.Drained, "busy", st.Busy)
	}
	return nil
}

func (h *Handlers) searchReindex(ctx context.Context, t *asynq.Task) error {
	var p ReindexPayload
	if err := json.Unmarshal(t.Payload(), &p); err != nil || !p.Kind.Valid() {
		return fmt.Errorf("search reindex: bad payload %q: %w", t.Payload(), asynq.SkipRetry)
	}
	c, err := h.searchClient()
	if err != nil {
		return err
	}
	started := time.Now()
	if err := searchsync.Reindex(ctx, h.Pool, c, p.Kind, nil); err != nil {
		return fmt.Errorf("search reindex: %w", err)
	}
	h.Log.InfoContext(ctx, "search reindexed", "kind", p.Kind, "took", time.Since(started).Round(time.Millisecond))
	return nil
}

func (h *Handlers) pruneOutbox(ctx context.Context, _ *asynq.Task) error {
	n, err := outbox.Prune(ctx, h.Pool, h.Now().Add(-outbox.Retention))
	if err != nil {
		return err
	}
	h.Log.InfoContext(ctx, "pruned outbox", "deleted", n)
	// Meilisearch keeps every finished task; its task database grows
	// without bound unless finished tasks are deleted.
	sc, err := h.searchClient()
	if err != nil {
		return err
	}
	if err := sc.PruneTasks(ctx, h.Now().Add(-outbox.Retention)); err != nil {
		return err
	}
	return nil
}
