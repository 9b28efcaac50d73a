// Package searchsync keeps the Meilisearch indexes (package search) in
// step with Postgres: Sync relays the outbox into them, and Reindex
// rebuilds one whole from a snapshot. They read Postgres, so they live
// here rather than in package search.
package searchsync

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/platform/outbox"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
	"carefit/search"
)

// The relay: every position and profile write records an outbox row in
// its own transaction (package outbox). Sync reads undone rows with an
// outbox.Pending reader, coalesces them by entity, loads each entity's
// current state from Postgres, sends upserts (for rows that exist) and
// deletes (for rows that do not), waits until Meilisearch reports every
// task succeeded, and only then acknowledges the rows (marks them done).
//
// Only one relay runs at a time per database: it holds a Postgres
// advisory lock (relayLock) for its whole run, and Reindex holds the same
// lock. That is what makes the simple, non-locking batch select correct:
// two relays could otherwise load an entity at different moments and send
// the older state last. With one relay, a crash between sending and
// marking only makes the next run send the same current state again,
// which is idempotent (documents are replaced by primary key).
//
// Positions that are not listed (drafts, filled, closed, expired) stay in
// the index with listed = false, so the index mirrors the positions
// table and admin tools can search everything; public queries always
// filter listed = true AND expires_at > now. Rows deleted from Postgres
// are deleted from the index.

// relayLock is the advisory lock key of the relay and of Reindex.
const relayLock = 7_220_401

// Sync defaults.
const (
	DefaultSyncBatch      = 5000
	DefaultSyncMaxBatches = 20
	DefaultLockWait       = 10 * time.Second
)

// SyncOptions tune one relay run; zero values take the defaults.
type SyncOptions struct {
	// BatchSize is how many outbox rows one batch reads.
	BatchSize int
	// MaxBatches bounds one run, so a task finishes within its timeout;
	// a run that stops with rows left reports Drained false.
	MaxBatches int
	// LockWait is how long to wait for another relay or a reindex to
	// finish before giving up with Busy set (the 30 s sweep catches up).
	LockWait time.Duration
}

// SyncStats says what one relay run did.
type SyncStats struct {
	Batches int
	// Rows is the number of outbox rows marked done.
	Rows int
	// Upserted and Deleted count documents sent, after coalescing.
	Upserted, Deleted int
	// Skipped counts entities whose document was invalid (bad _geo);
	// they are removed from the index rather than block the relay.
	Skipped int
	// Drained is true when the outbox had no undone rows left.
	Drained bool
	// Busy is true when another relay or a reindex held the lock.
	Busy bool
}

// Sync runs the outbox relay until the outbox is drained or MaxBatches
// batches were sent. It returns the Postgres or Meilisearch error (the
// rows of the failing batch stay undone, so a retry sends them again),
// or a *TaskError when Meilisearch failed a task. When the relay lock is
// held elsewhere for longer than LockWait, it returns Busy with a nil
// error.
func Sync(ctx context.Context, pool *pgxpool.Pool, c *search.Client, o SyncOptions) (SyncStats, error) {
	release, ok, err := lockRelay(ctx, pool, o.lockWait())
	if err != nil || !ok {
		return SyncStats{Busy: !ok && err == nil}, err
	}
	defer release()
	return drain(ctx, pool, c, o)
}

func (o SyncOptions) lockWait() time.Duration {
	if o.LockWait <= 0 {
		return DefaultLockWait
	}
	return o.LockWait
}

// drain is Sync's loop; the caller holds the relay lock.
func drain(ctx context.Context, pool *pgxpool.Pool, c *search.Client, o SyncOptions) (SyncStats, error) {
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultSyncBatch
	}
	if o.MaxBatches <= 0 {
		o.MaxBatches = DefaultSyncMaxBatches
	}
	var st SyncStats
	if err := c.Ensure(ctx); err != nil {
		return st, err
	}
	r := outbox.Pending(pool)
	for st.Batches < o.MaxBatches {
		rows, err := r.Next(ctx, o.BatchSize)
		if err != nil {
			return st, err
		}
		if len(rows) == 0 {
			st.Drained = true
			return st, nil
		}
		if err := apply(ctx, pool, c, rows, &st); err != nil {
			return st, err
		}
		if err := r.Ack(ctx, rows); err != nil {
			return st, err
		}
		st.Batches++
		st.Rows += len(rows)
	}
	return st, nil
}

