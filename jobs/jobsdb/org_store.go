package jobsdb

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/page"
	"carefit/internal/platform/outbox"
	"carefit/internal/platform/pg"
	"carefit/jobs"
)

const orgCols = `id, name, kind, weight_overrides, version, created_at, updated_at`

const locationCols = `id, name, address_line, city, postal_code, state, lat, lng, time_zone`

func scanOrg(row pgx.Row) (jobs.Organization, error) {
	var o jobs.Organization
	err := row.Scan(&o.ID, &o.Name, &o.Kind, &o.WeightOverrides, &o.Version, &o.CreatedAt, &o.UpdatedAt)
	o.CreatedAt, o.UpdatedAt = o.CreatedAt.UTC(), o.UpdatedAt.UTC()
	return o, err
}

func scanLocation(row pgx.Row) (jobs.Location, error) {
	var l jobs.Location
	err := row.Scan(&l.ID, &l.Name, &l.AddressLine, &l.City, &l.PostalCode, &l.State, &l.Lat, &l.Lng, &l.TimeZone)
	return l, err
}

// CreateOrganization stores a new organisation and its locations,
// assigning IDs that are empty, and returns it as stored. It returns an
// Invalid *errs.Error for invalid input and an error matching ErrConflict
// when an ID is taken.
func (s *Store) CreateOrganization(ctx context.Context, o jobs.Organization) (jobs.Organization, error) {
	const op = "jobs.CreateOrganization"
	prepareOrg(&o, s.Stamp())
	if err := o.Validate(); err != nil {
		return jobs.Organization{}, err
	}
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO organizations (`+orgCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			o.ID, o.Name, o.Kind, o.WeightOverrides, o.Version, o.CreatedAt, o.UpdatedAt)
		if err != nil {
			return err
		}
		return upsertLocations(ctx, tx, o)
	})
	if err != nil {
		return jobs.Organization{}, pg.Classify(op, err)
	}
	return o, nil
}

// upsertLocations writes o's locations in list order; an ID that names
// another organisation's location (a concurrent change the
// jobs.CheckLocationIDs of an update did not see) is the same field error as an unknown one.
func upsertLocations(ctx context.Context, tx pgx.Tx, o jobs.Organization) error {
	var ve errs.Validation
	for i, l := range o.Locations {
		tag, err := tx.Exec(ctx, `
			INSERT INTO locations (org_id, ordinal, `+locationCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (id) DO UPDATE SET ordinal = EXCLUDED.ordinal, name = EXCLUDED.name,
				address_line = EXCLUDED.address_line, city = EXCLUDED.city, postal_code = EXCLUDED.postal_code,
				state = EXCLUDED.state, lat = EXCLUDED.lat, lng = EXCLUDED.lng, time_zone = EXCLUDED.time_zone
			WHERE locations.org_id = EXCLUDED.org_id`,
			o.ID, i, l.ID, l.Name, l.AddressLine, l.City, l.PostalCode, l.State, l.Lat, l.Lng, l.TimeZone)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			ve.Add(check.Indexed("locations", i)+".id", jobs.UnknownLocationID)
		}
	}
	return ve.Err()
}

// getOrg reads an organisation and its locations; lock takes a row lock
// for an update.
func getOrg(ctx context.Context, db pg.DBTX, id string, sc jobs.Scope, lock bool) (jobs.Organization, error) {
	if !checkScope(id, sc) {
		return jobs.Organization{}, jobs.ErrNotFound
	}
	q := `SELECT ` + orgCols + ` FROM organizations WHERE id = $1 AND ($2::uuid IS NULL OR id = $2::uuid)`
	if lock {
		q += " FOR UPDATE"
	}
	o, err := scanOrg(db.QueryRow(ctx, q, id, scopeArg(sc)))
	if errors.Is(err, pgx.ErrNoRows) {
		return jobs.Organization{}, jobs.ErrNotFound
	}
	if err != nil {
		return jobs.Organization{}, err
	}
	rows, err := db.Query(ctx, `SELECT `+locationCols+` FROM locations WHERE org_id = $1 ORDER BY ordinal`, id)
	if err != nil {
		return jobs.Organization{}, err
	}
	o.Locations, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (jobs.Location, error) { return scanLocation(r) })
	return o, err
}

// GetOrganization returns the organisation with id and its locations. It
// returns ErrNotFound when there is none in scope.
func (s *Store) GetOrganization(ctx context.Context, id string, sc jobs.Scope) (jobs.Organization, error) {
	o, err := getOrg(ctx, s.db, id, sc, false)
	if err != nil {
		return jobs.Organization{}, pg.Classify("jobs.GetOrganization", err)
	}
	return o, nil
}

