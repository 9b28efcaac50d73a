package searchsync

import (
	"context"
	"testing"
	"time"

	"carefit/internal/market"
	"carefit/internal/platform/testenv"
	"carefit/search"
)

// benchReindex loads a generated market of size into a fresh database
// (not timed) and times full rebuilds of the index of kind k.
func benchReindex(b *testing.B, k search.Kind, size market.Size, docs int) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	pool := testenv.DB(b)
	m := testenv.MeiliSearch(b)
	c := search.New(m.Client, m.Prefix)
	c.TaskTimeout = 10 * time.Minute
	now := time.Now()
	if err := market.Load(ctx, pool, market.Generate(1, size, now), func() time.Time { return now }, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `UPDATE outbox SET done_at = now()`); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := Reindex(ctx, pool, c, k, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if n, err := c.Count(ctx, k); err != nil || n != int64(docs) {
		b.Fatalf("count %d, %v; want %d", n, err, docs)
	}
	b.ReportMetric(float64(docs)*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

// BenchmarkReindexProfiles times a full rebuild of 200,000 profiles.
func BenchmarkReindexProfiles(b *testing.B) {
	benchReindex(b, search.KindProfiles, market.Size{Profiles: 200_000}, 200_000)
}

// BenchmarkReindexPositions times a full rebuild of 20,000 positions.
func BenchmarkReindexPositions(b *testing.B) {
	benchReindex(b, search.KindPositions, market.Size{Organizations: 200, Positions: 20_000}, 20_000)
}
