package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"

	"carefit/internal/platform/devstack"
	"carefit/internal/platform/logging"
)

func runStack(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "stack", "exec [-dir DIR] -- CMD [ARGS...]",
		"Start a private, throw-away Postgres, Redis and Meilisearch (fsync off, no persistence), run CMD with\n"+
			"CAREFIT_TEST_PG_URL, CAREFIT_TEST_REDIS_URL, CAREFIT_TEST_MEILI_URL and CAREFIT_TEST_MEILI_KEY set,\n"+
			"then stop the stack and exit with CMD's status. 'make test' runs the suite this way.")
	dir := fs.String("dir", "", "state directory for the throw-away stack (default: a new temp dir, removed afterwards)")
	if len(args) == 0 || args[0] != "exec" {
		fs.Usage()
		return usageError{"want: stack exec -- CMD [ARGS...]"}
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return usageError{"no command to run"}
	}
	cfg, log, err := loadConfig(e, "text")
	if err != nil {
		return err
	}
	d := *dir
	if d == "" {
		if d, err = os.MkdirTemp("", "carefit-stack-"); err != nil {
			return err
		}
		defer os.RemoveAll(d)
	}
	binDir, _ := filepath.Abs(cfg.StateDir)
	log = logging.NewLogger(e.stderr, "text", cfg.LogLevel)
	s, err := devstack.Start(ctx, devstack.Options{Dir: d, BinDir: binDir, Ephemeral: true, MeiliBin: cfg.MeiliBin, Logger: log})
	if err != nil {
		return err
	}
	defer s.Stop()

	cmd := exec.CommandContext(ctx, fs.Arg(0), fs.Args()[1:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, e.stdout, e.stderr
	cmd.Env = os.Environ()
	for k, v := range s.TestEnv() {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	err = cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exitCode{exit.ExitCode()}
	}
	return err
}

// exitCode passes a child's exit status through.
type exitCode struct{ code int }

func (e exitCode) Error() string { return fmt.Sprintf("exit status %d", e.code) }
