package devstack

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// binDir is where scripts/setup installs the verified Meilisearch binary.
func binDir(t *testing.T) string {
	t.Helper()
	d, err := filepath.Abs(filepath.Join("..", "..", "..", ".carefit"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(d, "bin", "meilisearch")); err != nil && os.Getenv("CAREFIT_MEILI_BIN") == "" {
		t.Fatalf("Meilisearch is not installed: run scripts/setup (or make test) first: %v", err)
	}
	return d
}

func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

func TestStartStop(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Start(ctx, Options{Dir: dir, BinDir: binDir(t), Ephemeral: true, MeiliBin: os.Getenv("CAREFIT_MEILI_BIN")})
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	pids := []int{s.Postgres.Pid(), s.Redis.Pid(), s.Meili.Pid()}
	// As root the cluster lives outside dir (see pgBase); elsewhere inside it.
	cluster := filepath.Join(dir, "postgres")
	if b, err := os.ReadFile(filepath.Join(dir, "postgres.location")); err == nil {
		cluster = strings.TrimSpace(string(b))
	}
	if _, err := os.Stat(filepath.Join(cluster, "data", "PG_VERSION")); err != nil {
		t.Fatalf("the cluster is not where the stack says: %v", err)
	}

	conn, err := pgx.Connect(ctx, s.Postgres.URL)
	if err != nil {
		t.Fatalf("postgres not reachable: %v", err)
	}
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
	conn.Close(ctx)
	if s.Meili.Key == "" || len(s.Meili.Key) < 16 {
		t.Fatalf("meilisearch master key %q is too short for --env production", s.Meili.Key)
	}

	if err := s.Stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}
	for _, pid := range pids {
		if alive(pid) {
			t.Errorf("process %d still alive after Stop", pid)
		}
	}
	if s.Postgres.Running() || s.Redis.Running() || s.Meili.Running() {
		t.Error("a service reports running after Stop")
	}
	if !strings.HasPrefix(cluster, dir) {
		if _, err := os.Stat(cluster); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the throw-away cluster %s is left behind after Stop (stat: %v)", cluster, err)
		}
	}
	// Stop is idempotent.
	if err := s.Stop(); err != nil {
		t.Fatalf("second stop: %v", err)
	}
}

func TestPortTaken(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port

	dir := t.TempDir()
	_, err = Start(context.Background(), Options{Dir: dir, BinDir: binDir(t), Ephemeral: true, RedisPort: port,
		MeiliBin: os.Getenv("CAREFIT_MEILI_BIN"), StartTimeout: 30 * time.Second})
	if !errors.Is(err, ErrPortInUse) {
		t.Fatalf("got %v, want ErrPortInUse", err)
	}
	if want := strconv.Itoa(port); !strings.Contains(err.Error(), want) {
		t.Fatalf("error %q does not name port %s", err, want)
	}
}

func TestMissingBinaryNamesInstall(t *testing.T) {
	_, err := MeiliBinary(t.TempDir(), "")
	if !errors.Is(err, ErrMissingBinary) || !strings.Contains(err.Error(), "scripts/setup") {
		t.Fatalf("got %v, want ErrMissingBinary naming scripts/setup", err)
	}
}

func TestVerifyMeiliRejectsWrongBinary(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin", "meilisearch")
	if err := os.MkdirAll(filepath.Dir(bin), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, []byte("#!/bin/sh\necho not meilisearch\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := MeiliBinary(dir, ""); err == nil || !strings.Contains(err.Error(), "sha256") {
		t.Fatalf("got %v, want a checksum error", err)
	}
}
