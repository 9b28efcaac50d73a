package loadgen

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func writePlan(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "plan.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestReadPlan(t *testing.T) {
	const full = `{"base_url":"http://127.0.0.1:8080","admin_key":"adm",
		"recruiters":[{"key":"r1","positions":["p1","p2"]},{"key":"r2","positions":["p3"]}],
		"clinician_keys":["c1","c2"],"queries":["epic","pediatric"]}`
	for _, tc := range []struct {
		name    string
		body    string // written to a file; "" with missing means no file
		missing bool
		want    Plan
		wantErr string // a fragment of the error; "" for none
	}{
		{name: "full plan", body: full, want: Plan{BaseURL: "http://127.0.0.1:8080", AdminKey: "adm",
			Recruiters:    []Recruiter{{Key: "r1", Positions: []string{"p1", "p2"}}, {Key: "r2", Positions: []string{"p3"}}},
			ClinicianKeys: []string{"c1", "c2"}, Queries: []string{"epic", "pediatric"}}},
		{name: "queries default to spanish", body: `{"base_url":"http://x","admin_key":"a",
			"recruiters":[{"key":"r","positions":["p"]}],"clinician_keys":["c"]}`,
			want: Plan{BaseURL: "http://x", AdminKey: "a", Recruiters: []Recruiter{{Key: "r", Positions: []string{"p"}}},
				ClinicianKeys: []string{"c"}, Queries: []string{"spanish"}}},
		{name: "empty queries default too", body: `{"base_url":"http://x","admin_key":"a",
			"recruiters":[{"key":"r"}],"clinician_keys":["c"],"queries":[]}`,
			want: Plan{BaseURL: "http://x", AdminKey: "a", Recruiters: []Recruiter{{Key: "r"}},
				ClinicianKeys: []string{"c"}, Queries: []string{"spanish"}}},
		{name: "trailing slashes are dropped", body: `{"base_url":"http://x:8080//","admin_key":"a",
			"recruiters":[{"key":"r","positions":["p"]}],"clinician_keys":["c"],"queries":["q"]}`,
			want: Plan{BaseURL: "http://x:8080", AdminKey: "a", Recruiters: []Recruiter{{Key: "r", Positions: []string{"p"}}},
				ClinicianKeys: []string{"c"}, Queries: []string{"q"}}},
		{name: "a base path is kept", body: `{"base_url":"http://x/carefit/","admin_key":"a",
			"recruiters":[{"key":"r","positions":["p"]}],"clinician_keys":["c"],"queries":["q"]}`,
			want: Plan{BaseURL: "http://x/carefit", AdminKey: "a", Recruiters: []Recruiter{{Key: "r", Positions: []string{"p"}}},
				ClinicianKeys: []string{"c"}, Queries: []string{"q"}}},
		{name: "a slash is no server", body: `{"base_url":"/","admin_key":"a",
			"recruiters":[{"key":"r","positions":["p"]}],"clinician_keys":["c"]}`, wantErr: "no base_url"},
		{name: "no file", missing: true, wantErr: "read plan"},
		{name: "not JSON", body: `base_url: http://x`, wantErr: "plan "},
		{name: "truncated JSON", body: full[:40], wantErr: "plan "},
		{name: "wrong type", body: `{"base_url":"http://x","admin_key":"a","recruiters":"r1","clinician_keys":["c"]}`, wantErr: "plan "},
		{name: "empty object", body: `{}`, wantErr: "no base_url"},
		{name: "null", body: `null`, wantErr: "no base_url"},
		{name: "no recruiters", body: `{"base_url":"http://x","admin_key":"a","clinician_keys":["c"]}`,
			wantErr: "needs recruiters and clinician_keys"},
		{name: "no clinician keys", body: `{"base_url":"http://x","admin_key":"a","recruiters":[{"key":"r","positions":["p"]}]}`,
			wantErr: "needs recruiters and clinician_keys"},
		{name: "no admin key", body: `{"base_url":"http://x","recruiters":[{"key":"r","positions":["p"]}],"clinician_keys":["c"]}`,
			wantErr: "no admin_key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "absent.json")
			if !tc.missing {
				path = writePlan(t, tc.body)
			}
			got, err := ReadPlan(path)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("ReadPlan = %+v, nil; want an error with %q", got, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %q does not say %q", err, tc.wantErr)
				}
				if !tc.missing && !strings.Contains(err.Error(), path) && !strings.Contains(err.Error(), "read plan") {
					t.Errorf("error %q does not name the file %s", err, path)
				}
				return
			}
			if err != nil {
				t.Fatalf("ReadPlan: %v", err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ReadPlan =\n%+v\nwant\n%+v", got, tc.want)
			}
		})
	}
}

