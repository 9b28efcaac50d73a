package searchsync

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
	"carefit/search"
)

// Reindex rebuilds the index of kind k from Postgres without interrupting
// searches (search.Client.Rebuild): it streams every row of one
// consistent snapshot into a new index in batches of 10,000 documents,
// checks that the index holds as many documents as the snapshot has rows,
// and swaps it with the live index. progress, if not nil, is called with
// the documents sent and the total.
//
// Reindex holds the relay lock for its whole run, so no relay writes to
// the old live index while the snapshot is loaded; changes committed
// after the snapshot stay undone in the outbox and are relayed into the
// new index right after the swap, before the lock is released.
//
// It returns an error wrapping the Postgres or Meilisearch error, a
// *TaskError, or a count mismatch; the live index is then untouched and
// the new one deleted.
func Reindex(ctx context.Context, pool *pgxpool.Pool, c *search.Client, k search.Kind, progress func(done, total int)) error {
	if !k.Valid() {
		return fmt.Errorf("search: reindex: unknown kind %q", k)
	}
	release, ok, err := lockRelay(ctx, pool, 24*time.Hour)
	if err != nil {
		return fmt.Errorf("search: reindex %s: %w", k, err)
	}
	if !ok {
		return fmt.Errorf("search: reindex %s: relay lock not acquired", k)
	}
	defer release()
	err = c.Rebuild(ctx, k, progress, func(l *search.Loader) (int, error) { return snapshot(ctx, pool, k, c.Now(), l) })
	if err != nil {
		return err
	}
	if _, err := drain(ctx, pool, c, SyncOptions{MaxBatches: 1000}); err != nil {
		return fmt.Errorf("search: reindex %s: relay after swap: %w", k, err)
	}
	return nil
}

// snapshot adds every row of kind k of one repeatable-read snapshot to l
// and returns the number of rows; now decides which positions are listed.
func snapshot(ctx context.Context, pool *pgxpool.Pool, k search.Kind, now time.Time, l *search.Loader) (int, error) {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(context.Background())
	table := "profiles"
	if k == search.KindPositions {
		table = "positions"
	}
	var total int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&total); err != nil {
		return 0, err
	}
	l.Start(total)
	if k == search.KindPositions {
		err = loadPositionDocs(ctx, tx, now, l)
	} else {
		err = loadProfileDocs(ctx, tx, l)
	}
	return total, err
}

// loadPositionDocs sends the document of every position read on tx.
func loadPositionDocs(ctx context.Context, tx pgx.Tx, now time.Time, l *search.Loader) error {
	store := jobsdb.NewStore(tx)
	orgs, err := store.Organizations(ctx, nil)
	if err != nil {
		return err
	}
	return store.EachPosition(ctx, nil, func(p jobs.Position) error {
		d, err := search.NewPositionDoc(p, search.PlaceOf(p, orgs[p.OrgID]), now)
		if err != nil {
			return err
		}
		return l.AddPosition(d)
	})
}

// loadProfileDocs sends the document of every profile read on tx.
func loadProfileDocs(ctx context.Context, tx pgx.Tx, l *search.Loader) error {
	return candidatesdb.NewStore(tx).EachProfile(ctx, nil, func(p candidates.Profile) error {
		d, err := search.NewProfileDoc(p)
		if err != nil {
			return err
		}
		return l.AddProfile(d)
	})
}
