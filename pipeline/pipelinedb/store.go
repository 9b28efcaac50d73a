// Package pipelinedb is the Postgres store of package pipeline: each
// pair's entry (table pipeline) and its history (pipeline_history), read
// with the pair's place in the stored matches. A change and its history
// row are written in one transaction, and so is the position's move to
// filled when the change places its last opening.
package pipelinedb

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/check"
	"carefit/internal/platform/pg"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
	"carefit/pipeline"
)

// Store reads and writes the pipeline. Every error it returns is an
// *errs.Error: a database that cannot be reached is Unavailable, any other
// unexpected failure Internal (see pg.Classify).
type Store struct {
	db pg.DB
	pg.Clock
}

// NewStore returns a Store on db whose clock is time.Now. Build it on
// pg.Ambient so that it joins a request's transaction.
func NewStore(db pg.DB) *Store { return &Store{db: db, Clock: pg.Clock{Now: time.Now}} }

// entryCols read an entry and its stored match; the query aliases the
// pipeline as pl and LEFT JOINs matches as m.
const entryCols = `pl.position_id::text, pl.profile_id::text, pl.state, pl.note, coalesce(pl.changed_by_key::text, ''),
	pl.changed_at, pl.version, m.profile_id IS NOT NULL, m.score`

const matchJoin = `LEFT JOIN matches m ON m.position_id = pl.position_id AND m.profile_id = pl.profile_id`

func scanEntry(row pgx.Row) (pipeline.Entry, error) {
	var e pipeline.Entry
	var score *float32
	err := row.Scan(&e.PositionID, &e.ProfileID, &e.State, &e.Note, &e.ChangedByKey, &e.ChangedAt, &e.Version, &e.InTopK, &score)
	e.ChangedAt = e.ChangedAt.UTC()
	if score != nil {
		// matches.score is a real: keep the two decimals the API shows,
		// not float32's binary tail.
		v := math.Round(float64(*score)*100) / 100
		e.Score = &v
	}
	return e, err
}

// scopeArg is the org_id filter argument: NULL means unrestricted.
func scopeArg(sc jobs.Scope) any {
	if sc.OrgID == "" {
		return nil
	}
	return sc.OrgID
}

// inScope reports whether the IDs and the scope's organization are
// well-formed; malformed ones match no row, and Postgres would refuse them.
func inScope(sc jobs.Scope, ids ...string) bool {
	for _, id := range ids {
		if !check.UUID(id) {
			return false
		}
	}
	return sc.OrgID == "" || check.UUID(sc.OrgID)
}

// position is what a change needs of its position, read under a lock.
type position struct {
	status    jobs.Status
	headcount int
	version   int
}

// lockPosition locks the position of c in sc, so that changes to one
// position's pipeline run one at a time (the count of placements is then
// exact), and checks that the clinician exists. It returns ErrNotFound
// for either.
func lockPosition(ctx context.Context, tx pgx.Tx, c pipeline.Change, sc jobs.Scope) (position, error) {
	var p position
	var clinician bool
	err := tx.QueryRow(ctx, `SELECT status, headcount, version, EXISTS (SELECT 1 FROM profiles WHERE id = $3)
		FROM positions WHERE id = $1 AND ($2::uuid IS NULL OR org_id = $2::uuid) FOR NO KEY UPDATE`,
		c.PositionID, scopeArg(sc), c.ProfileID).Scan(&p.status, &p.headcount, &p.version, &clinician)
	if errors.Is(err, pgx.ErrNoRows) || err == nil && !clinician {
		return p, pipeline.ErrNotFound
	}
	return p, err
}

// current reads the pair's entry; ok is false when it has none.
func current(ctx context.Context, db pg.DBTX, positionID, profileID string) (e pipeline.Entry, ok bool, err error) {
	e, err = scanEntry(db.QueryRow(ctx, `SELECT `+entryCols+` FROM pipeline pl `+matchJoin+`
		WHERE pl.position_id = $1 AND pl.profile_id = $2`, positionID, profileID))
	if errors.Is(err, pgx.ErrNoRows) {
		return e, false, nil
	}
	return e, err == nil, err
}

