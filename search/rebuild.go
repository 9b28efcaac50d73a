package search

import (
	"context"
	"fmt"
	"regexp"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// reindexChunk is how many documents one AddDocuments call of a rebuild
// carries.
const reindexChunk = 10_000

// Rebuild builds a new index of kind k and puts it in place of the live
// one without interrupting searches: it deletes indexes left by rebuilds
// that died before their swap, builds <prefix>_<kind>_<timestamp>, applies
// the settings and waits, calls fill to add every document through a
// Loader (sent in chunks of 10,000), waits for every task, checks that the
// index holds as many documents as fill reports, and swaps it with the
// live index (or renames it into place when there is none yet), then
// deletes the old one. progress, if not nil, is called with the documents
// sent and the total fill gave Loader.Start.
//
// The caller keeps other writers off the index meanwhile
// (searchsync.Reindex holds the relay lock). It returns an error wrapping
// the Meilisearch error or fill's error, a *TaskError, or a count
// mismatch; the live index is then untouched and the new one deleted.
func (c *Client) Rebuild(ctx context.Context, k Kind, progress func(done, total int), fill func(l *Loader) (int, error)) error {
	if !k.Valid() {
		return fmt.Errorf("search: reindex: unknown kind %q", k)
	}
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
	n, err := c.load(ctx, tmp, progress, fill)
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
	return nil
}

// load has fill add its documents to index name, sends the last chunks
// and waits for all tasks; it returns fill's count.
func (c *Client) load(ctx context.Context, name string, progress func(done, total int), fill func(l *Loader) (int, error)) (int, error) {
	l := &Loader{ctx: ctx, ix: c.ms.Index(name), progress: progress}
	l.positions.l, l.profiles.l = l, l
	n, err := fill(l)
	if err == nil {
		err = l.positions.flush()
	}
	if err == nil {
		err = l.profiles.flush()
	}
	if err != nil {
		return 0, err
	}
	if err := c.waitAll(ctx, l.infos); err != nil {
		return 0, err
	}
	return n, nil
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

// Loader adds a rebuild's documents to its new index (Client.Rebuild) in
// chunks, and keeps the tasks to wait for.
type Loader struct {
	ctx       context.Context
	ix        meilisearch.IndexManager
	infos     []*meilisearch.TaskInfo
	sent      int
	total     int
	progress  func(done, total int)
	positions chunked[PositionDoc]
	profiles  chunked[ProfileDoc]
}

// Start says how many documents fill will add, for progress.
func (l *Loader) Start(total int) {
	l.total = total
	if l.progress != nil {
		l.progress(0, total)
	}
}

// AddPosition adds the document of a position, sending a chunk when one
// is full. It returns the Meilisearch error of that send.
func (l *Loader) AddPosition(d PositionDoc) error { return l.positions.add(d) }

// AddProfile adds the document of a profile, like AddPosition.
func (l *Loader) AddProfile(d ProfileDoc) error { return l.profiles.add(d) }

// send adds one chunk of n documents.
func (l *Loader) send(docs any, n int) error {
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
	l     *Loader
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
