package tasks

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/market"
	"carefit/internal/platform/testenv"
	"carefit/jobs"
	"carefit/jobs/jobsdb"
	"carefit/match"
	"carefit/ranking"
	"carefit/ranking/rankingdb"
	"carefit/rematch"
	"carefit/rematch/rematchdb"
)

// rematchEnv is a seeded market in Postgres, a feature store following it,
// and the rematch handlers over real Redis.
type rematchEnv struct {
	pool     *pgxpool.Pool
	features *ranking.Store
	r        *Rematch
	redis    asynq.RedisConnOpt
	mk       market.Market
	now      time.Time
}

func newRematchEnv(t *testing.T, k int) *rematchEnv {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	pool := testenv.DB(t)
	mk := market.Generate(7, market.Size{Organizations: 6, Positions: 120, Profiles: 1500}, now)
	if err := market.Load(ctx, pool, mk, time.Now, nil); err != nil {
		t.Fatal(err)
	}
	src, err := rankingdb.Sources(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	fs, err := ranking.Load(ctx, src, quiet, ranking.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	redisOpt, err := asynq.ParseRedisURI(testenv.Redis(t))
	if err != nil {
		t.Fatal(err)
	}
	client := asynq.NewClient(redisOpt)
	t.Cleanup(func() { client.Close() })
	r := &Rematch{Features: fs, Store: rematchdb.New(pool), Queue: client, K: k, Cron: "0 2 * * *",
		Location: time.UTC, Now: func() time.Time { return now }}
	return &rematchEnv{pool: pool, features: fs, r: r, redis: redisOpt, mk: mk, now: now}
}

// serve runs an asynq server with the rematch handlers until the test
// ends; count, when set, counts the tasks of each type it ran.
func (e *rematchEnv) serve(t *testing.T, count map[string]*atomic.Int64) {
	t.Helper()
	e.serveWith(t, count, nil)
}

// serveWith is serve with the webhook tasks handled by w (none when nil).
func (e *rematchEnv) serveWith(t *testing.T, count map[string]*atomic.Int64, w *Webhooks) {
	t.Helper()
	h := &Handlers{Pool: e.pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now, Rematch: e.r, Webhooks: w}
	inner := h.Mux()
	counted := asynq.HandlerFunc(func(ctx context.Context, task *asynq.Task) error {
		if c := count[task.Type()]; c != nil {
			c.Add(1)
		}
		return inner.ProcessTask(ctx, task)
	})
	srv := asynq.NewServer(e.redis, asynq.Config{Concurrency: 4, LogLevel: asynq.FatalLevel,
		Queues:                   map[string]int{QueueCritical: 6, QueueRescore: 4, QueueDefault: 3, QueueRematch: 2},
		DelayedTaskCheckInterval: 100 * time.Millisecond, RetryDelayFunc: retryDelay})
	if err := srv.Start(counted); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Shutdown)
}

// storedRow is one stored match as a test compares it.
type storedRow struct {
	Position, Profile string
	Rank              int
	Score             float32
	Sides             [2]float32 // clinician, employer
	Contributions     []int16
	FirstSeen         time.Time
	Previous          *float32
}

func (e *rematchEnv) stored(t *testing.T) map[string][]storedRow {
	t.Helper()
	rows, err := e.pool.Query(context.Background(), `SELECT position_id::text, profile_id::text, rank, score, clinician_side,
		employer_side, contributions, first_seen_at, previous_score FROM matches ORDER BY position_id, rank`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]storedRow{}
	for rows.Next() {
		var r storedRow
		if err := rows.Scan(&r.Position, &r.Profile, &r.Rank, &r.Score, &r.Sides[0], &r.Sides[1], &r.Contributions, &r.FirstSeen, &r.Previous); err != nil {
			t.Fatal(err)
		}
		out[r.Position] = append(out[r.Position], r)
	}
	return out
}

// waitRun waits for run id to end and returns it.
func (e *rematchEnv) waitRun(t *testing.T, id int64) rematch.Run {
	t.Helper()
	var run rematch.Run
	testenv.WaitFor(t, 60*time.Second, fmt.Sprintf("run %d ends", id), func() bool {
		var err error
		run, err = e.r.Store.Run(context.Background(), id)
		return err == nil && (run.Status == rematch.Done || run.Status == rematch.Failed)
	})
	if run.Status != rematch.Done {
		t.Fatalf("run %d: %s (%s)", id, run.Status, run.Error)
	}
	return run
}

// runAt records a manual run scoring at at, queues it to the worker of
// serve, and waits for it to end done.
func (e *rematchEnv) runAt(t *testing.T, at time.Time) rematch.Run {
	t.Helper()
	ctx := context.Background()
	run, created, err := e.r.Store.CreateRun(ctx, rematch.Manual, nil, at, e.r.K, "")
	if err != nil || !created {
		t.Fatalf("create run: %v %v", created, err)
	}
	if err := Enqueue(ctx, e.r.Queue, NewRematchRunTask(run.ID, time.Time{})); err != nil {
		t.Fatal(err)
	}
	return e.waitRun(t, run.ID)
}

// TestRematchRunStoresTheEnginesRanking runs a whole rematch on a real
// worker and checks the stored matches of every open position against the
// engine's own ranking of every consenting clinician, then runs again and
// checks that an unchanged market changes nothing.
func TestRematchRunStoresTheEnginesRanking(t *testing.T) {
	const k = 20
	e := newRematchEnv(t, k)
	e.serve(t, nil)
	run := e.runAt(t, e.now)
	got := e.stored(t)

	// The engine's ranking, straight from the market.
	orgs := map[string]int{}
	for i, o := range e.mk.Organizations {
		orgs[o.ID] = i
	}
	var cl []match.Clinician
	visible := map[string]bool{}
	for _, p := range e.mk.Profiles {
		cl = append(cl, ranking.FromProfile(p))
		visible[p.ID] = p.VisibleToRecruiters
	}
	ix := match.NewIndex(cl)
	open, pairs := 0, 0
	for _, p := range e.mk.Positions {
		mp := ranking.FromPosition(p, e.mk.Organizations[orgs[p.OrgID]])
		want := ix.TopClinicians(mp, k, e.now, ranking.DefaultOptions(), func(id string) bool { return visible[id] })
		if mp.Status == match.StatusOpen && e.now.Before(mp.ExpiresAt) {
			open++ // listed: open and not expired
		}
		rows := got[p.ID]
		if len(rows) != len(want) {
			t.Fatalf("position %s (%s): %d stored, engine ranks %d", p.ID, p.Status, len(rows), len(want))
		}
		for i, w := range want {
			if rows[i].Profile != w.ID || rows[i].Rank != i+1 || math.Abs(float64(rows[i].Score)-w.Score) > 1e-3 {
				t.Fatalf("position %s rank %d: stored %s %.3f, engine %s %.3f", p.ID, i+1, rows[i].Profile, rows[i].Score, w.ID, w.Score)
			}
			// Each side's points add up to that side (a side without
			// factors stores 100 and no points).
			var sum [2]int
			for f, c := range rows[i].Contributions {
				sum[match.Factor(f).Side()] += int(c)
			}
			for side, got := range sum {
				if want := rows[i].Sides[side]; got != 0 && math.Abs(float64(got)/100-float64(want)) > 0.2 {
					t.Errorf("position %s rank %d: %s points add up to %.2f, side %.2f", p.ID, i+1, match.Side(side), float64(got)/100, want)
				}
			}
		}
		pairs += len(want)
	}
	if pairs == 0 || open == 0 {
		t.Fatalf("the market has %d open positions and %d stored pairs: nothing was tested", open, pairs)
	}
	if run.Changes.New != pairs || run.Positions != open || run.ShardsDone != run.ShardsTotal {
		t.Errorf("run: %+v, want %d new pairs over %d positions and every shard done", run, pairs, open)
	}

	// A second run over the same market: nothing new, nothing dropped, and
	// no pair is rewritten: each keeps when it first appeared and has no
	// previous score.
	again := e.runAt(t, e.now.Add(time.Hour))
	if again.Changes != (rematch.Counts{}) {
		t.Errorf("second run over an unchanged market changed %+v", again.Changes)
	}
	for id, rows := range e.stored(t) {
		for i, r := range rows {
			if !r.FirstSeen.Equal(got[id][i].FirstSeen) || r.Previous != nil || r.Score != got[id][i].Score {
				t.Fatalf("position %s rank %d after the second run: first seen %v (was %v), previous %v (score was %v)",
					id, i+1, r.FirstSeen, got[id][i].FirstSeen, r.Previous, got[id][i].Score)
			}
		}
	}
}

// TestRematchShardTwiceLeavesIdenticalRows runs every shard of a planned
// run twice (as a retry after a lost acknowledgement would): the second
// pass rewrites every row, and the rows and the run's counts come out the
// same as after one pass.
func TestRematchShardTwiceLeavesIdenticalRows(t *testing.T) {
	e := newRematchEnv(t, 10)
	ctx := context.Background()
	run, _, err := e.r.Store.CreateRun(ctx, rematch.Manual, nil, e.now, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	shards := e.features.PlanRematch(40, run.K, run.AsOf)
	if len(shards) < 2 {
		t.Fatalf("%d shards, want several", len(shards))
	}
	if _, err := e.r.Store.Plan(ctx, run.ID, shards, e.now); err != nil {
		t.Fatal(err)
	}
	pass := func() (map[string][]storedRow, rematch.Run) {
		for i := range shards {
			if err := e.r.shard(ctx, NewRematchShardTask(run.ID, i)); err != nil {
				t.Fatalf("shard %d: %v", i, err)
			}
		}
		r, err := e.r.Store.Run(ctx, run.ID)
		if err != nil {
			t.Fatal(err)
		}
		return e.stored(t), r
	}
	first, r1 := pass()
	// Every shard again, as a retry whose first attempt committed but was
	// never acknowledged (a worker killed at that moment) would run it.
	second, r2 := pass()
	if r1.Status != rematch.Done || len(first) == 0 {
		t.Fatalf("after one pass: run %s with %d positions stored", r1.Status, len(first))
	}
	for id, rows := range first {
		if !slices.EqualFunc(rows, second[id], func(a, b storedRow) bool {
			return a.Profile == b.Profile && a.Rank == b.Rank && a.Score == b.Score && a.FirstSeen.Equal(b.FirstSeen) &&
				slices.Equal(a.Contributions, b.Contributions) && (a.Previous == nil) == (b.Previous == nil)
		}) {
			t.Fatalf("position %s: rows differ after the shard ran again", id)
		}
	}
	if r2.Changes != r1.Changes {
		t.Errorf("counts after a second pass %+v, after one %+v", r2.Changes, r1.Changes)
	}
}

// TestNightlySlotRunsOnce ticks twice for the same slot, as two schedulers
// would: one run is created and it ends.
func TestNightlySlotRunsOnce(t *testing.T) {
	e := newRematchEnv(t, 5)
	e.serve(t, nil)
	ctx := context.Background()
	for range 2 {
		if err := e.r.tick(ctx, NewRematchTickTask()); err != nil {
			t.Fatal(err)
		}
	}
	var runs []rematch.Run
	testenv.WaitFor(t, 60*time.Second, "the slot's run ends", func() bool {
		var err error
		runs, err = e.r.Store.Runs(ctx, 10, 0)
		return err == nil && len(runs) > 0 && runs[0].Status == rematch.Done
	})
	slot, _ := lastSlot("0 2 * * *", time.UTC, e.now)
	if len(runs) != 1 || runs[0].Trigger != rematch.Nightly || runs[0].Slot == nil || !runs[0].Slot.Equal(slot) {
		t.Fatalf("runs: %+v, want one nightly run for slot %v", runs, slot)
	}
	if _, created, err := e.r.Store.CreateRun(ctx, rematch.Nightly, &slot, e.now, 5, ""); err != nil || created {
		t.Errorf("a second run for the slot: created %v (%v), want the first returned", created, err)
	}
}

func TestLastSlot(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		spec string
		loc  *time.Location
		now  string
		want string
	}{
		{"0 2 * * *", time.UTC, "2026-12-07T10:00:00Z", "2026-12-07T02:00:00Z"},
		{"0 2 * * *", time.UTC, "2026-12-07T01:59:00Z", "2026-12-06T02:00:00Z"},
		{"0 2 * * *", time.UTC, "2026-12-07T02:00:00Z", "2026-12-07T02:00:00Z"},
		{"CRON_TZ=America/Chicago 0 2 * * *", chicago, "2026-12-07T10:00:00Z", "2026-12-07T08:00:00Z"},
		{"*/15 * * * *", time.UTC, "2026-12-07T10:44:59Z", "2026-12-07T10:30:00Z"},
	}
	for _, tc := range tests {
		got, err := lastSlot(tc.spec, tc.loc, at(tc.now))
		if err != nil || !got.Equal(at(tc.want)) {
			t.Errorf("lastSlot(%q, %s): got %v (%v), want %s", tc.spec, tc.now, got, err, tc.want)
		}
	}
}

// TestClosingAndWithdrawingTakeRowsOut runs a rematch, then closes a
// position and has a stored clinician withdraw consent: their stored
// matches are gone as soon as each write returns, with no task involved.
func TestClosingAndWithdrawingTakeRowsOut(t *testing.T) {
	e := newRematchEnv(t, 10)
	e.serve(t, nil)
	ctx := context.Background()
	e.runAt(t, e.now)
	count := func(q, id string) int {
		var n int
		if err := e.pool.QueryRow(ctx, q, id).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	var posID, profID string
	if err := e.pool.QueryRow(ctx, `SELECT position_id::text, profile_id::text FROM matches
		ORDER BY position_id, rank LIMIT 1`).Scan(&posID, &profID); err != nil {
		t.Fatal(err)
	}
	js := jobsdb.NewStore(e.pool)
	p, err := js.GetPosition(ctx, posID, jobs.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := js.SetStatus(ctx, posID, p.Version, jobs.StatusClosed, jobs.Scope{}); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM matches WHERE position_id = $1`, posID); n != 0 {
		t.Errorf("closed position: %d stored matches left", n)
	}
	if count(`SELECT count(*) FROM matches WHERE profile_id = $1`, profID) == 0 {
		var other string
		if err := e.pool.QueryRow(ctx, `SELECT profile_id::text FROM matches LIMIT 1`).Scan(&other); err != nil {
			t.Fatal(err)
		}
		profID = other
	}
	if _, err := candidatesdb.NewStore(e.pool).SetConsent(ctx, profID, false); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM matches WHERE profile_id = $1`, profID); n != 0 {
		t.Errorf("withdrawn clinician: %d stored matches left", n)
	}
}

// TestRescoringAProfileRanksOnlyWhatItCanChange edits a stored clinician
// and checks that the rescoring rewrites the positions it is stored in,
// leaves the others' rows as they were, and that the stored matches still
// equal the engine's ranking of each position the clinician touches.
func TestRescoringAProfileRanksOnlyWhatItCanChange(t *testing.T) {
	e := newRematchEnv(t, 5)
	ctx := context.Background()
	e.serve(t, nil)
	e.runAt(t, e.now)
	var profID string
	if err := e.pool.QueryRow(ctx, `SELECT profile_id::text FROM matches GROUP BY profile_id ORDER BY count(*) DESC LIMIT 1`).Scan(&profID); err != nil {
		t.Fatal(err)
	}
	// The clinician raises its pay floor far above every position's pay:
	// the pay factor of each of its scores falls.
	cs := candidatesdb.NewStore(e.pool)
	p, err := cs.GetProfile(ctx, profID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.UpdateProfile(ctx, p.ID, p.Version, func(p *candidates.Profile) error {
		annual, hourly := 990000.0, 490.0
		p.PayFloor.Annual, p.PayFloor.Hourly = &annual, &hourly
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.features.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	stored, err := e.r.Store.PositionsOf(ctx, profID)
	if err != nil {
		t.Fatal(err)
	}
	entering, err := e.r.entering(ctx, profID, stored, e.now)
	if err != nil {
		t.Fatal(err)
	}
	eligible := e.features.PositionsFor(profID, e.now)
	if len(entering) >= len(eligible)-len(stored) && len(eligible) > len(stored)+3 {
		t.Errorf("an unchanged clinician enters %d of %d other eligible positions: it is in no new top K", len(entering), len(eligible)-len(stored))
	}
	// The rescoring writes at its task's second, an hour after the run.
	at := e.now.Add(time.Hour)
	e.r.Now = func() time.Time { return at }
	if err := e.r.rescoreProfile(ctx, NewRescoreTask(TypeRescoreProfile, profID, at.Unix())); err != nil {
		t.Fatal(err)
	}
	rows, err := e.pool.Query(ctx, `SELECT DISTINCT position_id::text FROM matches WHERE computed_at = $1`, at)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	rewritten := 0
	for rows.Next() {
		var pid string
		if err := rows.Scan(&pid); err != nil {
			t.Fatal(err)
		}
		rewritten++
		if !slices.Contains(stored, pid) && !slices.Contains(entering, pid) {
			t.Errorf("position %s was rewritten though the clinician cannot change it", pid)
		}
	}
	if rewritten == 0 {
		t.Errorf("no position rewritten after the clinician's scores moved (stored in %d)", len(stored))
	}
}

// TestDeletingTakesRowsOut deletes a stored position, a stored profile and
// an organization: their stored matches go with them, in the same
// statement, as foreign keys would have done.
func TestDeletingTakesRowsOut(t *testing.T) {
	e := newRematchEnv(t, 10)
	e.serve(t, nil)
	ctx := context.Background()
	e.runAt(t, e.now)
	var posID, profID, orgID string
	if err := e.pool.QueryRow(ctx, `SELECT m.position_id::text, m.profile_id::text, p.org_id::text FROM matches m
		JOIN positions p ON p.id = m.position_id ORDER BY m.position_id LIMIT 1`).Scan(&posID, &profID, &orgID); err != nil {
		t.Fatal(err)
	}
	count := func(q string, args ...any) int {
		var n int
		if err := e.pool.QueryRow(ctx, q, args...).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, step := range []struct{ what, del, left string }{
		{"a position", `DELETE FROM positions WHERE id = $1`, `SELECT count(*) FROM matches WHERE position_id = $1`},
		{"a profile", `DELETE FROM profiles WHERE id = $1`, `SELECT count(*) FROM matches WHERE profile_id = $1`},
	} {
		id := posID
		if step.what == "a profile" {
			id = profID
		}
		if _, err := e.pool.Exec(ctx, step.del, id); err != nil {
			t.Fatal(err)
		}
		if n := count(step.left, id); n != 0 {
			t.Errorf("after deleting %s: %d stored matches left", step.what, n)
		}
	}
	if _, err := e.pool.Exec(ctx, `DELETE FROM organizations WHERE id = $1`, orgID); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM matches m WHERE NOT EXISTS (SELECT 1 FROM positions p WHERE p.id = m.position_id)
		OR NOT EXISTS (SELECT 1 FROM profiles c WHERE c.id = m.profile_id)`); n != 0 {
		t.Errorf("%d stored matches of deleted records", n)
	}
}

// TestShardFailingForGoodFailsTheRun plans a run whose only shard cannot
// be written (its plan names a position ID Postgres refuses) and runs that
// shard with no retry left: the run ends failed, naming the shard and the
// error.
func TestShardFailingForGoodFailsTheRun(t *testing.T) {
	e := newRematchEnv(t, 5)
	e.serve(t, nil)
	ctx := context.Background()
	run, _, err := e.r.Store.CreateRun(ctx, rematch.Manual, nil, e.now, 5, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.r.Store.Plan(ctx, run.ID, []match.Shard{{Index: 0, PositionIDs: []string{"not-a-position"}}}, e.now); err != nil {
		t.Fatal(err)
	}
	if err := Enqueue(ctx, e.r.Queue, NewRematchShardTask(run.ID, 0), asynq.MaxRetry(0)); err != nil {
		t.Fatal(err)
	}
	testenv.WaitFor(t, 30*time.Second, "the run fails", func() bool {
		run, err = e.r.Store.Run(ctx, run.ID)
		return err == nil && run.Status == rematch.Failed
	})
	if !strings.HasPrefix(run.Error, "shard 0: ") || run.FinishedAt == nil {
		t.Errorf("failed run: error %q, finished %v; want the shard named", run.Error, run.FinishedAt)
	}
}
