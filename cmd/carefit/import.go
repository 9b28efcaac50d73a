package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"carefit/candidates"
	"carefit/internal/platform/pg"
)

func runImport(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "import", "-kind profiles [-atomic] FILE",
		"Bulk-load NDJSON (one JSON object a line) into CAREFIT_DATABASE_URL with a progress bar. Bad lines are\n"+
			"reported with their number and reason; the good ones are kept unless -atomic is given.")
	kind := fs.String("kind", "", "what the file holds: profiles")
	atomic := fs.Bool("atomic", false, "import nothing if any line is bad")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return usageError{"want exactly one FILE"}
	}
	if *kind != "profiles" {
		return usageError{"-kind must be profiles (positions are imported through POST /v1/import/positions)"}
	}
	cfg, _, err := loadConfig(e, "text")
	if err != nil {
		return err
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	pool, err := pg.Open(ctx, cfg.DatabaseURL, 4)
	if err != nil {
		return err
	}
	defer pool.Close()

	bar := progressbar.NewOptions64(st.Size(), progressbar.OptionSetWriter(e.stderr), progressbar.OptionShowBytes(true),
		progressbar.OptionSetDescription("importing "+*kind), progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionSetWidth(30))
	started := time.Now()
	rep, err := candidates.ImportProfiles(ctx, pool, f, candidates.ImportOptions{Atomic: *atomic, Now: time.Now,
		Progress: func(_ int, n int64) { _ = bar.Set64(n) }})
	_ = bar.Finish()
	fmt.Fprintln(e.stderr)
	if err != nil {
		return err
	}
	for _, le := range rep.Errors {
		fmt.Fprintf(e.stderr, "line %d: %s: %s\n", le.Line, orWhole(le.Field), le.Message)
	}
	el := time.Since(started)
	fmt.Fprintf(e.stderr, "%d lines, %d imported, %d rejected in %s (%.0f rows/s)\n", rep.Lines, rep.Imported, rep.Rejected,
		el.Round(time.Millisecond), float64(rep.Imported)/el.Seconds())
	if err := json.NewEncoder(e.stdout).Encode(rep); err != nil {
		return err
	}
	if rep.Rejected > 0 {
		return exitCode{1}
	}
	return nil
}

func orWhole(field string) string {
	if field == "" {
		return "line"
	}
	return field
}
