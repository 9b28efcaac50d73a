package rematchdb

import (
	"context"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/platform/pg"
	"carefit/match"
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

// Timings say where a write's time went, for the shard's log line.
type Timings struct {
	Lock, Copy, Count, Apply, Record time.Duration
}

var stagingCols = []string{"position_id", "profile_id", "rank", "score", "clinician_side", "employer_side", "contributions"}

// WriteMatches replaces the stored matches of every position in w.Tops with
// its rows, in one transaction: the rows are copied into a staging table,
// then one upsert and one delete make the table agree. A pair keeps when
// it first appeared; a pair whose rank or score changed records the run
// (or event) and time that computed it and, when its score moved, the
// score before; a pair that did not change is not written, so writing the
// same rows again changes nothing. Rows of positions no longer open or of
// clinicians no longer consenting are not written. For a run's shard it
// records, once, what changed per position and the shard's progress, and
// ends the run with its last shard. It returns what changed.
func (s *Store) WriteMatches(ctx context.Context, w Write) (Written, error) {
	var total rematch.Counts
	var runDone bool
	ids := make([]string, len(w.Tops))
	var rows [][]any
	for i, t := range w.Tops {
		ids[i] = t.PositionID
		for _, r := range t.Rows {
			rows = append(rows, []any{t.PositionID, r.ProfileID, r.Rank, float32(r.Score), float32(r.ClinicianSide),
				float32(r.EmployerSide), compact(r.Contributions)})
		}
	}
	var tm Timings
	mark := time.Now()
	lap := func(d *time.Duration) { now := time.Now(); *d += now.Sub(mark); mark = now }
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// One writer at a time per position, taken in one order, so two
		// writes that share positions (a shard and a rescoring) wait for
		// each other instead of deadlocking on each other's rows.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('matches:' || id, 0))
			FROM unnest($1::text[]) AS id ORDER BY id`, ids); err != nil {
			return err
		}
		lap(&tm.Lock)
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE match_staging (position_id uuid, profile_id uuid, rank int, score real,
			clinician_side real, employer_side real, contributions smallint[], PRIMARY KEY (position_id, profile_id))
			ON COMMIT DROP`); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"match_staging"}, stagingCols, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		lap(&tm.Copy)
		changes, err := countChanges(ctx, tx, ids)
		if err != nil {
			return err
		}
		lap(&tm.Count)
		if err := applyStaging(ctx, tx, ids, w); err != nil {
			return err
		}
		lap(&tm.Apply)
		for _, c := range changes {
			total.Add(c)
		}
		if w.Run == 0 {
			return nil
		}
		runDone, err = recordShard(ctx, tx, w, changes, total)
		lap(&tm.Record) // the commit follows
		return err
	})
	if w.Timings != nil {
		*w.Timings = tm
	}
	return Written{Changes: total, RunDone: runDone}, pg.Classify("rematch.WriteMatches", err)
}

// compact turns contributions in points into hundredths of a point.
func compact(c [match.NumFactors]float64) []int16 {
	out := make([]int16, len(c))
	for i, v := range c {
		out[i] = int16(math.Round(v * 100))
	}
	return out
}

// countChanges compares the staged rows with the stored ones, per
// position, before they are applied.
func countChanges(ctx context.Context, tx pgx.Tx, ids []string) (map[string]rematch.Counts, error) {
	out := make(map[string]rematch.Counts, len(ids))
	for _, id := range ids {
		out[id] = rematch.Counts{}
	}
	rows, err := tx.Query(ctx, `
		SELECT s.position_id::text,
			count(*) FILTER (WHERE m.profile_id IS NULL),
			count(*) FILTER (WHERE s.score - m.score >= $1),
			count(*) FILTER (WHERE m.score - s.score >= $1),
			0
		FROM match_staging s LEFT JOIN matches m USING (position_id, profile_id)
		GROUP BY s.position_id
		UNION ALL
		SELECT m.position_id::text, 0, 0, 0, count(*)
		FROM matches m
		WHERE m.position_id = ANY($2::uuid[])
			AND NOT EXISTS (SELECT 1 FROM match_staging s WHERE s.position_id = m.position_id AND s.profile_id = m.profile_id)
		GROUP BY m.position_id`, rematch.ImprovedBy, ids)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var c rematch.Counts
		if err := rows.Scan(&id, &c.New, &c.Improved, &c.Worse, &c.Dropped); err != nil {
			return nil, err
		}
		sum := out[id]
		sum.Add(c)
		out[id] = sum
	}
	return out, rows.Err()
}

// applyStaging upserts the staged rows of live positions and consenting
// clinicians and deletes the positions' other rows.
func applyStaging(ctx context.Context, tx pgx.Tx, ids []string, w Write) error {
	var run any
	if w.Run != 0 {
		run = w.Run
	}
	at := pg.Time(w.At)
	if _, err := tx.Exec(ctx, `
		INSERT INTO matches AS m (position_id, profile_id, rank, score, clinician_side, employer_side, contributions,
			run_id, computed_at, first_seen_at)
		SELECT s.position_id, s.profile_id, s.rank, s.score, s.clinician_side, s.employer_side, s.contributions, $1, $2, $2
		FROM match_staging s
		JOIN positions p ON p.id = s.position_id AND p.status = 'open'
		JOIN profiles c ON c.id = s.profile_id AND c.visible_to_recruiters
		ON CONFLICT (position_id, profile_id) DO UPDATE SET
			rank = EXCLUDED.rank, score = EXCLUDED.score, clinician_side = EXCLUDED.clinician_side,
			employer_side = EXCLUDED.employer_side, contributions = EXCLUDED.contributions,
			previous_score = CASE WHEN m.score <> EXCLUDED.score THEN m.score ELSE m.previous_score END,
			run_id = EXCLUDED.run_id, computed_at = EXCLUDED.computed_at
		-- A pair whose rank and score did not move is left as it is: most
		-- of a night's pairs, so an unchanged market writes almost nothing.
		WHERE (m.rank, m.score, m.clinician_side, m.employer_side, m.contributions)
			IS DISTINCT FROM (EXCLUDED.rank, EXCLUDED.score, EXCLUDED.clinician_side, EXCLUDED.employer_side, EXCLUDED.contributions)`,
		run, at); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `DELETE FROM matches m WHERE m.position_id = ANY($1::uuid[])
		AND NOT EXISTS (SELECT 1 FROM match_staging s WHERE s.position_id = m.position_id AND s.profile_id = m.profile_id)`, ids)
	return err
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
