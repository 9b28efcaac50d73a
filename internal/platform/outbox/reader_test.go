package outbox_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/internal/platform/outbox"
	"carefit/internal/platform/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

// write commits one outbox row for a new profile ID and returns the ID.
func write(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	id := uuid.NewString()
	if err := outbox.Write(context.Background(), pool, outbox.Profile, id, outbox.Upsert, time.Now()); err != nil {
		t.Fatal(err)
	}
	return id
}

// drain reads and acknowledges batches of n until a read is empty, and
// returns the entity IDs read, in order.
func drain(t *testing.T, r *outbox.Reader, n int) []string {
	t.Helper()
	var got []string
	for range 100 {
		rows, err := r.Next(context.Background(), n)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			return got
		}
		for _, row := range rows {
			got = append(got, row.EntityID)
		}
		if err := r.Ack(context.Background(), rows); err != nil {
			t.Fatal(err)
		}
	}
	t.Fatal("the reader never ran dry")
	return nil
}

// TestFollowDoesNotWaitForOpenTransactions holds a write transaction open
// on another connection, as an idle-in-transaction client or a bulk import
// would: rows committed after it are read at once and exactly once, and its
// own row is read when it commits.
func TestFollowDoesNotWaitForOpenTransactions(t *testing.T) {
	for _, batch := range []int{1, 2, 100} {
		t.Run(fmt.Sprintf("batch %d", batch), func(t *testing.T) {
			ctx := context.Background()
			pool := testenv.DB(t)
			at, err := outbox.Horizon(ctx, pool)
			if err != nil {
				t.Fatal(err)
			}
			r := outbox.Follow(pool, at)
			before := write(t, pool)

			open, err := pool.Begin(ctx)
			if err != nil {
				t.Fatal(err)
			}
			defer open.Rollback(ctx)
			held := uuid.NewString()
			if err := outbox.Write(ctx, open, outbox.Profile, held, outbox.Upsert, time.Now()); err != nil {
				t.Fatal(err)
			}
			var after []string
			for range 5 {
				after = append(after, write(t, pool))
			}
			if got, want := drain(t, r, batch), append([]string{before}, after...); !slices.Equal(got, want) {
				t.Fatalf("with a transaction open: got %v, want %v", got, want)
			}
			if got := drain(t, r, batch); len(got) != 0 {
				t.Fatalf("applied rows were read again: %v", got)
			}
			// Other tests' transactions in the same cluster may hold the
			// horizon back further: at least the rows past ours are held.
			if r.Lag() < len(after) {
				t.Errorf("lag %d, want at least the %d rows past the open transaction", r.Lag(), len(after))
			}
			if err := open.Commit(ctx); err != nil {
				t.Fatal(err)
			}
			last := write(t, pool)
			if got, want := drain(t, r, batch), []string{held, last}; !slices.Equal(got, want) {
				t.Fatalf("after the commit: got %v, want %v", got, want)
			}
			testenv.WaitFor(t, 30*time.Second, "the cursor to pass the committed transaction", func() bool {
				if got := drain(t, r, batch); len(got) != 0 {
					t.Fatalf("after the commit, rows were read again: %v", got)
				}
				return r.Lag() == 0
			})
		})
	}
}