// Set records c on its pair, in one transaction: the entry (created or
// replaced, its version one more), a history row, and, when c places a
// clinician and the open position then has as many placements as its
// headcount, the position's move to filled through the jobs store's own
// lifecycle (a new position version with c's key, an outbox row; the
// position's stored matches leave with it). A change that repeats the
// entry's state and note stores nothing. The position must be in sc. It
// returns an Invalid *errs.Error for a bad state or note, ErrNotFound for a
// position outside sc or an unknown clinician, ErrPreconditionFailed when
// c.IfVersion is set and is not the entry's version, or a jobs store error
// when filling fails.
func (s *Store) Set(ctx context.Context, c pipeline.Change, sc jobs.Scope) (pipeline.Outcome, error) {
	return s.set(ctx, c, sc, false)
}

// Advance is Set for an event that moves the pair along the hiring flow
// (an accepted introduction: contacted): a pair already at c.State or past
// it (pipeline.State.AtOrPast) is left as it is, and the entry keeps its
// note, which is the recruiter's. Errors as for Set. Run it on a caller's
// transaction (NewStore(tx)) to commit it with the event.
func (s *Store) Advance(ctx context.Context, c pipeline.Change, sc jobs.Scope) (pipeline.Outcome, error) {
	return s.set(ctx, c, sc, true)
}

func (s *Store) set(ctx context.Context, c pipeline.Change, sc jobs.Scope, advance bool) (pipeline.Outcome, error) {
	const op = "pipeline.Set"
	var out pipeline.Outcome
	if err := c.Validate(); err != nil {
		return out, err
	}
	if !inScope(sc, c.PositionID, c.ProfileID) {
		return out, pipeline.ErrNotFound
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		out = pipeline.Outcome{}
		pos, err := lockPosition(ctx, tx, c, sc)
		if err != nil {
			return err
		}
		cur, found, err := current(ctx, tx, c.PositionID, c.ProfileID)
		if advance && found {
			c.Note = cur.Note
		}
		switch {
		case err != nil:
			return err
		case c.IfVersion != 0 && (!found || cur.Version != c.IfVersion):
			return pipeline.ErrPreconditionFailed
		case advance && found && cur.State.AtOrPast(c.State),
			found && cur.State == c.State && cur.Note == c.Note:
			out.Entry = cur
			return nil
		}
		if err := s.write(ctx, tx, c); err != nil {
			return err
		}
		out.Created, out.Changed = !found, true
		if c.State == pipeline.Placed && pos.status == jobs.StatusOpen {
			if out.Filled, err = s.fillIfPlaced(ctx, tx, c.PositionID, pos, sc); err != nil {
				return err
			}
		}
		out.Entry, _, err = current(ctx, tx, c.PositionID, c.ProfileID)
		return err
	})
	if pe, ok := pg.FKViolation(err); ok && pe.TableName == "pipeline" {
		return pipeline.Outcome{}, pipeline.ErrNotFound // the clinician was deleted meanwhile
	}
	return out, pg.Classify(op, err)
}

// write upserts the pair's entry with c and appends its history row.
func (s *Store) write(ctx context.Context, tx pgx.Tx, c pipeline.Change) error {
	var key any
	if check.UUID(c.KeyID) {
		key = c.KeyID
	}
	now := s.Stamp()
	if _, err := tx.Exec(ctx, `INSERT INTO pipeline AS pl (position_id, profile_id, state, note, changed_by_key, changed_at, version)
		VALUES ($1, $2, $3, $4, $5, $6, 1)
		ON CONFLICT (position_id, profile_id) DO UPDATE SET state = EXCLUDED.state, note = EXCLUDED.note,
			changed_by_key = EXCLUDED.changed_by_key, changed_at = EXCLUDED.changed_at, version = pl.version + 1`,
		c.PositionID, c.ProfileID, c.State, c.Note, key, now); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `INSERT INTO pipeline_history (position_id, profile_id, state, note, changed_by_key, changed_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, c.PositionID, c.ProfileID, c.State, c.Note, key, now)
	return err
}

// fillIfPlaced moves the open position to filled when its placements
// reach its headcount, with the jobs store on tx so that the move is the
// lifecycle's own (Transition, version, version history, outbox) and
// commits with the placement. It reports whether it filled the position.
func (s *Store) fillIfPlaced(ctx context.Context, tx pgx.Tx, positionID string, pos position, sc jobs.Scope) (bool, error) {
	var placed int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM pipeline WHERE position_id = $1 AND state = $2`,
		positionID, pipeline.Placed).Scan(&placed); err != nil {
		return false, err
	}
	if placed < pos.headcount {
		return false, nil
	}
	js := jobsdb.NewStore(tx)
	js.Now = s.Now
	if _, err := js.SetStatus(ctx, positionID, pos.version, jobs.StatusFilled, sc); err != nil {
		return false, err
	}
	return true, nil
}
