package reliability

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carefit/internal/platform/devstack"
	"carefit/internal/platform/testenv"
)

// cluster is a private stack with the real carefit binary serving and
// working on it, as separate processes that the test kills and restarts.
type cluster struct {
	t      *testing.T
	dir    string
	logDir string // CAREFIT_RELIABILITY_LOGS keeps the processes' logs there
	stack  *devstack.Stack
	bin    string
	env    []string
	port   int
	api    *client
	dbURL  string
	server *child
	worker *child
	starts map[string]int
}

// startCluster starts the stack, builds and migrates carefit, and starts
// one server and one worker. Everything is stopped when the test ends,
// the processes before the services under them.
func startCluster(t *testing.T) *cluster {
	t.Helper()
	ctx := context.Background()
	c := &cluster{t: t, dir: t.TempDir(), starts: map[string]int{}}
	c.logDir = c.dir
	if d := os.Getenv("CAREFIT_RELIABILITY_LOGS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		c.logDir = d
	}
	s, err := devstack.Start(ctx, devstack.Options{Dir: filepath.Join(c.dir, "stack"), BinDir: testenv.StateDir(),
		Ephemeral: true, MeiliBin: os.Getenv("CAREFIT_MEILI_BIN")})
	if err != nil {
		t.Fatalf("start the stack: %v", err)
	}
	c.stack = s
	t.Cleanup(func() { _ = s.Stop() })
	dbURL, err := devstack.CreateDatabase(ctx, s.Postgres.URL, "carefit")
	if err != nil {
		t.Fatalf("create the database: %v", err)
	}
	c.bin = buildCarefit(t, c.dir)
	if c.port, err = freePort(); err != nil {
		t.Fatal(err)
	}
	c.env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + c.dir,
		"CAREFIT_DATABASE_URL=" + dbURL, "CAREFIT_REDIS_URL=" + s.Redis.URL,
		"CAREFIT_MEILI_URL=" + s.Meili.URL, "CAREFIT_MEILI_KEY=" + s.Meili.Key,
		fmt.Sprintf("CAREFIT_HTTP_ADDR=127.0.0.1:%d", c.port),
		"CAREFIT_RATE_LIMIT=0", "CAREFIT_SHUTDOWN_TIMEOUT=2s", "CAREFIT_LOG_LEVEL=info",
		"CAREFIT_WORKER_METRICS_ADDR=127.0.0.1:0", // a free port: other workers may run here
		"CAREFIT_STATE_DIR=" + filepath.Join(c.dir, "state")}
	if out, err := runCLI(c.bin, c.env, "migrate", "up"); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	c.dbURL = dbURL
	// Registered after the stack's Stop, so it runs before it.
	t.Cleanup(func() {
		c.server.stop(5 * time.Second)
		c.worker.stop(5 * time.Second)
	})
	c.api = newClient(fmt.Sprintf("http://127.0.0.1:%d", c.port))
	c.startServer()
	c.startWorker()
	return c
}

// launch starts a carefit subcommand with a log file per start.
func (c *cluster) launch(cmd string) *child {
	c.t.Helper()
	c.starts[cmd]++
	log := filepath.Join(c.logDir, fmt.Sprintf("%s.%d.log", cmd, c.starts[cmd]))
	p, err := startChild(c.bin, cmd, log, c.env, cmd)
	if err != nil {
		c.t.Fatal(err)
	}
	return p
}

// startServer starts `carefit serve` and waits until /readyz answers 200.
func (c *cluster) startServer() {
	c.t.Helper()
	c.server = c.launch("serve")
	ok := eventually(60*time.Second, 50*time.Millisecond, func() bool {
		return c.server.exited() || c.ready()
	})
	if !ok || c.server.exited() {
		c.t.Fatalf("carefit serve did not become ready (exited: %v); its log ends:\n%s", c.server.exited(), c.server.tail())
	}
}

// ready reports whether /readyz answers 200: Postgres, Redis and
// Meilisearch all reachable.
func (c *cluster) ready() bool {
	r := c.api.do(http.MethodGet, "/readyz", "", nil)
	return r.err == nil && r.status == http.StatusOK
}

// startWorker starts `carefit worker` and waits until it says it started.
func (c *cluster) startWorker() {
	c.t.Helper()
	c.worker = c.launch("worker")
	ok := eventually(60*time.Second, 50*time.Millisecond, func() bool {
		return c.worker.exited() || c.worker.logHas(`"worker started"`)
	})
	if !ok || c.worker.exited() {
		c.t.Fatalf("carefit worker did not start (exited: %v); its log ends:\n%s", c.worker.exited(), c.worker.tail())
	}
}

// key creates an API key with the CLI; extra are its flags.
func (c *cluster) key(role string, extra ...string) string {
	c.t.Helper()
	args := append([]string{"keys", "create", "-role", role, "-label", "reliability " + role}, extra...)
	out, err := runCLI(c.bin, c.env, args...)
	if err != nil {
		c.t.Fatal(err)
	}
	if lines := strings.Fields(out); len(lines) == 1 {
		return lines[0]
	}
	c.t.Fatalf("keys create printed %q, want one key", out)
	return ""
}

// logs lists the tails of the carefit processes' logs, for a failure.
func (c *cluster) logs() string {
	var b strings.Builder
	for _, p := range []*child{c.server, c.worker} {
		if p != nil {
			fmt.Fprintf(&b, "--- %s (%s):\n%s\n", p.name, p.log, p.tail())
		}
	}
	return b.String()
}
