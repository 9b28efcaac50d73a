package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"carefit/internal/platform/config"
	"carefit/internal/platform/devstack"
	"carefit/internal/platform/logging"
	"carefit/internal/platform/pg"
	"carefit/internal/platform/testenv"
)

func testEnv(vars map[string]string) (env, *logBuffer, *logBuffer) {
	var out, errb logBuffer
	return env{getenv: func(k string) string { return vars[k] }, stdout: &out, stderr: &errb}, &out, &errb
}

// logBuffer collects a command's output. It is safe to read while the
// command, running in another goroutine, still writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// record returns the first JSON log record whose msg is msg.
func (b *logBuffer) record(msg string) (map[string]any, bool) {
	for _, line := range strings.Split(b.String(), "\n") {
		var r map[string]any
		if json.Unmarshal([]byte(line), &r) == nil && r["msg"] == msg {
			return r, true
		}
	}
	return nil, false
}

func TestRunExitCodes(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		vars    map[string]string
		code    int
		wantOut string
		wantErr string
	}{
		{"no command prints usage", nil, nil, 2, "Usage: carefit <command>", ""},
		{"help lists commands and variables", []string{"help"}, nil, 0, "CAREFIT_DATABASE_URL", ""},
		{"unknown", []string{"frobnicate"}, nil, 2, "", "unknown command"},
		{"bad config names the variable", []string{"serve"}, map[string]string{"CAREFIT_DB_MAX_CONNS": "0"}, 2, "", "CAREFIT_DB_MAX_CONNS"},
		{"migrate needs a verb", []string{"migrate"}, nil, 2, "", "want exactly one of"},
		{"version", []string{"version"}, nil, 0, "carefit " + buildVersion() + "\n", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, out, errb := testEnv(tc.vars)
			if got := run(context.Background(), e, tc.args); got != tc.code {
				t.Fatalf("exit %d, want %d (stderr %q)", got, tc.code, errb)
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Fatalf("stdout %q does not contain %q", out, tc.wantOut)
			}
			if !strings.Contains(errb.String(), tc.wantErr) {
				t.Fatalf("stderr %q does not contain %q", errb, tc.wantErr)
			}
			if tc.wantOut == "" && out.String() != "" {
				t.Fatalf("stdout %q, want nothing (errors go to stderr)", out)
			}
			if tc.wantErr == "CAREFIT_DB_MAX_CONNS" && strings.Count(strings.TrimSpace(errb.String()), "\n") != 0 {
				t.Fatalf("config error is not one line: %q", errb)
			}
		})
	}
}

