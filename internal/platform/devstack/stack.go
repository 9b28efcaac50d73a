package devstack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"
)

const stopTimeout = 20 * time.Second

// Options configure a stack.
type Options struct {
	// Dir is the state directory holding logs, secrets and data.
	Dir string
	// BinDir holds the verified Meilisearch binary (bin/meilisearch below
	// it); defaults to Dir.
	BinDir string
	// Ephemeral trades durability for speed, for tests: Postgres with
	// fsync off, Redis without persistence, and no data left behind:
	// Stop removes the Postgres cluster even when it lives outside Dir.
	Ephemeral bool
	// Fixed ports; zero picks a free loopback port.
	PostgresPort, RedisPort, MeiliPort int
	// MeiliBin overrides the Meilisearch binary (CAREFIT_MEILI_BIN).
	MeiliBin string
	// StartTimeout bounds the wait for each server; default 60s.
	StartTimeout time.Duration
	Logger       *slog.Logger
}

// Service is one running server.
type Service struct {
	Name string
	Port int
	// URL reaches the server: a Postgres admin URL, a Redis URL with its
	// password, or Meilisearch's base URL.
	URL string
	// Key is Meilisearch's master key.
	Key  string
	proc *proc
	// cleanup runs once the server has stopped.
	cleanup func()
}

// Stop stops the server cleanly (or kills it after a timeout).
func (s *Service) Stop() error {
	if s == nil || s.proc == nil {
		return nil
	}
	err := s.proc.stop(stopTimeout)
	if s.cleanup != nil {
		s.cleanup()
		s.cleanup = nil
	}
	return err
}

// Running reports whether the server process is still alive.
func (s *Service) Running() bool { return s != nil && s.proc != nil && !s.proc.exited() }

// Pid is the server's process id.
func (s *Service) Pid() int { return s.proc.cmd.Process.Pid }

// Stack is a running set of the three servers.
type Stack struct {
	Postgres *Service
	Redis    *Service
	Meili    *Service
}

// Start starts Postgres, Redis and Meilisearch side by side under o.Dir and
// waits until each answers. If any fails, those already started are stopped
// and the errors of all are returned.
func Start(ctx context.Context, o Options) (*Stack, error) {
	if o.Dir == "" {
		return nil, errors.New("devstack: no state directory")
	}
	dir, err := filepath.Abs(o.Dir)
	if err != nil {
		return nil, err
	}
	o.Dir = dir
	if o.BinDir == "" {
		o.BinDir = dir
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("devstack: %w", err)
	}
	if o.StartTimeout == 0 {
		o.StartTimeout = 60 * time.Second
	}
	log := discardLogger(o.Logger)
	ctx, cancel := context.WithTimeout(ctx, o.StartTimeout)
	defer cancel()

	var (
		s    Stack
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	run := func(dst **Service, start func(context.Context, Options) (*Service, error)) {
		defer wg.Done()
		svc, err := start(ctx, o)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			errs = append(errs, err)
			return
		}
		*dst = svc
		log.Info("service ready", "service", svc.Name, "port", svc.Port, "pid", svc.Pid())
	}
	wg.Add(3)
	go run(&s.Postgres, startPostgres)
	go run(&s.Redis, startRedis)
	go run(&s.Meili, startMeili)
	wg.Wait()
	if len(errs) > 0 {
		_ = s.Stop()
		return nil, errors.Join(errs...)
	}
	return &s, nil
}

// Stop stops every server that runs, Meilisearch and Redis first and
// Postgres, the source of truth, last.
func (s *Stack) Stop() error {
	var errs []error
	for _, svc := range []*Service{s.Meili, s.Redis, s.Postgres} {
		if err := svc.Stop(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// The variables through which a stack is handed to the test suite.
const (
	VarTestPostgres = "CAREFIT_TEST_PG_URL" // superuser URL of the cluster
	VarTestRedis    = "CAREFIT_TEST_REDIS_URL"
	VarTestMeiliURL = "CAREFIT_TEST_MEILI_URL"
	VarTestMeiliKey = "CAREFIT_TEST_MEILI_KEY"
)

// TestEnv returns the CAREFIT_TEST_* variables that describe the stack.
func (s *Stack) TestEnv() map[string]string {
	return map[string]string{
		VarTestPostgres: s.Postgres.URL,
		VarTestRedis:    s.Redis.URL,
		VarTestMeiliURL: s.Meili.URL,
		VarTestMeiliKey: s.Meili.Key,
	}
}
