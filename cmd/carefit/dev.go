package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/labstack/echo/v4"

	"carefit/internal/platform/config"
	"carefit/internal/platform/devstack"
	"carefit/internal/platform/pg"
)

// runDev runs the whole stack in one process; each step is a function
// below, and everything started is stopped in reverse order on return.
func runDev(ctx context.Context, e env, args []string) error {
	cfg, log, stateDir, unlock, err := devSetup(e, args)
	if err != nil {
		return err
	}
	defer unlock()
	started := time.Now()
	stack, err := devServices(ctx, &cfg, log, stateDir)
	if err != nil {
		return err
	}
	defer func() {
		log.Info("stopping private services")
		if err := stack.Stop(); err != nil {
			log.Error("stopping services", "err", err)
		}
	}()
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	if err := devDatabase(ctx, a, e); err != nil {
		return err
	}
	l, err := devListen(e, args, cfg.HTTPAddr, log)
	if err != nil {
		return err
	}
	srv, keys, shutdown, err := devServe(ctx, a, stateDir)
	if err != nil {
		return err
	}
	defer shutdown()
	base := "http://" + l.Addr().String()
	log.Info("carefit is ready", "url", base, "startup", time.Since(started).Round(time.Millisecond).String())
	envPath, err := writeDevEnv(stateDir, cfg, base)
	if err != nil {
		return fmt.Errorf("write the stack's settings: %w", err)
	}
	printDevBanner(e, base, envPath, stateDir, keys)
	return a.serveHTTP(ctx, srv, l)
}

// devSetup reads the configuration and flags and locks the state
// directory; the caller runs unlock.
func devSetup(e env, args []string) (cfg config.Config, log *slog.Logger, stateDir string, unlock func(), err error) {
	fs := newFlags(e, "dev", "[-dir DIR] [-addr HOST:PORT]",
		"Run the whole stack on this machine for trying carefit: private Postgres, Redis and Meilisearch under the\n"+
			"state directory, migrations, a seeded demo market on first run, and the API and worker in one process.\n"+
			"Ctrl-C stops everything it started. Data is kept for the next run.")
	if cfg, log, err = loadConfig(e, "text"); err != nil {
		return cfg, nil, "", nil, err
	}
	dir := fs.String("dir", cfg.StateDir, "state directory (CAREFIT_STATE_DIR)")
	addr := fs.String("addr", cfg.HTTPAddr, "HTTP address; if it is taken and was not set explicitly, a free port is used")
	if err = fs.Parse(args); err != nil {
		return cfg, nil, "", nil, err
	}
	cfg.HTTPAddr = *addr
	if stateDir, err = filepath.Abs(*dir); err != nil {
		return cfg, nil, "", nil, err
	}
	if err = os.MkdirAll(stateDir, 0o755); err != nil {
		return cfg, nil, "", nil, err
	}
	unlock, err = lockDir(stateDir)
	return cfg, log, stateDir, unlock, err
}

// devServices starts private Postgres, Redis and Meilisearch under
// stateDir and points cfg at them; the caller stops the stack.
func devServices(ctx context.Context, cfg *config.Config, log *slog.Logger, stateDir string) (*devstack.Stack, error) {
	log.Info("starting private services", "dir", stateDir)
	stack, err := devstack.Start(ctx, devstack.Options{Dir: stateDir, MeiliBin: cfg.MeiliBin, Logger: log})
	if err != nil {
		return nil, err
	}
	dbURL, err := devstack.CreateDatabase(ctx, stack.Postgres.URL, "carefit")
	if err == nil {
		cfg.DatabaseURL, cfg.RedisURL, cfg.MeiliURL = dbURL, stack.Redis.URL, stack.Meili.URL
		cfg.MeiliKey, err = serverMeiliKey(ctx, stack.Meili.URL, stack.Meili.Key, cfg.MeiliIndexPrefix, stateDir)
	}
	if err != nil {
		stack.Stop()
		return nil, err
	}
	return stack, nil
}

