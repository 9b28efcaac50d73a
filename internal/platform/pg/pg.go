// Package pg opens carefit's Postgres pool and applies its migrations,
// numbered SQL files embedded in the binary and run by jackc/tern.
package pg

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// versionTable records the applied migration version.
const versionTable = "schema_version"

// DBTX is what stores need: a pool, a connection or a transaction.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	CopyFrom(ctx context.Context, table pgx.Identifier, columns []string, src pgx.CopyFromSource) (int64, error)
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Open connects a pool of at most maxConns connections and pings it.
func Open(ctx context.Context, url string, maxConns int32) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("pg: parse url: %w", err)
	}
	if maxConns > 0 {
		cfg.MaxConns = maxConns
	}
	cfg.MaxConnIdleTime = 5 * time.Minute
	cfg.ConnConfig.RuntimeParams["application_name"] = "carefit"
	cfg.AfterConnect = func(_ context.Context, c *pgx.Conn) error {
		registerJSON(c.TypeMap())
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pg: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("pg: ping: %w", err)
	}
	return pool, nil
}

// Migrations returns the embedded migration files.
func Migrations() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embed pattern guarantees the directory
	}
	return sub
}

func migrator(ctx context.Context, conn *pgx.Conn) (*migrate.Migrator, error) {
	m, err := migrate.NewMigrator(ctx, conn, versionTable)
	if err != nil {
		return nil, fmt.Errorf("pg: migrator: %w", err)
	}
	if err := m.LoadMigrations(Migrations()); err != nil {
		return nil, fmt.Errorf("pg: load migrations: %w", err)
	}
	return m, nil
}

// Migrate applies every pending migration and returns the versions before
// and after. It is safe to run concurrently: tern takes an advisory lock.
func Migrate(ctx context.Context, pool *pgxpool.Pool) (from, to int32, err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, 0, fmt.Errorf("pg: acquire: %w", err)
	}
	defer conn.Release()
	m, err := migrator(ctx, conn.Conn())
	if err != nil {
		return 0, 0, err
	}
	if from, err = m.GetCurrentVersion(ctx); err != nil {
		return 0, 0, fmt.Errorf("pg: current version: %w", err)
	}
	if err := m.Migrate(ctx); err != nil {
		return from, 0, fmt.Errorf("pg: migrate: %w", err)
	}
	to, err = m.GetCurrentVersion(ctx)
	return from, to, err
}

// Status is the migration state of a database.
type Status struct {
	Current int32    `json:"current"`
	Latest  int32    `json:"latest"`
	Pending []string `json:"pending,omitempty"`
}

// MigrationStatus reports the applied and the latest embedded version
// without changing anything.
func MigrationStatus(ctx context.Context, db *pgxpool.Pool) (Status, error) {
	names, err := migrate.FindMigrations(Migrations())
	if err != nil {
		return Status{}, err
	}
	st := Status{Latest: int32(len(names))}
	err = db.QueryRow(ctx, "SELECT version FROM "+versionTable).Scan(&st.Current)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // table absent: nothing applied
		err = nil
	}
	if err != nil {
		return Status{}, fmt.Errorf("pg: read version: %w", err)
	}
	if int(st.Current) < len(names) {
		for _, n := range names[st.Current:] {
			st.Pending = append(st.Pending, n)
		}
	}
	return st, nil
}

// DB is what a store that runs its own transactions needs: queries, COPY
// and Begin. *pgxpool.Pool, *pgx.Conn and pgx.Tx satisfy it; given a
// pgx.Tx, the store's transactions become savepoints inside the caller's.
type DB interface {
	DBTX
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Clock is a store's clock, a field so tests can set it.
type Clock struct {
	// Now is the clock, injected so tests are deterministic; stores set it
	// to time.Now.
	Now func() time.Time
}

// Stamp returns the clock's time at Postgres's precision (Time), so a
// value returned by a write equals the value read back later.
func (c Clock) Stamp() time.Time { return Time(c.Now()) }
