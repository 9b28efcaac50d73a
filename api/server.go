// Package api is carefit's HTTP API: echo v4 routes, authentication and
// roles, the mapping of domain errors to RFC 9457 problems, the OpenAPI
// document and the small web pages. Handlers stay thin: a use case's
// handler binds its input once (see bind.go for which check runs where),
// calls one app.Service method and renders the view it returns; record
// routes call a domain store. The package builds no store and imports no
// database driver: cmd/carefit passes everything in Deps.
package api

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo-contrib/echoprometheus"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"golang.org/x/time/rate"

	"carefit/app"
	"carefit/internal/kit/errs"
	"carefit/internal/platform/config"
	"carefit/internal/platform/logging"
)

// Check is one dependency probed by /readyz.
type Check struct {
	Name string
	// Probe returns an optional detail to show (such as the migration
	// version) and an error when the dependency is down.
	Probe func(ctx context.Context) (any, error)
}

// Deps is what the API needs from the process that runs it; cmd/carefit
// builds every store and the application service. The /v1 routes are
// mounted only when App is set.
type Deps struct {
	// App runs the use cases: ranked lists, explanations, search, imports
	// and the reads that need audience views and audit.
	App *app.Service
	// Jobs, Candidates and Keys are the stores behind the plain record
	// routes (create, patch, delete, keys, audit) and authentication.
	Jobs       Jobs
	Candidates Candidates
	Keys       Keys
	// Idempotency keeps the answers of retried POSTs.
	Idempotency Idempotency

	Now    func() time.Time
	Logger *slog.Logger
	Checks []Check
	// Queues is the read-only asynq monitor (asynqmon), mounted at
	// /admin/queues for admins; nil mounts nothing.
	Queues http.Handler
	// Metrics are the process's own collectors (such as the feature
	// store's lag), served at /metrics with the HTTP ones.
	Metrics        []prometheus.Collector
	BodyLimit      string
	CORSOrigins    []string
	TrustedProxies []*net.IPNet
	Version        string
	// RateLimit is requests per second allowed per client address (burst
	// twice that); 0 disables the limiter.
	RateLimit float64
	// ImportsPerKey is how many NDJSON imports one API key may run at
	// once; 0 means 2.
	ImportsPerKey int
	// OnWrite is called after every committed change to a position or a
	// profile, to wake the search sync; nil does nothing.
	OnWrite func(ctx context.Context)
}

// Server holds the handlers' dependencies.
type Server struct {
	log   *slog.Logger
	now   func() time.Time
	app   *app.Service
	jobs  Jobs
	cands Candidates
	keys  Keys
	idem  Idempotency

	onWrite       func(ctx context.Context)
	importsPerKey int
	queues        http.Handler
	pages         pageTemplates
	checks        []Check
}

