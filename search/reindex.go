package search

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/meilisearch/meilisearch-go"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
)

// reindexChunk is how many documents one AddDocuments call of a rebuild
// carries.
const reindexChunk = 10_000

// Reindex rebuilds the index of kind k from Postgres without interrupting
// searches: it builds <prefix>_<kind>_<timestamp>, applies the settings
// and waits, streams every row of one consistent snapshot into it in
// batches of 10,000 documents, waits for every task, checks that the
// index holds as many documents as the snapshot has rows, and swaps it
// with the live index (or renames it into place when there is none yet),
// then deletes the old one. progress, if not nil, is called with the
// documents sent and the total.
//
// Reindex holds the relay lock for its whole run, so no relay writes to
// the old live index while the snapshot is loaded; changes committed
// after the snapshot stay undone in the outbox and are relayed into the
// new index right after the swap, before the lock is released.
//
// It returns an error wrapping the Postgres or Meilisearch error, a
// *TaskError, or a count mismatch; the live index is then untouched and
// the new one deleted.
func Reindex(ctx context.Context, pool *pgxpool.Pool, c *Client, k Kind, progress func(done, total int)) error {
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
	live := c.IndexName(k)
	if err := c.dropStale(ctx, k); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s_%s", live, time.Now().UTC().Format("20060102150405"))
	if err := c.createIndex(ctx, tmp, k); err != nil {
		return fmt.Errorf("search: reindex %s: %w", k, err)
	}
	swapped := false
	defer func() {
		if !swapped {
			dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, _ = c.ms.DeleteIndex(dctx, tmp)
		}
	}()
	n, err := c.load(ctx, pool, tmp, k, progress)
	if err != nil {
		return fmt.Errorf("search: reindex %s: %w", k, err)
	}
	st, err := c.ms.Index(tmp).GetStats(ctx, nil)
	if err != nil {
		return fmt.Errorf("search: reindex %s: stats: %w", k, err)
	}
	if st.NumberOfDocuments != int64(n) {
		return fmt.Errorf("search: reindex %s: index %s holds %d documents, Postgres has %d rows", k, tmp, st.NumberOfDocuments, n)
	}
	if err := c.swap(ctx, live, tmp); err != nil {
		return fmt.Errorf("search: reindex %s: %w", k, err)
	}
	swapped = true
	if _, err := drain(ctx, pool, c, SyncOptions{MaxBatches: 1000}); err != nil {
		return fmt.Errorf("search: reindex %s: relay after swap: %w", k, err)
	}
	return nil
}

// swap puts tmp in place of live: a swap when live exists (then the old
// contents, now under tmp, are deleted), a rename when it does not.
func (c *Client) swap(ctx context.Context, live, tmp string) error {
	exists, err := c.indexExists(ctx, live)
	if err != nil {
		return err
	}
	params := []*meilisearch.SwapIndexesParams{{Indexes: []string{live, tmp}}}
	if !exists {
		params = []*meilisearch.SwapIndexesParams{{Indexes: []string{tmp, live}, Rename: true}}
	}
	info, err := c.ms.SwapIndexes(ctx, params)
	if err == nil {
		err = c.wait(ctx, info)
	}
	if err != nil {
		return fmt.Errorf("swap %s and %s: %w", live, tmp, err)
	}
	if exists {
		info, err := c.ms.DeleteIndex(ctx, tmp)
		if err == nil {
			err = c.wait(ctx, info)
		}
		if err != nil {
			return fmt.Errorf("delete old index: %w", err)
		}
	}
	return nil
}

