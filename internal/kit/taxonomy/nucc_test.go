//go:build verifydata

package taxonomy

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"testing"
)

// The NUCC v25.1 file is third-party data kept outside the repository, so
// this check is not part of the default suite: `make verify-data` runs it
// with the build tag verifydata and CAREFIT_NUCC_CSV naming the file
// (default ../shared/data/nucc_taxonomy_251.csv beside the checkout).

// readNUCC returns NUCC display names by code. It fails the test, rather
// than skipping it, when the file is missing: a silently skipped check would
// let an unsupported code in.
func readNUCC(tb testing.TB) map[string]string {
	tb.Helper()
	nuccPath := os.Getenv("CAREFIT_NUCC_CSV")
	if nuccPath == "" {
		tb.Fatal("CAREFIT_NUCC_CSV is not set: name the NUCC v25.1 CSV (make verify-data sets it)")
	}
	f, err := os.Open(nuccPath)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Fatalf("NUCC taxonomy file %s not found: it is needed to check the supported codes; set CAREFIT_NUCC_CSV to nucc_taxonomy_251.csv from nucc.org", nuccPath)
	}
	if err != nil {
		tb.Fatalf("open NUCC taxonomy: %v", err)
	}
	tb.Cleanup(func() { f.Close() })
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("read NUCC taxonomy %s: %v", nuccPath, err)
	}
	if len(recs) < 2 {
		tb.Fatalf("NUCC taxonomy %s: got %d rows, want a header and codes", nuccPath, len(recs))
	}
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	ci, okC := col["Code"]
	ni, okN := col["Display Name"]
	if !okC || !okN {
		tb.Fatalf("NUCC taxonomy %s: got header %v, want Code and Display Name columns", nuccPath, recs[0])
	}
	out := make(map[string]string, len(recs)-1)
	for _, r := range recs[1:] {
		out[r[ci]] = r[ni]
	}
	return out
}

func TestCodesInNUCC(t *testing.T) {
	nucc := readNUCC(t)
	if got, want := len(nucc), 883; got != want {
		t.Errorf("NUCC v25.1 codes: got %v, want %v", got, want)
	}
	for _, c := range Supported() {
		t.Run(c.Code, func(t *testing.T) {
			name, ok := nucc[c.Code]
			if !ok {
				t.Fatalf("got code %s absent from NUCC v25.1, want present", c.Code)
			}
			if c.Name != name {
				t.Errorf("got name %q, want NUCC display name %q", c.Name, name)
			}
		})
	}
}
