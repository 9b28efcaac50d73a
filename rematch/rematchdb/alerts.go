package rematchdb

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/platform/pg"
	"carefit/rematch"
)

// Alerts returns the new strong matches q selects, newest first, then best
// first. Exactly one of q.OrgID and q.ProfileID is set.
func (s *Store) Alerts(ctx context.Context, q rematch.AlertQuery) ([]rematch.Alert, error) {
	var org, prof any
	if q.OrgID != "" {
		org = q.OrgID
	}
	if q.ProfileID != "" {
		prof = q.ProfileID
	}
	out := []rematch.Alert{}
	err := pg.Each(ctx, s.db, "rematch.Alerts", `
		SELECT m.position_id::text, p.title, m.profile_id::text, m.score, m.rank, m.first_seen_at
		FROM matches m JOIN positions p ON p.id = m.position_id AND p.status = 'open'
		WHERE ($1::uuid IS NULL OR p.org_id = $1::uuid) AND ($2::uuid IS NULL OR m.profile_id = $2::uuid)
			AND m.first_seen_at > $3 AND m.score >= $4
		ORDER BY m.first_seen_at DESC, m.score DESC, m.position_id, m.profile_id LIMIT $5`,
		[]any{org, prof, q.Since, q.MinScore, q.Limit},
		func(row pgx.Row) (rematch.Alert, error) {
			var a rematch.Alert
			var score float32
			err := row.Scan(&a.PositionID, &a.PositionTitle, &a.ClinicianID, &score, &a.Rank, &a.FirstSeenAt)
			a.Score = float64(score)
			return a, err
		},
		func(a rematch.Alert) error { out = append(out, a); return nil })
	return out, err
}

// SeenAt returns when the API key last marked its alerts seen (the zero
// time if never).
func (s *Store) SeenAt(ctx context.Context, keyID string) (time.Time, error) {
	var t time.Time
	err := s.db.QueryRow(ctx, `SELECT seen_at FROM alerts_seen WHERE key_id = $1`, keyID).Scan(&t)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, nil
	}
	return t, pg.Classify("rematch.SeenAt", err)
}

// MarkSeen records that the API key has seen its alerts up to at.
func (s *Store) MarkSeen(ctx context.Context, keyID string, at time.Time) error {
	_, err := s.db.Exec(ctx, `INSERT INTO alerts_seen (key_id, seen_at) VALUES ($1, $2)
		ON CONFLICT (key_id) DO UPDATE SET seen_at = GREATEST(alerts_seen.seen_at, EXCLUDED.seen_at)`, keyID, pg.Time(at))
	return pg.Classify("rematch.MarkSeen", err)
}
