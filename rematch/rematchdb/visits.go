package rematchdb

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/check"
	"carefit/internal/platform/pg"
	"carefit/rematch"
)

// VisitPosition records that the API key keyID opened the page of the
// position positionID at at, if the position is the organization
// orgID's; a later visit never moves the time back. Another
// organization's position, or an unknown one, records nothing.
func (s *Store) VisitPosition(ctx context.Context, keyID, orgID, positionID string, at time.Time) error {
	if !check.UUID(keyID) || !check.UUID(orgID) || !check.UUID(positionID) {
		return nil
	}
	_, err := s.db.Exec(ctx, `INSERT INTO position_visits (key_id, position_id, visited_at)
		SELECT $1, id, $3 FROM positions WHERE id = $2 AND org_id = $4
		ON CONFLICT (key_id, position_id) DO UPDATE SET visited_at = GREATEST(position_visits.visited_at, EXCLUDED.visited_at)`,
		keyID, positionID, pg.Time(at), orgID)
	return pg.Classify("rematch.VisitPosition", err)
}

// StrongMatches returns the strong stored matches q selects, each flagged
// new or not since the key's last visit of its position's page, and those
// visits, in one round trip. Positions of other organizations, and
// malformed IDs, select nothing.
func (s *Store) StrongMatches(ctx context.Context, q rematch.StrongQuery) (rematch.Strong, error) {
	const op = "rematch.StrongMatches"
	out := rematch.Strong{Pairs: []rematch.StrongPair{}, Visited: map[string]time.Time{}}
	ids := check.UUIDs(q.PositionIDs)
	if len(ids) == 0 || !check.UUID(q.KeyID) || !check.UUID(q.OrgID) {
		return out, nil
	}
	b := &pgx.Batch{}
	b.Queue(`SELECT v.position_id::text, v.visited_at FROM position_visits v JOIN positions p ON p.id = v.position_id
		WHERE v.key_id = $1 AND p.org_id = $2 AND v.position_id = ANY($3::uuid[])`, q.KeyID, q.OrgID, ids)
	b.Queue(`SELECT m.position_id::text, m.profile_id::text, (v.visited_at IS NULL OR m.first_seen_at > v.visited_at)
		FROM matches m JOIN positions p ON p.id = m.position_id AND p.org_id = $2
		LEFT JOIN position_visits v ON v.key_id = $1 AND v.position_id = m.position_id
		WHERE m.position_id = ANY($3::uuid[]) AND m.score >= $4
		ORDER BY m.position_id, m.rank`, q.KeyID, q.OrgID, ids, q.MinScore)
	br := s.db.SendBatch(ctx, b)
	defer br.Close()
	rows, err := br.Query()
	if err != nil {
		return out, pg.Classify(op, err)
	}
	for rows.Next() {
		var id string
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			rows.Close()
			return out, pg.Classify(op, err)
		}
		out.Visited[id] = at
	}
	if err := rows.Err(); err != nil {
		return out, pg.Classify(op, err)
	}
	rows, err = br.Query()
	if err != nil {
		return out, pg.Classify(op, err)
	}
	out.Pairs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (rematch.StrongPair, error) {
		var p rematch.StrongPair
		err := r.Scan(&p.PositionID, &p.ClinicianID, &p.New)
		return p, err
	})
	if err != nil {
		return out, pg.Classify(op, err)
	}
	return out, nil
}
