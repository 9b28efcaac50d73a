package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"carefit/internal/platform/devstack"
	"carefit/internal/platform/pg"
)

func runDev(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "dev", "[-dir DIR] [-addr HOST:PORT]",
		"Run the whole stack on this machine for trying carefit: private Postgres, Redis and Meilisearch under the\n"+
			"state directory, migrations, a seeded demo market on first run, and the API and worker in one process.\n"+
			"Ctrl-C stops everything it started. Data is kept for the next run.")
	cfg, log, err := loadConfig(e, "text")
	if err != nil {
		return err
	}
	dir := fs.String("dir", cfg.StateDir, "state directory (CAREFIT_STATE_DIR)")
	addr := fs.String("addr", cfg.HTTPAddr, "HTTP address; if it is taken and was not set explicitly, a free port is used")
	if err := fs.Parse(args); err != nil {
		return err
	}
	stateDir, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(stateDir, 0o755); err != nil {
		return err
	}
	unlock, err := lockDir(stateDir)
	if err != nil {
		return err
	}
	defer unlock()

	started := time.Now()
	log.Info("starting private services", "dir", stateDir)
	stack, err := devstack.Start(ctx, devstack.Options{Dir: stateDir, MeiliBin: cfg.MeiliBin, Logger: log})
	if err != nil {
		return err
	}
	defer func() {
		log.Info("stopping private services")
		if err := stack.Stop(); err != nil {
			log.Error("stopping services", "err", err)
		}
	}()
	dbURL, err := devstack.CreateDatabase(ctx, stack.Postgres.URL, "carefit")
	if err != nil {
		return err
	}
	cfg.DatabaseURL, cfg.RedisURL = dbURL, stack.Redis.URL
	cfg.MeiliURL = stack.Meili.URL
	if cfg.MeiliKey, err = serverMeiliKey(ctx, stack.Meili.URL, stack.Meili.Key, cfg.MeiliIndexPrefix, stateDir); err != nil {
		return err
	}
	cfg.HTTPAddr = *addr

	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	from, to, err := pg.Migrate(ctx, a.pool)
	if err != nil {
		return err
	}
	log.Info("database migrated", "from", from, "to", to)
	if _, err := seedDemo(ctx, a.pool, e.stderr); err != nil {
		return fmt.Errorf("seeding the demo market: %w", err)
	}

	l, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil && e.getenv("CAREFIT_HTTP_ADDR") == "" && !flagSet(args, "addr") {
		log.Warn("address taken, using a free port", "addr", cfg.HTTPAddr)
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.HTTPAddr, err)
	}
	if err := a.search.EnsureIndexes(ctx); err != nil {
		return fmt.Errorf("search indexes: %w", err)
	}
	features, err := a.features(ctx)
	if err != nil {
		return err
	}
	keys, err := demoKeys(ctx, a.pool, features, stateDir)
	if err != nil {
		return fmt.Errorf("demo keys: %w", err)
	}
	srv, err := a.apiServer(features)
	if err != nil {
		return err
	}
	w, err := a.worker()
	if err != nil {
		return err
	}
	if err := w.Start(); err != nil {
		return err
	}
	defer w.Shutdown()
	a.wakeSync(ctx) // index whatever the seeding or an earlier run left in the outbox

	base := "http://" + l.Addr().String()
	log.Info("carefit is ready", "url", base, "startup", time.Since(started).Round(time.Millisecond).String())
	fmt.Fprintf(e.stdout, `
carefit is running at %[1]s   (state in %[2]s)
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

Press Ctrl-C to stop; data is kept for the next run.
`, base, stateDir, keys["admin"], keys["recruiter"], keys["clinician"])
	return a.serveHTTP(ctx, srv, l)
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
