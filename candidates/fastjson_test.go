package candidates_test

import (
	"reflect"
	"strings"
	"testing"

	"carefit/candidates"
	"carefit/candidates/candidatestest"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/ndjson"
	"carefit/internal/kit/taxonomy"
)

// seedProfile is the profile the fuzz seeds vary: it has nested objects,
// a list of objects, numbers, booleans, times, a map and null fields.
func seedProfile() candidates.Profile {
	return candidates.Profile{
		Name:       candidates.Name{Given: "Given1", Family: "Family"},
		Contact:    candidates.Contact{Email: "c1@example.org", Phone: "+14145550123"},
		Credential: taxonomy.DO, NPI: "1100000011", Taxonomies: []string{"207R00000X", "208M00000X"},
		Licences:        []candidates.Licence{{State: "MN", Number: "L1", Expires: candidatestest.Day(2028, 1, 2)}},
		YearsExperience: 1, Languages: []taxonomy.Language{"en"}, EHRsUsed: []taxonomy.EHR{taxonomy.EHREpic},
		Home:            candidates.Home{Lat: 30.01, Lng: -119.99, State: "MN", PostalCode: "53703"},
		MaxCommuteMiles: 6, WillingToMoveStates: []string{"IL"},
		AvailableFrom: candidatestest.Day(2026, 2, 1), EmploymentTypes: []taxonomy.EmploymentType{taxonomy.EmploymentPermanent},
		Schedule:            candidates.ScheduleWish{MaxDaysPerWeek: ptr(5), Shifts: []taxonomy.Shift{taxonomy.ShiftDay}},
		PayFloor:            candidates.PayFloor{Annual: ptr(101000.0)},
		Wishes:              candidates.Wishes{PanelMax: ptr(1501), VisitMinNew: ptr(31), ScribeWanted: ptr(false)},
		Importance:          map[factor.Name]int{factor.PanelSize: 1},
		VisibleToRecruiters: true,
	}
}

// fastSeeds are seedProfile's line and variants of it that the two
// decoders are known to treat differently, or that sit at the edge of
// JSON's grammar.
func fastSeeds(tb testing.TB) []string {
	base := candidatestest.Line(tb, seedProfile())
	repl := func(old, new string) string { return strings.Replace(base, old, new, 1) }
	return []string{
		base,
		repl(`"credential"`, `"CREDENTIAL"`),         // encoding/json matches keys case-insensitively
		repl(`{`, `{"credential":"MD",`),             // duplicate key: the last wins
		repl(`{`, `{"zzz":1,`),                       // unknown field
		repl(`"given"`, `"zzz":1,"given"`),           // unknown nested field
		repl(`"multistate"`, `"zzz":1,"multistate"`), // unknown field in a list element
		repl(`"years_experience":1`, `"years_experience":1.0`),
		repl(`"years_experience":1`, `"years_experience":1e0`),
		repl(`"years_experience":1`, `"years_experience":-0`),
		repl(`"years_experience":1`, `"years_experience":01`),
		repl(`"years_experience":1`, `"years_experience":+1`),
		repl(`"years_experience":1`, `"years_experience":99999999999999999999`),
		repl(`"years_experience":1`, `"years_experience":"1"`),
		repl(`"Family"`, "\"Fam\xffily\""), // invalid UTF-8
		repl(`"Family"`, `"Fam\u0000ily"`),
		repl(`"Family"`, `"Fam\ud800ily"`), // lone surrogate
		repl(`"Family"`, "\"Fam\tily\""),   // raw control character
		repl(`"Family"`, `"Fam\x41ily"`),
		base + ` {}`, base + `}`, base + `]`, base + `x`, base + `  `, " \t" + base + " \r",
		repl(`"credential":"DO"`, `"credential":null`),
		repl(`"visible_to_recruiters":true`, `"visible_to_recruiters":"true"`),
		repl(`"available_from":"`, `"available_from":"x`),
		repl(`"available_from":"2026-02-01T00:00:00Z"`, `"available_from":5`),
		repl(`"importance":{"panel_size":1}`, `"importance":{"panel_size":1.5}`),
		repl(`"importance":{"panel_size":1}`, `"importance":{"panel_size":1,"panel_size":2}`),
		repl(`"importance":{"panel_size":1}`, `"importance":{}`),
		`{}`, `[]`, `null`, ``,
	}
}

// FuzzFastDecodeAgrees checks that the import's fast decoder accepts only
// lines encoding/json accepts, and decodes them to the same profile.
func FuzzFastDecodeAgrees(f *testing.F) {
	for _, s := range fastSeeds(f) {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		var fast candidates.Profile
		if !candidates.DecodeProfileFast(line, &fast) {
			return
		}
		var std candidates.Profile
		if le := ndjson.DecodeLine(line, candidates.ProfileShadow(&std)); le != nil {
			t.Fatalf("the fast decoder accepted a line encoding/json rejects (%s: %s):\n%q", le.Field, le.Message, line)
		}
		if !reflect.DeepEqual(fast, std) {
			t.Fatalf("the decoders disagree on %q:\nfast %+v\nstd  %+v", line, fast, std)
		}
	})
}

// TestFastDecodeTakesGoodLines checks that profiles which between them
// state every field do take the fast path, and that the lines it must
// leave to encoding/json do not.
func TestFastDecodeTakesGoodLines(t *testing.T) {
	rn := candidatestest.Profile()
	candidatestest.Nurse(&rn)
	rn.Licences[0].Multistate, rn.PayFloor = true, candidates.PayFloor{Hourly: ptr(55.0)}
	w := &rn.Wishes
	w.VisitMinFollowUp, w.PatientsPerDayMax, w.InboxMax, w.MAsMin = ptr(20), ptr(18), ptr(120), ptr(1.5)
	w.ContinuityModels, w.Populations = []taxonomy.ContinuityModel{taxonomy.ContinuityTeamBased}, []taxonomy.Population{taxonomy.PopulationAdult}
	w.TeamBasedWanted, w.PatientsPerNurseMax = ptr(true), ptr(4)
	for i, good := range []candidates.Profile{seedProfile(), candidatestest.Profile(), rn, candidatestest.Importable()} {
		var p candidates.Profile
		if !candidates.DecodeProfileFast([]byte(candidatestest.Line(t, good)), &p) {
			t.Fatalf("profile %d did not take the fast path", i)
		}
	}
	base := fastSeeds(t)[0]
	for _, line := range []string{base + `}`, base + ` {}`, strings.Replace(base, `"Family"`, "\"Fam\tily\"", 1), ``} {
		var p candidates.Profile
		if candidates.DecodeProfileFast([]byte(line), &p) {
			t.Errorf("the fast path accepted %q", line[max(0, len(line)-20):])
		}
	}
}

func TestNumberLen(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"0", 1}, {"-0", 2}, {"12,", 2}, {"1.5}", 3}, {"-1.25e+10]", 9}, {"1E3", 3},
		{"00", 0}, {"01", 0}, {"1.", 0}, {"-", 0}, {"1e", 0}, {"1e+", 0}, {"--1", 0}, {"1.2.3", 0}, {"0x1", 1},
	}
	for _, tc := range tests {
		if got := candidates.NumberLen([]byte(tc.in)); got != tc.want {
			t.Errorf("candidates.NumberLen(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
