// Command benchreport turns the output of make bench (go test -bench
// lines, and the load report carefit load writes) into the report: a
// table on standard output and report.md and report.json in the output
// directory, with the machine, the versions and the dataset sizes. It is
// a bench-only tool, run by scripts/bench: go run ./scripts/benchreport
// -in RAW -load LOAD.json -out DIR.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"carefit/internal/loadgen"
)

// Figure is one metric of one benchmark.
type Figure struct {
	Benchmark string  `json:"benchmark"`
	Unit      string  `json:"unit"`
	Value     float64 `json:"value"`
}

// Report is what report.json holds.
type Report struct {
	At       time.Time         `json:"at"`
	Machine  map[string]string `json:"machine"`
	Versions map[string]string `json:"versions"`
	Dataset  map[string]string `json:"dataset"`
	Figures  []Figure          `json:"figures"`
	Targets  []Target          `json:"targets"`
	Load     *loadgen.Report   `json:"load,omitempty"`
}

func main() {
	in := flag.String("in", "", "the benchmarks' output")
	loadFile := flag.String("load", "", "the load report (JSON) of BenchmarkServeLoad, if it ran")
	out := flag.String("out", ".carefit/bench", "where report.md and report.json go")
	national := flag.Bool("national", false, "check the national-scale market's targets (make bench-national)")
	flag.Parse()
	if err := run(*in, *loadFile, *out, *national); err != nil {
		fmt.Fprintln(os.Stderr, "benchreport:", err)
		os.Exit(1)
	}
}

func run(in, loadFile, out string, national bool) error {
	raw, err := os.ReadFile(in)
	if err != nil {
		return err
	}
	rep := Report{At: time.Now().UTC(), Machine: machine(), Versions: versions(), Dataset: dataset(),
		Figures: parseBench(string(raw))}
	if b, err := os.ReadFile(loadFile); err == nil {
		var l loadgen.Report
		if err := json.Unmarshal(b, &l); err != nil {
			return fmt.Errorf("%s: %w", loadFile, err)
		}
		rep.Load = &l
	}
	rep.Targets = checkTargets(rep.Figures, national)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(out, "report.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	md := markdown(rep)
	fmt.Print(md)
	return os.WriteFile(filepath.Join(out, "report.md"), []byte(md), 0o644)
}

// parseBench reads "BenchmarkName-2  1  123 ns/op  4.5 unit …" lines.
func parseBench(s string) []Figure {
	var out []Figure
	sc := bufio.NewScanner(strings.NewReader(s))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		if _, err := strconv.Atoi(f[1]); err != nil {
			continue
		}
		name := f[0]
		if i := strings.LastIndex(name, "-"); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			out = append(out, Figure{Benchmark: name, Unit: f[i+1], Value: v})
		}
	}
	return out
}

func machine() map[string]string {
	m := map[string]string{"cores": strconv.Itoa(runtime.NumCPU()), "os": runtime.GOOS + "/" + runtime.GOARCH}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m["cpu"] = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				kb, _ := strconv.ParseFloat(strings.Fields(rest)[0], 64)
				m["memory"] = fmt.Sprintf("%.1f GiB", kb/(1<<20))
			}
		}
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		m["load average at report"] = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return m
}

func versions() map[string]string {
	v := map[string]string{"go": runtime.Version()}
	cmdOut := func(name string, args ...string) string {
		b, err := exec.Command(name, args...).Output()
		if err != nil {
			return "unknown"
		}
		return strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0])
	}
	v["carefit"] = cmdOut("git", "describe", "--always", "--dirty")
	v["postgres"] = cmdOut("sh", "-c", "ls -d /usr/lib/postgresql/*/bin | tail -1 | xargs -I{} {}/postgres --version")
	meili := os.Getenv("CAREFIT_MEILI_BIN")
	if meili == "" {
		meili = ".carefit/bin/meilisearch"
	}
	v["meilisearch"] = cmdOut(meili, "--version")
	v["redis"] = cmdOut("redis-server", "--version")
	return v
}

func dataset() map[string]string {
	get := func(name, def string) string {
		if s := os.Getenv(name); s != "" {
			return s
		}
		return def
	}
	return map[string]string{"clinicians": get("CAREFIT_BENCH_PROFILES", "200000"),
		"positions": get("CAREFIT_BENCH_POSITIONS", "20000"), "quick": get("BENCH_QUICK", "0")}
}
