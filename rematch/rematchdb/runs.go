// Package rematchdb stores rematch runs, their shards, the stored matches
// and the alerts' marks in Postgres (migration 007).
package rematchdb

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/platform/pg"
	"carefit/match"
	"carefit/rematch"
)

// Store keeps rematch runs and stored matches.
type Store struct{ db pg.DB }

// New returns a store on db.
func New(db pg.DB) *Store { return &Store{db: db} }

const runCols = `id, trigger, slot, status, as_of, k, shards_total, shards_done, positions, pairs_scored,
	new_matches, improved, worse, dropped, error, created_at, started_at, finished_at`

func scanRun(row pgx.Row) (rematch.Run, error) {
	var r rematch.Run
	err := row.Scan(&r.ID, &r.Trigger, &r.Slot, &r.Status, &r.AsOf, &r.K, &r.ShardsTotal, &r.ShardsDone, &r.Positions,
		&r.PairsScored, &r.Changes.New, &r.Changes.Improved, &r.Changes.Worse, &r.Changes.Dropped, &r.Error,
		&r.CreatedAt, &r.StartedAt, &r.FinishedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, rematch.ErrNotFound
	}
	return r, err
}

// CreateRun records a queued run scoring at asOf with k matches per
// position. A nightly run has its scheduler slot: a second run for the
// same slot is not created, and the first is returned with created false.
// requestedBy is the API key of a manual run ("" for none). Database
// failures are classified by pg.Classify.
func (s *Store) CreateRun(ctx context.Context, trigger rematch.Trigger, slot *time.Time, asOf time.Time, k int, requestedBy string) (rematch.Run, bool, error) {
	const op = "rematch.CreateRun"
	var by any
	if requestedBy != "" {
		by = requestedBy
	}
	r, err := scanRun(s.db.QueryRow(ctx, `INSERT INTO rematch_runs (trigger, slot, as_of, k, requested_by)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (slot) DO NOTHING RETURNING `+runCols, trigger, slot, pg.Time(asOf), k, by))
	if errors.Is(err, rematch.ErrNotFound) && slot != nil {
		r, err = scanRun(s.db.QueryRow(ctx, `SELECT `+runCols+` FROM rematch_runs WHERE slot = $1`, slot))
		return r, false, pg.Classify(op, err)
	}
	return r, err == nil, pg.Classify(op, err)
}

// Run returns the run with id, or rematch.ErrNotFound.
func (s *Store) Run(ctx context.Context, id int64) (rematch.Run, error) {
	r, err := scanRun(s.db.QueryRow(ctx, `SELECT `+runCols+` FROM rematch_runs WHERE id = $1`, id))
	return r, pg.Classify("rematch.Run", err)
}

// Runs returns up to limit runs, newest first, older than the run with ID
// before (all when before is 0).
func (s *Store) Runs(ctx context.Context, limit int, before int64) ([]rematch.Run, error) {
	var out []rematch.Run
	err := pg.Each(ctx, s.db, "rematch.Runs", `SELECT `+runCols+` FROM rematch_runs
		WHERE $2 = 0 OR id < $2 ORDER BY id DESC LIMIT $1`, []any{limit, before},
		func(row pgx.Row) (rematch.Run, error) { return scanRun(row) },
		func(r rematch.Run) error { out = append(out, r); return nil })
	return out, err
}

// Plan records the run's shards, once: a run already planned keeps its
// shards (a retried planning task changes nothing) and plan reports false.
// The run moves to running.
func (s *Store) Plan(ctx context.Context, runID int64, shards []match.Shard, now time.Time) (bool, error) {
	const op = "rematch.Plan"
	planned := false
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var status rematch.Status
		if err := tx.QueryRow(ctx, `SELECT status FROM rematch_runs WHERE id = $1 FOR UPDATE`, runID).Scan(&status); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return rematch.ErrNotFound
			}
			return err
		}
		if status != rematch.Queued && status != rematch.Planning {
			return nil
		}
		positions := 0
		rows := make([][]any, len(shards))
		for i, sh := range shards {
			rows[i] = []any{runID, sh.Index, sh.PositionIDs, sh.EstimatedPairs}
			positions += len(sh.PositionIDs)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"rematch_shards"}, []string{"run_id", "shard", "position_ids", "estimated"},
			pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		planned = true
		status = rematch.Running
		if len(shards) == 0 {
			status = rematch.Done
		}
		var finished *time.Time
		if status == rematch.Done {
			t := pg.Time(now)
			finished = &t
		}
		_, err := tx.Exec(ctx, `UPDATE rematch_runs SET status = $2, shards_total = $3, positions = $4, started_at = $5,
			finished_at = $6 WHERE id = $1`, runID, status, len(shards), positions, pg.Time(now), finished)
		return err
	})
	return planned, pg.Classify(op, err)
}

// Shard returns the position IDs of a planned shard and whether it is
// done. It returns rematch.ErrNotFound for a shard that was not planned.
func (s *Store) Shard(ctx context.Context, runID int64, shard int) (ids []string, done bool, err error) {
	var doneAt *time.Time
	err = s.db.QueryRow(ctx, `SELECT position_ids, done_at FROM rematch_shards WHERE run_id = $1 AND shard = $2`,
		runID, shard).Scan(&ids, &doneAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, rematch.ErrNotFound
	}
	return ids, doneAt != nil, pg.Classify("rematch.Shard", err)
}

// ShardCount returns how many shards the run has.
func (s *Store) ShardCount(ctx context.Context, runID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM rematch_shards WHERE run_id = $1`, runID).Scan(&n)
	return n, pg.Classify("rematch.ShardCount", err)
}

// Fail marks a run failed with msg (which names the shard and the error)
// unless it already ended.
func (s *Store) Fail(ctx context.Context, runID int64, msg string, now time.Time) error {
	_, err := s.db.Exec(ctx, `UPDATE rematch_runs SET status = 'failed', error = left($2, 2000), finished_at = $3
		WHERE id = $1 AND status NOT IN ('done', 'failed')`, runID, msg, pg.Time(now))
	return pg.Classify("rematch.Fail", err)
}

// MarkPlanning moves a queued run to planning (so its progress shows).
func (s *Store) MarkPlanning(ctx context.Context, runID int64) error {
	_, err := s.db.Exec(ctx, `UPDATE rematch_runs SET status = 'planning' WHERE id = $1 AND status = 'queued'`, runID)
	return pg.Classify("rematch.MarkPlanning", err)
}
