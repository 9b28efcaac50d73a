package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"carefit/internal/loadgen"
)

// runLoad drives a running carefit serve at fixed rates from this process
// (internal/loadgen) and writes the report as JSON.
func runLoad(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "load", "-plan FILE [flags]", "Drive a running 'carefit serve' at fixed request rates, open-loop, "+
		"and report each route's p50/p95/p99 and errors per rate, the highest rate within the p99 bound with no error, "+
		"and how long edits take to show in the ranked lists under load. The plan (JSON: base_url, admin_key, recruiters "+
		"with their positions, clinician_keys, queries) names the server and the keys; make bench writes one.")
	plan := fs.String("plan", "", "the load plan (JSON)")
	out := fs.String("out", "", "write the report as JSON to this file (default: standard output)")
	rates := fs.String("rates", "50,100,200,300,500", "request rates to try, per second, in order")
	dur := fs.Duration("duration", 20*time.Second, "how long each rate is held")
	search := fs.Int("search-steps", 2, "extra rates tried between the highest passing rate and the lowest failing one")
	bound := fs.Duration("p99", 25*time.Millisecond, "the p99 a rate must keep, with no error, to pass")
	freshRate := fs.Int("freshness-rate", 200, "the rate of the freshness scenario's step during which edits are timed (0: none)")
	freshSc := fs.String("freshness-scenario", "mix", "the scenario during which edits are timed")
	timeout := fs.Duration("timeout", 10*time.Second, "a request's timeout")
	var scenarios []loadgen.Scenario
	fs.Func("scenario", "NAME=KIND:WEIGHT,… (repeatable; kinds: candidates, candidates_q, roles, explain, write); "+
		"default: each of candidates, candidates_q and roles alone, and mix=candidates:55,candidates_q:10,roles:20,explain:10,write:5",
		func(s string) error {
			sc, err := loadgen.ParseScenario(s)
			scenarios = append(scenarios, sc)
			return err
		})
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *plan == "" || fs.NArg() > 0 {
		return usageError{"want -plan FILE and no arguments"}
	}
	rs, err := parseRates(*rates)
	if err != nil {
		return err
	}
	if len(scenarios) == 0 {
		scenarios = loadgen.DefaultScenarios()
	}
	p, err := loadgen.ReadPlan(*plan)
	if err != nil {
		return err
	}
	rep, err := loadgen.Run(ctx, p, loadgen.Options{Scenarios: scenarios, Rates: rs, Duration: *dur, SearchSteps: *search,
		P99Bound: *bound, FreshnessScenario: *freshSc, FreshnessRate: *freshRate, Timeout: *timeout,
		Cooldown: 3 * time.Second, Log: e.stderr})
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = fmt.Fprintln(e.stdout, string(b))
		return err
	}
	return os.WriteFile(*out, append(b, '\n'), 0o644)
}

// parseRates reads "50,100,200" as positive integers.
func parseRates(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, usageError{fmt.Sprintf("-rates: %q is not a positive integer", f)}
		}
		out = append(out, n)
	}
	return out, nil
}
