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
	// horizon is the oldest running transaction of the read's snapshot.
	horizon uint64
}

func (row Row) cursor() Cursor { return Cursor{row.Tx, row.ID} }

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
//   - Following (Follow) keeps its place in memory: a cursor in (txid, id)
//     order below which every row has been applied, and the ids of rows
//     applied past it. Row ids are taken at insert but commit in any order,
//     so reading by id alone could pass a slow transaction's row before it
//     commits (see migration 004). The cursor therefore only moves up to
//     the oldest transaction still running (the horizon); rows of
//     transactions that committed beyond it are read and applied at once,
//     remembered by id, and not read again. An unrelated transaction left
//     open, or a bulk import in progress, holds the cursor back but never
//     delays other committed changes. Any number of followers may run.
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
// reader on. A Reader is safe for concurrent use; a following reader is
// meant for one follower that calls Next and Ack in turn.
type Reader struct {
	db      pg.DBTX
	pending bool
	mu      sync.Mutex
	at      Cursor
	// applied holds the ids (and txids) of rows past at that were applied;
	// horizon is the oldest running transaction seen by the last Next and
	// full whether that Next stopped at its limit.
	applied map[int64]uint64
	horizon uint64
	full    bool
}

// Follow returns a reader of the rows after cursor at.
func Follow(db pg.DBTX, at Cursor) *Reader {
	return &Reader{db: db, at: at, applied: map[int64]uint64{}}
}

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
	if r.pending {
		return r.scan(ctx, `SELECT txid::text::numeric, id, entity, entity_id::text, 0 FROM outbox
			WHERE done_at IS NULL ORDER BY id LIMIT $1`, n)
	}
	r.mu.Lock()
	at := r.at
	skip := make([]int64, 0, len(r.applied))
	for id := range r.applied {
		skip = append(skip, id)
	}
	r.mu.Unlock()
	// Every row this snapshot sees is committed (or aborted and gone); the
	// horizon comes from the same snapshot.
	rows, err := r.scan(ctx, `SELECT txid::text::numeric, id, entity, entity_id::text,
			pg_snapshot_xmin(pg_current_snapshot())::text::numeric FROM outbox
		WHERE (txid, id) > ($2::text::xid8, $3) AND NOT (id = ANY($4))
		ORDER BY txid, id LIMIT $1`, n, strconv.FormatUint(at.Tx, 10), at.ID, skip)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.full = len(rows) == n
	if len(rows) > 0 {
		r.horizon = rows[0].horizon
		return rows, nil
	}
	// Nothing new: every committed row past the cursor is applied, so the
	// cursor moves up to the horizon and forgets the rows it passes.
	if err := r.db.QueryRow(ctx, `SELECT pg_snapshot_xmin(pg_current_snapshot())::text::numeric`).Scan(&r.horizon); err != nil {
		return nil, pg.Classify("outbox.Next", err)
	}
	r.passHorizon()
	return rows, nil
}

// scan runs a query whose columns are a Row's and a horizon.
func (r *Reader) scan(ctx context.Context, q string, args ...any) ([]Row, error) {
	rows, err := r.db.Query(ctx, q, args...)
	if err != nil {
		return nil, pg.Classify("outbox.Next", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var row Row
		if err := rows.Scan(&row.Tx, &row.ID, &row.Entity, &row.EntityID, &row.horizon); err != nil {
			return nil, pg.Classify("outbox.Next", err)
		}
		out = append(out, row)
	}
	return out, pg.Classify("outbox.Next", rows.Err())
}

// Ack records that rows, all of those the last Next returned, were applied: a pending
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
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.pending {
		r.advance(rows[len(rows)-1].cursor())
		return nil
	}
	// Rows below the horizon come first (the order is by txid) and end the
	// contiguous part the cursor may pass; the others are remembered.
	for _, row := range rows {
		if row.Tx < r.horizon {
			r.advance(row.cursor())
		} else {
			r.applied[row.ID] = row.Tx
		}
	}
	if !r.full {
		r.passHorizon()
	}
	return nil
}

// passHorizon moves the cursor to the horizon after a read that saw every
// committed row past it, all of them now applied: nothing below the
// horizon can still commit, and the horizon's own transaction has not.
// Applied rows the cursor passes are forgotten.
func (r *Reader) passHorizon() {
	r.advance(Cursor{Tx: r.horizon, ID: -1})
	for id, tx := range r.applied {
		if tx < r.at.Tx {
			delete(r.applied, id)
		}
	}
}

// advance moves the cursor to c if c is past it.
func (r *Reader) advance(c Cursor) {
	if c.Tx > r.at.Tx || c.Tx == r.at.Tx && c.ID > r.at.ID {
		r.at = c
	}
}

// Lag is how many applied rows the reader remembers past its cursor: rows
// of transactions that committed after one still running. It grows while
// a transaction stays open and falls to 0 once it ends.
func (r *Reader) Lag() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.applied)
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
