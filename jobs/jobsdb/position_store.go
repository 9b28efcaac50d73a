package jobsdb

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/page"
	"carefit/internal/platform/outbox"
	"carefit/internal/platform/pg"
	"carefit/jobs"
)

const positionCols = `id, org_id, location_id, title, description, credentials, taxonomies, licence_states,
	employment_type, start_date, duration_weeks, schedule, pay_min, pay_max, pay_period, pay_currency,
	headcount, status, expires_at, environment, wants, version, created_at, updated_at`

func scanPosition(row pgx.Row) (jobs.Position, error) {
	var p jobs.Position
	err := row.Scan(&p.ID, &p.OrgID, &p.LocationID, &p.Title, &p.Description, &p.Credentials, &p.Taxonomies, &p.LicenceStates,
		&p.EmploymentType, &p.StartDate, &p.DurationWeeks, &p.Schedule, &p.Pay.Min, &p.Pay.Max, &p.Pay.Period, &p.Pay.Currency,
		&p.Headcount, &p.Status, &p.ExpiresAt, &p.Environment, &p.Wants, &p.Version, &p.CreatedAt, &p.UpdatedAt)
	p.CreatedAt, p.UpdatedAt, p.ExpiresAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC(), pg.TimePtr(p.ExpiresAt)
	return p, err
}

// positionArgs are the arguments for positionCols in order, followed by
// the location's state, lat and lng.
func positionArgs(p jobs.Position, loc jobs.Location) []any {
	return []any{p.ID, p.OrgID, p.LocationID, p.Title, p.Description, pg.NonNil(p.Credentials), pg.NonNil(p.Taxonomies), pg.NonNil(p.LicenceStates),
		p.EmploymentType, p.StartDate, p.DurationWeeks, p.Schedule, p.Pay.Min, p.Pay.Max, p.Pay.Period, p.Pay.Currency,
		p.Headcount, p.Status, p.ExpiresAt, p.Environment, p.Wants, p.Version, p.CreatedAt, p.UpdatedAt,
		loc.State, loc.Lat, loc.Lng}
}

// checkPositionOrg loads p's organisation and checks p against it
// (Position.Check).
func checkPositionOrg(ctx context.Context, tx pgx.Tx, p *jobs.Position, now time.Time) (jobs.Location, error) {
	org, err := getOrg(ctx, tx, p.OrgID, jobs.Scope{}, false)
	if err != nil && !errors.Is(err, jobs.ErrNotFound) {
		return jobs.Location{}, err
	}
	return p.Check(org, err == nil, now)
}

// recordPosition writes the version-history row and the search outbox row
// for a position just stored.
func recordPosition(ctx context.Context, tx pgx.Tx, p jobs.Position, sc jobs.Scope) error {
	snap, err := json.Marshal(p)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO position_versions (position_id, version, snapshot, changed_at, changed_by_key)
		VALUES ($1, $2, $3, $4, $5)`, p.ID, p.Version, snap, p.UpdatedAt, keyArg(sc)); err != nil {
		return err
	}
	return outbox.Write(ctx, tx, outbox.Position, p.ID, outbox.Upsert, p.UpdatedAt)
}

// fkPosition turns a foreign-key violation on a position write (a location
// removed concurrently) into a field error.
func fkPosition(op string, err error) error {
	if pe, ok := pg.FKViolation(err); ok {
		field := "location_id"
		if strings.Contains(pe.ConstraintName, "org") && !strings.Contains(pe.ConstraintName, "location") {
			field = "org_id"
		}
		return errs.Invalidf(op, field, "does not exist")
	}
	return err
}

// CreatePosition stores a new position and returns it as stored: the ID
// is assigned when empty, status defaults to draft, licence states and
// currency get their defaults (ApplyDefaults), and version is 1. Within
// sc, the position belongs to sc's organisation. It returns an Invalid
// *errs.Error for invalid input (including an unknown organisation or a
// location of another organisation), ErrNotFound when the position names
// an organisation outside sc, or an error matching ErrConflict when the
// ID is taken.
func (s *Store) CreatePosition(ctx context.Context, p jobs.Position, sc jobs.Scope) (jobs.Position, error) {
	const op = "jobs.CreatePosition"
	if sc.OrgID != "" && p.OrgID != "" && p.OrgID != sc.OrgID {
		return jobs.Position{}, jobs.ErrNotFound
	}
	now := s.Stamp()
	preparePosition(&p, sc.OrgID, now)
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		loc, err := checkPositionOrg(ctx, tx, &p, now)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO positions (`+positionCols+`, state, lat, lng)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27)`,
			positionArgs(p, loc)...); err != nil {
			return fkPosition(op, err)
		}
		return recordPosition(ctx, tx, p, sc)
	})
	if err != nil {
		return jobs.Position{}, pg.Classify(op, err)
	}
	return p, nil
}

func getPosition(ctx context.Context, db pg.DBTX, id string, sc jobs.Scope, lock bool) (jobs.Position, error) {
	if !checkScope(id, sc) {
		return jobs.Position{}, jobs.ErrNotFound
	}
	q := `SELECT ` + positionCols + ` FROM positions WHERE id = $1 AND ($2::uuid IS NULL OR org_id = $2::uuid)`
	if lock {
		q += " FOR UPDATE"
	}
	p, err := scanPosition(db.QueryRow(ctx, q, id, scopeArg(sc)))
	if errors.Is(err, pgx.ErrNoRows) {
		return jobs.Position{}, jobs.ErrNotFound
	}
	return p, err
}