// dropStale deletes indexes left by rebuilds that died before the swap.
// Called under the relay lock, so no rebuild of k is running.
func (c *Client) dropStale(ctx context.Context, k Kind) error {
	re := regexp.MustCompile("^" + regexp.QuoteMeta(c.IndexName(k)) + `_[0-9]{14}$`)
	res, err := c.ms.ListIndexes(ctx, &meilisearch.IndexesQuery{Limit: 1000})
	if err != nil {
		return fmt.Errorf("search: list indexes: %w", err)
	}
	for _, ix := range res.Results {
		if re.MatchString(ix.UID) {
			info, err := c.ms.DeleteIndex(ctx, ix.UID)
			if err == nil {
				err = c.wait(ctx, info)
			}
			if err != nil {
				return fmt.Errorf("search: delete stale index %s: %w", ix.UID, err)
			}
		}
	}
	return nil
}

// load streams every row of kind k from one repeatable-read snapshot into
// index name and waits for all tasks; it returns the number of rows.
func (c *Client) load(ctx context.Context, pool *pgxpool.Pool, name string, k Kind, progress func(done, total int)) (int, error) {
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return 0, err
	}
	defer tx.Rollback(context.Background())
	table := "profiles"
	if k == KindPositions {
		table = "positions"
	}
	var total int
	if err := tx.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&total); err != nil {
		return 0, err
	}
	if progress != nil {
		progress(0, total)
	}
	l := &loader{ctx: ctx, ix: c.ms.Index(name), total: total, progress: progress}
	if k == KindPositions {
		err = loadPositionDocs(ctx, tx, c.Now(), l)
	} else {
		err = loadProfileDocs(ctx, tx, l)
	}
	if err != nil {
		return 0, err
	}
	if err := c.waitAll(ctx, l.infos); err != nil {
		return 0, err
	}
	return total, nil
}

// loader sends a rebuild's documents to its index in chunks and keeps
// the tasks to wait for.
type loader struct {
	ctx      context.Context
	ix       meilisearch.IndexManager
	infos    []*meilisearch.TaskInfo
	sent     int
	total    int
	progress func(done, total int)
}

// send adds one chunk of n documents.
func (l *loader) send(docs any, n int) error {
	if n == 0 {
		return nil
	}
	pk := "id"
	info, err := l.ix.AddDocuments(l.ctx, docs, &meilisearch.DocumentOptions{PrimaryKey: &pk})
	if err != nil {
		return fmt.Errorf("add documents: %w", err)
	}
	l.infos = append(l.infos, info)
	l.sent += n
	if l.progress != nil {
		l.progress(l.sent, l.total)
	}
	return nil
}

// chunked collects documents and sends every reindexChunk of them.
type chunked[D any] struct {
	l     *loader
	batch []D
}

func (b *chunked[D]) add(d D) error {
	if b.batch = append(b.batch, d); len(b.batch) < reindexChunk {
		return nil
	}
	return b.flush()
}

func (b *chunked[D]) flush() error {
	err := b.l.send(&b.batch, len(b.batch))
	b.batch = make([]D, 0, reindexChunk)
	return err
}

// loadPositionDocs sends the document of every position read on tx.
func loadPositionDocs(ctx context.Context, tx pgx.Tx, now time.Time, l *loader) error {
	store := jobsdb.NewStore(tx)
	orgs, err := store.Organizations(ctx, nil)
	if err != nil {
		return err
	}
	b := &chunked[PositionDoc]{l: l}
	err = store.EachPosition(ctx, nil, func(p jobs.Position) error {
		d, err := NewPositionDoc(p, placeOf(p, orgs[p.OrgID]), now)
		if err != nil {
			return err
		}
		return b.add(d)
	})
	if err != nil {
		return err
	}
	return b.flush()
}

// loadProfileDocs sends the document of every profile read on tx.
func loadProfileDocs(ctx context.Context, tx pgx.Tx, l *loader) error {
	b := &chunked[ProfileDoc]{l: l}
	err := candidatesdb.NewStore(tx).EachProfile(ctx, nil, func(p candidates.Profile) error {
		d, err := NewProfileDoc(p)
		if err != nil {
			return err
		}
		return b.add(d)
	})
	if err != nil {
		return err
	}
	return b.flush()
}
