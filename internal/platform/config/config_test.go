package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(env(nil))
	if err != nil {
		t.Fatalf("defaults rejected: %v", err)
	}
	if c.HTTPAddr != "127.0.0.1:8080" || c.DBMaxConns != 10 || c.MemoryLimit != 900<<20 || c.ShutdownTimeout != 15*time.Second || !c.Scheduler || c.DebugAddr != "" {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestLoadErrorsNameTheVariable(t *testing.T) {
	tests := []struct {
		name, key, val string
	}{
		{"database scheme", "CAREFIT_DATABASE_URL", "mysql://x/y"},
		{"database not a url", "CAREFIT_DATABASE_URL", "::"},
		{"redis scheme", "CAREFIT_REDIS_URL", "http://127.0.0.1:6379"},
		{"redis no host", "CAREFIT_REDIS_URL", "redis://"},
		{"meili scheme", "CAREFIT_MEILI_URL", "ftp://x"},
		{"http addr", "CAREFIT_HTTP_ADDR", "8080"},
		{"http port range", "CAREFIT_HTTP_ADDR", "127.0.0.1:99999"},
		{"pool too big", "CAREFIT_DB_MAX_CONNS", "5000"},
		{"pool not a number", "CAREFIT_DB_MAX_CONNS", "ten"},
		{"log level", "CAREFIT_LOG_LEVEL", "loud"},
		{"log format", "CAREFIT_LOG_FORMAT", "xml"},
		{"shutdown too long", "CAREFIT_SHUTDOWN_TIMEOUT", "1h"},
		{"shutdown garbage", "CAREFIT_SHUTDOWN_TIMEOUT", "soon"},
		{"concurrency", "CAREFIT_WORKER_CONCURRENCY", "0"},
		{"memory limit too small", "CAREFIT_MEMORY_LIMIT", "10M"},
		{"memory limit garbage", "CAREFIT_MEMORY_LIMIT", "lots"},
		{"scheduler", "CAREFIT_SCHEDULER", "maybe"},
		{"cron", "CAREFIT_NIGHTLY_CRON", "every night"},
		{"body limit", "CAREFIT_BODY_LIMIT", "lots"},
		{"cors", "CAREFIT_CORS_ORIGINS", "example.org"},
		{"proxies", "CAREFIT_TRUSTED_PROXIES", "10.0.0.1"},
		{"rate limit", "CAREFIT_RATE_LIMIT", "-1"},
		{"index prefix", "CAREFIT_MEILI_INDEX_PREFIX", "Bad Prefix!"},
		{"debug address not loopback", "CAREFIT_DEBUG_ADDR", "0.0.0.0:6060"},
		{"debug address no port", "CAREFIT_DEBUG_ADDR", "127.0.0.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(env(map[string]string{tc.key: tc.val}))
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got %v, want a *config.Error", err)
			}
			if ce.Var != tc.key {
				t.Fatalf("error names %s, want %s", ce.Var, tc.key)
			}
			if !strings.HasPrefix(err.Error(), tc.key+": ") || strings.Contains(err.Error(), "\n") {
				t.Fatalf("message %q is not one line starting with the variable", err)
			}
		})
	}
}

func TestLoadValues(t *testing.T) {
	c, err := Load(env(map[string]string{
		"CAREFIT_DATABASE_URL":    "postgres://u:secret@db:5432/x",
		"CAREFIT_CORS_ORIGINS":    "https://a.example, http://localhost:3000",
		"CAREFIT_TRUSTED_PROXIES": "10.0.0.0/8",
		"CAREFIT_LOG_LEVEL":       "debug",
		"CAREFIT_SCHEDULER":       "false",
		"CAREFIT_MEMORY_LIMIT":    "2G",
		"CAREFIT_DEBUG_ADDR":      "127.0.0.1:6060",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.CORSOrigins) != 2 || c.CORSOrigins[1] != "http://localhost:3000" {
		t.Fatalf("got origins %v", c.CORSOrigins)
	}
	if c.Scheduler {
		t.Fatal("scheduler should be off")
	}
	if c.DebugAddr != "127.0.0.1:6060" {
		t.Fatalf("debug address %q, want 127.0.0.1:6060", c.DebugAddr)
	}
	if c.MemoryLimit != 2<<30 {
		t.Fatalf("memory limit %d, want 2 GiB", c.MemoryLimit)
	}
	if got := MaskURL(c.DatabaseURL); strings.Contains(got, "secret") {
		t.Fatalf("masked URL %q leaks the password", got)
	}
}

func TestParseBytes(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{{"1M", 1 << 20, true}, {"512K", 512 << 10, true}, {"2048", 2048, true}, {"0", 0, false}, {"-1K", 0, false}, {"1T", 0, false}}
	for _, tc := range tests {
		got, err := ParseBytes(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}
