package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/platform/testenv"
)

// asCarefit, set in a child's environment, makes the test binary run as
// carefit with the arguments it holds (split on spaces), so a test can
// kill a real server process with SIGKILL.
const asCarefit = "CAREFIT_TEST_RUN_AS_CAREFIT"

func TestMain(m *testing.M) {
	if args := os.Getenv(asCarefit); args != "" {
		runAsCarefit(strings.Fields(args))
	}
	os.Exit(m.Run())
}

// runAsCarefit runs main with args, as the carefit binary would.
func runAsCarefit(args []string) {
	os.Args = append(os.Args[:1], args...)
	main()
}

// child is a carefit process started by a test.
type child struct {
	cmd    *exec.Cmd
	stderr *logBuffer
}

// startChild runs carefit args in a process of its own with vars as its
// environment, and kills it when the test ends.
func startChild(t testing.TB, vars map[string]string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = []string{asCarefit + "=" + strings.Join(args, " "), "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	c := &child{cmd: cmd, stderr: &logBuffer{}}
	cmd.Stderr, cmd.Stdout = c.stderr, c.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.kill() })
	return c
}

// kill sends SIGKILL: nothing the process does afterwards runs.
func (c *child) kill() {
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	_, _ = c.cmd.Process.Wait()
}

// addr waits for a serving child to log its listen address.
func (c *child) addr(t testing.TB) string {
	t.Helper()
	var addr string
	testenv.WaitFor(t, 30*time.Second, "serve logs its listen address", func() bool {
		r, ok := c.stderr.record("listening")
		addr, _ = r["addr"].(string)
		return ok
	})
	return "http://" + addr
}

// TestIdempotencyKeySurvivesAServerKill kills the server with SIGKILL
// while a create sent with an Idempotency-Key is between claiming the key
// and answering (held there by a table lock the test takes). The retry on
// a new server must succeed, once: the key is not blocked, and exactly one
// record exists.
func TestIdempotencyKeySurvivesAServerKill(t *testing.T) {
	_, cfg := privateStack(t)
	ctx := context.Background()
	vars := map[string]string{"CAREFIT_DATABASE_URL": cfg.DatabaseURL, "CAREFIT_REDIS_URL": cfg.RedisURL,
		"CAREFIT_MEILI_URL": cfg.MeiliURL, "CAREFIT_MEILI_KEY": cfg.MeiliKey, "CAREFIT_HTTP_ADDR": "127.0.0.1:0",
		"CAREFIT_SHUTDOWN_TIMEOUT": "2s"}
	e, out, errb := testEnv(vars)
	if code := run(ctx, e, []string{"migrate", "up"}); code != 0 {
		t.Fatalf("migrate up: exit %d: %s", code, errb)
	}
	e, out, errb = testEnv(vars)
	if code := run(ctx, e, []string{"keys", "create", "-role", "admin"}); code != 0 {
		t.Fatalf("keys create: exit %d: %s", code, errb)
	}
	key := strings.TrimSpace(out.String())
	body := `{"name":"Lakeshore Family Health","kind":"fqhc","locations":[{"name":"Lakeshore East Clinic",
		"address_line":"100 E Main St","city":"Milwaukee","postal_code":"53202","state":"WI","lat":43.04,"lng":-87.90,
		"time_zone":"America/Chicago"}]}`
	post := func(base string) (*http.Response, error) {
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/organizations", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", "crash-7c1d")
		return (&http.Client{Timeout: 20 * time.Second}).Do(req)
	}

	conn, err := pgx.Connect(ctx, cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	// Hold every insert into organizations until the server is dead.
	lock, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Exec(ctx, "LOCK TABLE organizations IN SHARE MODE"); err != nil {
		t.Fatal(err)
	}
	srv := startChild(t, vars, "serve")
	base := srv.addr(t)
	sent := make(chan error, 1)
	go func() {
		resp, err := post(base)
		if err == nil {
			resp.Body.Close()
		}
		sent <- err
	}()
	testenv.WaitFor(t, 15*time.Second, "the create waits on the table lock", func() bool {
		return queryInt(t, cfg.DatabaseURL, `SELECT count(*) FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO organizations%'`) == 1
	})
	srv.kill()
	if err := <-sent; err == nil {
		t.Fatal("the killed server answered the create")
	}
	if err := lock.Rollback(ctx); err != nil {
		t.Fatal(err)
	}

	srv = startChild(t, vars, "serve")
	base = srv.addr(t)
	var bodies [][]byte
	for i := range 2 {
		resp, err := post(base)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("retry %d after the kill: got %d %s, want 201", i+1, resp.StatusCode, b.String())
		}
		if replayed := resp.Header.Get("Idempotent-Replayed") == "true"; replayed != (i == 1) {
			t.Errorf("retry %d: Idempotent-Replayed %v, want %v", i+1, replayed, i == 1)
		}
		bodies = append(bodies, b.Bytes())
	}
	var first, second map[string]any
	if json.Unmarshal(bodies[0], &first) != nil || json.Unmarshal(bodies[1], &second) != nil || first["id"] != second["id"] {
		t.Errorf("the replay names another record: %s vs %s", bodies[0], bodies[1])
	}
	if n := queryInt(t, cfg.DatabaseURL, `SELECT count(*) FROM organizations WHERE name = 'Lakeshore Family Health'`); n != 1 {
		t.Fatalf("organizations created: got %d, want 1", n)
	}
}

// queryInt runs a query that returns one integer on a connection of its
// own (pg_stat_activity is read afresh only outside a transaction).
func queryInt(t *testing.T, url, q string) int {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var n int
	if err := conn.QueryRow(ctx, q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
