package tasks

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/candidates"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/testenv"
	"carefit/search"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func newHandlers(t *testing.T) (*Handlers, *pgxpool.Pool) {
	t.Helper()
	pool := testenv.DB(t)
	m := testenv.MeiliSearch(t)
	return &Handlers{Pool: pool, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: time.Now,
		Search: search.New(m.Client, m.Prefix)}, pool
}

func createProfile(t *testing.T, pool *pgxpool.Pool) candidates.Profile {
	t.Helper()
	p, err := candidates.NewStore(pool).CreateProfile(context.Background(), candidates.Profile{
		Name: candidates.Name{Given: "Ana", Family: "Lopez"}, Contact: candidates.Contact{Email: "ana@example.org"},
		Credential: taxonomy.MD, NPI: "1234567893", Taxonomies: []string{"207Q00000X"},
		Licences:        []candidates.Licence{{State: "WI", Number: "L1", Expires: day(2030, 1, 1)}},
		YearsExperience: 5, Home: candidates.Home{Lat: 43.07, Lng: -89.40, State: "WI"},
		MaxCommuteMiles: 30, AvailableFrom: day(2026, 6, 1),
		EmploymentTypes: []taxonomy.EmploymentType{taxonomy.EmploymentPermanent},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEnqueueSyncCoalescesBurstsAndIndexes(t *testing.T) {
	h, pool := newHandlers(t)
	redisOpt, err := asynq.ParseRedisURI(testenv.Redis(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	p := createProfile(t, pool)

	client := asynq.NewClient(redisOpt)
	defer client.Close()
	for range 50 {
		if err := EnqueueSync(ctx, client); err != nil {
			t.Fatalf("enqueue: %v", err)
		}
	}
	insp := asynq.NewInspector(redisOpt)
	defer insp.Close()
	info, err := insp.GetQueueInfo(QueueCritical)
	if err != nil {
		t.Fatal(err)
	}
	if n := info.Size; n < 1 || n > 2 {
		t.Fatalf("a burst of 50 enqueues made %d tasks, want 1 (2 across a second boundary)", n)
	}

	srv := asynq.NewServer(redisOpt, asynq.Config{Concurrency: 2, Queues: map[string]int{QueueCritical: 1},
		DelayedTaskCheckInterval: 100 * time.Millisecond, LogLevel: asynq.FatalLevel})
	if err := srv.Start(h.Mux()); err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown()
	// The document is searchable a moment before the relay marks its
	// outbox row done, so wait for both.
	for {
		ids, err := h.Search.ProfileIDs(ctx, "", search.ProfileFilter{})
		var undone int
		if err == nil {
			err = pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE done_at IS NULL`).Scan(&undone)
		}
		if err == nil && len(ids) == 1 && ids[0] == p.ID && undone == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("profile not indexed and marked: ids %v, %d undone, %v", ids, undone, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestSearchTaskOptions(t *testing.T) {
	sync := NewSearchSyncTask()
	if sync.Type() != TypeSearchSync || len(sync.Payload()) != 0 {
		t.Errorf("sync task %s %q", sync.Type(), sync.Payload())
	}
	if _, err := NewSearchReindexTask("everything"); err == nil {
		t.Error("reindex of an unknown kind accepted")
	}
}

func TestReindexTask(t *testing.T) {
	h, pool := newHandlers(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	createProfile(t, pool)
	task, err := NewSearchReindexTask(search.KindProfiles)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Mux().ProcessTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	if n, err := h.Search.Count(ctx, search.KindProfiles); err != nil || n != 1 {
		t.Fatalf("count %d, %v", n, err)
	}
	bad := asynq.NewTask(TypeSearchReindex, []byte(`{"kind":"everything"}`))
	if err := h.Mux().ProcessTask(ctx, bad); !errors.Is(err, asynq.SkipRetry) {
		t.Errorf("bad payload: got %v, want SkipRetry", err)
	}
	h.Search = nil
	if err := h.Mux().ProcessTask(ctx, NewSearchSyncTask()); !errors.Is(err, asynq.SkipRetry) {
		t.Errorf("no client: got %v, want SkipRetry", err)
	}
}

func TestPruneOutboxKeepsUndoneAndRecent(t *testing.T) {
	h, pool := newHandlers(t)
	ctx := context.Background()
	_, err := pool.Exec(ctx, `INSERT INTO outbox (entity, entity_id, op, created_at, done_at) VALUES
		('profile', gen_random_uuid(), 'upsert', now() - interval '30 days', now() - interval '8 days'),
		('profile', gen_random_uuid(), 'upsert', now() - interval '30 days', now() - interval '6 days'),
		('profile', gen_random_uuid(), 'upsert', now() - interval '30 days', NULL)`)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.Mux().ProcessTask(ctx, NewOutboxPruneTask()); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM outbox`).Scan(&n); err != nil || n != 2 {
		t.Fatalf("%d rows left, %v; want 2", n, err)
	}
}
