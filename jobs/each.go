package jobs

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// EachPosition calls fn for every position whose ID is in ids, or for
// every position when ids is nil, in ID order, streaming rows. It stops at
// fn's first error and returns it.
func (s *Store) EachPosition(ctx context.Context, ids []string, fn func(Position) error) error {
	q := `SELECT ` + positionCols + ` FROM positions WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) ORDER BY id`
	var arg any
	if ids != nil {
		arg = ids
	}
	rows, err := s.db.Query(ctx, q, arg)
	if err != nil {
		return fmt.Errorf("jobs: each position: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanPosition(rows)
		if err != nil {
			return fmt.Errorf("jobs: each position: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("jobs: each position: %w", err)
	}
	return nil
}

// Organizations returns the organisations whose IDs are in ids (every
// organisation when ids is nil) with their locations, keyed by ID.
func (s *Store) Organizations(ctx context.Context, ids []string) (map[string]Organization, error) {
	var arg any
	if ids != nil {
		arg = ids
	}
	rows, err := s.db.Query(ctx, `SELECT `+orgCols+` FROM organizations WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[])`, arg)
	if err != nil {
		return nil, fmt.Errorf("jobs: organizations: %w", err)
	}
	orgs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Organization, error) { return scanOrg(r) })
	if err != nil {
		return nil, fmt.Errorf("jobs: organizations: %w", err)
	}
	out := make(map[string]Organization, len(orgs))
	for _, o := range orgs {
		out[o.ID] = o
	}
	rows, err = s.db.Query(ctx, `SELECT org_id, `+locationCols+` FROM locations
		WHERE $1::uuid[] IS NULL OR org_id = ANY($1::uuid[]) ORDER BY org_id, ordinal`, arg)
	if err != nil {
		return nil, fmt.Errorf("jobs: locations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var orgID string
		var l Location
		if err := rows.Scan(&orgID, &l.ID, &l.Name, &l.AddressLine, &l.City, &l.PostalCode, &l.State, &l.Lat, &l.Lng, &l.TimeZone); err != nil {
			return nil, fmt.Errorf("jobs: locations: %w", err)
		}
		if o, ok := out[orgID]; ok {
			o.Locations = append(o.Locations, l)
			out[orgID] = o
		}
	}
	return out, rows.Err()
}
