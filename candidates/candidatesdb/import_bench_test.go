package candidatesdb_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"testing"
	"time"

	"carefit/candidates"
	"carefit/candidates/candidatesdb"
	"carefit/internal/market"
	"carefit/internal/platform/testenv"
)

// This benchmark imports generated profiles, which package candidatesdb's
// own tests cannot build: the generator imports this package.

var importRows = flag.Int("import.rows", 100_000, "profiles per BenchmarkImportProfiles operation")

// BenchmarkImportProfiles imports -import.rows profiles of a generated
// market per operation into a fresh database and reports rows per second
// over all operations (scripts/bench runs three: the first import into a
// new cluster is the slowest).
func BenchmarkImportProfiles(b *testing.B) {
	n := *importRows
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, p := range market.Generate(1, market.Size{Profiles: n}, time.Now()).Profiles {
		if err := enc.Encode(p); err != nil {
			b.Fatal(err)
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var total int
	for range b.N {
		b.StopTimer()
		db := testenv.DB(b)
		b.StartTimer()
		rep, err := candidatesdb.ImportProfiles(context.Background(), db, bytes.NewReader(data), candidates.ImportOptions{Atomic: true})
		if err != nil {
			b.Fatal(err)
		}
		if rep.Imported != n {
			b.Fatalf("imported %d of %d; first errors %v", rep.Imported, n, rep.Errors[:min(3, len(rep.Errors))])
		}
		total += n
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "rows/s")
}
