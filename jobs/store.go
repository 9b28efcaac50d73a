package jobs

import (
	"time"

	"carefit/internal/kit/check"
	"carefit/internal/kit/page"
	"carefit/internal/platform/pg"
)

// DB is what the store needs (pg.DB), so that an API handler can wrap a
// store call and its own writes in one transaction by passing a pgx.Tx.
type DB = pg.DB

// Scope says on whose behalf a call runs. The zero value is unrestricted
// (admins, background jobs).
type Scope struct {
	// OrgID, when set, restricts the call to that organisation's rows:
	// a row of another organisation is reported as ErrNotFound, so a
	// recruiter cannot even learn that it exists.
	OrgID string
	// KeyID is the API key making a change, recorded in a position's
	// version history; empty for system changes.
	KeyID string
}

// Page limits (package page).
const (
	DefaultPageLimit = page.DefaultLimit
	MaxPageLimit     = page.MaxLimit
)

// Page is one page of a list and the cursor of the next page, which is
// empty on the last page.
type Page[T any] = page.Page[T]

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
func scopeArg(sc Scope) any {
	if sc.OrgID == "" {
		return nil
	}
	return sc.OrgID
}

func keyArg(sc Scope) any {
	if sc.KeyID == "" || !check.UUID(sc.KeyID) {
		return nil
	}
	return sc.KeyID
}

// checkScope reports whether id and the scope's organisation are
// well-formed UUIDs; malformed ones cannot match any row.
func checkScope(id string, sc Scope) bool {
	return check.UUID(id) && (sc.OrgID == "" || check.UUID(sc.OrgID))
}
