// Package outbox owns the outbox table: every change to a position or a
// profile writes a row here in the change's own transaction (Write,
// WriteMany, Copy), and readers that mirror those records elsewhere (the
// search relay, the in-memory feature store) follow the rows with one
// Reader. No other package reads or writes the table.
package outbox

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"carefit/internal/platform/pg"
)

// Entity is the kind of record a row is about.
type Entity string

// The entities.
const (
	Position Entity = "position"
	Profile  Entity = "profile"
)

// Op is what happened to the record. Readers reload the record's current
// state whatever the op, so it is informative only.
type Op string

// The ops.
const (
	Upsert Op = "upsert"
	Delete Op = "delete"
)

var cols = []string{"entity", "entity_id", "op", "created_at"}

// Write records that entity id changed at at. Call it on the transaction
// that makes the change, so the row commits with it. It returns the
// database error classified by pg.Classify.
func Write(ctx context.Context, tx pg.DBTX, e Entity, id string, op Op, at time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO outbox (entity, entity_id, op, created_at) VALUES ($1, $2, $3, $4)`, e, id, op, at)
	return pg.Classify("outbox.Write", err)
}

// WriteMany is Write for several records in one statement; no ids writes
// nothing. It returns the database error classified by pg.Classify.
func WriteMany(ctx context.Context, tx pg.DBTX, e Entity, ids []string, op Op, at time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO outbox (entity, entity_id, op, created_at)
		SELECT $1, id, $3, $4 FROM unnest($2::uuid[]) AS id`, e, ids, op, at)
	return pg.Classify("outbox.WriteMany", err)
}

// Copy is WriteMany with COPY, for bulk imports. It returns an error for
// an id that is not a UUID, or the database error classified by
// pg.Classify.
func Copy(ctx context.Context, tx pg.DBTX, e Entity, ids []string, op Op, at time.Time) error {
	rows := make([][]any, len(ids))
	for i, id := range ids {
		u, err := uuid.Parse(id)
		if err != nil {
			return pg.Classify("outbox.Copy", err)
		}
		rows[i] = []any{string(e), [16]byte(u), string(op), at}
	}
	_, err := tx.CopyFrom(ctx, pgx.Identifier{"outbox"}, cols, pgx.CopyFromRows(rows))
	return pg.Classify("outbox.Copy", err)
}

// Retention is how long rows marked done are kept, for debugging and for
// readers that follow the outbox by cursor.
const Retention = 7 * 24 * time.Hour

// Prune deletes rows marked done before before, in chunks so no statement
// holds many locks, and returns how many it deleted. Rows not yet done are
// never deleted. It returns the database error classified by pg.Classify.
func Prune(ctx context.Context, db pg.DBTX, before time.Time) (int64, error) {
	var total int64
	for {
		tag, err := db.Exec(ctx, `DELETE FROM outbox WHERE id IN (
			SELECT id FROM outbox WHERE done_at < $1 LIMIT 10000)`, before)
		if err != nil {
			return total, pg.Classify("outbox.Prune", err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() == 0 {
			return total, nil
		}
	}
}
