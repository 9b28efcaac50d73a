package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"

	"carefit/access"
)

// importFileBytes is the size of each import body in the memory test: the
// largest an import may be (the harness's 1M body limit, times 64).
const importFileBytes = 64<<20 - 64<<10

// writeImportFile writes valid profile lines, each padded with spaces to
// about 16 KiB, until the file holds about importFileBytes, and returns
// its path and how many lines it has. Padding keeps the test about the
// body's size, not about how many rows Postgres must store.
func (f *fixture) writeImportFile(t *testing.T, dir string, n int) (string, int) {
	t.Helper()
	path := filepath.Join(dir, "profiles-"+strconv.Itoa(n)+".ndjson")
	file, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	w := bufio.NewWriter(file)
	const lineBytes = 16 << 10
	lines, size := 0, 0
	for size+lineBytes <= importFileBytes {
		b, err := json.Marshal(f.profilePayload("Imp", lines%2 == 0))
		if err != nil {
			t.Fatal(err)
		}
		b = append(b[:len(b)-1], strings.Repeat(" ", lineBytes-len(b)-1)...)
		b = append(b, '}', '\n')
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
		lines, size = lines+1, size+len(b)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return path, lines
}

// procStatus returns a field of /proc/self/status in bytes (VmRSS, VmHWM).
func procStatus(t *testing.T, field string) int64 {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatalf("/proc/self/status has no %s", field)
	return 0
}

// TestConcurrentLargeImportsStayBounded sends four 64 MiB NDJSON imports at
// once (two API keys, two imports each) and checks that the server's
// resident memory grows by less than 100 MiB: bodies are streamed, never
// buffered whole.
func TestConcurrentLargeImportsStayBounded(t *testing.T) {
	f := newFixture(t)
	keys := []string{f.admin, f.mustKey(t, access.NewKey{Role: access.Admin, Label: "second importer"})}
	dir := t.TempDir()
	var paths []string
	want := 0
	for i := range 4 {
		p, n := f.writeImportFile(t, dir, i)
		paths, want = append(paths, p), want+n
	}
	before := f.counts(t)["profiles"]
	runtime.GC()
	debug.FreeOSMemory()
	// Reset the peak (VmHWM) to the current resident size.
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		t.Fatal(err)
	}
	base := procStatus(t, "VmRSS")

	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			file, err := os.Open(p)
			if err != nil {
				t.Error(err)
				return
			}
			defer file.Close()
			rec := f.do(t, keys[i%2], "POST", "/v1/import/profiles", io.Reader(file), "Content-Type", "application/x-ndjson")
			if rec.Code != http.StatusOK {
				t.Errorf("import %d: got %d: %.300s", i, rec.Code, rec.Body)
			}
		}()
	}
	wg.Wait()
	peak := procStatus(t, "VmHWM")
	t.Logf("four concurrent imports of %d MiB: resident %d MiB before, peak %d MiB (+%d MiB)",
		importFileBytes>>20, base>>20, peak>>20, (peak-base)>>20)
	if peak-base >= 100<<20 {
		t.Errorf("resident memory grew by %d MiB during the imports, want under 100 MiB", (peak-base)>>20)
	}
	if got := f.counts(t)["profiles"] - before; got != want {
		t.Errorf("profiles imported: got %d, want %d", got, want)
	}
}

// TestImportsPerKeyAreLimited holds two imports of one key open and checks
// that a third answers 429 naming the limit, while another key may still
// import, and that the slots come back when the imports end.
func TestImportsPerKeyAreLimited(t *testing.T) {
	f := newFixture(t)
	other := f.mustKey(t, access.NewKey{Role: access.Admin, Label: "other importer"})
	line := func() []byte {
		b, _ := json.Marshal(f.profilePayload("Slot", false))
		return append(b, '\n')
	}
	var wg sync.WaitGroup
	var pipes []*io.PipeWriter
	for i := range 2 {
		r, w := io.Pipe()
		pipes = append(pipes, w)
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := f.do(t, f.admin, "POST", "/v1/import/profiles", io.Reader(r), "Content-Type", "application/x-ndjson")
			if rec.Code != http.StatusOK {
				t.Errorf("held import %d: got %d: %s", i, rec.Code, rec.Body)
			}
		}()
		// The write returns once the handler reads: the import holds its slot.
		if _, err := w.Write(line()); err != nil {
			t.Fatal(err)
		}
	}
	third := f.do(t, f.admin, "POST", "/v1/import/profiles", bytes.NewReader(line()), "Content-Type", "application/x-ndjson")
	p := wantProblem(t, third, http.StatusTooManyRequests, "")
	if !strings.Contains(p.Detail, "CAREFIT_IMPORTS_PER_KEY") || third.Header().Get("Retry-After") == "" {
		t.Errorf("third import: %q (Retry-After %q), want the limit named and a Retry-After", p.Detail, third.Header().Get("Retry-After"))
	}
	wantStatus(t, f.do(t, other, "POST", "/v1/import/profiles", bytes.NewReader(line()), "Content-Type", "application/x-ndjson"), http.StatusOK)
	for _, w := range pipes {
		w.Close()
	}
	wg.Wait()
	wantStatus(t, f.do(t, f.admin, "POST", "/v1/import/profiles", bytes.NewReader(line()), "Content-Type", "application/x-ndjson"), http.StatusOK)
}
