package candidates_test

import (
	"strings"
	"testing"
	"time"

	"carefit/candidates"
	"carefit/candidates/candidatestest"
	"carefit/internal/kit/domaintest"
	"carefit/internal/kit/errs/errstest"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
)

func ptr[T any](v T) *T { return &v }

func TestProfileValidate(t *testing.T) {
	check := domaintest.Validation(t, candidatestest.Profile, func(p candidates.Profile) error { return p.Validate(candidatestest.Now) })
	check("valid", func(p *candidates.Profile) {}, "")
	check("valid minimal wishes", func(p *candidates.Profile) {
		p.Wishes = candidates.Wishes{}
		p.Importance = nil
		p.Schedule = candidates.ScheduleWish{}
	}, "")
	check("valid RN without NPI", candidatestest.Nurse, "")
	check("bad id", func(p *candidates.Profile) { p.ID = "abc" }, "id")
	check("no given name", func(p *candidates.Profile) { p.Name.Given = "" }, "name.given")
	check("long family name", func(p *candidates.Profile) { p.Name.Family = strings.Repeat("x", 201) }, "name.family")
	check("control char in name", func(p *candidates.Profile) { p.Name.Given = "A\x00na" }, "name.given")
	check("no email", func(p *candidates.Profile) { p.Contact.Email = "" }, "contact.email")
	check("bad email", func(p *candidates.Profile) { p.Contact.Email = "ana at example.org" }, "contact.email")
	check("bad phone", func(p *candidates.Profile) { p.Contact.Phone = "(414) 555-0123" }, "contact.phone")
	check("no phone ok", func(p *candidates.Profile) { p.Contact.Phone = "" }, "")
	check("bad credential", func(p *candidates.Profile) { p.Credential = "LPN" }, "credential")
	check("MD without NPI", func(p *candidates.Profile) { p.NPI = "" }, "npi")
	check("NPI 1234567890", func(p *candidates.Profile) { p.NPI = "1234567890" }, "npi")
	check("NPI 1234567893", func(p *candidates.Profile) { p.NPI = "1234567893" }, "")
	check("RN with bad NPI", func(p *candidates.Profile) { candidatestest.Nurse(p); p.NPI = "123" }, "npi")
	check("no taxonomies", func(p *candidates.Profile) { p.Taxonomies = nil }, "taxonomies")
	check("unknown taxonomy", func(p *candidates.Profile) { p.Taxonomies = []string{"207Q00000X", "ZZZZZZZZZX"} }, "taxonomies[1]")
	check("NP code on MD", func(p *candidates.Profile) { p.Taxonomies = []string{"363LF0000X"} }, "taxonomies[0]")
	check("dup taxonomy", func(p *candidates.Profile) { p.Taxonomies = []string{"207Q00000X", "207Q00000X"} }, "taxonomies[1]")
	check("board name missing", func(p *candidates.Profile) { p.BoardCertifications[0].Board = "" }, "board_certifications[0].board")
	check("board specialty", func(p *candidates.Profile) { p.BoardCertifications[0].Specialty = "163W00000X" }, "board_certifications[0].specialty")
	check("board lifetime", func(p *candidates.Profile) { p.BoardCertifications[0].Expires = nil }, "")
	check("licence state", func(p *candidates.Profile) { p.Licences[0].State = "Wisconsin" }, "licences[0].state")
	check("licence number chars", func(p *candidates.Profile) { p.Licences[0].Number = "12 345" }, "licences[0].number")
	check("licence number long", func(p *candidates.Profile) { p.Licences[0].Number = strings.Repeat("1", 41) }, "licences[0].number")
	check("licence no expiry", func(p *candidates.Profile) { p.Licences[0].Expires = time.Time{} }, "licences[0].expires")
	check("licence expired ok", func(p *candidates.Profile) { p.Licences[0].Expires = candidatestest.Day(2020, 1, 1) }, "")
	check("licence dup", func(p *candidates.Profile) { p.Licences = append(p.Licences, p.Licences[0]) }, "licences[1]")
	check("multistate MD", func(p *candidates.Profile) { p.Licences[0].Multistate = true }, "licences[0].multistate")
	check("multistate RN compact", func(p *candidates.Profile) { candidatestest.Nurse(p); p.Licences[0].Multistate = true }, "")
	check("multistate RN non-compact", func(p *candidates.Profile) {
		candidatestest.Nurse(p)
		p.Licences[0] = candidates.Licence{State: "CA", Number: "95000001", Expires: candidatestest.Day(2027, 1, 1), Multistate: true}
	}, "licences[0].multistate")
	check("years 61", func(p *candidates.Profile) { p.YearsExperience = 61 }, "years_experience")
	check("years -1", func(p *candidates.Profile) { p.YearsExperience = -1 }, "years_experience")
	check("language", func(p *candidates.Profile) { p.Languages = []taxonomy.Language{"en", "english"} }, "languages[1]")
	check("ehr used", func(p *candidates.Profile) { p.EHRsUsed = []taxonomy.EHR{"cerner"} }, "ehrs_used[0]")
	check("ehr used and avoided", func(p *candidates.Profile) { p.EHRsAvoid = []taxonomy.EHR{taxonomy.EHREpic} }, "ehrs_avoid[0]")
	check("home state", func(p *candidates.Profile) { p.Home.State = "" }, "home.state")
	check("home lat", func(p *candidates.Profile) { p.Home.Lat = -91 }, "home.lat")
	check("home lng", func(p *candidates.Profile) { p.Home.Lng = 181 }, "home.lng")
	check("home missing coords", func(p *candidates.Profile) { p.Home.Lat, p.Home.Lng = 0, 0 }, "home.lat")
	check("home zip", func(p *candidates.Profile) { p.Home.PostalCode = "ABCDE" }, "home.postal_code")
	check("commute 501", func(p *candidates.Profile) { p.MaxCommuteMiles = 501 }, "max_commute_miles")
	check("commute 0 ok", func(p *candidates.Profile) { p.MaxCommuteMiles = 0 }, "")
	check("move state", func(p *candidates.Profile) { p.WillingToMoveStates = []string{"MN", "ZZ"} }, "willing_to_move_states[1]")
	check("available missing", func(p *candidates.Profile) { p.AvailableFrom = time.Time{} }, "available_from")
	check("available 1999", func(p *candidates.Profile) { p.AvailableFrom = candidatestest.Day(1999, 1, 1) }, "available_from")
	check("no employment types", func(p *candidates.Profile) { p.EmploymentTypes = nil }, "employment_types")
	check("bad employment type", func(p *candidates.Profile) { p.EmploymentTypes = []taxonomy.EmploymentType{"gig"} }, "employment_types[0]")
	check("max days 8", func(p *candidates.Profile) { p.Schedule.MaxDaysPerWeek = ptr(8) }, "schedule.max_days_per_week")
	check("shift", func(p *candidates.Profile) { p.Schedule.Shifts = []taxonomy.Shift{"swing"} }, "schedule.shifts[0]")
	check("fte min > max", func(p *candidates.Profile) { p.Schedule.FTEMin = ptr(1.0); p.Schedule.FTEMax = ptr(0.5) }, "schedule.fte_min")
	check("fte max 1.2", func(p *candidates.Profile) { p.Schedule.FTEMax = ptr(1.2) }, "schedule.fte_max")
	check("pay floor negative", func(p *candidates.Profile) { p.PayFloor.Annual = ptr(-1.0) }, "pay_floor.annual")
	check("pay floor hourly huge", func(p *candidates.Profile) { p.PayFloor.Hourly = ptr(250000.0) }, "pay_floor.hourly")
	check("panel max", func(p *candidates.Profile) { p.Wishes.PanelMax = ptr(7000) }, "wishes.panel_max")
	check("visit new", func(p *candidates.Profile) { p.Wishes.VisitMinNew = ptr(200) }, "wishes.visit_min_new")
	check("visit follow-up", func(p *candidates.Profile) { p.Wishes.VisitMinFollowUp = ptr(1) }, "wishes.visit_min_follow_up")
	check("patients/day", func(p *candidates.Profile) { p.Wishes.PatientsPerDayMax = ptr(90) }, "wishes.patients_per_day_max")
	check("continuity min", func(p *candidates.Profile) { p.Wishes.ContinuityMin = ptr(120.0) }, "wishes.continuity_min")
	check("continuity model", func(p *candidates.Profile) {
		p.Wishes.ContinuityModels = []taxonomy.ContinuityModel{"pods"}
	}, "wishes.continuity_models[0]")
	check("inbox", func(p *candidates.Profile) { p.Wishes.InboxMax = ptr(-1) }, "wishes.inbox_max")
	check("MAs", func(p *candidates.Profile) { p.Wishes.MAsMin = ptr(12.0) }, "wishes.mas_min")
	check("telehealth order", func(p *candidates.Profile) { p.Wishes.TelehealthMin = ptr(50.0) }, "wishes.telehealth_min")
	check("call 0", func(p *candidates.Profile) { p.Wishes.CallMaxOneInN = ptr(0) }, "wishes.call_max_one_in_n")
	check("no call with call", func(p *candidates.Profile) { p.Wishes.NoCall = ptr(true) }, "wishes.call_max_one_in_n")
	check("setting", func(p *candidates.Profile) { p.Wishes.Settings = []taxonomy.Setting{"home"} }, "wishes.settings[0]")
	check("population", func(p *candidates.Profile) { p.Wishes.Populations = []taxonomy.Population{"teens"} }, "wishes.populations[0]")
	check("patients per nurse MD", func(p *candidates.Profile) { p.Wishes.PatientsPerNurseMax = ptr(4) }, "wishes.patients_per_nurse_max")
	check("patients per nurse RN", func(p *candidates.Profile) { candidatestest.Nurse(p); p.Wishes.PatientsPerNurseMax = ptr(4) }, "")
	check("patients per nurse 0", func(p *candidates.Profile) { candidatestest.Nurse(p); p.Wishes.PatientsPerNurseMax = ptr(0) }, "wishes.patients_per_nurse_max")
	check("importance unknown", func(p *candidates.Profile) { p.Importance["vibes"] = 1 }, "importance.vibes")
	check("importance 4 is a must-have", func(p *candidates.Profile) { p.Importance[factor.Pay] = candidates.MustHave }, "")
	check("importance 5", func(p *candidates.Profile) { p.Importance[factor.Pay] = 5 }, "importance.pay")
	check("place cannot be a must-have", func(p *candidates.Profile) { p.Importance[factor.Place] = candidates.MustHave }, "importance.place")
	check("place at 3", func(p *candidates.Profile) { p.Importance[factor.Place] = 3 }, "")
	check("importance employer side", func(p *candidates.Profile) { p.Importance[factor.Experience] = 2 }, "importance.experience")
}

