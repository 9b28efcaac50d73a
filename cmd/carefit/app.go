package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/hibiken/asynq"
	"github.com/hibiken/asynqmon"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"github.com/meilisearch/meilisearch-go"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/redis/go-redis/v9"

	"carefit/api"
	appsvc "carefit/app"
	"carefit/internal/platform/config"
	"carefit/internal/platform/logging"
	"carefit/internal/platform/pg"
	"carefit/ranking"
	"carefit/ranking/rankingdb"
	"carefit/rematch/rematchdb"
	"carefit/search"
	"carefit/tasks"
	"carefit/webhook/webhookdb"
)

// app holds the connections a serving or working process shares.
type app struct {
	cfg   config.Config
	log   *slog.Logger
	pool  *pgxpool.Pool
	redis *redis.Client
	queue asynq.RedisConnOpt
	meili meilisearch.ServiceManager
	// search is the index client; queue enqueues tasks (the search sync).
	search *search.Client
	tasks  *asynq.Client
	// notifier wakes the search relay after writes, off the request path.
	notifier     *tasks.SyncNotifier
	stopNotifier context.CancelFunc
	// metrics are the worker's task series; inProcessWorker says the API
	// serves them too (carefit dev runs both in one process).
	metrics         *tasks.Metrics
	inProcessWorker bool
	// closers run at close, last first (the queue monitor's inspectors).
	closers []func() error
}

func loadConfig(e env, format string) (config.Config, *slog.Logger, error) {
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return cfg, nil, err
	}
	// The Go runtime reads GOMEMLIMIT itself; without it, the configured
	// limit makes the collector work harder near it instead of letting
	// the heap grow to twice the feature store.
	if cfg.MemoryLimit > 0 && e.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(cfg.MemoryLimit)
	}
	if format != "" && e.getenv("CAREFIT_LOG_FORMAT") == "" {
		cfg.LogFormat = format
	}
	return cfg, logging.NewLogger(e.stderr, cfg.LogFormat, cfg.LogLevel), nil
}

// openApp connects to Postgres, Redis and Meilisearch.
func openApp(ctx context.Context, cfg config.Config, log *slog.Logger) (*app, error) {
	a := &app{cfg: cfg, log: log}
	var err error
	if a.pool, err = pg.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns); err != nil {
		return nil, err
	}
	ropt, err := redis.ParseURL(cfg.RedisURL)
	if err != nil {
		a.close()
		return nil, fmt.Errorf("redis: %w", err)
	}
	a.redis = redis.NewClient(ropt)
	if a.queue, err = asynq.ParseRedisURI(cfg.RedisURL); err != nil {
		a.close()
		return nil, fmt.Errorf("redis: %w", err)
	}
	opts := []meilisearch.Option{meilisearch.WithCustomClient(search.HTTPClient(30 * time.Second))}
	if cfg.MeiliKey != "" {
		opts = append(opts, meilisearch.WithAPIKey(cfg.MeiliKey))
	}
	a.meili = meilisearch.New(cfg.MeiliURL, opts...)
	a.search = search.New(a.meili, cfg.MeiliIndexPrefix)
	a.tasks = asynq.NewClient(a.queue)
	a.notifier = tasks.NewSyncNotifier(a.tasks, log)
	nctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	a.stopNotifier = stop
	go a.notifier.Run(nctx)
	return a, nil
}

func (a *app) close() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		_ = a.closers[i]()
	}
	if a.stopNotifier != nil {
		a.stopNotifier()
	}
	if a.tasks != nil {
		a.tasks.Close()
	}
	if a.redis != nil {
		a.redis.Close()
	}
	if a.pool != nil {
		a.pool.Close()
	}
}

// checks are the dependencies /readyz probes.
func (a *app) checks() []api.Check {
	return []api.Check{
		{Name: "postgres", Probe: func(ctx context.Context) (any, error) {
			st, err := pg.MigrationStatus(ctx, a.pool)
			if err != nil {
				// The database's own words are logged, never answered.
				a.log.WarnContext(ctx, "readiness: postgres", "err", err)
				return nil, errors.New("unreachable")
			}
			if len(st.Pending) > 0 {
				return st, fmt.Errorf("%d migrations pending: run carefit migrate up", len(st.Pending))
			}
			return st, nil
		}},
		{Name: "redis", Probe: func(ctx context.Context) (any, error) {
			if err := a.redis.Ping(ctx).Err(); err != nil {
				a.log.WarnContext(ctx, "readiness: redis", "err", err)
				return nil, errors.New("unreachable")
			}
			return nil, nil
		}},
		{Name: "meilisearch", Probe: func(ctx context.Context) (any, error) {
			h, err := a.meili.Health(ctx)
			if err != nil {
				return nil, errors.New("unreachable")
			}
			if h.Status != "available" {
				return nil, fmt.Errorf("status %s", h.Status)
			}
			return nil, nil
		}},
	}
}

