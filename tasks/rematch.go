package tasks

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/hibiken/asynq"
	"github.com/robfig/cron/v3"

	"carefit/ranking"
	"carefit/rematch"
	"carefit/rematch/rematchdb"
)

// Rematch task types.
const (
	// TypeRematchTick is the scheduler's nightly tick: it creates the
	// slot's run (once per slot) and enqueues it.
	TypeRematchTick = "match:rematch_tick"
	// TypeRematchRun plans a run into shards and enqueues them.
	TypeRematchRun = "match:rematch_run"
	// TypeRematchShard ranks one shard of a run's positions and writes
	// their stored matches.
	TypeRematchShard = "match:rematch_shard"
	// TypeRescorePosition rescores one position against every clinician.
	TypeRescorePosition = "match:rescore_position"
	// TypeRescoreProfile rescores one clinician against the positions it
	// may enter or leave.
	TypeRescoreProfile = "match:rescore_profile"
)

// QueueRescore holds the rescoring after edits: a queue of its own, so a
// burst of edits that outruns the workers backs up here and never delays
// the search sync (QueueCritical); it weighs more than the nightly run's
// shards (QueueRematch), so edits are reflected during a run.
const QueueRescore = "rescore"

// QueueRematch holds the nightly run's shards.
const QueueRematch = "rematch"

// RunPayload names a run, or the scheduler slot a nightly run is for.
type RunPayload struct {
	RunID int64     `json:"run_id,omitempty"`
	Slot  time.Time `json:"slot,omitzero"`
}

// ShardPayload names one shard of a run: every worker reads the same
// plan, stored with the run.
type ShardPayload struct {
	RunID int64 `json:"run_id"`
	Shard int   `json:"shard"`
}

// RescorePayload names the position or profile to rescore.
type RescorePayload struct {
	ID string `json:"id"`
}

// runRetention keeps a run's finished task (and so its ID) long enough
// that a second scheduler's duplicate of the same slot conflicts with it.
const runRetention = 36 * time.Hour

// NewRematchTickTask returns the scheduler's nightly tick.
func NewRematchTickTask() *asynq.Task {
	return asynq.NewTask(TypeRematchTick, nil, asynq.Queue(QueueRematch), asynq.MaxRetry(5),
		asynq.Timeout(time.Minute), asynq.Unique(10*time.Minute))
}

// NewRematchRunTask returns the task that plans run (or the nightly run of
// slot, when runID is 0). Its ID holds the run or the slot, so one is
// enqueued once.
func NewRematchRunTask(runID int64, slot time.Time) *asynq.Task {
	b, _ := json.Marshal(RunPayload{RunID: runID, Slot: slot})
	id := "rematch:run:" + strconv.FormatInt(runID, 10)
	if runID == 0 {
		id = "rematch:slot:" + slot.UTC().Format(time.RFC3339)
	}
	return asynq.NewTask(TypeRematchRun, b, asynq.Queue(QueueRematch), asynq.MaxRetry(10),
		asynq.Timeout(5*time.Minute), asynq.TaskID(id), asynq.Retention(runRetention))
}

// NewRematchShardTask returns the task ranking one shard of run.
func NewRematchShardTask(runID int64, shard int) *asynq.Task {
	b, _ := json.Marshal(ShardPayload{RunID: runID, Shard: shard})
	return asynq.NewTask(TypeRematchShard, b, asynq.Queue(QueueRematch), asynq.MaxRetry(5),
		asynq.Timeout(10*time.Minute), asynq.TaskID(fmt.Sprintf("rematch:%d:%d", runID, shard)))
}

// NewRescoreTask returns a rescoring task of typ for id, collapsed per
// second: every change to id within second sec is covered by the one task,
// which runs at the start of the next second.
func NewRescoreTask(typ, id string, sec int64) *asynq.Task {
	b, _ := json.Marshal(RescorePayload{ID: id})
	return asynq.NewTask(typ, b, asynq.Queue(QueueRescore), asynq.MaxRetry(10), asynq.Timeout(2*time.Minute),
		asynq.TaskID(fmt.Sprintf("%s:%s:%d", typ, id, sec)), asynq.ProcessAt(time.Unix(sec+1, 0)))
}

// Rematch is what the rematch tasks need: the worker's feature store, the
// stored matches, a queue client to enqueue shards, K and the clock.
type Rematch struct {
	Features *ranking.Store
	Store    *rematchdb.Store
	Queue    *asynq.Client
	K        int
	// Cron and Location are the nightly schedule, to name a tick's slot.
	Cron     string
	Location *time.Location
	Now      func() time.Time
	// Metrics counts the pairs scored; nil counts nothing.
	Metrics *Metrics
	// Log says where each shard's time went; nil logs nothing.
	Log *slog.Logger
	// Digests enqueues the webhook digests of each run that ends.
	Digests bool
}

