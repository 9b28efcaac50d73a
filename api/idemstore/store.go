// Package idemstore keeps the answers of POST requests sent with an
// Idempotency-Key, in Postgres, for the API's idempotency middleware.
package idemstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"carefit/internal/platform/pg"
)

// Store keeps idempotency records in the idempotency_keys table.
type Store struct{ db pg.DBTX }

// New returns a store on db.
func New(db pg.DBTX) *Store { return &Store{db: db} }

// Reserve claims idemKey for keyID and reports whether this call did; a
// false answer means an earlier request holds it (see Lookup).
func (s *Store) Reserve(ctx context.Context, keyID, idemKey, route string, hash []byte) (bool, error) {
	tag, err := s.db.Exec(ctx, `INSERT INTO idempotency_keys (key_id, idem_key, route, request_hash, status, body)
		VALUES ($1, $2, $3, $4, 0, '') ON CONFLICT DO NOTHING`, keyID, idemKey, route, hash)
	if err != nil {
		return false, fmt.Errorf("idemstore: reserve: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// Lookup returns the stored request of idemKey: its hash and, once
// finished, its answer (status 0 while the first request runs). found is
// false when there is none (the first request failed and released it).
func (s *Store) Lookup(ctx context.Context, keyID, idemKey string) (hash []byte, status int, body []byte, headers map[string]string, found bool, err error) {
	err = s.db.QueryRow(ctx, `SELECT request_hash, status, body, headers FROM idempotency_keys
		WHERE key_id = $1 AND idem_key = $2`, keyID, idemKey).Scan(&hash, &status, &body, &headers)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, nil, nil, false, nil
	}
	if err != nil {
		return nil, 0, nil, nil, false, fmt.Errorf("idemstore: lookup: %w", err)
	}
	return hash, status, body, headers, true, nil
}

// Complete stores the successful answer to replay.
func (s *Store) Complete(ctx context.Context, keyID, idemKey string, status int, body []byte, headers map[string]string) error {
	hb, err := json.Marshal(headers)
	if err != nil {
		return fmt.Errorf("idemstore: complete: %w", err)
	}
	_, err = s.db.Exec(ctx, `UPDATE idempotency_keys SET status = $3, body = $4, headers = $5
		WHERE key_id = $1 AND idem_key = $2`, keyID, idemKey, status, body, hb)
	if err != nil {
		return fmt.Errorf("idemstore: complete: %w", err)
	}
	return nil
}

// Release forgets idemKey after a failed request, so the client may retry.
func (s *Store) Release(ctx context.Context, keyID, idemKey string) error {
	_, err := s.db.Exec(ctx, `DELETE FROM idempotency_keys WHERE key_id = $1 AND idem_key = $2`, keyID, idemKey)
	if err != nil {
		return fmt.Errorf("idemstore: release: %w", err)
	}
	return nil
}
