// Package devstack runs private, real Postgres, Redis and Meilisearch
// servers on loopback ports for `carefit dev` and for the tests. Each server
// lives under a state directory, is started as a child process, waited for
// until it answers, and stopped cleanly; the children are tied to the parent
// with a parent-death signal so that a crashed parent leaves no strays.
package devstack

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// ErrPortInUse is returned when a fixed port asked for is already taken.
var ErrPortInUse = errors.New("port already in use")

// ErrMissingBinary is returned when a server's binary is not installed; the
// message names the install command.
var ErrMissingBinary = errors.New("binary not found")

// proc is one running server process.
type proc struct {
	name    string
	cmd     *exec.Cmd
	stopSig syscall.Signal
	done    chan struct{}
	waitErr error
	once    sync.Once
}

// startProc starts cmd in its own process group (so the terminal's Ctrl-C
// reaches only carefit, which then stops its children in order) with a
// parent-death signal, and logs its output to logPath.
func startProc(name string, cmd *exec.Cmd, logPath string, stopSig syscall.Signal) (*proc, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, fmt.Errorf("%s: open log: %w", name, err)
	}
	cmd.Stdout = logf
	cmd.Stderr = logf
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.SysProcAttr.Pdeathsig = syscall.SIGKILL
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("%s: start: %w", name, err)
	}
	p := &proc{name: name, cmd: cmd, stopSig: stopSig, done: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		logf.Close()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends the server's own clean-shutdown signal, waits up to timeout and
// then kills the process group.
func (p *proc) stop(timeout time.Duration) error {
	var err error
	p.once.Do(func() {
		if p.exited() {
			return
		}
		_ = p.cmd.Process.Signal(p.stopSig)
		select {
		case <-p.done:
		case <-time.After(timeout):
			_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
			<-p.done
			err = fmt.Errorf("%s did not stop within %s and was killed", p.name, timeout)
		}
	})
	return err
}

// pickPort returns want if it is free, or a free loopback port when want is 0.
func pickPort(want int) (int, error) {
	l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(want)))
	if err != nil {
		if want != 0 {
			return 0, fmt.Errorf("127.0.0.1:%d: %w", want, ErrPortInUse)
		}
		return 0, err
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port, nil
}

// waitReady polls ready until it succeeds, the process exits, or ctx ends.
func waitReady(ctx context.Context, p *proc, logPath string, ready func(context.Context) error) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	var last error
	for {
		if p.exited() {
			return fmt.Errorf("%s exited during start-up (%v); last lines of %s:\n%s", p.name, p.waitErr, logPath, tail(logPath, 15))
		}
		cctx, cancel := context.WithTimeout(ctx, time.Second)
		last = ready(cctx)
		cancel()
		if last == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%s not ready: %v (log: %s)", p.name, last, logPath)
		case <-tick.C:
		}
	}
}

// tail returns the last n lines of a file, for start-up error messages.
func tail(path string, n int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	st, _ := f.Stat()
	off := st.Size() - 8192
	if off < 0 {
		off = 0
	}
	_, _ = f.Seek(off, io.SeekStart)
	b, _ := io.ReadAll(f)
	lines := splitLines(string(b))
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	out := ""
	for _, l := range lines {
		out += "  " + l + "\n"
	}
	return out
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

func lookBinary(name, path, install string) (string, error) {
	if path != "" {
		if _, err := os.Stat(path); err == nil {
			return path, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("%s: %w; install it with: %s", name, ErrMissingBinary, install)
}

func discardLogger(l *slog.Logger) *slog.Logger {
	if l != nil {
		return l
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
