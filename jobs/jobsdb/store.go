// Package jobsdb is the Postgres store of package jobs: organisations,
// their locations and positions, each position's version history, and the
// NDJSON import of positions. Every write queues the changed records in
// the outbox in its own transaction (package outbox).
package jobsdb

import (
	"time"

	"carefit/internal/kit/check"
	"carefit/internal/platform/pg"
	"carefit/jobs"
)

// DB is what the store needs (pg.DB), so that an API handler can wrap a
// store call and its own writes in one transaction by passing a pgx.Tx.
type DB = pg.DB

// Store reads and writes organisations and positions in Postgres. Methods
// that change data run in their own transaction (a savepoint when the
// Store was given a pgx.Tx) and write the position's version history and
// search outbox rows in the same transaction. Every error it returns is an
// *errs.Error: a database that cannot be reached is Unavailable, any other
// unexpected database failure Internal (see pg.Classify).
type Store struct {
	db DB
	pg.Clock
}

// NewStore returns a Store on db whose clock is time.Now.
func NewStore(db DB) *Store { return &Store{db: db, Clock: pg.Clock{Now: time.Now}} }

// scopeArg is the org_id filter argument: NULL means unrestricted.
func scopeArg(sc jobs.Scope) any {
	if sc.OrgID == "" {
		return nil
	}
	return sc.OrgID
}

func keyArg(sc jobs.Scope) any {
	if sc.KeyID == "" || !check.UUID(sc.KeyID) {
		return nil
	}
	return sc.KeyID
}

// checkScope reports whether id and the scope's organisation are
// well-formed UUIDs; malformed ones cannot match any row.
func checkScope(id string, sc jobs.Scope) bool {
	return check.UUID(id) && (sc.OrgID == "" || check.UUID(sc.OrgID))
}