// assertField is errstest.Field.
var assertField = errstest.Field

func TestLicensedIn(t *testing.T) {
	start := candidatestest.Day(2026, 6, 1)
	tests := []struct {
		name     string
		cred     taxonomy.Credential
		licences []candidates.Licence
		state    string
		want     bool
	}{
		{"same state", taxonomy.MD, []candidates.Licence{{State: "WI", Expires: candidatestest.Day(2027, 1, 1)}}, "WI", true},
		{"other state", taxonomy.MD, []candidates.Licence{{State: "WI", Expires: candidatestest.Day(2027, 1, 1)}}, "IL", false},
		{"expires before start", taxonomy.MD, []candidates.Licence{{State: "WI", Expires: candidatestest.Day(2026, 5, 31)}}, "WI", false},
		{"expires on start", taxonomy.MD, []candidates.Licence{{State: "WI", Expires: candidatestest.Day(2026, 6, 1)}}, "WI", true},
		{"RN multistate compact", taxonomy.RN, []candidates.Licence{{State: "WI", Expires: candidatestest.Day(2027, 1, 1), Multistate: true}}, "TX", true},
		{"RN multistate into non-compact", taxonomy.RN, []candidates.Licence{{State: "WI", Expires: candidatestest.Day(2027, 1, 1), Multistate: true}}, "CA", false},
		{"RN single-state", taxonomy.RN, []candidates.Licence{{State: "WI", Expires: candidatestest.Day(2027, 1, 1)}}, "TX", false},
		{"MD flagged multistate", taxonomy.MD, []candidates.Licence{{State: "WI", Expires: candidatestest.Day(2027, 1, 1), Multistate: true}}, "TX", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := candidates.Profile{Credential: tc.cred, Licences: tc.licences}
			if got := p.LicensedIn(tc.state, start); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestRedacted(t *testing.T) {
	p := candidatestest.Profile()
	r := p.Redacted()
	if r.Contact != (candidates.Contact{}) {
		t.Errorf("contact: got %+v, want empty", r.Contact)
	}
	if got := r.Licences[0].Number; got != "" {
		t.Errorf("licence number: got %q, want empty", got)
	}
	if got, want := r.Licences[0].State, "WI"; got != want {
		t.Errorf("licence state: got %v, want %v", got, want)
	}
	if got, want := p.Licences[0].Number, "12345-20"; got != want {
		t.Errorf("original licence number: got %v, want %v (unchanged)", got, want)
	}
	if got, want := p.Contact.Email, "ana@example.org"; got != want {
		t.Errorf("original email: got %v, want %v (unchanged)", got, want)
	}
}
