package testenv

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"

	"carefit/internal/platform/pg"
)

func TestMain(m *testing.M) { Main(m) }

func TestDatabasesAreMigratedAndIsolated(t *testing.T) {
	ctx := context.Background()
	a, b := DB(t), DB(t)
	st, err := pg.MigrationStatus(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	if st.Current != st.Latest || st.Current == 0 {
		t.Fatalf("clone is at version %d, want the latest %d", st.Current, st.Latest)
	}
	if _, err := a.Exec(ctx, "CREATE TABLE only_in_a (x int)"); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := b.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'").Scan(&n); err != nil || n != 0 {
		t.Fatalf("table leaked between test databases: n=%d err=%v", n, err)
	}
}

func TestRedisDatabasesAreIsolated(t *testing.T) {
	ctx := context.Background()
	ua, ub := Redis(t), Redis(t)
	if ua == ub {
		t.Fatalf("two tests got the same Redis database %s", ua)
	}
	oa, _ := redis.ParseURL(ua)
	ob, _ := redis.ParseURL(ub)
	ca, cb := redis.NewClient(oa), redis.NewClient(ob)
	defer ca.Close()
	defer cb.Close()
	if err := ca.Set(ctx, "k", "v", 0).Err(); err != nil {
		t.Fatal(err)
	}
	if n, _ := cb.Exists(ctx, "k").Result(); n != 0 {
		t.Fatal("key visible from another test's database")
	}
}

func TestMeiliPrefix(t *testing.T) {
	a, b := MeiliSearch(t), MeiliSearch(t)
	if a.Prefix == b.Prefix {
		t.Fatal("two tests got the same index prefix")
	}
	h, err := a.Client.Health(context.Background())
	if err != nil || h.Status != "available" {
		t.Fatalf("meilisearch health %v, %v", h, err)
	}
}