func TestParseScenario(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    Scenario
		wantErr string
	}{
		{in: "c=candidates", want: Scenario{"c", map[Kind]int{Candidates: 1}}},
		{in: "mix=candidates:55,candidates_q:10,roles:20,explain:10,write:5",
			want: Scenario{"mix", map[Kind]int{Candidates: 55, CandidatesText: 10, Roles: 20, Explain: 10, Write: 5}}},
		{in: "m=roles,write:3", want: Scenario{"m", map[Kind]int{Roles: 1, Write: 3}}},
		{in: "dup=roles:2,roles:3,roles", want: Scenario{"dup", map[Kind]int{Roles: 6}}},
		{in: "a=b=roles", wantErr: `unknown kind "b=roles"`},
		{in: "candidates", wantErr: "want NAME=KIND"},
		{in: "=candidates", wantErr: "want NAME=KIND"},
		{in: "x=", wantErr: "want NAME=KIND"},
		{in: "", wantErr: "want NAME=KIND"},
		{in: "x=bogus", wantErr: `unknown kind "bogus"`},
		{in: "x=candidates:2,Roles:1", wantErr: `unknown kind "Roles"`},
		{in: "x=candidates, roles", wantErr: `unknown kind " roles"`},
		{in: "x=candidates,,roles", wantErr: `unknown kind ""`},
		{in: "x=candidates:0", wantErr: `weight "0"`},
		{in: "x=candidates:-2", wantErr: `weight "-2"`},
		{in: "x=candidates:", wantErr: `weight ""`},
		{in: "x=candidates:1.5", wantErr: `weight "1.5"`},
		{in: "x=candidates:many", wantErr: `weight "many"`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseScenario(tc.in)
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseScenario(%q) = %+v, nil; want an error with %q", tc.in, got, tc.wantErr)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("ParseScenario(%q) error %q does not say %q", tc.in, err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseScenario(%q): %v", tc.in, err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("ParseScenario(%q) = %+v, want %+v", tc.in, got, tc.want)
			}
		})
	}
}

// An unknown kind's error lists the kinds there are, so the user can pick one.
func TestParseScenarioUnknownKindListsKinds(t *testing.T) {
	_, err := ParseScenario("x=search")
	if err == nil {
		t.Fatal("no error for an unknown kind")
	}
	for _, k := range []Kind{Candidates, CandidatesText, Roles, Explain, Write} {
		if !strings.Contains(err.Error(), string(k)) {
			t.Errorf("error %q does not list kind %q", err, k)
		}
	}
}

func TestScenarioStringRoundTrips(t *testing.T) {
	scs := append(DefaultScenarios(),
		Scenario{"two", map[Kind]int{Write: 2, Roles: 7}},
		Scenario{"zero weights dropped", map[Kind]int{Explain: 0, CandidatesText: 3}},
	)
	for _, sc := range scs {
		t.Run(sc.Name, func(t *testing.T) {
			s := sc.String()
			if !strings.HasPrefix(s, sc.Name+"=") {
				t.Errorf("String() = %q, want it to start with %q", s, sc.Name+"=")
			}
			back, err := ParseScenario(s)
			if err != nil {
				t.Fatalf("ParseScenario(%q): %v", s, err)
			}
			want := map[Kind]int{}
			for k, w := range sc.Mix {
				if w > 0 {
					want[k] = w
				}
			}
			if back.Name != sc.Name || !reflect.DeepEqual(back.Mix, want) {
				t.Errorf("ParseScenario(%q) = %+v, want %s with %v", s, back, sc.Name, want)
			}
			if again := back.String(); again != s {
				t.Errorf("String is not stable: %q then %q", s, again)
			}
		})
	}
}

