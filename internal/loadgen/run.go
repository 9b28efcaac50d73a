package loadgen

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Options tunes a load run.
type Options struct {
	Scenarios []Scenario
	Rates     []int         // requests per second, tried in order
	Duration  time.Duration // of each step
	// SearchSteps is how many extra rates are tried, bisecting between the
	// highest rate that kept the bound and the lowest that did not.
	SearchSteps int
	// P99Bound is the p99 a rate must keep, with no error, to pass.
	P99Bound time.Duration
	// FreshnessScenario and FreshnessRate name the step during which the
	// freshness probe runs (none when the rate is 0).
	FreshnessScenario string
	FreshnessRate     int
	Timeout           time.Duration // of each request
	Cooldown          time.Duration // between steps, for the server to drain
	Log               io.Writer     // progress lines; nil for none
}

// Report is a whole load run.
type Report struct {
	Scenarios  []ScenarioReport `json:"scenarios"`
	P99BoundMS float64          `json:"p99_bound_ms"`
}

// ScenarioReport is one scenario's steps and the highest passing rate
// (0 when none passed).
type ScenarioReport struct {
	Name        string `json:"name"`
	Mix         string `json:"mix"`
	Steps       []Step `json:"steps"`
	HighestRate int    `json:"highest_rate"`
}

// Step is one rate held for a duration.
type Step struct {
	Rate       int              `json:"rate"`
	Seconds    float64          `json:"seconds"`
	Requests   int              `json:"requests"`
	Errors     int              `json:"errors"`
	Throughput float64          `json:"throughput"` // answered requests per second
	All        Latency          `json:"all"`
	Routes     map[Kind]Latency `json:"routes"`
	ErrorKinds map[string]int   `json:"error_kinds,omitempty"`
	Freshness  *Freshness       `json:"freshness,omitempty"`
	Passed     bool             `json:"passed"`
}

// Run prepares the catalog and runs every scenario at every rate. It
// returns an error if the options or the plan cannot make a load (see
// check) or the server cannot be reached before the load starts; failures
// under load are figures, not errors.
func Run(ctx context.Context, p Plan, o Options) (Report, error) {
	if err := o.check(p); err != nil {
		return Report{}, err
	}
	client := &http.Client{Timeout: 30 * time.Second}
	cat, err := prepare(ctx, client, p)
	if err != nil {
		return Report{}, err
	}
	logf(o.Log, "load: %d positions, %d pairs, %d freshness pairs, %d clinician keys",
		len(cat.positions), len(cat.pairs), len(cat.fresh), len(p.ClinicianKeys))
	rep := Report{P99BoundMS: ms(o.P99Bound)}
	for _, sc := range o.Scenarios {
		sr := ScenarioReport{Name: sc.Name, Mix: sc.String()}
		for _, rate := range o.Rates {
			st := runStep(ctx, cat, sc, rate, o)
			sr.Steps = append(sr.Steps, st)
			if collapsed(st) {
				break // a higher rate only queues more
			}
		}
		sr.HighestRate = bisect(ctx, cat, sc, o, &sr)
		rep.Scenarios = append(rep.Scenarios, sr)
	}
	return rep, ctx.Err()
}

// check refuses options that would not measure a rate: vegeta reads a
// rate of 0 as "as fast as possible" and a duration of 0 as "until
// stopped", and a targeter drawing from an empty mix, an empty list of
// queries or of clinician keys would divide by zero in the attack's own
// goroutines, killing the process.
func (o Options) check(p Plan) error {
	if len(o.Scenarios) == 0 || len(o.Rates) == 0 {
		return fmt.Errorf("loadgen: no scenario or no rate to run")
	}
	for _, r := range o.Rates {
		if r <= 0 {
			return fmt.Errorf("loadgen: rate %d is not a positive number of requests a second", r)
		}
	}
	if o.Duration <= 0 {
		return fmt.Errorf("loadgen: a step's duration must be positive, not %s", o.Duration)
	}
	for _, sc := range o.Scenarios {
		total := 0
		for k, w := range sc.Mix {
			if w < 0 || !knownKind(k) {
				return fmt.Errorf("loadgen: scenario %q: %s weighs %d", sc.Name, k, w)
			}
			total += w
		}
		switch {
		case total == 0:
			return fmt.Errorf("loadgen: scenario %q sends nothing: its mix weighs no kind", sc.Name)
		case sc.Mix[CandidatesText] > 0 && len(p.Queries) == 0:
			return fmt.Errorf("loadgen: scenario %q narrows candidates by text, and the plan has no queries", sc.Name)
		case sc.Mix[Roles] > 0 && len(p.ClinicianKeys) == 0:
			return fmt.Errorf("loadgen: scenario %q lists roles, and the plan has no clinician keys", sc.Name)
		}
	}
	return nil
}

