package match_test

import (
	"context"
	"runtime"
	"sync"
	"testing"

	"carefit/internal/kit/cpu"
	. "carefit/match"
)

// benchData is a generated market of 200,000 clinicians and the listed
// (open, unexpired) ones of 20,000 positions, built once per test binary:
// the benchmarks measure ranking, not skipping drafts and closed postings.
var benchData = sync.OnceValues(func() ([]Position, []Clinician) {
	ps, cs := marketData(42, 20000, 200000)
	live := ps[:0]
	for _, p := range ps {
		if p.Status == StatusOpen && testNow.Before(p.ExpiresAt) {
			live = append(live, p)
		}
	}
	return live, cs
})

var benchIndex = sync.OnceValue(func() *Index {
	_, cs := benchData()
	return NewIndex(cs)
})

func BenchmarkExplainPair(b *testing.B) {
	ps, cs := benchData()
	for b.Loop() {
		Explain(ps[0], cs[0], testNow, Options{})
	}
}

// BenchmarkTop50 ranks the 50 best of 200,000 clinicians for one position,
// cycling over positions so no one bucket flatters the figure.
func BenchmarkTop50(b *testing.B) {
	ps, _ := benchData()
	ix := benchIndex()
	i := 0
	for b.Loop() {
		ix.TopClinicians(ps[i%len(ps)], 50, testNow, Options{}, nil)
		i++
	}
}

// BenchmarkTop50Wide ranks a position that accepts every clinician's
// credential and taxonomy in the most populous state, at its largest metro
// (Los Angeles), the worst case.
func BenchmarkTop50Wide(b *testing.B) {
	ps, _ := benchData()
	ix := benchIndex()
	p := ps[0]
	p.Credentials, p.Taxonomies = nil, nil
	p.State, p.LicenceStates, p.Location = "CA", nil, &Point{34.0522, -118.2437}
	for b.Loop() {
		ix.TopClinicians(p, 50, testNow, Options{}, nil)
	}
}

// BenchmarkBatch ranks the top 50 for the listed ones of 20,000 positions
// over 200,000 clinicians with the planner on every core.
func BenchmarkBatch(b *testing.B) {
	ps, _ := benchData()
	ix := benchIndex()
	workers := runtime.GOMAXPROCS(0)
	var eligible int64
	cpu0 := cpu.Time()
	for b.Loop() {
		pl := NewPlanner(ix, ps, 50, testNow, Options{})
		res, err := pl.Run(context.Background(), workers)
		if err != nil {
			b.Fatal(err)
		}
		eligible = 0
		for _, r := range res {
			eligible += int64(r.Eligible)
		}
		b.ReportMetric(float64(pl.EstimatedPairs()), "candidates")
	}
	perRun := b.Elapsed().Seconds() / float64(b.N)
	// CPU seconds per batch over all workers: on a loaded machine the wall
	// time also counts time other processes held the cores.
	b.ReportMetric((cpu.Time()-cpu0).Seconds()/float64(b.N), "cpu-s/batch")
	b.ReportMetric(float64(eligible), "eligible-pairs")
	b.ReportMetric(perRun, "wall-s/batch")
	b.ReportMetric(float64(eligible)/perRun/float64(workers)/1e6, "Meligible/s/core")
	pl := NewPlanner(ix, ps, 50, testNow, Options{})
	b.ReportMetric(float64(pl.EstimatedPairs())/perRun/float64(workers)/1e6, "Mcandidates/s/core")
}

// BenchmarkIndexMemory reports the heap held by an index of 200,000
// clinicians (target ≤ 100 MB).
func BenchmarkIndexMemory(b *testing.B) {
	_, cs := benchData()
	var ix *Index
	for b.Loop() {
		ix = nil
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ix = NewIndex(cs)
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric((float64(after.HeapAlloc)-float64(before.HeapAlloc))/1e6, "MB")
	}
	runtime.KeepAlive(ix)
	runtime.KeepAlive(cs)
}

func TestIndexMemory(t *testing.T) {
	_, cs := marketData(1, 0, 200000)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	ix := NewIndex(cs)
	runtime.GC()
	runtime.ReadMemStats(&after)
	mb := (float64(after.HeapAlloc) - float64(before.HeapAlloc)) / 1e6
	runtime.KeepAlive(cs) // only the index's own memory counts
	t.Logf("index of %d clinicians holds %.1f MB", ix.Len(), mb)
	if mb > 100 {
		t.Errorf("got %.1f MB, want ≤ 100", mb)
	}
	runtime.KeepAlive(ix)
}
