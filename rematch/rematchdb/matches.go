package rematchdb

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/platform/pg"
	"carefit/ranking"
	"carefit/rematch"
)

// Write is one set of stored matches to write: the positions ranked, with
// their rows, computed at At by a run's shard (Run and Shard set) or by an
// event (Run zero).
type Write struct {
	Run   int64
	Shard int
	At    time.Time
	Tops  []ranking.PositionTop
	Pairs int64 // candidate pairs visited, for the run's progress
	// Timings, when set, receives how long each step took.
	Timings *Timings
}

// Written is what a WriteMatches changed, and whether the run it belongs
// to is done (with this shard, or already, for a retried shard).
type Written struct {
	Changes rematch.Counts
	RunDone bool
}

// recordShard records a run's per-position changes and the shard's
// progress once, ends the run with its last shard, and reports whether
// the run is done.
func recordShard(ctx context.Context, tx pgx.Tx, w Write, changes map[string]rematch.Counts, total rematch.Counts) (bool, error) {
	var done bool
	tag, err := tx.Exec(ctx, `UPDATE rematch_shards SET done_at = $3, pairs_scored = $4
		WHERE run_id = $1 AND shard = $2 AND done_at IS NULL`, w.Run, w.Shard, pg.Time(time.Now()), w.Pairs)
	if err != nil {
		return false, err
	}
	if tag.RowsAffected() == 0 { // done already: a retry changes no count
		err := tx.QueryRow(ctx, `SELECT status = 'done' FROM rematch_runs WHERE id = $1`, w.Run).Scan(&done)
		return done, err
	}
	eligible := make(map[string]int, len(w.Tops))
	for _, t := range w.Tops {
		eligible[t.PositionID] = t.Eligible
	}
	var crow [][]any
	for id, c := range changes {
		crow = append(crow, []any{w.Run, id, eligible[id], c.New, c.Improved, c.Worse, c.Dropped})
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"rematch_changes"},
		[]string{"run_id", "position_id", "eligible", "new_matches", "improved", "worse", "dropped"}, pgx.CopyFromRows(crow)); err != nil {
		return false, err
	}
	err = tx.QueryRow(ctx, `UPDATE rematch_runs SET shards_done = shards_done + 1, pairs_scored = pairs_scored + $2,
			new_matches = new_matches + $3, improved = improved + $4, worse = worse + $5, dropped = dropped + $6,
			status = CASE WHEN shards_done + 1 >= shards_total AND status = 'running' THEN 'done' ELSE status END,
			finished_at = CASE WHEN shards_done + 1 >= shards_total AND status = 'running' THEN $7 ELSE finished_at END
		WHERE id = $1 RETURNING status = 'done'`, w.Run, w.Pairs, total.New, total.Improved, total.Worse, total.Dropped,
		pg.Time(time.Now())).Scan(&done)
	return done, err
}

// PositionsOf returns the positions where clinician id has stored
// matches: a change to the clinician may remove them.
func (s *Store) PositionsOf(ctx context.Context, id string) ([]string, error) {
	var out []string
	err := pg.Each(ctx, s.db, "rematch.PositionsOf", `SELECT position_id::text FROM matches WHERE profile_id = $1`,
		[]any{id}, func(row pgx.Row) (string, error) { var s string; return s, row.Scan(&s) },
		func(s string) error { out = append(out, s); return nil })
	return out, err
}

// Cutoff is how many matches a position has stored and the lowest score
// among them: a clinician enters its top K only by beating it, or while
// it holds fewer than K.
type Cutoff struct {
	Stored int
	Lowest float64
}

// Cutoffs returns the cutoff of each position in ids that has stored
// matches; positions with none are left out.
func (s *Store) Cutoffs(ctx context.Context, ids []string) (map[string]Cutoff, error) {
	out := make(map[string]Cutoff, len(ids))
	rows, err := s.db.Query(ctx, `SELECT position_id::text, count(*), min(score)::float8 FROM matches
		WHERE position_id = ANY($1::uuid[]) GROUP BY position_id`, ids)
	if err != nil {
		return nil, pg.Classify("rematch.Cutoffs", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var c Cutoff
		if err := rows.Scan(&id, &c.Stored, &c.Lowest); err != nil {
			return nil, pg.Classify("rematch.Cutoffs", err)
		}
		out[id] = c
	}
	return out, pg.Classify("rematch.Cutoffs", rows.Err())
}