// devDatabase migrates the database and seeds the demo market on first run.
func devDatabase(ctx context.Context, a *app, e env) error {
	from, to, err := pg.Migrate(ctx, a.pool)
	if err != nil {
		return err
	}
	a.log.Info("database migrated", "from", from, "to", to)
	if _, err := seedDemo(ctx, a.pool, e.stderr); err != nil {
		return fmt.Errorf("seeding the demo market: %w", err)
	}
	return nil
}

// devListen listens on addr, or on a free port when addr is taken and was
// not chosen explicitly.
func devListen(e env, args []string, addr string, log *slog.Logger) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil && e.getenv("CAREFIT_HTTP_ADDR") == "" && !flagSet(args, "addr") {
		log.Warn("address taken, using a free port", "addr", addr)
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return l, nil
}

// devServe builds the feature store, the demo keys, the API and the
// worker, and starts the worker; shutdown stops it.
func devServe(ctx context.Context, a *app, stateDir string) (srv *echo.Echo, keys map[string]string, shutdown func(), err error) {
	if err = a.search.EnsureIndexes(ctx); err != nil {
		return nil, nil, nil, fmt.Errorf("search indexes: %w", err)
	}
	features, err := a.features(ctx, searchText())
	if err != nil {
		return nil, nil, nil, err
	}
	if keys, err = demoKeys(ctx, a.pool, features, stateDir); err != nil {
		return nil, nil, nil, fmt.Errorf("demo keys: %w", err)
	}
	a.inProcessWorker = true
	if srv, err = a.apiServer(features); err != nil {
		return nil, nil, nil, err
	}
	w, err := a.worker(ctx, features)
	if err != nil {
		return nil, nil, nil, err
	}
	if err = w.Start(); err != nil {
		return nil, nil, nil, err
	}
	a.wakeSync(ctx) // index whatever the seeding or an earlier run left in the outbox
	return srv, keys, w.Shutdown, nil
}

func printDevBanner(e env, base, envPath, stateDir string, keys map[string]string) {
	fmt.Fprintf(e.stdout, `
carefit is running at %[1]s   (state in %[2]s)
Open it in a browser and sign in with one of the keys below.
API reference: %[1]s/docs

Demo keys (also in %[2]s/demo-keys.txt):
  admin      %[3]s
  recruiter  %[4]s
  clinician  %[5]s

Try:
  curl %[1]s/readyz
  curl -H "Authorization: Bearer %[4]s" %[1]s/v1/me
  curl -H "Authorization: Bearer %[4]s" "%[1]s/v1/positions?status=open&limit=5"
  curl -H "Authorization: Bearer %[5]s" "%[1]s/v1/positions?limit=5"
  curl -H "Authorization: Bearer %[4]s" "%[1]s/v1/search/profiles?q=spanish&limit=3"
  curl -H "Authorization: Bearer %[5]s" "%[1]s/v1/me/roles?limit=3"

From another shell, reach this stack with its settings and a scoped search key:
  . %[6]s
  carefit import -kind profiles FILE      carefit reindex      psql "$CAREFIT_DATABASE_URL"

Press Ctrl-C to stop; data is kept for the next run.
`, base, stateDir, keys["admin"], keys["recruiter"], keys["clinician"], envPath)
}

func flagSet(args []string, name string) bool {
	for _, a := range args {
		if a == "-"+name || a == "--"+name || len(a) > len(name)+2 && (a[:len(name)+2] == "-"+name+"=" || a[:len(name)+3] == "--"+name+"=") {
			return true
		}
	}
	return false
}

// lockDir makes sure only one carefit dev uses a state directory.
func lockDir(dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, "dev.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("another carefit dev is running with state directory %s", dir)
		}
		return nil, err
	}
	return func() { f.Close() }, nil
}
