package api

import (
	"cmp"
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"

	"carefit/match"
	"carefit/ranking"
	"carefit/rematch"
	"carefit/rematch/rematchdb"
	"carefit/tasks"
)

// runQueue hands runs to a real asynq queue, as the server's does.
type runQueue struct{ c *asynq.Client }

func (q runQueue) EnqueueRun(ctx context.Context, runID int64) error {
	return tasks.Enqueue(ctx, q.c, tasks.NewRematchRunTask(runID, time.Time{}))
}

func newRunQueue(t testing.TB, redisURL string) runQueue {
	t.Helper()
	opt, err := asynq.ParseRedisURI(redisURL)
	if err != nil {
		t.Fatal(err)
	}
	c := asynq.NewClient(opt)
	t.Cleanup(func() { c.Close() })
	return runQueue{c}
}

// TestStartRunQueuesIt starts a run through the API: it is recorded as a
// manual run of the caller's key, queued once under its ID, and readable
// one by one and in the list.
func TestStartRunQueuesIt(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, f.admin, "POST", "/v1/rematch-runs", nil)
	wantStatus(t, rec, http.StatusAccepted)
	run := decode[rematch.Run](t, rec)
	if run.ID == 0 || run.Trigger != rematch.Manual || run.Status != rematch.Queued || run.K != 100 {
		t.Fatalf("run: %+v, want a queued manual run with K 100", run)
	}
	if loc := rec.Header().Get("Location"); loc != "/v1/rematch-runs/"+strconv.FormatInt(run.ID, 10) {
		t.Errorf("Location %q", loc)
	}
	opt, _ := asynq.ParseRedisURI(f.redis)
	insp := asynq.NewInspector(opt)
	defer insp.Close()
	info, err := insp.GetTaskInfo(tasks.QueueRematch, "rematch:run:"+strconv.FormatInt(run.ID, 10))
	if err != nil || info.Type != tasks.TypeRematchRun {
		t.Fatalf("queued task: %+v (%v), want the run's match:rematch_run", info, err)
	}
	got := decode[map[string]any](t, f.do(t, f.admin, "GET", "/v1/rematch-runs/"+strconv.FormatInt(run.ID, 10), nil))
	if got["status"] != "queued" || got["remaining_seconds"] != nil {
		t.Errorf("GET run: %v", got)
	}
	list := decode[struct{ Items []rematch.Run }](t, f.do(t, f.admin, "GET", "/v1/rematch-runs?limit=5", nil))
	if len(list.Items) != 1 || list.Items[0].ID != run.ID {
		t.Errorf("list: %+v", list.Items)
	}
	wantProblem(t, f.do(t, f.admin, "GET", "/v1/rematch-runs/999999", nil), http.StatusNotFound, "")
	wantProblem(t, f.do(t, f.admin, "GET", "/v1/rematch-runs/abc", nil), http.StatusBadRequest, "id")
}

