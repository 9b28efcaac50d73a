package main

import (
	"context"
	"fmt"
	"net"

	"carefit/ranking"
)

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "serve", "", "Run the HTTP API. It does not migrate: run 'carefit migrate up' first; /readyz answers 503 while migrations are pending.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, log, err := loadConfig(e, "json")
	if err != nil {
		return err
	}
	log.Info("starting carefit serve", "version", buildVersion(), "config", cfg)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	a.ensureIndexes(ctx)
	features, err := a.features(ctx, searchText())
	if err != nil {
		return err
	}
	srv, err := a.apiServer(features)
	if err != nil {
		return err
	}
	if cfg.DebugAddr != "" {
		// Profiles are an operator's aid: without them the API still serves.
		if stop, err := a.serveDebug(cfg.DebugAddr); err != nil {
			log.Error("debug listener not served", "err", err)
		} else {
			defer stop()
		}
	}
	l, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("listen on CAREFIT_HTTP_ADDR=%s: %w", cfg.HTTPAddr, err)
	}
	log.Info("listening", "addr", l.Addr().String())
	return a.serveHTTP(ctx, srv, l)
}

func runWorker(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "worker", "", "Run the background worker. With CAREFIT_SCHEDULER=true (the default) it also runs the periodic scheduler: run exactly one such worker per deployment and set CAREFIT_SCHEDULER=false on the others.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cfg, log, err := loadConfig(e, "json")
	if err != nil {
		return err
	}
	log.Info("starting carefit worker", "version", buildVersion(), "config", cfg)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	a.ensureIndexes(ctx)
	features, err := a.features(ctx, ranking.Texts{})
	if err != nil {
		return err
	}
	w, err := a.worker(ctx, features)
	if err != nil {
		return err
	}
	if err := w.Start(); err != nil {
		return err
	}
	if cfg.WorkerMetricsAddr != "" {
		// A worker without its metrics still does its work: a port taken
		// (a second worker on the host) is logged, not fatal.
		if stop, err := a.serveWorkerMetrics(cfg.WorkerMetricsAddr); err != nil {
			log.Error("worker metrics not served", "err", err)
		} else {
			defer stop()
		}
	}
	// "worker started" tells operators (and the tests) that the server is
	// registered in Redis and, if enabled, the scheduler is running.
	log.Info("worker started", "concurrency", cfg.WorkerConcurrency, "scheduler", cfg.Scheduler)
	<-ctx.Done()
	log.Info("shutting down worker", "timeout", cfg.ShutdownTimeout.String())
	w.Shutdown()
	return nil
}
