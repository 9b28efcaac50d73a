package main

import (
	"fmt"
	"sort"
	"strings"

	"carefit/internal/loadgen"
)

// Target is one figure the issue sets a bound on, and whether it held.
type Target struct {
	What   string  `json:"what"`
	Bound  string  `json:"bound"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Status string  `json:"status"` // met, missed, or not measured
}

// bound is a target: the benchmark and unit that carry its figure, and
// the bound; atMost false means the figure must be at least the bound.
type bound struct {
	what, bench, unit string
	bound             float64
	atMost            bool
}

// targets are the bounds of issues [11] and then [12].
var targets = []bound{
	{"full rematch, two workers (cold run)", "BenchmarkRematchRun/workers=2", "s/run-cold", 20, true},
	{"engine batch vs the SQL peer", "BenchmarkPeersRematch", "x-vs-sql", 100, false},
	{"candidates p99 at 200 req/s", "BenchmarkServeLoad", "p99-ms-candidates@200", 25, true},
	{"mix p99 at 200 req/s", "BenchmarkServeLoad", "p99-ms-mix@200", 25, true},
	{"freshness p95 under the mix at 200 req/s", "BenchmarkServeLoad", "freshness-p95-ms@200", 2000, true},
	{"serve peak RSS", "BenchmarkServeLoad", "MiB-peak-rss-serve", 1024, true},
	{"candidates p99 at 500 req/s", "BenchmarkServeLoad", "p99-ms-candidates@500", 25, true},
	{"candidates with q p99 at 200 req/s", "BenchmarkServeLoad", "p99-ms-candidates_q@200", 50, true},
	{"roles p99 at 500 req/s", "BenchmarkServeLoad", "p99-ms-roles@500", 25, true},
	{"mix p99 at 300 req/s", "BenchmarkServeLoad", "p99-ms-mix@300", 25, true},
}

// nationalTargets are the bounds of the national-scale market
// (make bench-national): 2,000,000 clinicians and 200,000 positions.
var nationalTargets = []bound{
	{"full rematch, two workers (cold run)", "BenchmarkRematchRun/workers=2", "s/run-cold", 180, true},
	{"full rematch, two workers (warm run)", "BenchmarkRematchRun/workers=2", "s/run-warm", 180, true},
	{"engine batch (top 50 of every position)", "BenchmarkBatch", "wall-s/batch", 60, true},
	{"serve RSS with the market loaded", "BenchmarkRematchRun/workers=2", "MiB-rss-serve", 2048, true},
}

func checkTargets(figs []Figure, national bool) []Target {
	var out []Target
	set := targets
	if national {
		set = nationalTargets
	}
	for _, t := range set {
		cmp := "≥"
		if t.atMost {
			cmp = "≤"
		}
		tg := Target{What: t.what, Bound: fmt.Sprintf("%s %g %s", cmp, t.bound, t.unit), Unit: t.unit, Status: "not measured"}
		for _, f := range figs {
			if f.Benchmark == t.bench && f.Unit == t.unit {
				tg.Value, tg.Status = f.Value, "missed"
				if (t.atMost && f.Value <= t.bound) || (!t.atMost && f.Value >= t.bound) {
					tg.Status = "met"
				}
				// A latency bound under load holds only with no error at
				// that rate (the load reports errors only when there are).
				if rest, ok := strings.CutPrefix(t.unit, "p99-ms-"); ok && errorsAt(figs, t.bench, rest) > 0 {
					tg.Status = "missed"
				}
			}
		}
		out = append(out, tg)
	}
	return out
}

// errorsAt is the errors the load reported for scenario@rate.
func errorsAt(figs []Figure, bench, scenarioAtRate string) float64 {
	for _, f := range figs {
		if f.Benchmark == bench && f.Unit == "errors-"+scenarioAtRate {
			return f.Value
		}
	}
	return 0
}

func markdown(r Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# carefit benchmarks, %s\n\n", r.At.Format("2006-01-02 15:04 UTC"))
	kv := func(title string, m map[string]string) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			parts = append(parts, k+": "+m[k])
		}
		fmt.Fprintf(&b, "**%s**: %s\n\n", title, strings.Join(parts, "; "))
	}
	kv("Machine", r.Machine)
	kv("Versions", r.Versions)
	kv("Dataset", r.Dataset)
	b.WriteString("## Targets\n\n| figure | target | measured | |\n|---|---|---|---|\n")
	for _, t := range r.Targets {
		val := "–"
		if t.Status != "not measured" {
			val = fmt.Sprintf("%.4g", t.Value)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", t.What, t.Bound, val, t.Status)
	}
	if r.Load != nil {
		loadTable(&b, r.Load)
	}
	b.WriteString("\n## Every figure\n\n| benchmark | figure | value |\n|---|---|---|\n")
	for _, f := range r.Figures {
		if f.Unit == "ns/op" || f.Unit == "B/op" || f.Unit == "allocs/op" {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %.4g |\n", strings.TrimPrefix(f.Benchmark, "Benchmark"), f.Unit, f.Value)
	}
	b.WriteString("\nRatios (`x-vs-…`) are the peer's time over the engine's, measured in the same process; `-extrapolated` figures ran on a subset of positions and were scaled to all of them.\n")
	return b.String()
}

// loadTable writes the load run: per scenario and rate, p50/p95/p99 and
// errors, with each route of a mix, and the highest passing rate.
func loadTable(b *strings.Builder, l *loadgen.Report) {
	fmt.Fprintf(b, "\n## Under load (carefit load, a separate process, open loop; pass = p99 ≤ %g ms and 0 errors)\n\n", l.P99BoundMS)
	b.WriteString("| scenario | rate req/s | requests | errors | p50 ms | p95 ms | p99 ms | routes (p99 ms) | freshness p95 ms |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, sc := range l.Scenarios {
		for _, st := range sc.Steps {
			var routes []string
			if len(st.Routes) > 1 {
				keys := make([]string, 0, len(st.Routes))
				for k := range st.Routes {
					keys = append(keys, string(k))
				}
				sort.Strings(keys)
				for _, k := range keys {
					routes = append(routes, fmt.Sprintf("%s %.1f", k, st.Routes[loadgen.Kind(k)].P99))
				}
			}
			fresh := ""
			if st.Freshness != nil {
				fresh = fmt.Sprintf("%.0f (%d edits, %d not seen)", st.Freshness.P95, st.Freshness.Samples, st.Freshness.Missed)
			}
			fmt.Fprintf(b, "| %s | %d | %d | %d | %.1f | %.1f | %.1f | %s | %s |\n", sc.Name, st.Rate, st.Requests, st.Errors,
				st.All.P50, st.All.P95, st.All.P99, strings.Join(routes, ", "), fresh)
		}
	}
	b.WriteString("\n| scenario | highest rate with p99 within bound and 0 errors |\n|---|---|\n")
	for _, sc := range l.Scenarios {
		fmt.Fprintf(b, "| %s | %d req/s |\n", sc.Name, sc.HighestRate)
	}
}