// ListOrganizations returns a page of organisations in scope, newest
// first, with their locations. It returns an Invalid *errs.Error naming
// limit or cursor when either is bad.
func (s *Store) ListOrganizations(ctx context.Context, f jobs.OrgFilter, sc jobs.Scope) (jobs.Page[jobs.Organization], error) {
	const op = "jobs.ListOrganizations"
	ve := errs.Validation{Op: op}
	limit := page.Limit(&ve, f.Limit)
	c := page.Decode(&ve, f.Cursor)
	if sc.OrgID != "" && !check.UUID(sc.OrgID) {
		return jobs.Page[jobs.Organization]{Items: []jobs.Organization{}}, nil
	}
	if err := ve.Err(); err != nil {
		return jobs.Page[jobs.Organization]{}, err
	}
	var w pg.Where
	if sc.OrgID != "" {
		w.Add("id = ?", sc.OrgID)
	}
	rows, err := s.db.Query(ctx, `SELECT `+orgCols+` FROM organizations`+w.Page(c, limit), w.Args...)
	if err != nil {
		return jobs.Page[jobs.Organization]{}, pg.Classify(op, err)
	}
	orgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (jobs.Organization, error) { return scanOrg(r) })
	if err != nil {
		return jobs.Page[jobs.Organization]{}, pg.Classify(op, err)
	}
	out := page.Cut(orgs, limit, func(o jobs.Organization) (time.Time, string) { return o.CreatedAt, o.ID })
	ids := make([]string, len(out.Items))
	at := make(map[string]int, len(out.Items))
	for i, o := range out.Items {
		ids[i], at[o.ID] = o.ID, i
		out.Items[i].Locations = []jobs.Location{}
	}
	err = eachLocation(ctx, s.db, ids, func(orgID string, l jobs.Location) {
		i := at[orgID]
		out.Items[i].Locations = append(out.Items[i].Locations, l)
	})
	if err != nil {
		return jobs.Page[jobs.Organization]{}, pg.Classify(op, err)
	}
	return out, nil
}

// eachLocation calls fn with the locations of the organisations with ids
// (every organisation when ids is nil), in list order.
func eachLocation(ctx context.Context, db pg.DBTX, ids []string, fn func(orgID string, l jobs.Location)) error {
	rows, err := db.Query(ctx, `SELECT org_id, `+locationCols+` FROM locations
		WHERE $1::uuid[] IS NULL OR org_id = ANY($1::uuid[]) ORDER BY org_id, ordinal`, pg.IDsArg(ids))
	if err != nil {
		return err
	}
	var orgID string
	var l jobs.Location
	_, err = pgx.ForEachRow(rows, []any{&orgID, &l.ID, &l.Name, &l.AddressLine, &l.City, &l.PostalCode, &l.State, &l.Lat, &l.Lng, &l.TimeZone}, func() error {
		fn(orgID, l)
		return nil
	})
	return err
}

// Organizations returns the organisations whose IDs are in ids (every
// organisation when ids is nil) with their locations, keyed by ID. It
// returns an *errs.Error for a database failure.
func (s *Store) Organizations(ctx context.Context, ids []string) (map[string]jobs.Organization, error) {
	const op = "jobs.Organizations"
	rows, err := s.db.Query(ctx, `SELECT `+orgCols+` FROM organizations WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[])`, pg.IDsArg(ids))
	if err != nil {
		return nil, pg.Classify(op, err)
	}
	orgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (jobs.Organization, error) { return scanOrg(r) })
	if err != nil {
		return nil, pg.Classify(op, err)
	}
	out := make(map[string]jobs.Organization, len(orgs))
	for _, o := range orgs {
		out[o.ID] = o
	}
	err = eachLocation(ctx, s.db, ids, func(orgID string, l jobs.Location) {
		if o, ok := out[orgID]; ok {
			o.Locations = append(o.Locations, l)
			out[orgID] = o
		}
	})
	return out, pg.Classify(op, err)
}

