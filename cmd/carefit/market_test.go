package main

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"carefit/internal/market"
	"carefit/internal/platform/config"
	"carefit/internal/platform/logging"
	"carefit/internal/platform/pg"
)

// marketStack starts a private stack, migrates it and loads a generated
// market of size. It returns the stack's settings, the environment a
// carefit process needs (with extra added: a worker's scheduler, metrics
// address, …) and a pool closed when the test ends.
func marketStack(t *testing.T, seed uint64, size market.Size, extra map[string]string) (config.Config, map[string]string, *pgxpool.Pool) {
	t.Helper()
	_, cfg := privateStack(t)
	ctx := context.Background()
	vars := map[string]string{"CAREFIT_DATABASE_URL": cfg.DatabaseURL, "CAREFIT_REDIS_URL": cfg.RedisURL,
		"CAREFIT_MEILI_URL": cfg.MeiliURL, "CAREFIT_MEILI_KEY": cfg.MeiliKey, "CAREFIT_SHUTDOWN_TIMEOUT": "2s"}
	for k, v := range extra {
		vars[k] = v
	}
	e, _, errb := testEnv(vars)
	if code := run(ctx, e, []string{"migrate", "up"}); code != 0 {
		t.Fatalf("migrate up: exit %d: %s", code, errb)
	}
	db, err := pg.Open(ctx, cfg.DatabaseURL, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	if err := market.Load(ctx, db, market.Generate(seed, size, time.Now()), time.Now, nil); err != nil {
		t.Fatal(err)
	}
	return cfg, vars, db
}

// servingApp opens the process's connections on cfg, migrates, loads the
// feature store (following until the test ends) and builds the API server
// as carefit serve does, in-process.
func servingApp(t *testing.T, cfg config.Config) (*app, *echo.Echo) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := openApp(ctx, cfg, logging.NewLogger(&bytes.Buffer{}, "json", 0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); a.close() })
	if _, _, err := pg.Migrate(ctx, a.pool); err != nil {
		t.Fatal(err)
	}
	fs, err := a.features(ctx, searchText())
	if err != nil {
		t.Fatal(err)
	}
	srv, err := a.apiServer(fs)
	if err != nil {
		t.Fatal(err)
	}
	return a, srv
}
