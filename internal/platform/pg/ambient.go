package pg

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// txKey is the context key of a request's ambient transaction.
type txKey struct{}

// WithTx returns a context under which an Ambient database runs every
// statement in tx, and begins savepoints inside it instead of
// transactions of its own. The idempotency middleware uses it so that a
// request's writes and the record of its answer commit together, or not at
// all: a crash between them then loses both, and a retry starts afresh.
//
// A pgx.Tx serves one statement at a time: code that runs under such a
// context must not query from several goroutines at once.
func WithTx(ctx context.Context, tx pgx.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// TxFrom returns the ambient transaction of ctx, if any.
func TxFrom(ctx context.Context) (pgx.Tx, bool) {
	tx, ok := ctx.Value(txKey{}).(pgx.Tx)
	return tx, ok
}

// Ambient is a DB that runs each call in the context's ambient transaction
// (WithTx) when there is one, and on its pool otherwise. Stores are built
// on it, so a request that carries a transaction writes through it without
// the stores knowing.
type Ambient struct{ DB DB }

var _ DB = Ambient{}

func (a Ambient) on(ctx context.Context) DB {
	if tx, ok := TxFrom(ctx); ok {
		return tx
	}
	return a.DB
}

// Exec runs sql in the ambient transaction or on the pool.
func (a Ambient) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	return a.on(ctx).Exec(ctx, sql, args...)
}

// Query runs sql in the ambient transaction or on the pool.
func (a Ambient) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	return a.on(ctx).Query(ctx, sql, args...)
}

// QueryRow runs sql in the ambient transaction or on the pool.
func (a Ambient) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	return a.on(ctx).QueryRow(ctx, sql, args...)
}

// CopyFrom copies rows in the ambient transaction or on the pool.
func (a Ambient) CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error) {
	return a.on(ctx).CopyFrom(ctx, table, columns, src)
}

// SendBatch sends b in the ambient transaction or on the pool.
func (a Ambient) SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults {
	return a.on(ctx).SendBatch(ctx, b)
}

// Begin starts a savepoint inside the ambient transaction, or a
// transaction on the pool.
func (a Ambient) Begin(ctx context.Context) (pgx.Tx, error) {
	return a.on(ctx).Begin(ctx)
}