func (h *Handlers) registerRematch(mux *asynq.ServeMux) {
	if h.Rematch == nil {
		return
	}
	r := h.Rematch
	mux.HandleFunc(TypeRematchTick, r.tick)
	mux.HandleFunc(TypeRematchRun, r.run)
	mux.HandleFunc(TypeRematchShard, r.shard)
	mux.HandleFunc(TypeRescorePosition, r.rescorePosition)
	mux.HandleFunc(TypeRescoreProfile, r.rescoreProfile)
}

func decode[T any](t *asynq.Task) (T, error) {
	var p T
	if err := json.Unmarshal(t.Payload(), &p); err != nil {
		return p, fmt.Errorf("%s: bad payload: %v: %w", t.Type(), err, asynq.SkipRetry)
	}
	return p, nil
}

// lastSlot returns the latest time at or before now that spec schedules.
func lastSlot(spec string, loc *time.Location, now time.Time) (time.Time, error) {
	sched, err := cron.ParseStandard(spec)
	if err != nil {
		return time.Time{}, err
	}
	t := sched.Next(now.In(loc).Add(-8 * 24 * time.Hour))
	if t.After(now) {
		return time.Time{}, fmt.Errorf("no slot of %q in the last week", spec)
	}
	for {
		n := sched.Next(t)
		if n.After(now) {
			return t.UTC(), nil
		}
		t = n
	}
}

// tick enqueues the run of the nightly slot it belongs to; a second tick
// for the same slot (two schedulers) conflicts on the task ID.
func (r *Rematch) tick(ctx context.Context, _ *asynq.Task) error {
	slot, err := lastSlot(r.Cron, r.Location, r.Now())
	if err != nil {
		return fmt.Errorf("rematch tick: %v: %w", err, asynq.SkipRetry)
	}
	return Enqueue(ctx, r.Queue, NewRematchRunTask(0, slot))
}

// run plans a run into shards (once) and enqueues every shard.
func (r *Rematch) run(ctx context.Context, t *asynq.Task) error {
	p, err := decode[RunPayload](t)
	if err != nil {
		return err
	}
	runID := p.RunID
	if runID == 0 {
		run, _, err := r.Store.CreateRun(ctx, rematch.Nightly, &p.Slot, r.Now(), r.K, "")
		if err != nil {
			return err
		}
		runID = run.ID
	}
	run, err := r.Store.Run(ctx, runID)
	if err != nil {
		return err
	}
	if run.Status == rematch.Queued || run.Status == rematch.Planning {
		if err := r.Store.MarkPlanning(ctx, runID); err != nil {
			return err
		}
		shards := r.Features.PlanRematch(rematch.ShardSize, run.K, run.AsOf)
		if _, err := r.Store.Plan(ctx, runID, shards, r.Now()); err != nil {
			return err
		}
	}
	n, err := r.Store.ShardCount(ctx, runID)
	if err != nil {
		return err
	}
	for i := range n {
		if err := Enqueue(ctx, r.Queue, NewRematchShardTask(runID, i)); err != nil {
			return fmt.Errorf("enqueue shard %d of run %d: %w", i, runID, err)
		}
	}
	return nil
}

// shard ranks one shard's positions at the run's time and writes them. A
// shard that fails for good fails its run, naming the shard and error.
func (r *Rematch) shard(ctx context.Context, t *asynq.Task) (err error) {
	p, err := decode[ShardPayload](t)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil && isLastTry(ctx) {
			msg := fmt.Sprintf("shard %d: %v", p.Shard, err)
			if ferr := r.Store.Fail(context.WithoutCancel(ctx), p.RunID, msg, r.Now()); ferr != nil {
				err = fmt.Errorf("%w (and marking the run failed: %v)", err, ferr)
			}
		}
	}()
	run, err := r.Store.Run(ctx, p.RunID)
	if err != nil {
		return err
	}
	if run.Status == rematch.Failed {
		return nil
	}
	// A shard already done is ranked and written again all the same: the
	// rows come out identical when nothing changed, and its counts and
	// progress are recorded only once.
	ids, _, err := r.Store.Shard(ctx, p.RunID, p.Shard)
	if err != nil {
		return err
	}
	t0 := time.Now()
	tops, pairs, err := r.Features.RankPositions(ctx, ids, run.K, run.AsOf)
	if err != nil {
		return err
	}
	r.Metrics.scored(pairs)
	t1 := time.Now()
	var tm rematchdb.Timings
	written, err := r.Store.WriteMatches(ctx, rematchdb.Write{Run: p.RunID, Shard: p.Shard, At: run.AsOf, Tops: tops, Pairs: pairs,
		Timings: &tm})
	if err != nil {
		return err
	}
	if r.Digests && written.RunDone {
		// The shard that ended the run, or its retry, enqueues the
		// digest; the task ID makes it one.
		if err := Enqueue(ctx, r.Queue, NewWebhookDigestTask(p.RunID)); err != nil {
			return err
		}
	}
	if r.Log != nil {
		r.Log.InfoContext(ctx, "rematch shard done", "run", p.RunID, "shard", p.Shard, "positions", len(ids), "pairs", pairs,
			"rank_ms", t1.Sub(t0).Milliseconds(), "write_ms", time.Since(t1).Milliseconds(), "changes", written.Changes,
			"lock_ms", tm.Lock.Milliseconds(), "copy_ms", tm.Copy.Milliseconds(), "read_ms", tm.Read.Milliseconds(),
			"apply_ms", tm.Apply.Milliseconds(), "record_ms", tm.Record.Milliseconds())
	}
	return nil
}