// runStep holds one rate for o.Duration and summarises the results.
func runStep(ctx context.Context, cat *catalog, sc Scenario, rate int, o Options) Step {
	if ctx.Err() != nil {
		return Step{Rate: rate}
	}
	atk := vegeta.NewAttacker(vegeta.Timeout(o.Timeout), vegeta.MaxBody(512), vegeta.KeepAlive(true),
		vegeta.Connections(10000), vegeta.MaxWorkers(4096))
	var probe chan *Freshness
	if rate == o.FreshnessRate && sc.Name == o.FreshnessScenario {
		probe = make(chan *Freshness, 1)
		pctx, cancel := context.WithTimeout(ctx, o.Duration)
		defer cancel()
		go func() { probe <- probeFreshness(pctx, cat) }()
	}
	var results []*vegeta.Result
	started := time.Now()
	for r := range atk.Attack(cat.targeter(sc), vegeta.Rate{Freq: rate, Per: time.Second}, o.Duration, sc.Name) {
		r.Body, r.Headers = nil, nil
		results = append(results, r)
		if ctx.Err() != nil {
			atk.Stop()
		}
	}
	st := summarise(results, rate, time.Since(started), o.P99Bound)
	if probe != nil {
		st.Freshness = <-probe
	}
	logf(o.Log, "load: %-13s %4d req/s: p50 %6.1f ms  p95 %6.1f ms  p99 %7.1f ms  errors %d of %d%s",
		sc.Name, rate, st.All.P50, st.All.P95, st.All.P99, st.Errors, st.Requests, freshText(st.Freshness))
	select {
	case <-time.After(o.Cooldown):
	case <-ctx.Done():
	}
	return st
}

// collapsed reports a step so far past the server's capacity that higher
// rates are not worth trying.
func collapsed(st Step) bool {
	return st.All.P99 > 2000 || st.Errors*10 > st.Requests
}

// bisect tries o.SearchSteps more rates between the highest passing rate
// and the lowest failing one, adding their steps to sr, and returns the
// highest passing rate.
func bisect(ctx context.Context, cat *catalog, sc Scenario, o Options, sr *ScenarioReport) int {
	best, fail := 0, 0
	for _, st := range sr.Steps {
		if st.Passed {
			best = max(best, st.Rate)
		} else if fail == 0 || st.Rate < fail {
			fail = st.Rate
		}
	}
	for range o.SearchSteps {
		if fail == 0 || fail-best <= max(5, best/20) || ctx.Err() != nil {
			break
		}
		rate := (best + fail) / 2
		if best == 0 {
			rate = fail / 2
		}
		st := runStep(ctx, cat, sc, rate, o)
		sr.Steps = append(sr.Steps, st)
		if st.Passed {
			best = rate
		} else {
			fail = rate
		}
	}
	slices.SortStableFunc(sr.Steps, func(a, b Step) int { return a.Rate - b.Rate })
	return best
}

func logf(w io.Writer, format string, args ...any) {
	if w != nil {
		fmt.Fprintf(w, format+"\n", args...)
	}
}

func freshText(f *Freshness) string {
	if f == nil {
		return ""
	}
	return fmt.Sprintf("  freshness p95 %.0f ms (%d edits, %d not seen)", f.P95, f.Samples, f.Missed)
}