// serveWorkerMetrics serves the worker's /metrics (its task series and
// the Go runtime's) and /debug/pprof on addr until stop.
func (a *app) serveWorkerMetrics(addr string) (stop func(), err error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(a.metricsOf().Collectors()...)
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("worker metrics on %s (CAREFIT_WORKER_METRICS_ADDR): %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	// Profiles for an operator chasing a worker's CPU or memory; the
	// address is loopback unless configured otherwise.
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	a.log.Info("worker metrics", "addr", l.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// serveDebug answers /debug/pprof on addr, a listener of its own apart
// from the API (so neither its middleware nor its rate limit applies, and
// the API's port never exposes profiles), until stop.
func (a *app) serveDebug(addr string) (stop func(), err error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("debug listener on %s (CAREFIT_DEBUG_ADDR): %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(l) }()
	a.log.Info("debug listener", "addr", l.Addr().String())
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}

// ensureIndexes makes sure the search indexes exist with their settings.
// Meilisearch being down does not stop the process from starting (ranked
// lists, reads and writes need no search index, and /readyz reports it):
// the attempt is retried in the background until it succeeds or ctx ends.
func (a *app) ensureIndexes(ctx context.Context) {
	try := func() error {
		tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return a.search.EnsureIndexes(tctx)
	}
	err := try()
	if err == nil {
		return
	}
	a.log.Warn("search indexes not ready; retrying in the background", "err", err)
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				if err := try(); err == nil {
					a.log.Info("search indexes ready")
					return
				}
			}
		}
	}()
}

// metricsOf returns the process's worker metrics, made on first use.
func (a *app) metricsOf() *tasks.Metrics {
	if a.metrics == nil {
		a.metrics = tasks.NewMetrics()
	}
	return a.metrics
}

// featureLagLimit is how far behind Postgres the feature store may fall
// before /readyz reports this process unready: its ranked lists would be
// stale.
const featureLagLimit = 30 * time.Second

// featureCheck reports the feature store's freshness in /readyz: its lag
// behind Postgres, the changes it holds past an open transaction, and its
// size; down when the lag passes featureLagLimit.
func featureCheck(fs *ranking.Store) api.Check {
	return api.Check{Name: "feature_store", Probe: func(context.Context) (any, error) {
		f := fs.Freshness()
		if f.Lag > featureLagLimit {
			return f, fmt.Errorf("%.0f s behind the database", f.Lag.Seconds())
		}
		return f, nil
	}}
}

// featureMetrics are the feature store's gauges for /metrics.
func featureMetrics(fs *ranking.Store) []prometheus.Collector {
	return []prometheus.Collector{
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "carefit", Subsystem: "feature_store", Name: "lag_seconds",
			Help: "Seconds since the in-memory feature store last held every committed change."},
			func() float64 { return fs.Freshness().Lag.Seconds() }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Namespace: "carefit", Subsystem: "feature_store", Name: "held_changes",
			Help: "Changes applied past the outbox cursor while an older transaction stays open."},
			func() float64 { return float64(fs.Freshness().Held) }),
	}
}

// features loads the in-memory feature store and keeps it following the
// outbox until ctx ends. text is the searchable text its ranked lists
// match free text against (searchText() for a process serving them, none
// for a worker, which ranks without text).
func (a *app) features(ctx context.Context, text ranking.Texts) (*ranking.Store, error) {
	started := time.Now()
	src, err := rankingdb.Sources(ctx, a.pool)
	if err != nil {
		return nil, err
	}
	src.Text = text
	opts := ranking.DefaultOptions()
	opts.AvailabilitySlackDays = a.cfg.AvailabilitySlackDays
	fs, err := ranking.Load(ctx, src, a.log, opts)
	if err != nil {
		return nil, err
	}
	// Loading reads every record once and keeps a fraction of it: return
	// what it left behind now rather than hold it until the heap next
	// grows to the memory limit.
	debug.FreeOSMemory()
	nc, np := fs.Len()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	a.log.Info("feature store loaded", "clinicians", nc, "positions", np, "took", time.Since(started).Round(time.Millisecond).String(),
		"heap_mib", ms.HeapAlloc>>20)
	go fs.Follow(ctx, 250*time.Millisecond)
	return fs, nil
}

