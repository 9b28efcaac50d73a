package tasks

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
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
	p, err := candidatesdb.NewStore(pool).CreateProfile(context.Background(), candidates.Profile{
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
	var ids []string
	var undone int
	indexed := testenv.Eventually(time.Minute, func() bool {
		ids, err = h.Search.ProfileIDs(ctx, "", search.ProfileFilter{})
		if err == nil {
			err = pool.QueryRow(ctx, `SELECT count(*) FROM outbox WHERE done_at IS NULL`).Scan(&undone)
		}
		return err == nil && len(ids) == 1 && ids[0] == p.ID && undone == 0
	})
	if !indexed {
		t.Fatalf("profile not indexed and marked within a minute: ids %v, %d undone, %v", ids, undone, err)
	}
}

// TestTaskOptions enqueues each task a constructor builds into Redis and
// reads back what asynq stored, so a change to a task's queue, retries,
// timeout or uniqueness fails here. (asynq keeps a task's options
// unexported; the stored TaskInfo is the way to see them.)
func TestTaskOptions(t *testing.T) {
	redisOpt, err := asynq.ParseRedisURI(testenv.Redis(t))
	if err != nil {
		t.Fatal(err)
	}
	client := asynq.NewClient(redisOpt)
	defer client.Close()
	insp := asynq.NewInspector(redisOpt)
	defer insp.Close()
	ctx := context.Background()

	reindex := func(k search.Kind) *asynq.Task {
		task, err := NewSearchReindexTask(k)
		if err != nil {
			t.Fatal(err)
		}
		return task
	}
	tests := []struct {
		name     string
		task     *asynq.Task
		typ      string
		payload  string
		queue    string
		maxRetry int
		timeout  time.Duration
		unique   bool
	}{
		{"search sync", NewSearchSyncTask(), TypeSearchSync, "", QueueCritical, 10, 2 * time.Minute, false},
		{"reindex positions", reindex(search.KindPositions), TypeSearchReindex, `{"kind":"positions"}`, QueueMaintenance, 3, 30 * time.Minute, true},
		{"reindex profiles", reindex(search.KindProfiles), TypeSearchReindex, `{"kind":"profiles"}`, QueueMaintenance, 3, 30 * time.Minute, true},
		{"outbox prune", NewOutboxPruneTask(), TypeOutboxPrune, "", QueueMaintenance, 3, 10 * time.Minute, true},
		{"idempotency prune", NewPruneTask(), TypePrune, "", QueueMaintenance, 3, 5 * time.Minute, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			enq, err := client.EnqueueContext(ctx, tc.task)
			if err != nil {
				t.Fatalf("enqueue: %v", err)
			}
			info, err := insp.GetTaskInfo(tc.queue, enq.ID)
			if err != nil {
				t.Fatalf("task not in queue %s: %v", tc.queue, err)
			}
			if info.Type != tc.typ || string(info.Payload) != tc.payload {
				t.Errorf("got type %s payload %q, want %s %q", info.Type, info.Payload, tc.typ, tc.payload)
			}
			if info.Queue != tc.queue || info.MaxRetry != tc.maxRetry || info.Timeout != tc.timeout {
				t.Errorf("got queue %s, max retry %d, timeout %s; want %s, %d, %s",
					info.Queue, info.MaxRetry, info.Timeout, tc.queue, tc.maxRetry, tc.timeout)
			}
			_, err = client.EnqueueContext(ctx, tc.task)
			if got := errors.Is(err, asynq.ErrDuplicateTask); got != tc.unique {
				t.Errorf("enqueued again: got %v, want duplicate %v", err, tc.unique)
			}
			if !tc.unique && err != nil {
				t.Errorf("enqueued again: %v", err)
			}
		})
	}
	if _, err := NewSearchReindexTask("everything"); err == nil {
		t.Error("reindex of an unknown kind accepted")
	}
}

// TestEnqueueSyncRunsAtTheNextSecond checks the coalescing key and delay
// EnqueueSync adds: ID search:sync:S, due at the start of second S+1.
func TestEnqueueSyncRunsAtTheNextSecond(t *testing.T) {
	redisOpt, err := asynq.ParseRedisURI(testenv.Redis(t))
	if err != nil {
		t.Fatal(err)
	}
	client := asynq.NewClient(redisOpt)
	defer client.Close()
	insp := asynq.NewInspector(redisOpt)
	defer insp.Close()
	before := time.Now().Unix()
	if err := EnqueueSync(context.Background(), client); err != nil {
		t.Fatal(err)
	}
	after := time.Now().Unix()
	tasks, err := insp.ListScheduledTasks(QueueCritical)
	if err != nil {
		t.Fatal(err)
	}
	if len(tasks) != 1 {
		t.Fatalf("%d scheduled tasks, want 1", len(tasks))
	}
	var sec int64
	if _, err := fmt.Sscanf(tasks[0].ID, "search:sync:%d", &sec); err != nil || sec < before || sec > after {
		t.Fatalf("task ID %q, want search:sync:S with S in [%d, %d]", tasks[0].ID, before, after)
	}
	if want := time.Unix(sec+1, 0); !tasks[0].NextProcessAt.Equal(want) {
		t.Errorf("due %s, want %s", tasks[0].NextProcessAt, want)
	}
	if tasks[0].Type != TypeSearchSync || tasks[0].MaxRetry != 10 {
		t.Errorf("got %s with max retry %d, want the search sync task's options", tasks[0].Type, tasks[0].MaxRetry)
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
	// Which rows are left, not how many: the 8-day-old done row goes, the
	// 6-day-old done row (inside the retention) and the undone one stay.
	rows, err := pool.Query(ctx, `SELECT coalesce(extract(day FROM now() - done_at)::int, -1) FROM outbox ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	left, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{-1, 6}; !slices.Equal(left, want) {
		t.Fatalf("rows left done this many days ago (-1 undone): got %v, want %v", left, want)
	}
}
