package devstack

import (
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"

	"github.com/redis/go-redis/v9"
)

const redisInstall = "sudo apt-get install -y redis-server (or run scripts/setup)"

func startRedis(ctx context.Context, o Options) (*Service, error) {
	bin, err := lookBinary("redis-server", "/usr/bin/redis-server", redisInstall)
	if err != nil {
		return nil, err
	}
	password, err := secret(filepath.Join(o.Dir, "redis.password"))
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(o.Dir, "redis")
	if err := mkdirOwned(dir, nil); err != nil {
		return nil, err
	}
	port, err := pickPort(o.RedisPort)
	if err != nil {
		return nil, fmt.Errorf("redis: %w", err)
	}
	// The queue must never lose tasks to eviction: noeviction. Tests get many
	// logical databases (one per test) and no persistence; dev keeps an
	// append-only file so queued tasks survive a restart.
	args := []string{"--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--dir", dir,
		"--requirepass", password, "--maxmemory-policy", "noeviction", "--databases", "4096",
		"--save", "", "--daemonize", "no", "--logfile", ""}
	if o.Ephemeral {
		args = append(args, "--appendonly", "no")
	} else {
		args = append(args, "--appendonly", "yes", "--appendfsync", "everysec")
	}
	logPath := filepath.Join(o.Dir, "redis.log")
	p, err := startProc("redis", exec.Command(bin, args...), logPath, syscall.SIGTERM)
	if err != nil {
		return nil, err
	}
	u := url.URL{Scheme: "redis", User: url.UserPassword("", password), Host: fmt.Sprintf("127.0.0.1:%d", port), Path: "/0"}
	svc := &Service{Name: "redis", Port: port, URL: u.String(), proc: p}
	err = waitReady(ctx, p, logPath, func(ctx context.Context) error {
		opt, err := redis.ParseURL(svc.URL)
		if err != nil {
			return err
		}
		c := redis.NewClient(opt)
		defer c.Close()
		return c.Ping(ctx).Err()
	})
	if err != nil {
		_ = p.stop(stopTimeout)
		return nil, err
	}
	return svc, nil
}
