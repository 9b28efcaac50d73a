package main

import (
	"context"
	"fmt"

	"carefit/internal/platform/pg"
)

func runMigrate(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "migrate", "up|status", "Apply pending migrations (up) or show the applied and pending ones (status), on CAREFIT_DATABASE_URL.")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "up" && fs.Arg(0) != "status") {
		fs.Usage()
		return usageError{"want exactly one of: up, status"}
	}
	cfg, log, err := loadConfig(e, "text")
	if err != nil {
		return err
	}
	pool, err := pg.Open(ctx, cfg.DatabaseURL, 2)
	if err != nil {
		return err
	}
	defer pool.Close()
	if fs.Arg(0) == "status" {
		st, err := pg.MigrationStatus(ctx, pool)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "applied version %d of %d\n", st.Current, st.Latest)
		for _, p := range st.Pending {
			fmt.Fprintf(e.stdout, "pending: %s\n", p)
		}
		return nil
	}
	from, to, err := pg.Migrate(ctx, pool)
	if err != nil {
		return err
	}
	log.Info("migrated", "from", from, "to", to)
	fmt.Fprintf(e.stdout, "migrated from version %d to %d\n", from, to)
	return nil
}
