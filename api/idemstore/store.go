// Package idemstore keeps the answers of POST requests sent with an
// Idempotency-Key, in Postgres, for the API's idempotency middleware.
//
// A key's record is written in the same transaction as the request's own
// writes (the stores join it through pg.WithTx), so the two commit together
// or not at all. A server killed mid-request leaves neither: Postgres rolls
// the transaction back when the connection drops, and a retry runs afresh.
// A retry that arrives while the first request runs waits on the record's
// row lock, then replays the answer or, if the first failed, runs itself.
package idemstore

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"carefit/internal/kit/errs"
	"carefit/internal/platform/pg"
)

// Store keeps idempotency records in the idempotency_keys table.
type Store struct {
	db pg.DB
	// Wait is how long a retry waits for a first request with the same key
	// that is still running, before it answers 409.
	Wait time.Duration
	// Lease bounds how long a request's transaction may sit idle: if the
	// server stops answering without closing its connection, Postgres ends
	// the transaction after Lease and the key is free again.
	Lease time.Duration
}

// New returns a store on db (a pool: each claim holds one connection while
// its request runs).
func New(db pg.DB) *Store { return &Store{db: db, Wait: 5 * time.Second, Lease: time.Minute} }

// Begin claims idemKey for keyID. When no finished request holds it, Begin
// opens a transaction holding the key's record and returns a context that
// carries it (run the request under it), commit to record a successful
// answer, and abort to roll everything back. When a finished request holds
// the key, run is nil: Lookup returns its answer. While another request
// with the key is running, Begin waits for it up to Wait, then returns a
// Conflict. Database failures are classified by pg.Classify.
func (s *Store) Begin(ctx context.Context, keyID, idemKey, route string, hash []byte) (run context.Context,
	commit func(ctx context.Context, status int, body []byte, headers map[string]string) error, abort func(), err error) {
	const op = "idemstore.Begin"
	tx, err := s.db.Begin(ctx)
	if err != nil {
		return nil, nil, nil, pg.Classify(op, err)
	}
	abort = func() {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = tx.Rollback(rctx)
	}
	taken, err := s.reserve(ctx, tx, keyID, idemKey, route, hash)
	if err != nil || taken {
		abort()
		return nil, nil, nil, err
	}
	commit = func(cctx context.Context, status int, body []byte, headers map[string]string) error {
		hb, err := json.Marshal(headers)
		if err != nil {
			return errs.Internalf(op, err)
		}
		_, err = tx.Exec(cctx, `UPDATE idempotency_keys SET status = $3, body = $4, headers = $5
			WHERE key_id = $1 AND idem_key = $2`, keyID, idemKey, status, body, hb)
		if err == nil {
			err = tx.Commit(cctx)
		}
		if err != nil {
			abort()
			return pg.Classify(op, err)
		}
		return nil
	}
	return pg.WithTx(ctx, tx), commit, abort, nil
}

// reserve inserts the key's record in tx, waiting at most s.Wait for a
// running request that holds it, and reports whether a finished request
// had taken it.
func (s *Store) reserve(ctx context.Context, tx pgx.Tx, keyID, idemKey, route string, hash []byte) (bool, error) {
	const op = "idemstore.Begin"
	_, err := tx.Exec(ctx, `SELECT set_config('lock_timeout', $1, true),
		set_config('idle_in_transaction_session_timeout', $2, true)`,
		strconv.FormatInt(s.Wait.Milliseconds(), 10), strconv.FormatInt(s.Lease.Milliseconds(), 10))
	if err != nil {
		return false, pg.Classify(op, err)
	}
	tag, err := tx.Exec(ctx, `INSERT INTO idempotency_keys (key_id, idem_key, route, request_hash, status, body)
		VALUES ($1, $2, $3, $4, 0, '') ON CONFLICT DO NOTHING`, keyID, idemKey, route, hash)
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "55P03" { // lock_not_available
		return false, errs.Wrap(op, errs.Conflict, err, "a request with this Idempotency-Key is still running: retry shortly")
	}
	if err != nil {
		return false, pg.Classify(op, err)
	}
	return tag.RowsAffected() == 0, nil
}

// Lookup returns the answer recorded for idemKey and the hash of the
// request that earned it; found is false when there is none (the request
// that held it failed, so the key is free). Database failures are
// classified by pg.Classify.
func (s *Store) Lookup(ctx context.Context, keyID, idemKey string) (hash []byte, status int, body []byte, headers map[string]string, found bool, err error) {
	err = s.db.QueryRow(ctx, `SELECT request_hash, status, body, headers FROM idempotency_keys
		WHERE key_id = $1 AND idem_key = $2`, keyID, idemKey).Scan(&hash, &status, &body, &headers)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, 0, nil, nil, false, nil
	}
	if err != nil {
		return nil, 0, nil, nil, false, pg.Classify("idemstore.Lookup", err)
	}
	return hash, status, body, headers, true, nil
}