// GetPosition returns the position with id. It returns ErrNotFound when
// there is none in sc.
func (s *Store) GetPosition(ctx context.Context, id string, sc jobs.Scope) (jobs.Position, error) {
	p, err := getPosition(ctx, s.db, id, sc, false)
	if err != nil {
		return jobs.Position{}, pg.Classify("jobs.GetPosition", err)
	}
	return p, nil
}

// checkPositionFilter validates f's values, records its problems in ve and
// returns the page length and cursor.
func checkPositionFilter(ve *errs.Validation, f jobs.PositionFilter) (int, *page.Cursor) {
	limit := page.Limit(ve, f.Limit)
	c := page.Decode(ve, f.Cursor)
	if f.OrgID != "" && !check.UUID(f.OrgID) {
		ve.Add("org_id", "must be a UUID")
	}
	if f.Status != "" && !f.Status.Valid() {
		ve.Add("status", "must be one of %v, got %q", jobs.Statuses(), f.Status)
	}
	if f.Credential != "" && !f.Credential.Valid() {
		ve.Add("credential", "unknown credential %q", f.Credential)
	}
	if f.EmploymentType != "" && !f.EmploymentType.Valid() {
		ve.Add("employment_type", "unknown employment type %q", f.EmploymentType)
	}
	return limit, c
}

// positionWhere returns f's conditions within sc.
func positionWhere(f jobs.PositionFilter, sc jobs.Scope) *pg.Where {
	var w pg.Where
	for _, c := range []struct {
		on   bool
		cond string
		arg  any
	}{
		{sc.OrgID != "", "org_id = ?", sc.OrgID},
		{f.OrgID != "", "org_id = ?", f.OrgID},
		{f.Status != "", "status = ?", f.Status},
		{f.Credential != "", "credentials @> ARRAY[?::text]", f.Credential},
		{f.Taxonomy != "", "taxonomies @> ARRAY[?::text]", f.Taxonomy},
		{f.State != "", "state = ?", f.State},
		{f.EmploymentType != "", "employment_type = ?", f.EmploymentType},
		{!f.ListedAt.IsZero(), "status = 'open' AND expires_at > ?", f.ListedAt},
	} {
		if c.on {
			w.Add(c.cond, c.arg)
		}
	}
	return &w
}

// ListPositions returns a page of positions in sc matching f, newest
// first; following NextCursor visits every matching position exactly
// once. It returns an Invalid *errs.Error naming each bad filter value,
// limit or cursor.
func (s *Store) ListPositions(ctx context.Context, f jobs.PositionFilter, sc jobs.Scope) (jobs.Page[jobs.Position], error) {
	const op = "jobs.ListPositions"
	ve := errs.Validation{Op: op}
	limit, c := checkPositionFilter(&ve, f)
	if err := ve.Err(); err != nil {
		return jobs.Page[jobs.Position]{}, err
	}
	if sc.OrgID != "" && !check.UUID(sc.OrgID) {
		return jobs.Page[jobs.Position]{Items: []jobs.Position{}}, nil
	}
	w := positionWhere(f, sc)
	rows, err := s.db.Query(ctx, `SELECT `+positionCols+` FROM positions`+w.Page(c, limit), w.Args...)
	if err != nil {
		return jobs.Page[jobs.Position]{}, pg.Classify(op, err)
	}
	items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (jobs.Position, error) { return scanPosition(r) })
	if err != nil {
		return jobs.Page[jobs.Position]{}, pg.Classify(op, err)
	}
	return page.Cut(items, limit, func(p jobs.Position) (time.Time, string) { return p.CreatedAt, p.ID }), nil
}

// EachPosition calls fn for every position whose ID is in ids, or for
// every position when ids is nil, in ID order, streaming rows. It stops at
// fn's first error and returns it, or returns an *errs.Error for a
// database failure.
func (s *Store) EachPosition(ctx context.Context, ids []string, fn func(jobs.Position) error) error {
	q := `SELECT ` + positionCols + ` FROM positions WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) ORDER BY id`
	return pg.Each(ctx, s.db, "jobs.EachPosition", q, []any{pg.IDsArg(ids)}, scanPosition, fn)
}

// Versions returns every stored state of the position with id, oldest
// first, so that a change of pay or schedule is visible. It returns
// ErrNotFound when the position is not in sc.
func (s *Store) Versions(ctx context.Context, id string, sc jobs.Scope) ([]jobs.PositionVersion, error) {
	const op = "jobs.Versions"
	if _, err := getPosition(ctx, s.db, id, sc, false); err != nil {
		return nil, pg.Classify(op, err)
	}
	rows, err := s.db.Query(ctx, `SELECT version, snapshot, changed_at, coalesce(changed_by_key::text, '')
		FROM position_versions WHERE position_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, pg.Classify(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (jobs.PositionVersion, error) {
		var v jobs.PositionVersion
		err := r.Scan(&v.Version, &v.Position, &v.ChangedAt, &v.ChangedByKey)
		v.ChangedAt = v.ChangedAt.UTC()
		return v, err
	})
	if err != nil {
		return nil, pg.Classify(op, err)
	}
	return out, nil
}