// lockRelay takes the relay's advisory lock on a connection of its own,
// trying until wait has passed. release unlocks and returns the
// connection; if unlocking fails the connection is closed, which also
// frees the lock.
func lockRelay(ctx context.Context, pool *pgxpool.Pool, wait time.Duration) (release func(), ok bool, err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("search: relay lock: %w", err)
	}
	deadline := time.Now().Add(wait)
	for {
		if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, relayLock).Scan(&ok); err != nil {
			conn.Release()
			return nil, false, fmt.Errorf("search: relay lock: %w", err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			conn.Release()
			return nil, false, nil
		}
		select {
		case <-ctx.Done():
			conn.Release()
			return nil, false, fmt.Errorf("search: relay lock: %w", ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
	return func() {
		uctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := conn.Exec(uctx, `SELECT pg_advisory_unlock($1)`, relayLock); err != nil {
			_ = conn.Hijack().Close(uctx)
			return
		}
		conn.Release()
	}, true, nil
}

// apply coalesces rows by entity, loads each entity's current state and
// sends it: an upsert when the row exists, a delete when it does not.
func apply(ctx context.Context, pool *pgxpool.Pool, c *search.Client, rows []outbox.Row, st *SyncStats) error {
	posIDs, profIDs := outbox.Entities(rows, outbox.Position), outbox.Entities(rows, outbox.Profile)
	if len(posIDs) > 0 {
		docs, gone, skipped, err := loadPositions(ctx, pool, posIDs, c.Now())
		if err != nil {
			return err
		}
		if err := c.UpsertPositions(ctx, docs); err != nil {
			return err
		}
		if err := c.Delete(ctx, search.KindPositions, append(gone, skipped...)); err != nil {
			return err
		}
		st.Upserted += len(docs)
		st.Deleted += len(gone)
		st.Skipped += len(skipped)
	}
	if len(profIDs) > 0 {
		docs, gone, skipped, err := loadProfiles(ctx, pool, profIDs)
		if err != nil {
			return err
		}
		if err := c.UpsertProfiles(ctx, docs); err != nil {
			return err
		}
		if err := c.Delete(ctx, search.KindProfiles, append(gone, skipped...)); err != nil {
			return err
		}
		st.Upserted += len(docs)
		st.Deleted += len(gone)
		st.Skipped += len(skipped)
	}
	return nil
}

// loadPositions builds the documents of the positions with ids that
// exist; gone are the ids with no row, skipped those with an invalid
// document.
func loadPositions(ctx context.Context, db jobsdb.DB, ids []string, now time.Time) (docs []search.PositionDoc, gone, skipped []string, err error) {
	store := jobsdb.NewStore(db)
	var ps []jobs.Position
	if err := store.EachPosition(ctx, ids, func(p jobs.Position) error { ps = append(ps, p); return nil }); err != nil {
		return nil, nil, nil, fmt.Errorf("search: load positions: %w", err)
	}
	orgIDs := make([]string, 0, len(ps))
	found := make(map[string]bool, len(ps))
	for _, p := range ps {
		orgIDs = append(orgIDs, p.OrgID)
		found[p.ID] = true
	}
	orgs, err := store.Organizations(ctx, orgIDs)
	if err != nil {
		return nil, nil, nil, fmt.Errorf("search: load organizations: %w", err)
	}
	for _, p := range ps {
		d, err := search.NewPositionDoc(p, search.PlaceOf(p, orgs[p.OrgID]), now)
		if errors.Is(err, search.ErrBadGeo) {
			skipped = append(skipped, p.ID)
			continue
		}
		docs = append(docs, d)
	}
	for _, id := range ids {
		if !found[id] {
			gone = append(gone, id)
		}
	}
	return docs, gone, skipped, nil
}

// loadProfiles is loadPositions for profiles.
func loadProfiles(ctx context.Context, db candidatesdb.DB, ids []string) (docs []search.ProfileDoc, gone, skipped []string, err error) {
	found := make(map[string]bool, len(ids))
	err = candidatesdb.NewStore(db).EachProfile(ctx, ids, func(p candidates.Profile) error {
		found[p.ID] = true
		d, err := search.NewProfileDoc(p)
		if errors.Is(err, search.ErrBadGeo) {
			skipped = append(skipped, p.ID)
			return nil
		}
		docs = append(docs, d)
		return err
	})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("search: load profiles: %w", err)
	}
	for _, id := range ids {
		if !found[id] {
			gone = append(gone, id)
		}
	}
	return docs, gone, skipped, nil
}
