package candidates

import (
	"context"
	"fmt"
)

// EachProfile calls fn for every profile whose ID is in ids, or for every
// profile when ids is nil, in ID order, streaming rows so memory stays flat
// for hundreds of thousands of profiles. It stops at fn's first error and
// returns it. Used to build the in-memory feature store and search
// documents.
func (s *Store) EachProfile(ctx context.Context, ids []string, fn func(Profile) error) error {
	q := `SELECT ` + profileCols + ` FROM profiles WHERE $1::uuid[] IS NULL OR id = ANY($1::uuid[]) ORDER BY id`
	var arg any
	if ids != nil {
		arg = ids
	}
	rows, err := s.db.Query(ctx, q, arg)
	if err != nil {
		return fmt.Errorf("candidates: each profile: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		p, err := scanProfile(rows)
		if err != nil {
			return fmt.Errorf("candidates: each profile: %w", err)
		}
		if err := fn(p); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("candidates: each profile: %w", err)
	}
	return nil
}