// privateStack starts a stack of this test's own, for tests that stop a
// service and so must not share one.
func privateStack(t *testing.T) (*devstack.Stack, config.Config) {
	t.Helper()
	ctx := context.Background()
	s, err := devstack.Start(ctx, devstack.Options{Dir: t.TempDir(), BinDir: testenv.StateDir(), Ephemeral: true, MeiliBin: os.Getenv("CAREFIT_MEILI_BIN")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	db, err := devstack.CreateDatabase(ctx, s.Postgres.URL, "carefit")
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"CAREFIT_DATABASE_URL": db, "CAREFIT_REDIS_URL": s.Redis.URL,
			"CAREFIT_MEILI_URL": s.Meili.URL, "CAREFIT_MEILI_KEY": s.Meili.Key, "CAREFIT_SHUTDOWN_TIMEOUT": "2s"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	return s, cfg
}

func readyz(t *testing.T, h http.Handler) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/readyz", nil))
	var body struct {
		Checks map[string]any `json:"checks"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("readyz body %q: %v", rec.Body, err)
	}
	return rec.Code, body.Checks
}

func status(checks map[string]any, name string) string {
	m, _ := checks[name].(map[string]any)
	s, _ := m["status"].(string)
	return s
}

func TestReadinessReportsStoppedServices(t *testing.T) {
	s, cfg := privateStack(t)
	ctx := context.Background()
	a, err := openApp(ctx, cfg, logging.NewLogger(&bytes.Buffer{}, "json", 0))
	if err != nil {
		t.Fatal(err)
	}
	defer a.close()
	srv, _ := a.apiServer(nil)

	code, checks := readyz(t, srv)
	if code != http.StatusServiceUnavailable || status(checks, "postgres") != "down" {
		t.Fatalf("unmigrated database: got %d %v, want 503 with postgres down", code, checks)
	}
	if _, _, err := pg.Migrate(ctx, a.pool); err != nil {
		t.Fatal(err)
	}
	if code, checks = readyz(t, srv); code != http.StatusOK {
		t.Fatalf("all up: got %d %v, want 200", code, checks)
	}

	for _, tc := range []struct {
		name string
		svc  *devstack.Service
	}{{"redis", s.Redis}, {"meilisearch", s.Meili}, {"postgres", s.Postgres}} {
		if err := tc.svc.Stop(); err != nil {
			t.Fatal(err)
		}
		code, checks = readyz(t, srv)
		if code != http.StatusServiceUnavailable || status(checks, tc.name) != "down" {
			t.Fatalf("%s stopped: got %d %v, want 503 with %s down", tc.name, code, checks, tc.name)
		}
	}
}

func TestServeAndWorkerShutDownGracefully(t *testing.T) {
	_, cfg := privateStack(t)
	// Port 0: serve binds a free port itself and logs the address, so no
	// other process can take the port between choosing and binding it.
	vars := map[string]string{"CAREFIT_DATABASE_URL": cfg.DatabaseURL, "CAREFIT_REDIS_URL": cfg.RedisURL,
		"CAREFIT_MEILI_URL": cfg.MeiliURL, "CAREFIT_MEILI_KEY": cfg.MeiliKey, "CAREFIT_HTTP_ADDR": "127.0.0.1:0",
		"CAREFIT_SHUTDOWN_TIMEOUT": "2s"}
	e, out, errb := testEnv(vars)
	if code := run(context.Background(), e, []string{"migrate", "up"}); code != 0 {
		t.Fatalf("migrate up: exit %d: %s", code, errb)
	}
	if !strings.Contains(out.String(), "migrated from version 0") {
		t.Fatalf("migrate output %q", out)
	}
	redisOpt, err := asynq.ParseRedisURI(cfg.RedisURL)
	if err != nil {
		t.Fatal(err)
	}
	insp := asynq.NewInspector(redisOpt)
	defer insp.Close()
	workers := func() int {
		servers, err := insp.Servers()
		if err != nil {
			t.Fatalf("list asynq servers: %v", err)
		}
		return len(servers)
	}

	for _, cmd := range []string{"serve", "worker"} {
		t.Run(cmd, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			e, _, errb := testEnv(vars)
			done, stopped := make(chan int, 1), make(chan struct{})
			go func() { done <- run(ctx, e, []string{cmd}); close(stopped) }()
			// If the test fails early, stop the command before the stack's
			// cleanup stops the services under it.
			t.Cleanup(func() {
				cancel()
				select {
				case <-stopped:
				case <-time.After(10 * time.Second):
				}
			})
			exited := func() bool {
				select {
				case code := <-done:
					t.Fatalf("%s exited %d before it was ready: %s", cmd, code, errb)
				default:
				}
				return false
			}
			if cmd == "serve" {
				var addr string
				testenv.WaitFor(t, 30*time.Second, "serve logs its listen address", func() bool {
					r, ok := errb.record("listening")
					addr, _ = r["addr"].(string)
					return ok || exited()
				})
				if host, port, err := net.SplitHostPort(addr); err != nil || host != "127.0.0.1" || port == "0" {
					t.Fatalf("listening on %q (%v), want 127.0.0.1 and the port bound", addr, err)
				}
				waitHTTP(t, "http://"+addr+"/healthz")
			} else {
				testenv.WaitFor(t, 30*time.Second, "worker logs that it started", func() bool {
					_, ok := errb.record("worker started")
					return ok || exited()
				})
				// asynq writes the server's first heartbeat from a goroutine
				// Start does not wait for.
				testenv.WaitFor(t, 10*time.Second, "the worker registers in Redis", func() bool { return workers() == 1 })
			}
			cancel()
			select {
			case code := <-done:
				if code != 0 {
					t.Fatalf("%s exited %d: %s", cmd, code, errb)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s did not stop after cancel", cmd)
			}
			if !strings.Contains(errb.String(), "shutting down") {
				t.Fatalf("%s logged no shutdown: %s", cmd, errb)
			}
			if cmd == "worker" {
				if n := workers(); n != 0 {
					t.Fatalf("%d asynq servers still registered after the worker stopped, want 0", n)
				}
			}
		})
	}
}

// waitHTTP waits until url answers 200.
func waitHTTP(t *testing.T, url string) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	testenv.WaitFor(t, 10*time.Second, url+" answers 200", func() bool {
		resp, err := client.Get(url)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}
