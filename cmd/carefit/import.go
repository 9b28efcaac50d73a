package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/platform/pg"
)

func runImport(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "import", "-kind profiles [-atomic] [-report FILE] FILE",
		"Bulk-load NDJSON (one JSON object a line) into CAREFIT_DATABASE_URL with a progress bar. Bad lines are\n"+
			"reported with their number and reason; the good ones are kept unless -atomic is given.")
	kind := fs.String("kind", "", "what the file holds: profiles")
	atomic := fs.Bool("atomic", false, "import nothing if any line is bad")
	report := fs.String("report", "", "write the full report (every line error, up to 1,000) as JSON to this file")
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
	rep, err := candidatesdb.ImportProfiles(ctx, pool, f, candidates.ImportOptions{Atomic: *atomic, Now: time.Now,
		Progress: func(_ int, n int64) { _ = bar.Set64(n) }})
	_ = bar.Finish()
	fmt.Fprintln(e.stderr)
	if err != nil {
		return err
	}
	el := time.Since(started)
	fmt.Fprintf(e.stdout, "%d lines, %d imported, %d rejected in %s (%.0f rows/s)\n", rep.Lines, rep.Imported, rep.Rejected,
		el.Round(time.Millisecond), float64(rep.Imported)/el.Seconds())
	printLineErrors(e.stdout, rep, *report)
	if *report != "" {
		if err := writeReport(*report, rep); err != nil {
			return err
		}
	}
	if rep.Rejected > 0 {
		return exitCode{1}
	}
	return nil
}

// shownLineErrors is how many line errors the import prints; -report
// writes them all.
const shownLineErrors = 20

// printLineErrors prints the first line errors in words, one a line, and
// says how many more there are and where to find them.
func printLineErrors(w io.Writer, rep candidates.ImportReport, reportPath string) {
	for i, le := range rep.Errors {
		if i == shownLineErrors {
			break
		}
		if le.Field == "" {
			fmt.Fprintf(w, "  line %d: %s\n", le.Line, le.Message)
		} else {
			fmt.Fprintf(w, "  line %d, %s: %s\n", le.Line, le.Field, le.Message)
		}
	}
	if more := len(rep.Errors) - shownLineErrors; more > 0 {
		where := "run again with -report FILE to see them all"
		if reportPath != "" {
			where = "all are in " + reportPath
		}
		fmt.Fprintf(w, "  … and %d more errors (%s)\n", more, where)
	}
}

// writeReport writes the import report as indented JSON.
func writeReport(path string, rep candidates.ImportReport) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}
