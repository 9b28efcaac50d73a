package searchsync

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/meilisearch/meilisearch-go"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/platform/devstack"
	"carefit/internal/platform/outbox"
	"carefit/internal/platform/testenv"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
	"carefit/search"
	"carefit/search/searchtest"
)

type fixture struct {
	pool *pgxpool.Pool
	jobs *jobsdb.Store
	cand *candidatesdb.Store
	org  jobs.Organization
}

func newFixture(t testing.TB) fixture {
	t.Helper()
	pool := testenv.DB(t)
	f := fixture{pool: pool, jobs: jobsdb.NewStore(pool), cand: candidatesdb.NewStore(pool)}
	org, err := f.jobs.CreateOrganization(context.Background(), searchtest.Org)
	if err != nil {
		t.Fatal(err)
	}
	f.org = org
	return f
}

func (f fixture) profile(t testing.TB, mutate func(p *candidates.Profile)) candidates.Profile {
	t.Helper()
	p := searchtest.NewProfile()
	if mutate != nil {
		mutate(&p)
	}
	got, err := f.cand.CreateProfile(context.Background(), p)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func (f fixture) position(t testing.TB, loc int, mutate func(p *jobs.Position)) jobs.Position {
	t.Helper()
	p := searchtest.NewPosition(f.org, loc, time.Now())
	if mutate != nil {
		mutate(&p)
	}
	got, err := f.jobs.CreatePosition(context.Background(), p, jobs.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func undone(t testing.TB, pool *pgxpool.Pool) int {
	t.Helper()
	var n int
	if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE done_at IS NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func mustSync(t testing.TB, pool *pgxpool.Pool, c *search.Client) SyncStats {
	t.Helper()
	st, err := Sync(testCtx(t), pool, c, SyncOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Drained || st.Busy {
		t.Fatalf("sync %+v, want drained", st)
	}
	return st
}

func getDoc[T any](t testing.TB, c *search.Client, k search.Kind, id string) (T, bool) {
	t.Helper()
	var d T
	err := c.Service().Index(c.IndexName(k)).GetDocument(testCtx(t), id, nil, &d)
	var me *meilisearch.Error
	if errors.As(err, &me) && me.StatusCode == http.StatusNotFound {
		return d, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return d, true
}

func TestSyncRelaysWritesAndDeletes(t *testing.T) {
	f := newFixture(t)
	c := newClient(t)
	ctx := testCtx(t)
	prof := f.profile(t, func(p *candidates.Profile) { p.VisibleToRecruiters = true })
	gone := f.profile(t, nil)
	open := f.position(t, 0, nil)
	draft := f.position(t, 1, func(p *jobs.Position) { p.Status, p.ExpiresAt = jobs.StatusDraft, nil })
	st := mustSync(t, f.pool, c)
	if st.Upserted != 4 || st.Rows != 4 || undone(t, f.pool) != 0 {
		t.Fatalf("first sync %+v", st)
	}
	if d, _ := getDoc[search.ProfileDoc](t, c, search.KindProfiles, prof.ID); d.Name != "Ana Lopez" {
		t.Errorf("name %q, want Ana Lopez (consented)", d.Name)
	}
	if d, ok := getDoc[search.PositionDoc](t, c, search.KindPositions, draft.ID); !ok || d.Listed || d.Status != "draft" {
		t.Errorf("draft indexed %v as %+v, want listed=false", ok, d)
	}
	if d, ok := getDoc[search.PositionDoc](t, c, search.KindPositions, open.ID); !ok || !d.Listed || d.OrgName != f.org.Name || d.City != "Milwaukee" {
		t.Errorf("open position indexed %v as %+v", ok, d)
	}

	if err := f.cand.DeleteProfile(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.jobs.DeletePosition(ctx, draft.ID, jobs.Scope{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.jobs.SetStatus(ctx, open.ID, open.Version, jobs.StatusClosed, jobs.Scope{}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.cand.SetConsent(ctx, prof.ID, false); err != nil {
		t.Fatal(err)
	}
	st = mustSync(t, f.pool, c)
	if st.Deleted != 2 || st.Upserted != 2 {
		t.Errorf("second sync %+v, want 2 deletes and 2 upserts", st)
	}
	if _, ok := getDoc[search.ProfileDoc](t, c, search.KindProfiles, gone.ID); ok {
		t.Error("deleted profile still indexed")
	}
	if _, ok := getDoc[search.PositionDoc](t, c, search.KindPositions, draft.ID); ok {
		t.Error("deleted position still indexed")
	}
	if d, _ := getDoc[search.PositionDoc](t, c, search.KindPositions, open.ID); d.Listed {
		t.Error("closed position still listed")
	}
	if d, _ := getDoc[search.ProfileDoc](t, c, search.KindProfiles, prof.ID); d.Name != "" {
		t.Errorf("name %q kept after consent was withdrawn", d.Name)
	}
	if res, _ := c.SearchPositions(ctx, search.PositionQuery{}); len(res.Hits) != 0 {
		t.Errorf("closed position found by search: %+v", res.Hits)
	}
}

func TestSyncCoalescesEdits(t *testing.T) {
	f := newFixture(t)
	c := newClient(t)
	ctx := testCtx(t)
	p := f.profile(t, nil)
	for i := range 50 {
		var err error
		p, err = f.cand.UpdateProfile(ctx, p.ID, p.Version, func(p *candidates.Profile) error {
			p.YearsExperience = i
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := undone(t, f.pool); n != 51 {
		t.Fatalf("outbox has %d undone rows, want 51", n)
	}
	st := mustSync(t, f.pool, c)
	if st.Upserted != 1 || st.Rows != 51 || undone(t, f.pool) != 0 {
		t.Fatalf("sync %+v, want 51 rows coalesced into 1 document and the outbox drained", st)
	}
	if n, _ := c.Count(ctx, search.KindProfiles); n != 1 {
		t.Errorf("%d documents, want 1", n)
	}
	if d, _ := getDoc[search.ProfileDoc](t, c, search.KindProfiles, p.ID); d.YearsExperience != 49 {
		t.Errorf("years %d, want the last edit's 49", d.YearsExperience)
	}
}

func TestSyncBatchesAndBounds(t *testing.T) {
	f := newFixture(t)
	c := newClient(t)
	for range 7 {
		f.profile(t, nil)
	}
	st, err := Sync(testCtx(t), f.pool, c, SyncOptions{BatchSize: 2, MaxBatches: 2})
	if err != nil || st.Drained || st.Rows != 4 || undone(t, f.pool) != 3 {
		t.Fatalf("bounded run %+v, %v; want 4 rows done and 3 left", st, err)
	}
	st, err = Sync(testCtx(t), f.pool, c, SyncOptions{BatchSize: 2})
	if err != nil || !st.Drained || st.Rows != 3 {
		t.Fatalf("second run %+v, %v", st, err)
	}
}

// TestSyncCrashBetweenSendAndMark sends a batch without marking it done,
// as a relay that died after Meilisearch accepted the documents would,
// then runs the relay again: nothing lost, nothing duplicated.
func TestSyncCrashBetweenSendAndMark(t *testing.T) {
	f := newFixture(t)
	c := newClient(t)
	ctx := testCtx(t)
	var want []string
	for i := range 20 {
		p := f.profile(t, func(p *candidates.Profile) { p.YearsExperience = i })
		want = append(want, p.ID)
	}
	rows, err := outbox.Pending(f.pool).Next(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	var st SyncStats
	if err := c.Ensure(ctx); err != nil {
		t.Fatal(err)
	}
	if err := apply(ctx, f.pool, c, rows, &st); err != nil {
		t.Fatal(err)
	}
	// "Crash": no Ack. Edit one profile meanwhile.
	edited, err := f.cand.UpdateProfile(ctx, want[0], 1, func(p *candidates.Profile) error { p.YearsExperience = 33; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if n := undone(t, f.pool); n != 21 {
		t.Fatalf("%d undone rows, want 21", n)
	}
	st2 := mustSync(t, f.pool, c)
	if st2.Rows != 21 || st2.Upserted != 20 || undone(t, f.pool) != 0 {
		t.Errorf("replay %+v", st2)
	}
	if n, _ := c.Count(ctx, search.KindProfiles); n != 20 {
		t.Errorf("%d documents, want 20", n)
	}
	got, err := c.ProfileIDs(ctx, "", search.ProfileFilter{})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("ids %v, want %v", got, want)
	}
	if d, _ := getDoc[search.ProfileDoc](t, c, search.KindProfiles, edited.ID); d.YearsExperience != 33 {
		t.Errorf("years %d, want 33", d.YearsExperience)
	}
}

func TestSyncIsSerialised(t *testing.T) {
	f := newFixture(t)
	c := newClient(t)
	f.profile(t, nil)
	release, ok, err := lockRelay(testCtx(t), f.pool, time.Second)
	if err != nil || !ok {
		t.Fatalf("lock: %v %v", ok, err)
	}
	st, err := Sync(testCtx(t), f.pool, c, SyncOptions{LockWait: 300 * time.Millisecond})
	if err != nil || !st.Busy || st.Rows != 0 {
		t.Fatalf("sync while locked: %+v, %v; want busy", st, err)
	}
	release()
	mustSync(t, f.pool, c)
}

// privateMeili is a Meilisearch server of one test's own, which the test
// may stop and start again on the same data directory and port.
type privateMeili struct {
	bin, dir, key string
	// addr is empty until the first start has bound a port.
	addr   string
	cmd    *exec.Cmd
	exited chan struct{} // closed when cmd has exited
}

func startPrivateMeili(t *testing.T) *privateMeili {
	t.Helper()
	bin, err := devstack.MeiliBinary(testenv.StateDir(), os.Getenv("CAREFIT_MEILI_BIN"))
	if err != nil {
		t.Fatalf("Meilisearch is not installed: run scripts/setup (or make test) first: %v", err)
	}
	m := &privateMeili{bin: bin, dir: t.TempDir(), key: "private-test-master-key-0123456789"}
	m.start(t)
	t.Cleanup(m.stop)
	return m
}

func (m *privateMeili) url() string { return "http://" + m.addr }

// boundAddr matches the line in which Meilisearch's HTTP server (actix)
// names the address it bound; the banner repeats the requested ":0".
var boundAddr = regexp.MustCompile(`listening on: (127\.0\.0\.1:[0-9]+)`)

// start runs Meilisearch and waits until it answers with this server's key.
// The first start binds port 0 and reads the port from the log, so no other
// process can take it between choosing and binding; a restart binds the
// same port again, because the test's client keeps its URL.
func (m *privateMeili) start(t *testing.T) {
	t.Helper()
	addr := m.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	logPath := filepath.Join(m.dir, "meilisearch.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close() // the child has its own copy
	cmd := exec.Command(m.bin, "--db-path", filepath.Join(m.dir, "data.ms"), "--http-addr", addr,
		"--master-key", m.key, "--no-analytics", "--log-level", "INFO")
	cmd.Dir, cmd.Stdout, cmd.Stderr = m.dir, logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	m.cmd, m.exited = cmd, exited
	client := &http.Client{Timeout: 2 * time.Second}
	var dead bool
	ready := testenv.Eventually(30*time.Second, func() bool {
		select {
		case <-exited:
			dead = true
			return true
		default:
		}
		if m.addr == "" {
			b, _ := os.ReadFile(logPath)
			match := boundAddr.FindSubmatch(b)
			if match == nil {
				return false
			}
			m.addr = string(match[1])
		}
		// An authenticated request: only our server knows the key, so a
		// different process on the port does not pass for it.
		req, _ := http.NewRequest(http.MethodGet, m.url()+"/version", nil)
		req.Header.Set("Authorization", "Bearer "+m.key)
		resp, err := client.Do(req)
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	if dead || !ready {
		b, _ := os.ReadFile(logPath)
		m.stop()
		t.Fatalf("private meilisearch on %s did not become ready (exited: %v); log:\n%s", addr, dead, b)
	}
}

func (m *privateMeili) stop() {
	if m.cmd == nil || m.cmd.Process == nil {
		return
	}
	_ = m.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-m.exited:
	case <-time.After(20 * time.Second):
		_ = m.cmd.Process.Kill()
		<-m.exited
	}
	m.cmd = nil
}

func TestSyncCatchesUpAfterMeiliOutage(t *testing.T) {
	f := newFixture(t)
	m := startPrivateMeili(t)
	ms := meilisearch.New(m.url(), meilisearch.WithAPIKey(m.key), meilisearch.WithCustomClient(&http.Client{Timeout: 5 * time.Second}))
	c := search.New(ms, "outage")
	first := f.profile(t, nil)
	mustSync(t, f.pool, c)

	m.stop()
	during := f.profile(t, func(p *candidates.Profile) { p.Taxonomies = []string{"207R00000X"} })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if _, err := Sync(ctx, f.pool, c, SyncOptions{}); err == nil {
		t.Fatal("sync with Meilisearch stopped reported success")
	}
	if n := undone(t, f.pool); n != 1 {
		t.Fatalf("%d undone rows after the failed run, want 1 (the write stays queued)", n)
	}

	m.start(t)
	mustSync(t, f.pool, c)
	got, err := c.ProfileIDs(testCtx(t), "", search.ProfileFilter{Taxonomies: []string{"207R00000X"}})
	if err != nil || len(got) != 1 || got[0] != during.ID {
		t.Fatalf("after restart: %v, %v; want [%s]", got, err, during.ID)
	}
	if n, _ := c.Count(testCtx(t), search.KindProfiles); n != 2 {
		t.Errorf("%d documents, want 2 (%s and %s)", n, first.ID, during.ID)
	}
}

func TestMain(m *testing.M) { testenv.Main(m) }

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// newClient returns a search client on this test's own index prefix, with
// the live indexes created.
func newClient(t testing.TB) *search.Client {
	t.Helper()
	m := testenv.MeiliSearch(t)
	c := search.New(m.Client, m.Prefix)
	if err := c.EnsureIndexes(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	return c
}
