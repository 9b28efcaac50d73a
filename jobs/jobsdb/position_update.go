package jobsdb

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/errs"
	"carefit/internal/platform/outbox"
	"carefit/internal/platform/pg"
	"carefit/jobs"
)

// UpdatePosition changes the position with id if its version is still
// version: apply edits a copy (PositionPatch.Apply fits), then the result
// gets its defaults, is validated at the store's now and is stored with
// the next version, a version-history row and a search outbox row. ID,
// organisation, status, version and timestamps are kept whatever apply
// does (status changes go through SetStatus). It returns ErrNotFound when
// the position is not in sc, ErrPreconditionFailed when version is stale,
// or an Invalid *errs.Error (also for an error returned by apply).
func (s *Store) UpdatePosition(ctx context.Context, id string, version int, sc jobs.Scope, apply func(*jobs.Position) error) (jobs.Position, error) {
	const op = "jobs.UpdatePosition"
	var out jobs.Position
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		cur, err := getPosition(ctx, tx, id, sc, true)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return jobs.ErrPreconditionFailed
		}
		next := cur
		if err := apply(&next); err != nil {
			return err
		}
		now := s.Stamp()
		next.ID, next.OrgID, next.Status, next.CreatedAt = cur.ID, cur.OrgID, cur.Status, cur.CreatedAt
		next.Version, next.UpdatedAt = cur.Version+1, now
		normPosition(&next)
		loc, err := checkPositionOrg(ctx, tx, &next, now)
		if err != nil {
			return err
		}
		if err := writePosition(ctx, tx, next, version, loc); err != nil {
			return fkPosition(op, err)
		}
		out = next
		return recordPosition(ctx, tx, next, sc)
	})
	if err != nil {
		return jobs.Position{}, pg.Classify(op, err)
	}
	return out, nil
}

// writePosition overwrites the stored position p.ID, at location loc, if
// its version is still version.
func writePosition(ctx context.Context, tx pgx.Tx, p jobs.Position, version int, loc jobs.Location) error {
	tag, err := tx.Exec(ctx, `UPDATE positions SET location_id = $3, title = $4, description = $5, credentials = $6,
		taxonomies = $7, licence_states = $8, employment_type = $9, start_date = $10, duration_weeks = $11,
		schedule = $12, pay_min = $13, pay_max = $14, pay_period = $15, pay_currency = $16, headcount = $17,
		expires_at = $18, environment = $19, wants = $20, state = $21, lat = $22, lng = $23,
		version = $24, updated_at = $25
		WHERE id = $1 AND version = $2`,
		p.ID, version, p.LocationID, p.Title, p.Description, p.Credentials,
		p.Taxonomies, p.LicenceStates, p.EmploymentType, p.StartDate, p.DurationWeeks,
		p.Schedule, p.Pay.Min, p.Pay.Max, p.Pay.Period, p.Pay.Currency, p.Headcount,
		p.ExpiresAt, p.Environment, p.Wants, loc.State, loc.Lat, loc.Lng,
		p.Version, p.UpdatedAt)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return jobs.ErrPreconditionFailed
	}
	return nil
}

// PatchPosition applies a merge patch to the position with id; see
// UpdatePosition for the errors.
func (s *Store) PatchPosition(ctx context.Context, id string, version int, sc jobs.Scope, pp jobs.PositionPatch) (jobs.Position, error) {
	return s.UpdatePosition(ctx, id, version, sc, pp.Apply)
}

// SetStatus moves the position with id to status to, following the
// lifecycle rules of Position.Transition at the store's now, if its
// version is still version; the change is versioned like any other. It
// returns ErrNotFound, ErrPreconditionFailed, an error matching
// ErrInvalidTransition, or an Invalid *errs.Error when the position cannot
// be opened as it stands (for example without a future expiry).
func (s *Store) SetStatus(ctx context.Context, id string, version int, to jobs.Status, sc jobs.Scope) (jobs.Position, error) {
	var out jobs.Position
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		p, err := getPosition(ctx, tx, id, sc, true)
		if err != nil {
			return err
		}
		if p.Version != version {
			return jobs.ErrPreconditionFailed
		}
		now := s.Stamp()
		if err := p.Transition(to, now); err != nil {
			return err
		}
		p.Version, p.UpdatedAt = p.Version+1, now
		tag, err := tx.Exec(ctx, `UPDATE positions SET status = $3, version = $4, updated_at = $5 WHERE id = $1 AND version = $2`,
			id, version, p.Status, p.Version, p.UpdatedAt)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return jobs.ErrPreconditionFailed
		}
		out = p
		return recordPosition(ctx, tx, p, sc)
	})
	if err != nil {
		return jobs.Position{}, pg.Classify("jobs.SetStatus", err)
	}
	return out, nil
}

// DeletePosition deletes a draft position and its history and queues its
// removal from search. Positions that were ever opened are not deleted,
// because clinicians and recruiters may have acted on them: close them
// with SetStatus instead. It returns ErrNotFound when the position is not
// in sc, or an error matching ErrConflict when it is not a draft.
func (s *Store) DeletePosition(ctx context.Context, id string, sc jobs.Scope) error {
	const op = "jobs.DeletePosition"
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		p, err := getPosition(ctx, tx, id, sc, true)
		if err != nil {
			return err
		}
		if p.Status != jobs.StatusDraft {
			return errs.E(op, errs.Conflict, fmt.Sprintf("only a draft can be deleted; close the %s position instead", p.Status))
		}
		if _, err := tx.Exec(ctx, `DELETE FROM positions WHERE id = $1`, id); err != nil {
			return err
		}
		return outbox.Write(ctx, tx, outbox.Position, id, outbox.Delete, s.Stamp())
	})
	return pg.Classify(op, err)
}