// UpdateOrganization changes the organisation with id if its version is
// still version: apply edits a copy (OrganizationPatch.Apply fits), then
// the result is validated and stored with the next version. Locations are
// matched by ID: new ones are added, missing ones removed. Positions at a
// changed location get the new coordinates, and every position of the
// organisation is queued for search sync. It returns ErrNotFound when the
// organisation is not in scope, ErrPreconditionFailed when version is
// stale, or an Invalid *errs.Error (also when a removed location still has
// positions, and for an error returned by apply).
func (s *Store) UpdateOrganization(ctx context.Context, id string, version int, sc jobs.Scope, apply func(*jobs.Organization) error) (jobs.Organization, error) {
	var out jobs.Organization
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		cur, err := getOrg(ctx, tx, id, sc, true)
		if err != nil {
			return err
		}
		if cur.Version != version {
			return jobs.ErrPreconditionFailed
		}
		next := cur
		next.Locations = append([]jobs.Location(nil), cur.Locations...)
		if err := apply(&next); err != nil {
			return err
		}
		if err := jobs.CheckLocationIDs(next.Locations, cur.Locations); err != nil {
			return err
		}
		now := s.Stamp()
		next.ID, next.CreatedAt, next.Version, next.UpdatedAt = cur.ID, cur.CreatedAt, cur.Version+1, now
		normOrg(&next)
		if err := next.Validate(); err != nil {
			return err
		}
		if err := writeOrg(ctx, tx, next, version); err != nil {
			return err
		}
		out = next
		return moveOrgPositions(ctx, tx, id, now)
	})
	if err != nil {
		return jobs.Organization{}, pg.Classify("jobs.UpdateOrganization", err)
	}
	return out, nil
}

// writeOrg overwrites the stored organisation next.ID, if its version is
// still version, and its locations.
func writeOrg(ctx context.Context, tx pgx.Tx, next jobs.Organization, version int) error {
	tag, err := tx.Exec(ctx, `UPDATE organizations SET name = $3, kind = $4, weight_overrides = $5, version = $6, updated_at = $7
		WHERE id = $1 AND version = $2`, next.ID, version, next.Name, next.Kind, next.WeightOverrides, next.Version, next.UpdatedAt)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return jobs.ErrPreconditionFailed
	}
	keep := make([]string, len(next.Locations))
	for i, l := range next.Locations {
		keep[i] = l.ID
	}
	if _, err := tx.Exec(ctx, `DELETE FROM locations WHERE org_id = $1 AND NOT (id = ANY($2))`, next.ID, keep); err != nil {
		if _, ok := pg.FKViolation(err); ok {
			return errs.Invalidf("jobs.UpdateOrganization", "locations",
				"a removed location still has positions; move them to another location first")
		}
		return err
	}
	return upsertLocations(ctx, tx, next)
}

// moveOrgPositions gives the positions of organisation id the coordinates
// of their locations and queues every one for search sync.
func moveOrgPositions(ctx context.Context, tx pgx.Tx, id string, now time.Time) error {
	if _, err := tx.Exec(ctx, `UPDATE positions p SET state = l.state, lat = l.lat, lng = l.lng
		FROM locations l WHERE p.location_id = l.id AND p.org_id = $1
		AND (p.state, p.lat, p.lng) IS DISTINCT FROM (l.state, l.lat, l.lng)`, id); err != nil {
		return err
	}
	ids, err := orgPositionIDs(ctx, tx, id)
	if err != nil {
		return err
	}
	return outbox.WriteMany(ctx, tx, outbox.Position, ids, outbox.Upsert, now)
}

func orgPositionIDs(ctx context.Context, tx pgx.Tx, orgID string) ([]string, error) {
	rows, err := tx.Query(ctx, `SELECT id::text FROM positions WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// DeleteOrganization deletes the organisation with id together with its
// locations and positions (and their version history), revokes the
// organisation's recruiter API keys and queues the positions' removal
// from search, all in one transaction, so no request made with such a key
// succeeds once the organisation is gone. It is meant for admins. It
// returns ErrNotFound when the organisation is not in scope.
//
// Keys are revoked, not deleted: the audit log refers to them, and the
// key list keeps showing when they stopped working.
func (s *Store) DeleteOrganization(ctx context.Context, id string, sc jobs.Scope) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		if _, err := getOrg(ctx, tx, id, sc, true); err != nil {
			return err
		}
		now := s.Stamp()
		ids, err := orgPositionIDs(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := outbox.WriteMany(ctx, tx, outbox.Position, ids, outbox.Delete, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE api_keys SET revoked_at = $2 WHERE org_id = $1 AND revoked_at IS NULL`, id, now); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM organizations WHERE id = $1`, id)
		return err
	})
	return pg.Classify("jobs.DeleteOrganization", err)
}
