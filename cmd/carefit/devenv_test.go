package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"carefit/internal/platform/config"
)

// TestDevEnvReachesTheStack writes the env file and sources it in a real
// shell: every setting comes back exactly, the file is private, and a
// value with a quote cannot break out of it.
func TestDevEnvReachesTheStack(t *testing.T) {
	dir := t.TempDir()
	cfg := config.Config{DatabaseURL: "postgres://carefit@127.0.0.1:5555/carefit?sslmode=disable",
		RedisURL: "redis://127.0.0.1:6666/0", MeiliURL: "http://127.0.0.1:7777",
		MeiliKey: "k'ey; rm -rf /", MeiliIndexPrefix: "carefit"}
	path, err := writeDevEnv(dir, cfg, "http://127.0.0.1:8080")
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600: the file holds a key", st.Mode().Perm())
	}
	out, err := exec.Command("sh", "-c", `. "$1" && printf '%s\n' "$CAREFIT_DATABASE_URL" "$CAREFIT_REDIS_URL" "$CAREFIT_MEILI_URL" "$CAREFIT_MEILI_KEY" "$CAREFIT_MEILI_INDEX_PREFIX" "$CAREFIT_URL"`, "sh", path).Output()
	if err != nil {
		t.Fatalf("source the env file: %v", err)
	}
	want := []string{cfg.DatabaseURL, cfg.RedisURL, cfg.MeiliURL, cfg.MeiliKey, cfg.MeiliIndexPrefix, "http://127.0.0.1:8080"}
	got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}
