package devstack

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5"
)

const pgInstall = "sudo apt-get install -y postgresql (or run scripts/setup)"

// pgSuperuser is the superuser initdb creates in the private cluster.
const pgSuperuser = "carefit"

// pgBinDir finds Debian's newest PostgreSQL server binaries.
func pgBinDir() (string, error) {
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/postgres")
	if len(matches) == 0 {
		if p, err := exec.LookPath("postgres"); err == nil {
			return filepath.Dir(p), nil
		}
		return "", fmt.Errorf("postgres: %w; install it with: %s", ErrMissingBinary, pgInstall)
	}
	sort.Slice(matches, func(i, j int) bool {
		vi, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(matches[i]))))
		vj, _ := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(matches[j]))))
		return vi < vj
	})
	return filepath.Dir(matches[len(matches)-1]), nil
}

// pgCredential returns the credential to run Postgres with: the postgres
// user when we are root (Postgres refuses to run as root), else nil.
func pgCredential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("postgres: running as root needs the postgres system user: %w; install it with: %s", err, pgInstall)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// pgBase returns the directory holding the cluster's data and socket. As
// root the postgres user must reach it through every parent, which a
// checkout under /root does not allow, so the cluster lives in a directory
// under the system temp directory whose path is recorded in the state dir.
func pgBase(stateDir string, cred *syscall.Credential) (string, error) {
	if cred == nil {
		d := filepath.Join(stateDir, "postgres")
		return d, os.MkdirAll(d, 0o700)
	}
	record := filepath.Join(stateDir, "postgres.location")
	if b, err := os.ReadFile(record); err == nil {
		d := strings.TrimSpace(string(b))
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			return d, nil
		}
	}
	d, err := os.MkdirTemp("", "carefit-pg-")
	if err != nil {
		return "", err
	}
	if err := os.Chown(d, int(cred.Uid), int(cred.Gid)); err != nil {
		return "", err
	}
	if err := os.Chmod(d, 0o700); err != nil {
		return "", err
	}
	return d, os.WriteFile(record, []byte(d+"\n"), 0o600)
}

func startPostgres(ctx context.Context, o Options) (*Service, error) {
	bin, err := pgBinDir()
	if err != nil {
		return nil, err
	}
	cred, err := pgCredential()
	if err != nil {
		return nil, err
	}
	base, err := pgBase(o.Dir, cred)
	if err != nil {
		return nil, fmt.Errorf("postgres: data directory: %w", err)
	}
	password, err := secret(filepath.Join(o.Dir, "postgres.password"))
	if err != nil {
		return nil, err
	}
	data := filepath.Join(base, "data")
	sock := filepath.Join(base, "sock")
	if err := mkdirOwned(sock, cred); err != nil {
		return nil, err
	}
	logPath := filepath.Join(o.Dir, "postgres.log")
	if _, err := os.Stat(filepath.Join(data, "PG_VERSION")); err != nil {
		if err := initdb(ctx, bin, base, data, password, cred, logPath); err != nil {
			return nil, err
		}
	}
	port, err := pickPort(o.PostgresPort)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	args := []string{"-D", data, "-p", strconv.Itoa(port), "-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories=" + sock, "-c", "max_connections=300", "-c", "shared_buffers=256MB"}
	if o.Ephemeral {
		// A throw-away cluster also checkpoints rarely: a benchmark's bulk
		// writes (the rematch copies millions of rows) would otherwise
		// force a checkpoint every gigabyte of WAL.
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
			"-c", "max_wal_size=8GB", "-c", "checkpoint_timeout=30min")
	}
	cmd := exec.Command(filepath.Join(bin, "postgres"), args...)
	cmd.Dir = base
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	p, err := startProc("postgres", cmd, logPath, syscall.SIGINT) // SIGINT is Postgres's fast shutdown
	if err != nil {
		return nil, err
	}
	u := url.URL{Scheme: "postgres", User: url.UserPassword(pgSuperuser, password),
		Host: fmt.Sprintf("127.0.0.1:%d", port), Path: "/postgres", RawQuery: "sslmode=disable"}
	admin := u.String()
	err = waitReady(ctx, p, logPath, func(ctx context.Context) error {
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			return err
		}
		return conn.Close(ctx)
	})
	if err != nil {
		_ = p.stop(stopTimeout)
		return nil, err
	}
	svc := &Service{Name: "postgres", Port: port, URL: admin, proc: p}
	if o.Ephemeral && cred != nil {
		// The cluster lives outside the state directory (see pgBase), so
		// removing that directory would leave it behind: a throw-away
		// stack removes it itself.
		svc.cleanup = func() {
			_ = os.RemoveAll(base)
			_ = os.Remove(filepath.Join(o.Dir, "postgres.location"))
		}
	}
	return svc, nil
}

func initdb(ctx context.Context, bin, base, data, password string, cred *syscall.Credential, logPath string) error {
	pwfile := filepath.Join(base, "pwfile")
	if err := os.WriteFile(pwfile, []byte(password+"\n"), 0o600); err != nil {
		return err
	}
	defer os.Remove(pwfile)
	if cred != nil {
		if err := os.Chown(pwfile, int(cred.Uid), int(cred.Gid)); err != nil {
			return err
		}
	}
	cmd := exec.CommandContext(ctx, filepath.Join(bin, "initdb"), "-D", data, "-U", pgSuperuser,
		"--pwfile="+pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--no-locale", "--no-sync")
	cmd.Dir = base
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := cmd.CombinedOutput()
	_ = os.WriteFile(logPath, out, 0o644)
	if err != nil {
		return fmt.Errorf("postgres: initdb failed: %v\n%s", err, out)
	}
	return nil
}

func mkdirOwned(dir string, cred *syscall.Credential) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if cred != nil {
		return os.Chown(dir, int(cred.Uid), int(cred.Gid))
	}
	return nil
}

// secret reads a generated secret from path, creating it on first use.
func secret(path string) (string, error) {
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return strings.TrimSpace(string(b)), nil
	}
	buf := make([]byte, 24)
	if _, err := rand.Read(buf); err != nil {
		return "", err
	}
	s := hex.EncodeToString(buf)
	return s, os.WriteFile(path, []byte(s+"\n"), 0o600)
}

// CreateDatabase creates database name in the cluster at adminURL unless it
// exists, and returns the URL that reaches it.
func CreateDatabase(ctx context.Context, adminURL, name string) (string, error) {
	conn, err := pgx.Connect(ctx, adminURL)
	if err != nil {
		return "", err
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
			return "", fmt.Errorf("create database %s: %w", name, err)
		}
	}
	u, err := url.Parse(adminURL)
	if err != nil {
		return "", err
	}
	u.Path = "/" + name
	return u.String(), nil
}