func TestDefaultScenarios(t *testing.T) {
	got := map[string]map[Kind]int{}
	for _, sc := range DefaultScenarios() {
		got[sc.Name] = sc.Mix
	}
	// Each route alone, and issue [12]'s mix in percent.
	want := map[string]map[Kind]int{
		"candidates":   {Candidates: 1},
		"candidates_q": {CandidatesText: 1},
		"roles":        {Roles: 1},
		"mix":          {Candidates: 55, CandidatesText: 10, Roles: 20, Explain: 10, Write: 5},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("DefaultScenarios = %v, want %v", got, want)
	}
	// They must survive the -scenario flag's syntax.
	for _, sc := range DefaultScenarios() {
		if _, err := ParseScenario(sc.String()); err != nil {
			t.Errorf("default scenario %s does not parse back: %v", sc.Name, err)
		}
	}
}

// schedule lays one cycle of sum(weights) slots holding each kind exactly
// its weight's times, and spreads them so every window of the cycle (and
// of the cycle repeated, as the targeter walks it) holds close to the mix's
// proportions: no kind is off by more than two requests in any window.
func TestScheduleProportions(t *testing.T) {
	mixes := []Scenario{
		{"mix", map[Kind]int{Candidates: 55, CandidatesText: 10, Roles: 20, Explain: 10, Write: 5}},
		{"alone", map[Kind]int{Roles: 1}},
		{"even", map[Kind]int{Candidates: 1, CandidatesText: 1, Roles: 1, Explain: 1, Write: 1}},
		{"skewed", map[Kind]int{Candidates: 97, Write: 3}},
		{"odd", map[Kind]int{Candidates: 7, CandidatesText: 5, Roles: 3, Explain: 2, Write: 1}},
		{"heavy write", map[Kind]int{Write: 9, Explain: 1}},
	}
	for _, sc := range mixes {
		t.Run(sc.Name, func(t *testing.T) {
			s := sc.schedule()
			total := 0
			for _, w := range sc.Mix {
				total += w
			}
			if len(s) != total {
				t.Fatalf("schedule has %d slots, want sum of weights %d", len(s), total)
			}
			count := map[Kind]int{}
			for _, k := range s {
				count[k]++
			}
			if !reflect.DeepEqual(count, sc.Mix) {
				t.Errorf("one cycle holds %v, want the weights %v", count, sc.Mix)
			}
			worst, at := 0.0, ""
			for l := 1; l <= total; l++ {
				for start := range total {
					in := map[Kind]int{}
					for j := range l {
						in[s[(start+j)%total]]++
					}
					for k, w := range sc.Mix {
						if d := math.Abs(float64(in[k]) - float64(l*w)/float64(total)); d > worst {
							worst, at = d, fmt.Sprintf("%s in %d slots from %d", k, l, start)
						}
					}
				}
			}
			if worst > 2 {
				t.Errorf("schedule %v is off the mix by %.2f requests (%s)", s, worst, at)
			}
		})
	}
}

// A schedule is a pure function of the mix: the same mix twice lays the
// same slots (the targeter relies on it being computed once per step).
func TestScheduleIsDeterministic(t *testing.T) {
	sc := DefaultScenarios()[3]
	a, b := sc.schedule(), sc.schedule()
	if !slices.Equal(a, b) {
		t.Errorf("two schedules of %s differ", sc)
	}
}
