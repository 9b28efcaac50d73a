package match

import (
	"context"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// TestRowSizes keeps the scan's rows compact: a scoring row is one cache
// line and the hot row that every candidate reads is 40 bytes.
func TestRowSizes(t *testing.T) {
	if got := unsafe.Sizeof(scoreRow{}); got != 64 {
		t.Errorf("scoreRow is %d bytes, want 64", got)
	}
	if got := unsafe.Sizeof(hotRow{}); got > 40 {
		t.Errorf("hotRow is %d bytes, want ≤ 40", got)
	}
}

var benchData = sync.OnceValues(func() ([]Position, []Clinician) {
	return Synthetic(42, 20000, 200000, testNow)
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

// BenchmarkScorePair is the scan's per-pair scoring cost for one prepared
// position on one goroutine (so per core): eligibility excluded, every row
// scored in row (bucket) order. The target is ≥ 30 M pairs/s/core.
func BenchmarkScorePair(b *testing.B) {
	ps, _ := benchData()
	ix := benchIndex()
	pl := newPlan(compilePosition(&ps[0], &ix.langs, false), testNow, Options{})
	var sink float32
	n := 0
	cpu0 := cpuTime()
	for b.Loop() {
		for i := range ix.rows {
			h := &ix.hot[i]
			ch2 := pl.chord2(h)
			sink += pl.key(&ix.rows[i], ch2, h.commute2 >= ch2, h.invC)
		}
		n += len(ix.rows)
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(n)/b.Elapsed().Seconds()/1e6, "Mpairs/s/core")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/pair")
	// On a loaded machine wall time includes time other processes held
	// the core; CPU time does not.
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(n), "cpu-ns/pair")
	_ = sink
}

// cpuTime is the CPU time (user + system) this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
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
// credential and taxonomy in the most populous state, the worst case.
func BenchmarkTop50Wide(b *testing.B) {
	ps, _ := benchData()
	ix := benchIndex()
	p := ps[0]
	p.Credentials, p.Taxonomies = nil, nil
	p.State, p.Location = "CA", &Point{35.5, -119.4}
	for b.Loop() {
		ix.TopClinicians(p, 50, testNow, Options{}, nil)
	}
}

// BenchmarkBatch ranks the top 50 for 20,000 positions over 200,000
// clinicians with the planner on every core.
func BenchmarkBatch(b *testing.B) {
	ps, _ := benchData()
	ix := benchIndex()
	workers := runtime.GOMAXPROCS(0)
	var eligible int64
	cpu0 := cpuTime()
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
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/batch")
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
	_, cs := Synthetic(1, 0, 200000, testNow)
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