// TestAlertsListNewStrongMatches writes stored matches of one position
// and checks what each reader is alerted to: the owning organization's
// recruiter sees the pairs scoring at least 80 first seen after their last
// mark, another organization's sees none, the clinician sees their own,
// and marking seen empties the list until a later match appears.
func TestAlertsListNewStrongMatches(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	store := rematchdb.New(f.pool)
	write := func(at time.Time, scores map[string]float64) {
		t.Helper()
		top := rankingTop(f.posA.ID, scores)
		if _, err := store.WriteMatches(ctx, rematchdb.Write{At: at, Tops: top}); err != nil {
			t.Fatal(err)
		}
	}
	// prof2 withheld consent: its rows are never stored.
	write(f.now().Add(-time.Minute), map[string]float64{f.prof1.ID: 91})
	alerts := func(key string) []rematch.Alert {
		t.Helper()
		rec := f.do(t, key, "GET", "/v1/alerts", nil)
		wantStatus(t, rec, http.StatusOK)
		return decode[struct{ Items []rematch.Alert }](t, rec).Items
	}
	if a := alerts(f.recA); len(a) != 1 || a[0].ClinicianID != f.prof1.ID || a[0].PositionID != f.posA.ID || a[0].Score < 90 {
		t.Fatalf("recruiter A's alerts: %+v, want prof1 on posA", a)
	}
	if a := alerts(f.recB); len(a) != 0 {
		t.Errorf("another organization's recruiter is alerted to %+v", a)
	}
	if a := alerts(f.clin1); len(a) != 1 || a[0].PositionID != f.posA.ID {
		t.Errorf("the clinician's alerts: %+v, want posA", a)
	}
	if a := alerts(f.clin2); len(a) != 0 {
		t.Errorf("a clinician without matches is alerted to %+v", a)
	}
	wantStatus(t, f.do(t, f.recA, "POST", "/v1/alerts/seen", nil), http.StatusNoContent)
	if a := alerts(f.recA); len(a) != 0 {
		t.Errorf("after marking seen: %+v, want none", a)
	}
	if a := alerts(f.clin1); len(a) != 1 {
		t.Errorf("another key's mark hid the clinician's alerts: %+v", a)
	}
	// Later, two more consenting clinicians enter: one strong, one not.
	strong := f.mustCreate(t, "/v1/profiles", f.profilePayload("Zoe", true)).profile(t)
	weak := f.mustCreate(t, "/v1/profiles", f.profilePayload("Yul", true)).profile(t)
	write(f.now().Add(time.Minute), map[string]float64{f.prof1.ID: 91, strong.ID: 85, weak.ID: 70})
	if a := alerts(f.recA); len(a) != 1 || a[0].ClinicianID != strong.ID {
		t.Errorf("after a later match: %+v, want only the new strong one", a)
	}
	wantProblem(t, f.do(t, f.admin, "GET", "/v1/alerts", nil), http.StatusForbidden, "")
}

// rankingTop is one position's ranked rows with the given scores, best
// first, each score all on the clinician side.
func rankingTop(positionID string, scores map[string]float64) []ranking.PositionTop {
	top := ranking.PositionTop{PositionID: positionID, Live: true, Eligible: len(scores)}
	for id, sc := range scores {
		var b match.Breakdown
		b.Score, b.ClinicianSide, b.EmployerSide = sc, sc, 100
		b.Contributions[0] = sc
		top.Rows = append(top.Rows, ranking.MatchRow{ProfileID: id, Breakdown: b})
	}
	slices.SortFunc(top.Rows, func(a, b ranking.MatchRow) int { return cmp.Compare(b.Score, a.Score) })
	for i := range top.Rows {
		top.Rows[i].Rank = i + 1
	}
	return []ranking.PositionTop{top}
}

// TestQueueMonitorIsForAdmins mounts the read-only asynq monitor as the
// server does: without a key 401, for a recruiter or a clinician 403, for
// an admin its page and its API.
func TestQueueMonitorIsForAdmins(t *testing.T) {
	f := newFixture(t)
	opt, _ := asynq.ParseRedisURI(f.redis)
	mon := asynqmon.New(asynqmon.Options{RootPath: QueuesPath, RedisConnOpt: opt, ReadOnly: true})
	defer mon.Close()
	d := testDeps(f.pool, f.now, f.features, f.search)
	d.Queues = mon
	srv := New(d)
	get := func(key, path string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, newRequest(t, key, "GET", path, nil))
		return rec
	}
	for _, path := range []string{QueuesPath, QueuesPath + "/api/queues"} {
		for _, tc := range []struct {
			name, key string
			want      int
		}{{"no key", "", 401}, {"recruiter", f.recA, 403}, {"clinician", f.clin1, 403}, {"admin", f.admin, 200}} {
			if rec := get(tc.key, path); rec.Code != tc.want {
				t.Errorf("GET %s as %s: got %d, want %d: %.200s", path, tc.name, rec.Code, tc.want, rec.Body)
			}
		}
	}
	if rec := get(f.admin, QueuesPath); !strings.Contains(rec.Body.String(), "<html") {
		t.Errorf("the monitor's page is not HTML: %.200s", rec.Body)
	}
}
