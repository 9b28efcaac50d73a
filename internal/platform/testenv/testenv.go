// Package testenv gives each test its own slice of real services: a fresh
// migrated Postgres database cloned from a template, a private Redis logical
// database and a Meilisearch index prefix. `make test` starts one private
// stack for the whole run and passes it in through CAREFIT_TEST_* variables;
// without them, Main starts a stack for the one test binary (the binaries
// must be installed: scripts/setup).
package testenv

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/meilisearch/meilisearch-go"
	"github.com/redis/go-redis/v9"

	"carefit/internal/platform/devstack"
	"carefit/internal/platform/pg"
)

// The variables through which `carefit stack exec` hands a running stack to
// the tests (see devstack.TestEnv).
const (
	VarPostgres  = devstack.VarTestPostgres
	VarRedis     = devstack.VarTestRedis
	VarMeiliURL  = devstack.VarTestMeiliURL
	VarMeiliKey  = devstack.VarTestMeiliKey
	templateLock = 7_220_315 // advisory lock id guarding template creation
)

// Main runs the package's tests, first starting a private stack if none was
// handed in. Use it from TestMain: func TestMain(m *testing.M) { testenv.Main(m) }.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	if os.Getenv(VarPostgres) != "" || fuzzWorker() {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "carefit-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "testenv:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	s, err := devstack.Start(context.Background(), devstack.Options{
		Dir: dir, BinDir: StateDir(), Ephemeral: true, MeiliBin: os.Getenv("CAREFIT_MEILI_BIN"),
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "testenv: cannot start the test services (run `make test`, or scripts/setup first): %v\n", err)
		return 1
	}
	defer s.Stop()
	for k, v := range s.TestEnv() {
		os.Setenv(k, v)
	}
	return m.Run()
}

// fuzzWorker reports whether this process is one of the workers `go test
// -fuzz` starts: they run only fuzz targets, which use no services here, and
// the fuzzer kills them without running deferred cleanups, which would
// leave a stack's servers and data behind.
func fuzzWorker() bool {
	for _, a := range os.Args[1:] {
		if strings.HasPrefix(a, "-test.fuzzworker") {
			return true
		}
	}
	return false
}

// StateDir is the project's state directory (CAREFIT_STATE_DIR or .carefit
// at the module root), where scripts/setup puts the Meilisearch binary.
func StateDir() string {
	if d := os.Getenv("CAREFIT_STATE_DIR"); d != "" {
		if abs, err := filepath.Abs(d); err == nil {
			return abs
		}
	}
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, ".carefit")
		}
		if filepath.Dir(d) == d {
			return filepath.Join(dir, ".carefit")
		}
	}
}

func mustEnv(tb testing.TB, name string) string {
	tb.Helper()
	v := os.Getenv(name)
	if v == "" {
		tb.Fatalf("%s is not set: call testenv.Main from TestMain, or run the tests with `make test`", name)
	}
	return v
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// migrationsHash names the template after the migrations it holds, so a
// changed migration gets a new template instead of a stale one.
func migrationsHash() string {
	h := sha256.New()
	_ = fs.WalkDir(pg.Migrations(), ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, _ := fs.ReadFile(pg.Migrations(), path)
		h.Write([]byte(path))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func withDatabase(admin, name string) string {
	u, _ := url.Parse(admin)
	u.Path = "/" + name
	return u.String()
}

// ensureTemplate creates and migrates the template database once per
// cluster; concurrent test binaries wait on an advisory lock.
func ensureTemplate(ctx context.Context, admin string) (string, error) {
	name := "carefit_tmpl_" + migrationsHash()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLock); err != nil {
		return "", err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", templateLock)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_building"
	if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+building); err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+building); err != nil {
		return "", err
	}
	pool, err := pg.Open(ctx, withDatabase(admin, building), 2)
	if err != nil {
		return "", err
	}
	_, _, err = pg.Migrate(ctx, pool)
	pool.Close()
	if err != nil {
		return "", err
	}
	if _, err := conn.Exec(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return "", err
	}
	return name, nil
}

// DatabaseURL creates a fresh, migrated database for this test and returns
// its URL; the database is dropped when the test ends.
func DatabaseURL(tb testing.TB) string {
	tb.Helper()
	admin := mustEnv(tb, VarPostgres)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(ctx, admin) })
	if templateErr != nil {
		tb.Fatalf("testenv: template database: %v", templateErr)
	}
	name := "t_" + randomHex(8)
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("testenv: connect: %v", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", name, templateName)); err != nil {
		tb.Fatalf("testenv: clone template: %v", err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c, err := pgx.Connect(ctx, admin)
		if err != nil {
			tb.Errorf("testenv: drop %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("testenv: drop %s: %v", name, err)
		}
	})
	return withDatabase(admin, name)
}

// DB returns a pool on a fresh, migrated database of this test's own.
func DB(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	pool, err := pg.Open(context.Background(), DatabaseURL(tb), 8)
	if err != nil {
		tb.Fatalf("testenv: open: %v", err)
	}
	tb.Cleanup(pool.Close) // runs before the drop registered earlier
	return pool
}

// Redis returns a URL of a Redis logical database of this test's own,
// flushed when the test ends.
func Redis(tb testing.TB) string {
	tb.Helper()
	base := mustEnv(tb, VarRedis)
	opt, err := redis.ParseURL(base)
	if err != nil {
		tb.Fatalf("testenv: %s: %v", VarRedis, err)
	}
	ctx := context.Background()
	c := redis.NewClient(opt)
	n, err := c.Incr(ctx, "carefit:testenv:dbseq").Result()
	c.Close()
	if err != nil {
		tb.Fatalf("testenv: redis: %v", err)
	}
	db := 1 + int(n%4095)
	u, _ := url.Parse(base)
	u.Path = fmt.Sprintf("/%d", db)
	dbURL := u.String()
	flush := func() {
		o, _ := redis.ParseURL(dbURL)
		c := redis.NewClient(o)
		defer c.Close()
		_ = c.FlushDB(context.Background()).Err()
	}
	flush()
	tb.Cleanup(flush)
	return dbURL
}

// Meili is a Meilisearch server and an index prefix of this test's own.
type Meili struct {
	URL, Key, Prefix string
	Client           meilisearch.ServiceManager
}

// MeiliSearch returns this test's Meilisearch access; indexes whose names
// start with Prefix are deleted when the test ends.
func MeiliSearch(tb testing.TB) Meili {
	tb.Helper()
	m := Meili{URL: mustEnv(tb, VarMeiliURL), Key: mustEnv(tb, VarMeiliKey), Prefix: "t" + randomHex(5)}
	m.Client = meilisearch.New(m.URL, meilisearch.WithAPIKey(m.Key))
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		res, err := m.Client.ListIndexes(ctx, &meilisearch.IndexesQuery{Limit: 1000})
		if err != nil {
			return
		}
		for _, ix := range res.Results {
			if strings.HasPrefix(ix.UID, m.Prefix) {
				_, _ = m.Client.DeleteIndex(ctx, ix.UID)
			}
		}
	})
	return m
}
