package main

import (
	"context"
	"fmt"
	"time"

	"github.com/schollz/progressbar/v3"

	"carefit/search"
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
		bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("reindexing "+string(k)),
			progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionShowCount(), progressbar.OptionShowIts(),
			progressbar.OptionSetItsString("docs"), progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionSetWidth(30))
		started := time.Now()
		var sent int
		err := search.Reindex(ctx, a.pool, c, k, func(done, total int) {
			if bar.GetMax() != total {
				bar.ChangeMax(total)
			}
			_ = bar.Set(done)
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