// searchText is the searchable text of the search index's documents,
// which the ranked lists match free text against.
func searchText() ranking.Texts {
	return ranking.Texts{Profile: search.ProfileText, Position: search.PositionText}
}

// wakeSync asks the notifier to wake the search relay; it never waits on
// Redis, so a Redis outage does not slow writes (the sweep catches up).
func (a *app) wakeSync(ctx context.Context) { a.notifier.Notify(ctx) }

// apiServer wires the API: the stores on the pool, the application
// service over them, and the feature store and search client.
func (a *app) apiServer(features *ranking.Store) (*echo.Echo, error) {
	var proxies []*net.IPNet
	for _, c := range a.cfg.TrustedProxies {
		_, n, _ := net.ParseCIDR(c)
		proxies = append(proxies, n)
	}
	d := wireAPI(a.pool, time.Now, features, a.search, a.tasks,
		appsvc.RematchSettings{K: a.cfg.MatchesK, AlertMinScore: a.cfg.AlertMinScore}, a.cfg.IntroDailyLimit)
	d.RateLimit, d.OnWrite, d.Logger, d.Checks, d.BodyLimit = a.cfg.RateLimit, a.wakeSync, a.log, a.checks(), a.cfg.BodyLimit
	if features != nil {
		d.Checks = append(d.Checks, featureCheck(features))
		d.Metrics = featureMetrics(features)
	}
	insp := asynq.NewInspector(a.queue)
	mon := asynqmon.New(asynqmon.Options{RootPath: api.QueuesPath, RedisConnOpt: a.queue, ReadOnly: true})
	a.closers = append(a.closers, insp.Close, mon.Close)
	d.Queues = mon
	d.Metrics = append(d.Metrics, tasks.NewQueueCollector(insp), tasks.NewStateCollector(a.pool))
	if a.inProcessWorker {
		d.Metrics = append(d.Metrics, a.metricsOf().Collectors()...)
	}
	d.CORSOrigins, d.TrustedProxies, d.Version = a.cfg.CORSOrigins, proxies, buildVersion()
	d.ImportsPerKey = a.cfg.ImportsPerKey
	return api.New(d), nil
}

// worker builds the asynq worker. features is the process's feature
// store: the rematch tasks rank from it, and every change it applies is
// rescored (collapsed per record and second).
func (a *app) worker(ctx context.Context, features *ranking.Store) (*tasks.Worker, error) {
	h := &tasks.Handlers{Pool: a.pool, Log: a.log, Now: time.Now, Search: a.search, Metrics: a.metricsOf()}
	h.Webhooks = &tasks.Webhooks{Store: webhookdb.New(a.pool), Queue: a.tasks, Client: tasks.WebhookClient(a.cfg.WebhookPrivate), Now: time.Now}
	h.Rematch = &tasks.Rematch{Features: features, Store: rematchdb.New(a.pool), Queue: a.tasks, K: a.cfg.MatchesK,
		Cron: "CRON_TZ=" + a.cfg.TZ.String() + " " + a.cfg.RematchCron, Location: a.cfg.TZ, Now: time.Now, Metrics: a.metricsOf(), Log: a.log, Digests: true}
	features.OnChange(func(profiles, positions []string) {
		go func() {
			ectx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			defer cancel()
			if err := tasks.EnqueueRescores(ectx, a.tasks, time.Now(), profiles, positions); err != nil {
				a.log.Warn("enqueueing rescoring; the nightly run catches up", "err", err)
			}
		}()
	})
	return tasks.NewWorker(a.queue, h, tasks.WorkerOptions{
		Concurrency: a.cfg.WorkerConcurrency, ShutdownTimeout: a.cfg.ShutdownTimeout,
		Scheduler: a.cfg.Scheduler, NightlyCron: a.cfg.NightlyCron, Log: a.log,
		RematchCron: a.cfg.RematchCron, RematchTZ: a.cfg.TZ,
	})
}

// serveHTTP serves srv on l until ctx ends, then drains requests within the
// shutdown timeout.
func (a *app) serveHTTP(ctx context.Context, srv *echo.Echo, l net.Listener) error {
	errc := make(chan error, 1)
	go func() {
		srv.Listener = l
		err := srv.Start("")
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		errc <- err
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.log.Info("shutting down HTTP", "timeout", a.cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), a.cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("http shutdown: %w", err)
	}
	return <-errc
}
