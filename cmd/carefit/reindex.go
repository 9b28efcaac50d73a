package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"carefit/search"
	"carefit/search/searchsync"
)

func runReindex(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "reindex", "[positions|profiles]",
		"Rebuild search indexes from Postgres without downtime: a fresh index is built, loaded, checked against the\n"+
			"row count and swapped with the live one. Both indexes when none is named.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	kinds := search.Kinds()
	switch fs.NArg() {
	case 0:
	case 1:
		k := search.Kind(fs.Arg(0))
		if !k.Valid() {
			return usageError{fmt.Sprintf("unknown index %q: want positions or profiles", fs.Arg(0))}
		}
		kinds = []search.Kind{k}
	default:
		fs.Usage()
		return usageError{"want at most one of positions, profiles"}
	}
	cfg, log, err := loadConfig(e, "text")
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	c := search.New(a.meili, cfg.MeiliIndexPrefix)
	c.TaskTimeout = 10 * time.Minute
	for _, k := range kinds {
		started := time.Now()
		bar, progress := reindexBar(e.stderr, string(k), time.Now)
		var sent int
		err := searchsync.Reindex(ctx, a.pool, c, k, func(done, total int) {
			progress(done, total)
			sent = done
		})
		_ = bar.Finish()
		fmt.Fprintln(e.stderr)
		if err != nil {
			return err
		}
		el := time.Since(started)
		fmt.Fprintf(e.stderr, "%s: %d documents in %s (%.0f docs/s)\n", c.IndexName(k), sent, el.Round(time.Millisecond), float64(sent)/el.Seconds())
	}
	return nil
}

// reindexBar is the progress bar of one index rebuild and the callback
// that moves it. The rate is computed from the documents done since start
// and shown in the description: the bar's own rate reads the jumps of Set
// as a stall and showed "0 docs/hr".
func reindexBar(w io.Writer, kind string, now func() time.Time) (*progressbar.ProgressBar, func(done, total int)) {
	bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("reindexing "+kind),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionShowCount(),
		progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionSetWidth(30))
	started := now()
	return bar, func(done, total int) {
		if bar.GetMax() != total {
			bar.ChangeMax(total)
		}
		if el := now().Sub(started).Seconds(); el > 0 {
			bar.Describe(fmt.Sprintf("reindexing %s (%.0f docs/s)", kind, float64(done)/el))
		}
		_ = bar.Set(done)
	}
}
