// Package loadgen drives carefit's API at fixed request rates from a
// process of its own (carefit load), with github.com/tsenart/vegeta as an
// open-loop generator: requests leave on the rate's schedule whether or
// not earlier ones have answered, so a slow answer shows in the latency
// instead of slowing the load (no coordinated omission). It reports each
// route's latency percentiles and errors per rate, the highest rate whose
// p99 stays within a bound with no error, and how long an edit takes to
// show in a ranked list while the load runs.
package loadgen

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// Plan is what the load is made of: the server, and the keys and records
// its requests use. The benchmark that starts the server writes it.
type Plan struct {
	BaseURL    string      `json:"base_url"`
	AdminKey   string      `json:"admin_key"`
	Recruiters []Recruiter `json:"recruiters"`
	// ClinicianKeys are keys of clinicians whose roles are listed.
	ClinicianKeys []string `json:"clinician_keys"`
	// Queries are the texts the candidates lists narrow on (q).
	Queries []string `json:"queries"`
}

// Recruiter is one organization's recruiter key and its open positions.
type Recruiter struct {
	Key       string   `json:"key"`
	Positions []string `json:"positions"`
}

// ReadPlan reads a Plan from a JSON file; it returns an error if the file
// cannot be read or lacks the server, recruiters or clinicians.
func ReadPlan(path string) (Plan, error) {
	var p Plan
	b, err := os.ReadFile(path)
	if err != nil {
		return p, fmt.Errorf("loadgen: read plan: %w", err)
	}
	if err := json.Unmarshal(b, &p); err != nil {
		return p, fmt.Errorf("loadgen: plan %s: %w", path, err)
	}
	// Request paths are appended to it: "http://h/" would make "//v1/…".
	p.BaseURL = strings.TrimRight(p.BaseURL, "/")
	switch {
	case p.BaseURL == "":
		return p, fmt.Errorf("loadgen: plan %s has no base_url", path)
	case len(p.Recruiters) == 0 || len(p.ClinicianKeys) == 0:
		return p, fmt.Errorf("loadgen: plan %s needs recruiters and clinician_keys", path)
	case p.AdminKey == "":
		return p, fmt.Errorf("loadgen: plan %s has no admin_key", path)
	}
	if len(p.Queries) == 0 {
		p.Queries = []string{"spanish"}
	}
	return p, nil
}

// Kind is one kind of request in a mix.
type Kind string

// The kinds of request: a recruiter's candidates list without and with
// text narrowing, a clinician's roles, one pair explained, and a write (a
// pipeline entry set by the recruiter).
const (
	Candidates     Kind = "candidates"
	CandidatesText Kind = "candidates_q"
	Roles          Kind = "roles"
	Explain        Kind = "explain"
	Write          Kind = "write"
)

var kinds = []Kind{Candidates, CandidatesText, Roles, Explain, Write}

// Scenario is a named mix of request kinds with integer weights.
type Scenario struct {
	Name string
	Mix  map[Kind]int
}

// ParseScenario reads "NAME=KIND:W,KIND:W" (a lone KIND weighs 1); it
// returns an error naming an unknown kind or a bad weight.
func ParseScenario(s string) (Scenario, error) {
	name, spec, ok := strings.Cut(s, "=")
	if !ok || name == "" || spec == "" {
		return Scenario{}, fmt.Errorf("scenario %q: want NAME=KIND:WEIGHT,…", s)
	}
	sc := Scenario{Name: name, Mix: map[Kind]int{}}
	for _, part := range strings.Split(spec, ",") {
		k, w, has := strings.Cut(part, ":")
		weight := 1
		if has {
			n, err := strconv.Atoi(w)
			if err != nil || n <= 0 {
				return Scenario{}, fmt.Errorf("scenario %q: weight %q is not a positive integer", s, w)
			}
			weight = n
		}
		if !knownKind(Kind(k)) {
			return Scenario{}, fmt.Errorf("scenario %q: unknown kind %q (kinds: %v)", s, k, kinds)
		}
		sc.Mix[Kind(k)] += weight
	}
	return sc, nil
}

func knownKind(k Kind) bool {
	for _, x := range kinds {
		if x == k {
			return true
		}
	}
	return false
}

// String writes the scenario back as ParseScenario reads it.
func (s Scenario) String() string {
	var parts []string
	for _, k := range kinds {
		if w := s.Mix[k]; w > 0 {
			parts = append(parts, fmt.Sprintf("%s:%d", k, w))
		}
	}
	return s.Name + "=" + strings.Join(parts, ",")
}

// schedule spreads the mix's kinds over one cycle of sum(weights) slots,
// each kind at evenly spaced slots, so any window of the load holds the
// mix's proportions.
func (s Scenario) schedule() []Kind {
	type slot struct {
		at   float64
		kind Kind
	}
	var slots []slot
	for _, k := range kinds {
		w := s.Mix[k]
		for i := range w {
			slots = append(slots, slot{(float64(i) + 0.5) / float64(w), k})
		}
	}
	sort.SliceStable(slots, func(i, j int) bool { return slots[i].at < slots[j].at })
	out := make([]Kind, len(slots))
	for i, sl := range slots {
		out[i] = sl.kind
	}
	return out
}

// DefaultScenarios are each route alone and the mix of issue [12]: 55 %
// candidates, 10 % with text, 20 % roles, 10 % explains and 5 % writes.
func DefaultScenarios() []Scenario {
	return []Scenario{
		{"candidates", map[Kind]int{Candidates: 1}},
		{"candidates_q", map[Kind]int{CandidatesText: 1}},
		{"roles", map[Kind]int{Roles: 1}},
		{"mix", map[Kind]int{Candidates: 55, CandidatesText: 10, Roles: 20, Explain: 10, Write: 5}},
	}
}