// isLastTry reports whether a failure now archives the task.
func isLastTry(ctx context.Context) bool {
	n, ok1 := asynq.GetRetryCount(ctx)
	m, ok2 := asynq.GetMaxRetry(ctx)
	return ok1 && ok2 && n >= m
}

// rescoreAt is the time an event rescoring scores at: the second its
// task's ID names, so a retry writes the same rows.
func rescoreAt(ctx context.Context, now time.Time) time.Time {
	if id, ok := asynq.GetTaskID(ctx); ok {
		for i := len(id) - 1; i >= 0; i-- {
			if id[i] == ':' {
				if sec, err := strconv.ParseInt(id[i+1:], 10, 64); err == nil {
					return time.Unix(sec, 0).UTC()
				}
				break
			}
		}
	}
	return now
}

func (r *Rematch) rescorePosition(ctx context.Context, t *asynq.Task) error {
	p, err := decode[RescorePayload](t)
	if err != nil {
		return err
	}
	return r.rescore(ctx, []string{p.ID})
}

func (r *Rematch) rescoreProfile(ctx context.Context, t *asynq.Task) error {
	p, err := decode[RescorePayload](t)
	if err != nil {
		return err
	}
	at := rescoreAt(ctx, r.Now())
	stored, err := r.Store.PositionsOf(ctx, p.ID)
	if err != nil {
		return err
	}
	entering, err := r.entering(ctx, p.ID, stored, at)
	if err != nil {
		return err
	}
	return r.rescore(ctx, append(stored, entering...))
}

// entering returns the live positions, other than those in stored, whose
// top K clinician id now enters: it is eligible and beats the lowest
// stored score, or the position holds fewer than K. Only those (and the
// positions where it is stored) need ranking again; a clinician eligible
// for thousands of positions enters few of their top Ks.
func (r *Rematch) entering(ctx context.Context, id string, stored []string, at time.Time) ([]string, error) {
	var cands []string
	for _, pid := range r.Features.PositionsFor(id, at) {
		if !slices.Contains(stored, pid) {
			cands = append(cands, pid)
		}
	}
	scores, visible := r.Features.Scores(id, cands)
	if !visible || len(cands) == 0 {
		return nil, nil
	}
	cuts, err := r.Store.Cutoffs(ctx, cands)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, pid := range cands {
		if c, ok := cuts[pid]; !ok || c.Stored < r.K || scores[pid] > c.Lowest {
			out = append(out, pid)
		}
	}
	return out, nil
}

// rescore recomputes the stored matches of the positions ids.
func (r *Rematch) rescore(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	at := rescoreAt(ctx, r.Now())
	tops, pairs, err := r.Features.RankPositions(ctx, ids, r.K, at)
	if err != nil {
		return err
	}
	r.Metrics.scored(pairs)
	_, err = r.Store.WriteMatches(ctx, rematchdb.Write{At: at, Tops: tops, Pairs: pairs})
	return err
}

// EnqueueRescores asks for the rescoring of changed profiles and
// positions, collapsed per record and second. It is the feature store's
// OnChange hook in a worker; failures are logged by the caller and caught
// up by the next nightly run.
func EnqueueRescores(ctx context.Context, c *asynq.Client, now time.Time, profiles, positions []string) error {
	sec := now.Unix()
	for _, id := range profiles {
		if err := Enqueue(ctx, c, NewRescoreTask(TypeRescoreProfile, id, sec)); err != nil {
			return err
		}
	}
	for _, id := range positions {
		if err := Enqueue(ctx, c, NewRescoreTask(TypeRescorePosition, id, sec)); err != nil {
			return err
		}
	}
	return nil
}
