package outbox

import (
	"context"
	"strconv"
	"sync"

	"carefit/internal/platform/pg"
)

// Row is one outbox row as a reader sees it.
type Row struct {
	Tx       uint64 // the writing transaction's id
	ID       int64
	Entity   Entity
	EntityID string
}

// Cursor is a place in the outbox's commit order, (Tx, ID): a reader at
// Cursor has applied every row at or before it.
type Cursor struct {
	Tx uint64
	ID int64
}

// Horizon returns the cursor just before the oldest transaction still
// running. A reader that has just loaded the records' state starts there:
// rows before it are in what it loaded; rows after it are read (some
// twice, which is harmless because readers reload current state).
func Horizon(ctx context.Context, db pg.DBTX) (Cursor, error) {
	var c Cursor
	err := db.QueryRow(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text::numeric`).Scan(&c.Tx)
	return c, pg.Classify("outbox.Horizon", err)
}

// Reader follows committed outbox rows and never skips one. It keeps its
// place in one of two ways, chosen when it is made:
//
//   - Following (Follow) keeps a cursor in memory and reads rows in
//     (txid, id) order, only those whose transaction is older than every
//     transaction still running. Row ids are taken at insert but commit
//     in any order, so reading by id alone could pass a slow transaction's
//     row before it commits; nothing can commit behind that horizon (see
//     migration 004). Any number of followers may run.
//   - Pending (Pending) reads rows not yet marked done, in id order, and
//     Ack marks them done. A row of an uncommitted transaction is not
//     visible and stays undone until it is read after its commit, so no
//     horizon is needed and rows are applied as soon as they commit. Only
//     one pending reader may run at a time per database (the search relay
//     holds an advisory lock): two could apply one record's states out of
//     order.
//
// In both ways a row is applied only after its transaction committed, and
// a batch that fails to apply is read again, because only Ack moves the
// reader on. A Reader is safe for concurrent use.
type Reader struct {
	db      pg.DBTX
	pending bool
	mu      sync.Mutex
	at      Cursor
}

// Follow returns a reader of the rows after cursor at.
func Follow(db pg.DBTX, at Cursor) *Reader { return &Reader{db: db, at: at} }

// Pending returns a reader of the rows not yet marked done.
func Pending(db pg.DBTX) *Reader { return &Reader{db: db, pending: true} }

// At returns the reader's cursor: the last row acknowledged.
func (r *Reader) At() Cursor {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.at
}

// Next reads up to n committed rows after the reader's place, oldest
// first, without moving it. It returns the database error classified by
// pg.Classify.
func (r *Reader) Next(ctx context.Context, n int) ([]Row, error) {
	at := r.At()
	q := `SELECT txid::text::numeric, id, entity, entity_id::text FROM outbox
		WHERE (txid, id) > ($1::text::xid8, $2) AND txid < pg_snapshot_xmin(pg_current_snapshot())
		ORDER BY txid, id LIMIT $3`
	args := []any{strconv.FormatUint(at.Tx, 10), at.ID, n}
	if r.pending {
		q = `SELECT txid::text::numeric, id, entity, entity_id::text FROM outbox
			WHERE done_at IS NULL ORDER BY id LIMIT $1`
		args = []any{n}
	}
	rows, err := r.db.Query(ctx, q, args...)
	if err != nil {
		return nil, pg.Classify("outbox.Next", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var row Row
		if err := rows.Scan(&row.Tx, &row.ID, &row.Entity, &row.EntityID); err != nil {
			return nil, pg.Classify("outbox.Next", err)
		}
		out = append(out, row)
	}
	return out, pg.Classify("outbox.Next", rows.Err())
}

// Ack records that rows, as returned by Next, were applied: a pending
// reader marks them done, and every reader moves past the last one. It
// returns the database error classified by pg.Classify, after which the
// reader has not moved.
func (r *Reader) Ack(ctx context.Context, rows []Row) error {
	if len(rows) == 0 {
		return nil
	}
	if r.pending {
		ids := make([]int64, len(rows))
		for i, row := range rows {
			ids[i] = row.ID
		}
		if _, err := r.db.Exec(ctx, `UPDATE outbox SET done_at = now() WHERE id = ANY($1)`, ids); err != nil {
			return pg.Classify("outbox.Ack", err)
		}
	}
	last := rows[len(rows)-1]
	r.mu.Lock()
	defer r.mu.Unlock()
	if c := (Cursor{last.Tx, last.ID}); c.Tx > r.at.Tx || c.Tx == r.at.Tx && c.ID > r.at.ID {
		r.at = c
	}
	return nil
}

// Entities returns the distinct entity ids of rows of entity e, in the
// order they first appear: readers reload each record once per batch.
func Entities(rows []Row, e Entity) []string {
	var ids []string
	seen := map[string]bool{}
	for _, row := range rows {
		if row.Entity == e && !seen[row.EntityID] {
			seen[row.EntityID] = true
			ids = append(ids, row.EntityID)
		}
	}
	return ids
}
