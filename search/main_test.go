package search

import (
	"context"
	"testing"
	"time"

	"carefit/internal/platform/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }

func ptr[T any](v T) *T { return &v }

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// newClient returns a Client on this test's own index prefix, with the
// live indexes created.
func newClient(t testing.TB) *Client {
	t.Helper()
	m := testenv.MeiliSearch(t)
	c := New(m.Client, m.Prefix)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := c.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	return c
}

func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}
