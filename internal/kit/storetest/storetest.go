// Package storetest holds what the tests of the Postgres stores (jobsdb,
// candidatesdb) share: counting the outbox rows a write queued, and
// checking the optimistic locking of concurrent updates.
package storetest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Querier reads the database: a pool, a connection or a transaction.
type Querier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// Outbox returns how many outbox rows record op ("upsert", "delete") on
// the entity ("position", "profile") with id: a write queues exactly one,
// in its own transaction, and a failed write none.
func Outbox(tb testing.TB, db Querier, entity, id, op string) int {
	tb.Helper()
	var n int
	err := db.QueryRow(context.Background(),
		`SELECT count(*) FROM outbox WHERE entity = $1 AND entity_id = $2 AND op = $3`, entity, id, op).Scan(&n)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// CheckOneWins runs n writers at once, writer i calling write(i), each
// writing the same version of one record: exactly one must win, and every
// other must fail with stale (errors.Is), the store's optimistic-locking
// error.
func CheckOneWins(tb testing.TB, n int, stale error, write func(i int) error) {
	tb.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = write(i) })
	}
	wg.Wait()
	wins, lost := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, stale):
			lost++
		default:
			tb.Errorf("unexpected error %v", err)
		}
	}
	if wins != 1 || lost != n-1 {
		tb.Errorf("got %d wins and %d stale, want 1 and %d", wins, lost, n-1)
	}
}
