package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"carefit/internal/loadgen"
)

// raw is make bench's output as scripts/bench captures it: go test's
// headers, benchmark lines with GOMAXPROCS suffixes, custom metrics,
// sub-benchmarks, logs and the tool's own lines.
const raw = `# 2 cores; load average: 0.52 0.61 0.70

## ./match -bench ScorePair|ExplainPair -benchtime 3s
goos: linux
goarch: amd64
pkg: carefit/match
cpu: AMD EPYC 7B13
BenchmarkScorePair-2     	 4460281	       801.5 ns/op	       0 B/op	       0 allocs/op
BenchmarkExplainPair-2   	  303945	     11873 ns/op	    4176 B/op	      61 allocs/op
BenchmarkBatch/workers=2-2         	       1	4052911234 ns/op	         3.125 cpu-s/batch	   1234567 eligible-pairs	         1.6 wall-s/batch	   2.5e-07 Mtiny/s
--- BENCH: BenchmarkBatch/workers=2-2
    bench_test.go:99: BenchmarkBatch-2 loaded 20000 positions
PASS
ok  	carefit/match	25.1s

## ./internal/peers -bench Peers -benchtime 1x
BenchmarkPeersRematch-2   	       1	9012345678 ns/op	       412.5 engine-ms	     61234 sql-ms	       148.4 x-vs-sql
BenchmarkServeLoad-2   	       1	120000000000 ns/op	        45 max-rps-p99ok-mix	        12.75 p99-ms-candidates@200	        31.5 p99-ms-mix@200	       850 freshness-p95-ms@200	       612.3 MiB-peak-rss-serve
BenchmarkRematchRun/workers=2-2   	       1	30000000000 ns/op	        18.2 s/run-cold	    123456 pairs/s
BenchmarkGOMAXPROCS1/n=3   	       5	   200 ns/op	         7 things
BenchmarkBroken-2   	--- FAIL: BenchmarkBroken-2
BenchmarkHalf-2   	       3	     oops ns/op
Benchmark: not a result line
BenchmarkOdd-2	10	5 ns/op	9
ok  	carefit/internal/peers	140.2s
`

