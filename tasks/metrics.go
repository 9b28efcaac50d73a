package tasks

import (
	"context"
	"time"

	"github.com/hibiken/asynq"
	"github.com/jackc/pgx/v5"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the worker's Prometheus series: tasks run, failed and their
// durations by type, and the rematch's pairs scored.
type Metrics struct {
	tasks    *prometheus.CounterVec
	duration *prometheus.HistogramVec
	pairs    prometheus.Counter
}

// NewMetrics returns unregistered worker metrics; register Collectors.
func NewMetrics() *Metrics {
	return &Metrics{
		tasks: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "carefit", Subsystem: "tasks", Name: "processed_total",
			Help: "Tasks this worker ran, by type and outcome (ok or failed)."}, []string{"type", "outcome"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "carefit", Subsystem: "tasks", Name: "duration_seconds",
			Help:    "How long this worker's tasks ran, by type.",
			Buckets: prometheus.ExponentialBuckets(0.005, 4, 9)}, []string{"type"}),
		pairs: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "carefit", Subsystem: "rematch", Name: "pairs_scored_total",
			Help: "Candidate pairs the rematch's shards and rescoring visited (its rate is pairs per second)."}),
	}
}

// Collectors returns the series to register.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.tasks, m.duration, m.pairs}
}

// Middleware counts and times every task.
func (m *Metrics) Middleware(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		start := time.Now()
		err := next.ProcessTask(ctx, t)
		outcome := "ok"
		if err != nil {
			outcome = "failed"
		}
		m.tasks.WithLabelValues(t.Type(), outcome).Inc()
		m.duration.WithLabelValues(t.Type()).Observe(time.Since(start).Seconds())
		return err
	})
}

// scored adds pairs visited by a shard or a rescoring.
func (m *Metrics) scored(n int64) {
	if m != nil && n > 0 {
		m.pairs.Add(float64(n))
	}
}

// QueueCollector reports each queue's size by state and its latency (the
// age of its oldest pending task), read from Redis at scrape time.
type QueueCollector struct {
	insp    *asynq.Inspector
	size    *prometheus.Desc
	latency *prometheus.Desc
}

// NewQueueCollector reports the queues insp sees.
func NewQueueCollector(insp *asynq.Inspector) *QueueCollector {
	return &QueueCollector{insp: insp,
		size: prometheus.NewDesc("carefit_queue_tasks", "Tasks in each asynq queue, by state.",
			[]string{"queue", "state"}, nil),
		latency: prometheus.NewDesc("carefit_queue_latency_seconds", "Age of each asynq queue's oldest pending task.",
			[]string{"queue"}, nil)}
}

// Describe implements prometheus.Collector.
func (c *QueueCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.size; ch <- c.latency }

// Collect implements prometheus.Collector; a Redis failure reports nothing
// (readiness reports Redis).
func (c *QueueCollector) Collect(ch chan<- prometheus.Metric) {
	queues, err := c.insp.Queues()
	if err != nil {
		return
	}
	for _, q := range queues {
		info, err := c.insp.GetQueueInfo(q)
		if err != nil {
			continue
		}
		for state, n := range map[string]int{"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived, "completed": info.Completed} {
			ch <- prometheus.MustNewConstMetric(c.size, prometheus.GaugeValue, float64(n), q, state)
		}
		ch <- prometheus.MustNewConstMetric(c.latency, prometheus.GaugeValue, info.Latency.Seconds(), q)
	}
}

// StateCollector reports what Postgres holds about the background work,
// read at scrape time: the last finished rematch run's duration and rate,
// runs in progress, and the outbox rows the search relay has not applied
// yet and the age of the oldest.
type StateCollector struct {
	db                                pgxQuerier
	runSeconds, runRate, running      *prometheus.Desc
	outboxPending, outboxOldestAgeSec *prometheus.Desc
}

// pgxQuerier is what StateCollector reads through (a pgx pool).
type pgxQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// NewStateCollector reads from db.
func NewStateCollector(db pgxQuerier) *StateCollector {
	d := func(name, help string) *prometheus.Desc { return prometheus.NewDesc(name, help, nil, nil) }
	return &StateCollector{db: db,
		runSeconds:         d("carefit_rematch_last_run_duration_seconds", "How long the last finished rematch run took, from its start to its last shard."),
		runRate:            d("carefit_rematch_last_run_pairs_per_second", "Candidate pairs the last finished rematch run visited per second."),
		running:            d("carefit_rematch_runs_in_progress", "Rematch runs queued, planning or running."),
		outboxPending:      d("carefit_outbox_pending", "Outbox rows the search relay has not applied yet."),
		outboxOldestAgeSec: d("carefit_outbox_oldest_pending_seconds", "Age of the oldest outbox row the search relay has not applied (0 when none)."),
	}
}

// Describe implements prometheus.Collector.
func (c *StateCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.runSeconds, c.runRate, c.running, c.outboxPending, c.outboxOldestAgeSec} {
		ch <- d
	}
}

// Collect implements prometheus.Collector; a database failure reports
// nothing (readiness reports Postgres).
func (c *StateCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var secs, pairs *float64
	var running int
	if err := c.db.QueryRow(ctx, `SELECT
			(SELECT extract(epoch FROM finished_at - started_at)::float8 FROM rematch_runs WHERE status = 'done' ORDER BY finished_at DESC LIMIT 1),
			(SELECT pairs_scored::float8 FROM rematch_runs WHERE status = 'done' ORDER BY finished_at DESC LIMIT 1),
			(SELECT count(*) FROM rematch_runs WHERE status IN ('queued', 'planning', 'running'))`).Scan(&secs, &pairs, &running); err == nil {
		ch <- prometheus.MustNewConstMetric(c.running, prometheus.GaugeValue, float64(running))
		if secs != nil && pairs != nil {
			ch <- prometheus.MustNewConstMetric(c.runSeconds, prometheus.GaugeValue, *secs)
			if *secs > 0 {
				ch <- prometheus.MustNewConstMetric(c.runRate, prometheus.GaugeValue, *pairs / *secs)
			}
		}
	}
	var pending int64
	var oldest float64
	if err := c.db.QueryRow(ctx, `SELECT count(*), coalesce(extract(epoch FROM now() - min(created_at))::float8, 0)
			FROM outbox WHERE done_at IS NULL`).Scan(&pending, &oldest); err == nil {
		ch <- prometheus.MustNewConstMetric(c.outboxPending, prometheus.GaugeValue, float64(pending))
		ch <- prometheus.MustNewConstMetric(c.outboxOldestAgeSec, prometheus.GaugeValue, oldest)
	}
}
