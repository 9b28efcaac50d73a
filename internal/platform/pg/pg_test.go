package pg_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"carefit/internal/platform/devstack"
	"carefit/internal/platform/pg"
	"carefit/internal/platform/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func TestMigrateEmptyThenIdempotent(t *testing.T) {
	ctx := context.Background()
	url, err := devstack.CreateDatabase(ctx, os.Getenv(testenv.VarPostgres), fmt.Sprintf("empty_%d", time.Now().UnixNano()))
	if err != nil {
		t.Fatal(err)
	}
	pool, err := pg.Open(ctx, url, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()

	before, err := pg.MigrationStatus(ctx, pool)
	if err != nil {
		t.Fatal(err)
	}
	if before.Current != 0 || len(before.Pending) != int(before.Latest) || before.Latest == 0 {
		t.Fatalf("empty database status = %+v, want version 0 with every migration pending", before)
	}

	from, to, err := pg.Migrate(ctx, pool)
	if err != nil {
		t.Fatalf("migrate up: %v", err)
	}
	if from != 0 || to != before.Latest {
		t.Fatalf("migrated %d -> %d, want 0 -> %d", from, to, before.Latest)
	}
	from, to, err = pg.Migrate(ctx, pool)
	if err != nil || from != to || to != before.Latest {
		t.Fatalf("second migrate: %d -> %d, %v; want a no-op at %d", from, to, err, before.Latest)
	}
	after, err := pg.MigrationStatus(ctx, pool)
	if err != nil || after.Current != after.Latest || len(after.Pending) != 0 {
		t.Fatalf("status after migrate = %+v, %v", after, err)
	}
}