func TestParseBench(t *testing.T) {
	got := parseBench(raw)
	want := []Figure{
		{"BenchmarkScorePair", "ns/op", 801.5}, {"BenchmarkScorePair", "B/op", 0}, {"BenchmarkScorePair", "allocs/op", 0},
		{"BenchmarkExplainPair", "ns/op", 11873}, {"BenchmarkExplainPair", "B/op", 4176}, {"BenchmarkExplainPair", "allocs/op", 61},
		{"BenchmarkBatch/workers=2", "ns/op", 4052911234}, {"BenchmarkBatch/workers=2", "cpu-s/batch", 3.125},
		{"BenchmarkBatch/workers=2", "eligible-pairs", 1234567}, {"BenchmarkBatch/workers=2", "wall-s/batch", 1.6},
		{"BenchmarkBatch/workers=2", "Mtiny/s", 2.5e-07},
		{"BenchmarkPeersRematch", "ns/op", 9012345678}, {"BenchmarkPeersRematch", "engine-ms", 412.5},
		{"BenchmarkPeersRematch", "sql-ms", 61234}, {"BenchmarkPeersRematch", "x-vs-sql", 148.4},
		{"BenchmarkServeLoad", "ns/op", 120000000000}, {"BenchmarkServeLoad", "max-rps-p99ok-mix", 45},
		{"BenchmarkServeLoad", "p99-ms-candidates@200", 12.75}, {"BenchmarkServeLoad", "p99-ms-mix@200", 31.5},
		{"BenchmarkServeLoad", "freshness-p95-ms@200", 850}, {"BenchmarkServeLoad", "MiB-peak-rss-serve", 612.3},
		{"BenchmarkRematchRun/workers=2", "ns/op", 30000000000}, {"BenchmarkRematchRun/workers=2", "s/run-cold", 18.2},
		{"BenchmarkRematchRun/workers=2", "pairs/s", 123456},
		// No suffix when GOMAXPROCS is 1: the name stays whole.
		{"BenchmarkGOMAXPROCS1/n=3", "ns/op", 200}, {"BenchmarkGOMAXPROCS1/n=3", "things", 7},
		// A value without a unit is dropped, the pairs before it kept.
		{"BenchmarkOdd", "ns/op", 5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("parseBench got %d figures, want %d", len(got), len(want))
		for i := range max(len(got), len(want)) {
			var g, w Figure
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if g != w {
				t.Errorf("figure %d: got %+v, want %+v", i, g, w)
			}
		}
	}
}

func TestParseBenchNothing(t *testing.T) {
	for _, in := range []string{"", "\n\n", "PASS\nok  \tcarefit/match\t0.01s\n", "--- FAIL: BenchmarkX-2\nFAIL\n",
		"BenchmarkX-2\n", "BenchmarkX-2   \t       1\n"} {
		if got := parseBench(in); len(got) != 0 {
			t.Errorf("parseBench(%q) = %+v, want no figures", in, got)
		}
	}
}

// A very long line (a benchmark with many metrics) is read whole.
func TestParseBenchLongLine(t *testing.T) {
	var b strings.Builder
	b.WriteString("BenchmarkMany-2 \t 1 \t 1 ns/op")
	for range 5000 {
		b.WriteString("\t 2.5 m")
	}
	b.WriteString("\nBenchmarkAfter-2 \t 1 \t 7 ns/op\n")
	figs := parseBench(b.String())
	if len(figs) != 5002 || figs[5001] != (Figure{"BenchmarkAfter", "ns/op", 7}) {
		t.Errorf("parseBench read %d figures, last %+v", len(figs), figs[len(figs)-1])
	}
}

func TestCheckTargets(t *testing.T) {
	status := func(figs []Figure) map[string]Target {
		out := map[string]Target{}
		for _, tg := range checkTargets(figs, false) {
			out[tg.What] = tg
		}
		return out
	}
	const (
		rematch = "full rematch, two workers (cold run)"
		peers   = "engine batch vs the SQL peer"
		cand    = "candidates p99 at 200 req/s"
		mix     = "mix p99 at 200 req/s"
		fresh   = "freshness p95 under the mix at 200 req/s"
		rss     = "serve peak RSS"
	)
	for _, tc := range []struct {
		name string
		figs []Figure
		want map[string]string // what → status; unlisted targets are not measured
	}{
		{name: "nothing measured"},
		{name: "from the captured output", figs: parseBench(raw), want: map[string]string{
			rematch: "met", peers: "met", cand: "met", mix: "missed", fresh: "met", rss: "met"}},
		{name: "at most: the bound itself is met", figs: []Figure{{"BenchmarkServeLoad", "p99-ms-candidates@200", 25}},
			want: map[string]string{cand: "met"}},
		{name: "at most: just over misses", figs: []Figure{{"BenchmarkServeLoad", "p99-ms-candidates@200", 25.01}},
			want: map[string]string{cand: "missed"}},
		{name: "a p99 within its bound misses with errors at that rate",
			figs: []Figure{{"BenchmarkServeLoad", "p99-ms-candidates@200", 5}, {"BenchmarkServeLoad", "errors-candidates@200", 1},
				{"BenchmarkServeLoad", "p99-ms-mix@200", 5}, {"BenchmarkServeLoad", "errors-mix@100", 3}},
			want: map[string]string{cand: "missed", mix: "met"}},
		{name: "at least: the bound itself is met", figs: []Figure{{"BenchmarkPeersRematch", "x-vs-sql", 100}},
			want: map[string]string{peers: "met"}},
		{name: "at least: just under misses", figs: []Figure{{"BenchmarkPeersRematch", "x-vs-sql", 99.9}},
			want: map[string]string{peers: "missed"}},
		{name: "the right unit of the wrong benchmark does not count",
			figs: []Figure{{"BenchmarkRematchRun/workers=1", "s/run-cold", 5}, {"BenchmarkServeLoad", "p99-ms-mix@400", 3}}},
		{name: "a zero figure is measured", figs: []Figure{{"BenchmarkServeLoad", "MiB-peak-rss-serve", 0}},
			want: map[string]string{rss: "met"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := status(tc.figs)
			if len(got) != len(targets) {
				t.Fatalf("%d targets checked, want every one of %d", len(got), len(targets))
			}
			for what, tg := range got {
				want := tc.want[what]
				if want == "" {
					want = "not measured"
				}
				if tg.Status != want {
					t.Errorf("%s: %s (value %v), want %s", what, tg.Status, tg.Value, want)
				}
				if tg.Status == "not measured" && tg.Value != 0 {
					t.Errorf("%s: not measured with value %v", what, tg.Value)
				}
				if tg.Status != "not measured" {
					found := false
					for _, f := range tc.figs {
						found = found || (f.Unit == tg.Unit && f.Value == tg.Value && strings.HasPrefix(f.Benchmark, "Benchmark"))
					}
					if !found {
						t.Errorf("%s: value %v %s is no figure of the input", what, tg.Value, tg.Unit)
					}
				}
			}
			if b := got[cand].Bound; b != "≤ 25 p99-ms-candidates@200" {
				t.Errorf("bound text %q", b)
			}
			if b := got[peers].Bound; b != "≥ 100 x-vs-sql" {
				t.Errorf("bound text %q", b)
			}
		})
	}
}

func testLoad() *loadgen.Report {
	return &loadgen.Report{P99BoundMS: 25, Scenarios: []loadgen.ScenarioReport{
		{Name: "candidates", Mix: "candidates=candidates:1", HighestRate: 200, Steps: []loadgen.Step{
			{Rate: 100, Requests: 2000, All: loadgen.Latency{N: 2000, P50: 2.25, P95: 6.5, P99: 9.75},
				Routes: map[loadgen.Kind]loadgen.Latency{loadgen.Candidates: {P99: 9.75}}, Passed: true},
			{Rate: 400, Requests: 7900, Errors: 12, All: loadgen.Latency{P50: 40, P95: 300, P99: 2500.5},
				Routes: map[loadgen.Kind]loadgen.Latency{loadgen.Candidates: {P99: 2500.5}}},
		}},
		{Name: "mix", Mix: "mix=candidates:55,roles:20,write:5", HighestRate: 0, Steps: []loadgen.Step{
			{Rate: 200, Requests: 4000, Errors: 3, All: loadgen.Latency{P50: 3, P95: 14, P99: 31.5},
				Routes: map[loadgen.Kind]loadgen.Latency{loadgen.Write: {P99: 44.4}, loadgen.Candidates: {P99: 30.1},
					loadgen.Roles: {P99: 8}},
				Freshness: &loadgen.Freshness{Samples: 17, Missed: 2, P50: 400, P95: 850.4, Max: 1200}},
		}},
	}}
}

func TestMarkdown(t *testing.T) {
	figs := parseBench(raw)
	rep := Report{At: time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC),
		Machine:  map[string]string{"cores": "2", "cpu": "AMD EPYC 7B13"},
		Versions: map[string]string{"go": "go1.26", "redis": "unknown"},
		Dataset:  map[string]string{"clinicians": "200000", "positions": "20000"},
		Figures:  figs, Targets: checkTargets(figs, false), Load: testLoad()}
	md := markdown(rep)
	for _, want := range []string{
		"# carefit benchmarks, 2025-03-04 05:06 UTC\n",
		"**Machine**: cores: 2; cpu: AMD EPYC 7B13\n",
		"**Versions**: go: go1.26; redis: unknown\n",
		"**Dataset**: clinicians: 200000; positions: 20000\n",
		"| full rematch, two workers (cold run) | ≤ 20 s/run-cold | 18.2 | met |\n",
		"| engine batch vs the SQL peer | ≥ 100 x-vs-sql | 148.4 | met |\n",
		"| mix p99 at 200 req/s | ≤ 25 p99-ms-mix@200 | 31.5 | missed |\n",
		"| serve peak RSS | ≤ 1024 MiB-peak-rss-serve | 612.3 | met |\n",
		"pass = p99 ≤ 25 ms and 0 errors",
		// One route: no route column; several: each, sorted, with its p99.
		"| candidates | 100 | 2000 | 0 | 2.2 | 6.5 | 9.8 |  |  |\n",
		"| candidates | 400 | 7900 | 12 | 40.0 | 300.0 | 2500.5 |  |  |\n",
		"| mix | 200 | 4000 | 3 | 3.0 | 14.0 | 31.5 | candidates 30.1, roles 8.0, write 44.4 | 850 (17 edits, 2 not seen) |\n",
		"| candidates | 200 req/s |\n",
		"| mix | 0 req/s |\n",
		"| RematchRun/workers=2 | s/run-cold | 18.2 |\n",
		"| ServeLoad | p99-ms-candidates@200 | 12.75 |\n",
		"| PeersRematch | sql-ms | 6.123e+04 |\n",
		"| Batch/workers=2 | Mtiny/s | 2.5e-07 |\n",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// go test's own figures stay out of "Every figure".
	every := md[strings.Index(md, "## Every figure"):]
	for _, unit := range []string{"ns/op", "B/op", "allocs/op"} {
		if strings.Contains(every, "| "+unit+" |") {
			t.Errorf("every figure lists %s", unit)
		}
	}
	if n := strings.Count(every, "\n| ") - 1; n != countFigures(figs) {
		t.Errorf("every figure has %d rows, want %d", n, countFigures(figs))
	}
	// Sections come in order.
	last := -1
	for _, h := range []string{"## Targets", "## Under load", "| scenario | highest rate", "## Every figure", "Ratios (`x-vs-…`)"} {
		i := strings.Index(md, h)
		if i <= last {
			t.Errorf("section %q at %d, after the previous one at %d", h, i, last)
		}
		last = i
	}
}

func countFigures(figs []Figure) int {
	n := 0
	for _, f := range figs {
		if f.Unit != "ns/op" && f.Unit != "B/op" && f.Unit != "allocs/op" {
			n++
		}
	}
	return n
}

// With no benchmark and no load, the report still lists every target as
// not measured, and has no load section.
func TestMarkdownEmpty(t *testing.T) {
	md := markdown(Report{Targets: checkTargets(nil, false)})
	if n := strings.Count(md, "| – | not measured |"); n != len(targets) {
		t.Errorf("%d targets shown as not measured, want %d:\n%s", n, len(targets), md)
	}
	if strings.Contains(md, "Under load") {
		t.Error("a load section with no load report")
	}
	if !strings.Contains(md, "## Every figure\n\n| benchmark | figure | value |\n|---|---|---|\n\n") {
		t.Errorf("every-figure table is not empty:\n%s", md)
	}
}

// run reads the raw output and the load report and writes report.json and
// report.md to the output directory.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "raw.txt")
	loadFile := filepath.Join(dir, "load.json")
	out := filepath.Join(dir, "out", "bench")
	if err := os.WriteFile(in, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	lb, _ := json.Marshal(testLoad())
	if err := os.WriteFile(loadFile, lb, 0o644); err != nil {
		t.Fatal(err)
	}
	quiet(t)
	if err := run(in, loadFile, out, false); err != nil {
		t.Fatalf("run: %v", err)
	}
	var rep Report
	b, err := os.ReadFile(filepath.Join(out, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatalf("report.json: %v", err)
	}
	if !reflect.DeepEqual(rep.Figures, parseBench(raw)) {
		t.Errorf("report.json figures differ from the raw output's")
	}
	if !reflect.DeepEqual(rep.Targets, checkTargets(parseBench(raw), false)) {
		t.Errorf("report.json targets %+v", rep.Targets)
	}
	if !reflect.DeepEqual(rep.Load, testLoad()) {
		t.Errorf("report.json load %+v, want the load report", rep.Load)
	}
	if rep.At.IsZero() || time.Since(rep.At) > time.Hour || rep.Machine["cores"] == "" || rep.Versions["go"] == "" ||
		rep.Dataset["clinicians"] == "" {
		t.Errorf("report.json at %v, machine %v, versions %v, dataset %v", rep.At, rep.Machine, rep.Versions, rep.Dataset)
	}
	md, err := os.ReadFile(filepath.Join(out, "report.md"))
	if err != nil {
		t.Fatal(err)
	}
	if string(md) != markdown(rep) {
		t.Errorf("report.md is not the report.json's markdown")
	}
}

func TestRunInputs(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "raw.txt")
	if err := os.WriteFile(in, []byte(raw), 0o644); err != nil {
		t.Fatal(err)
	}
	badLoad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(badLoad, []byte(`{"scenarios": [`), 0o644); err != nil {
		t.Fatal(err)
	}
	quiet(t)
	for _, tc := range []struct {
		name, in, load string
		wantErr        string // "" for success without a load section
	}{
		{name: "load did not run", in: in, load: filepath.Join(dir, "absent.json")},
		{name: "no load flag", in: in, load: ""},
		{name: "no raw output", in: filepath.Join(dir, "absent.txt"), load: "", wantErr: "absent.txt"},
		{name: "bad load report", in: in, load: badLoad, wantErr: "bad.json"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			err := run(tc.in, tc.load, out, false)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("run error %v, want one naming %s", err, tc.wantErr)
				}
				if _, err := os.Stat(filepath.Join(out, "report.json")); err == nil {
					t.Error("report.json written despite the error")
				}
				return
			}
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			b, err := os.ReadFile(filepath.Join(out, "report.json"))
			if err != nil {
				t.Fatal(err)
			}
			var rep map[string]json.RawMessage
			if err := json.Unmarshal(b, &rep); err != nil {
				t.Fatal(err)
			}
			if _, ok := rep["load"]; ok {
				t.Errorf("report.json has a load section without a load report")
			}
			md, _ := os.ReadFile(filepath.Join(out, "report.md"))
			if strings.Contains(string(md), "Under load") {
				t.Errorf("report.md has a load section without a load report")
			}
		})
	}
}

// quiet sends run's copy of the report on standard output to /dev/null
// for the test.
func quiet(t *testing.T) {
	t.Helper()
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = null
	t.Cleanup(func() {
		os.Stdout = old
		null.Close()
	})
}

// TestNationalTargets: -national checks the national market's bounds, not
// the standard ones.
func TestNationalTargets(t *testing.T) {
	figs := []Figure{
		{"BenchmarkRematchRun/workers=2", "s/run-cold", 170}, {"BenchmarkRematchRun/workers=2", "s/run-warm", 181},
		{"BenchmarkBatch", "wall-s/batch", 60}, {"BenchmarkRematchRun/workers=2", "MiB-rss-serve", 3000},
		{"BenchmarkServeLoad", "p99-ms-candidates@200", 5},
	}
	got := map[string]string{}
	for _, tg := range checkTargets(figs, true) {
		got[tg.What] = tg.Status
	}
	want := map[string]string{
		"full rematch, two workers (cold run)":    "met",
		"full rematch, two workers (warm run)":    "missed",
		"engine batch (top 50 of every position)": "met",
		"serve RSS with the market loaded":        "missed",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("national targets %v, want %v", got, want)
	}
}