// New builds the echo server with its middleware and routes.
func New(d Deps) *echo.Echo {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = errorHandler(d.Logger)
	e.JSONSerializer = &jsonSerializer{}
	e.IPExtractor = ipExtractor(d.TrustedProxies)
	e.Server.ReadHeaderTimeout = 10 * time.Second
	e.Server.ReadTimeout = 60 * time.Second
	e.Server.WriteTimeout = 120 * time.Second
	e.Server.IdleTimeout = 120 * time.Second

	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		RequestIDHandler: func(c echo.Context, id string) {
			req := c.Request()
			c.SetRequest(req.WithContext(logging.WithAttrs(req.Context(), slog.String("request_id", id))))
		},
	}))
	e.Use(requestLogger(d.Logger))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			d.Logger.ErrorContext(c.Request().Context(), "panic", "err", err, "stack", string(stack))
			return err
		},
	}))
	// Metrics use a registry of this server's own, so several servers (as
	// in tests) never collide in the global one.
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	reg.MustRegister(d.Metrics...)
	e.Use(echoprometheus.NewMiddlewareWithConfig(echoprometheus.MiddlewareConfig{
		Namespace: "carefit", Subsystem: "http", Registerer: reg, DoNotUseRequestPathFor404: true,
		Skipper: func(c echo.Context) bool { return c.Path() == "/metrics" },
		// The status of an error is the one the error handler will answer
		// with, from the same table; echoprometheus would otherwise label
		// every error that is not an *echo.HTTPError as 500.
		StatusCodeResolver: func(c echo.Context, err error) int {
			if err == nil {
				return c.Response().Status
			}
			p, _ := problemFor(err)
			return p.Status
		},
	}))
	if d.RateLimit > 0 {
		e.Use(middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
			Store: middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
				Rate: rate.Limit(d.RateLimit), Burst: int(2 * d.RateLimit), ExpiresIn: 3 * time.Minute}),
			DenyHandler: func(c echo.Context, _ string, _ error) error {
				c.Response().Header().Set("Retry-After", rateRetryAfter(d.RateLimit))
				return fail(errs.RateLimited, "too many requests: slow down")
			},
			ErrorHandler: func(c echo.Context, err error) error {
				return fail(errs.Forbidden, "the client address could not be determined")
			},
		}))
	}
	if len(d.CORSOrigins) > 0 {
		e.Use(middleware.CORSWithConfig(middleware.CORSConfig{AllowOrigins: d.CORSOrigins,
			AllowHeaders:  []string{"Authorization", "Content-Type", "If-Match", "Idempotency-Key"},
			ExposeHeaders: []string{"ETag", "Location", "X-Request-Id"}}))
	}

	e.GET("/healthz", func(c echo.Context) error {
		return c.JSON(http.StatusOK, map[string]string{"status": "ok", "version": d.Version})
	})
	e.GET("/readyz", readyz(d.Checks))
	e.GET("/metrics", echoprometheus.NewHandlerWithConfig(echoprometheus.HandlerConfig{Gatherer: reg}))
	mountDocs(e) // /openapi.yaml and /docs
	if d.App == nil {
		mountLanding(e)
		return e
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	srv := &Server{log: d.Logger, now: d.Now, app: d.App, jobs: d.Jobs, cands: d.Candidates, keys: d.Keys, idem: d.Idempotency, onWrite: d.OnWrite,
		importsPerKey: d.ImportsPerKey, queues: d.Queues, pages: mustPages(), checks: d.Checks}
	srv.routes(e, d.BodyLimit)
	limit, _ := config.ParseBytes(d.BodyLimit)
	srv.mountPages(e, formatBytes(limit))
	return e
}

// rateRetryAfter is the Retry-After, in whole seconds, of a client over a
// limit of perSecond requests a second: the time its next request is
// allowed, rounded up, at least 1.
func rateRetryAfter(perSecond float64) string {
	return strconv.Itoa(max(1, int(math.Ceil(1/perSecond))))
}

// ipExtractor believes X-Forwarded-For only from the configured proxies, so
// a client cannot spoof its address for logs and rate limits.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogURIPath: true, LogMethod: true, LogLatency: true, LogRemoteIP: true, LogError: true,
		HandleError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("method", v.Method), slog.String("path", v.URIPath), slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency), slog.String("remote_ip", v.RemoteIP))
			return nil
		},
	})
}

// checkState is one dependency's answer to a readiness probe.
type checkState struct {
	Status string `json:"status"`
	Detail any    `json:"detail,omitempty"`
	Error  string `json:"error,omitempty"`
}

// runChecks probes every dependency at once, within 3 s, and reports
// whether all are up.
func runChecks(ctx context.Context, checks []Check) (map[string]checkState, bool) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	type res struct {
		name string
		s    checkState
	}
	ch := make(chan res, len(checks))
	for _, chk := range checks {
		go func(chk Check) {
			detail, err := chk.Probe(ctx)
			s := checkState{Status: "ok", Detail: detail}
			if err != nil {
				s = checkState{Status: "down", Error: err.Error(), Detail: detail}
			}
			ch <- res{chk.Name, s}
		}(chk)
	}
	results, up := make(map[string]checkState, len(checks)), true
	for range checks {
		r := <-ch
		results[r.name] = r.s
		up = up && r.s.Status == "ok"
	}
	return results, up
}

func readyz(checks []Check) echo.HandlerFunc {
	return func(c echo.Context) error {
		results, up := runChecks(c.Request().Context(), checks)
		code, overall := http.StatusOK, "ok"
		if !up {
			code, overall = http.StatusServiceUnavailable, "unavailable"
		}
		return c.JSON(code, map[string]any{"status": overall, "checks": results})
	}
}

func jsonEncode(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
