package devstack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/redis/go-redis/v9"
)

// Faults for the reliability tests: a server can be killed outright or
// halted cleanly, and then started again on the same port with the same
// data, password and key, so that clients holding its URL reach it again.

// Kill ends the server with SIGKILL (its whole process group, so
// Postgres's backends die with it), as a crash would, and waits until it
// has gone. Its data stays for Restart.
func (s *Service) Kill() error {
	return s.end(syscall.SIGKILL)
}

// Halt stops the server with its own clean-shutdown signal and waits until
// it has gone. Unlike Stop it keeps everything, a throw-away Postgres
// cluster included, for Restart.
func (s *Service) Halt() error {
	if s == nil || s.proc == nil {
		return errors.New("devstack: no server to halt")
	}
	return s.end(s.proc.stopSig)
}

func (s *Service) end(sig syscall.Signal) error {
	if s == nil || s.proc == nil {
		return errors.New("devstack: no server to end")
	}
	p := s.proc
	if p.exited() {
		return nil
	}
	target := p.cmd.Process.Pid
	if sig == syscall.SIGKILL {
		target = -target // the process group (startProc sets Setpgid)
	}
	if err := syscall.Kill(target, sig); err != nil && !p.exited() {
		return fmt.Errorf("%s: signal %v: %w", s.Name, sig, err)
	}
	select {
	case <-p.done:
		return nil
	case <-time.After(stopTimeout):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
		return fmt.Errorf("%s did not end within %s after %v and was killed", s.Name, stopTimeout, sig)
	}
}

// Restart starts an ended server again with the command line it first ran
// with (same port, data directory, password and key) and waits until it
// answers or ctx ends. The server must have ended (Kill, Halt or a crash).
func (s *Service) Restart(ctx context.Context) error {
	if s == nil || s.proc == nil {
		return errors.New("devstack: no server to restart")
	}
	old := s.proc
	if !old.exited() {
		return fmt.Errorf("%s is still running (pid %d)", s.Name, old.cmd.Process.Pid)
	}
	cmd := exec.Command(old.cmd.Path, old.cmd.Args[1:]...)
	cmd.Dir, cmd.Env = old.cmd.Dir, old.cmd.Env
	if a := old.cmd.SysProcAttr; a != nil {
		attr := *a
		cmd.SysProcAttr = &attr
	}
	logPath := os.DevNull
	if f, ok := old.cmd.Stdout.(*os.File); ok {
		logPath = f.Name()
	}
	p, err := startProc(old.name, cmd, logPath, old.stopSig)
	if err != nil {
		return err
	}
	s.proc = p
	if err := waitReady(ctx, p, logPath, s.answers); err != nil {
		_ = p.stop(stopTimeout)
		return err
	}
	return nil
}

// answers is the readiness probe of the server, by kind: what Start waits
// for.
func (s *Service) answers(ctx context.Context) error {
	switch s.Name {
	case "postgres":
		conn, err := pgx.Connect(ctx, s.URL)
		if err != nil {
			return err
		}
		return conn.Close(ctx)
	case "redis":
		opt, err := redis.ParseURL(s.URL)
		if err != nil {
			return err
		}
		c := redis.NewClient(opt)
		defer c.Close()
		return c.Ping(ctx).Err()
	case "meilisearch":
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/health", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("health answered %s", resp.Status)
		}
		return nil
	}
	return fmt.Errorf("devstack: no readiness probe for %s", s.Name)
}
