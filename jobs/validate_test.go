package jobs_test

import (
	"strings"
	"testing"
	"time"

	"carefit/internal/kit/domaintest"
	"carefit/internal/kit/errs/errstest"
	"carefit/internal/kit/factor"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
	"carefit/jobs/jobstest"
)

func TestPositionValidate(t *testing.T) {
	check := domaintest.Validation(t, jobstest.Position, func(p jobs.Position) error { return p.Validate(jobstest.Now) })
	check("valid", func(p *jobs.Position) {}, "")
	check("valid draft without expiry", func(p *jobs.Position) { p.Status = jobs.StatusDraft; p.ExpiresAt = nil }, "")
	check("valid unknown environment", func(p *jobs.Position) { p.Environment = jobs.Environment{} }, "")
	check("valid new id empty", func(p *jobs.Position) { p.ID = "" }, "")
	check("bad id", func(p *jobs.Position) { p.ID = "42" }, "id")
	check("missing org", func(p *jobs.Position) { p.OrgID = "" }, "org_id")
	check("bad location", func(p *jobs.Position) { p.LocationID = "nope" }, "location_id")
	check("empty title", func(p *jobs.Position) { p.Title = "" }, "title")
	check("blank title", func(p *jobs.Position) { p.Title = "   " }, "title")
	check("long title", func(p *jobs.Position) { p.Title = strings.Repeat("x", 201) }, "title")
	check("title 200 runes", func(p *jobs.Position) { p.Title = strings.Repeat("é", 200) }, "")
	check("title newline", func(p *jobs.Position) { p.Title = "a\nb" }, "title")
	check("description bell", func(p *jobs.Position) { p.Description = "ding\a" }, "description")
	check("description CR", func(p *jobs.Position) { p.Description = "a\r\nb" }, "description")
	check("long description", func(p *jobs.Position) { p.Description = strings.Repeat("x", 10001) }, "description")
	check("invalid utf8", func(p *jobs.Position) { p.Title = "\xff" }, "title")
	check("no credentials", func(p *jobs.Position) { p.Credentials = nil }, "credentials")
	check("bad credential", func(p *jobs.Position) { p.Credentials = append(p.Credentials, "LPN") }, "credentials[2]")
	check("dup credential", func(p *jobs.Position) { p.Credentials = append(p.Credentials, taxonomy.MD) }, "credentials[2]")
	check("no taxonomies", func(p *jobs.Position) { p.Taxonomies = nil }, "taxonomies")
	check("unknown taxonomy", func(p *jobs.Position) { p.Taxonomies[1] = "999999999X" }, "taxonomies[1]")
	check("taxonomy for other credential", func(p *jobs.Position) { p.Taxonomies[0] = "363LF0000X" }, "taxonomies[0]")
	check("too many taxonomies", func(p *jobs.Position) { p.Taxonomies = make([]string, 21) }, "taxonomies")
	check("no licence states", func(p *jobs.Position) { p.LicenceStates = nil }, "licence_states")
	check("bad licence state", func(p *jobs.Position) { p.LicenceStates = []string{"WI", "wi"} }, "licence_states[1]")
	check("dup licence state", func(p *jobs.Position) { p.LicenceStates = []string{"WI", "WI"} }, "licence_states[1]")
	check("bad employment type", func(p *jobs.Position) { p.EmploymentType = "gig" }, "employment_type")
	check("locum without duration", func(p *jobs.Position) { p.EmploymentType = taxonomy.EmploymentLocumTenens }, "duration_weeks")
	check("locum with duration", func(p *jobs.Position) {
		p.EmploymentType = taxonomy.EmploymentLocumTenens
		p.DurationWeeks = ptr(13)
	}, "")
	check("travel zero duration", func(p *jobs.Position) {
		p.EmploymentType = taxonomy.EmploymentTravel
		p.DurationWeeks = ptr(0)
	}, "duration_weeks")
	check("permanent with duration", func(p *jobs.Position) { p.DurationWeeks = ptr(13) }, "duration_weeks")
	check("no start date", func(p *jobs.Position) { p.StartDate = time.Time{} }, "start_date")
	check("start 1999", func(p *jobs.Position) { p.StartDate = time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC) }, "start_date")
	check("start far future", func(p *jobs.Position) { p.StartDate = jobstest.Now.AddDate(6, 0, 0) }, "start_date")
	check("days 0", func(p *jobs.Position) { p.Schedule.DaysPerWeek = 0 }, "schedule.days_per_week")
	check("days 8", func(p *jobs.Position) { p.Schedule.DaysPerWeek = 8 }, "schedule.days_per_week")
	check("bad shift", func(p *jobs.Position) { p.Schedule.Shift = "swing" }, "schedule.shift")
	check("fte 0", func(p *jobs.Position) { p.Schedule.FTE = 0 }, "schedule.fte")
	check("fte 1.1", func(p *jobs.Position) { p.Schedule.FTE = 1.1 }, "schedule.fte")
	check("fte 0.1", func(p *jobs.Position) { p.Schedule.FTE = 0.1 }, "")
	check("pay negative", func(p *jobs.Position) { p.Pay.Min = -1 }, "pay.min")
	check("pay min over max", func(p *jobs.Position) { p.Pay.Min = 400000 }, "pay.min")
	check("pay hourly too high", func(p *jobs.Position) { p.Pay.Period = jobs.PayHourly }, "pay.max")
	check("pay hourly ok", func(p *jobs.Position) { p.Pay = jobs.Pay{Min: 90, Max: 140, Period: jobs.PayHourly, Currency: "USD"} }, "")
	check("pay annual too high", func(p *jobs.Position) { p.Pay.Max = 6_000_000 }, "pay.max")
	check("pay bad period", func(p *jobs.Position) { p.Pay.Period = "weekly" }, "pay.period")
	check("pay currency", func(p *jobs.Position) { p.Pay.Currency = "EUR" }, "pay.currency")
	check("headcount 0", func(p *jobs.Position) { p.Headcount = 0 }, "headcount")
	check("bad status", func(p *jobs.Position) { p.Status = "paused" }, "status")
	check("open without expiry", func(p *jobs.Position) { p.ExpiresAt = nil }, "expires_at")
	check("open expired", func(p *jobs.Position) { p.ExpiresAt = ptr(jobstest.Now) }, "expires_at")
	check("closed expired ok", func(p *jobs.Position) {
		p.Status = jobs.StatusClosed
		p.ExpiresAt = ptr(jobstest.Now.AddDate(0, -1, 0))
	}, "")
	// fact checks a row that edits only the work environment, whose
	// problem has a path below "environment".
	fact := func(name string, edit func(e *jobs.Environment), field string) {
		t.Helper()
		check(name, func(p *jobs.Position) { edit(&p.Environment) }, "environment."+field)
	}
	fact("panel 6001", func(e *jobs.Environment) { e.PanelSize = ptr(6001) }, "panel_size")
	check("panel 0", func(p *jobs.Position) { p.Environment.PanelSize = ptr(0) }, "")
	fact("visit new 4", func(e *jobs.Environment) { e.VisitMinutesNew = ptr(4) }, "visit_minutes_new")
	fact("visit follow-up 121", func(e *jobs.Environment) { e.VisitMinutesFollowUp = ptr(121) }, "visit_minutes_follow_up")
	fact("patients/day 81", func(e *jobs.Environment) { e.PatientsPerDay = ptr(81) }, "patients_per_day")
	fact("continuity 101", func(e *jobs.Environment) { e.ContinuityRate = ptr(101.0) }, "continuity_rate")
	fact("continuity model", func(e *jobs.Environment) { e.ContinuityModel = ptr(taxonomy.ContinuityModel("pods")) }, "continuity_model")
	fact("ehr", func(e *jobs.Environment) { e.EHR = ptr(taxonomy.EHR("cerner")) }, "ehr")
	fact("inbox 2001", func(e *jobs.Environment) { e.InboxMessagesPerWeek = ptr(2001) }, "inbox_messages_per_week")
	fact("MAs 11", func(e *jobs.Environment) { e.MAsPerClinician = ptr(11.0) }, "mas_per_clinician")
	fact("telehealth -1", func(e *jobs.Environment) { e.TelehealthPct = ptr(-1.0) }, "telehealth_pct")
	fact("call 31", func(e *jobs.Environment) { e.CallOneInN = ptr(31) }, "call_one_in_n")
	fact("setting", func(e *jobs.Environment) { e.Setting = ptr(taxonomy.Setting("spa")) }, "setting")
	fact("population", func(e *jobs.Environment) { e.Population = ptr(taxonomy.Population("teens")) }, "population")
	fact("language", func(e *jobs.Environment) { e.LanguagesNeeded = []taxonomy.Language{"es", "xx"} }, "languages_needed[1]")
	fact("collaborative for MD", func(e *jobs.Environment) { e.CollaborativePractice = ptr(true) }, "collaborative_practice")
	check("collaborative for NP", func(p *jobs.Position) {
		p.Credentials = []taxonomy.Credential{taxonomy.NP}
		p.Taxonomies = []string{"363LF0000X"}
		p.Environment.CollaborativePractice = ptr(true)
	}, "")
	fact("patients per nurse for MD", func(e *jobs.Environment) { e.PatientsPerNurse = ptr(4) }, "patients_per_nurse")
	check("patients per nurse 21", func(p *jobs.Position) {
		p.Credentials = []taxonomy.Credential{taxonomy.RN}
		p.Taxonomies = []string{"163W00000X"}
		p.Environment.PatientsPerNurse = ptr(21)
	}, "environment.patients_per_nurse")
	check("min years 61", func(p *jobs.Position) { p.Wants.MinYears = ptr(61) }, "wants.min_years")
	check("wants ehr", func(p *jobs.Position) { p.Wants.EHRExperienceWanted = []taxonomy.EHR{"paper"} }, "wants.ehr_experience_wanted[0]")
	check("wants language", func(p *jobs.Position) { p.Wants.LanguagesWanted = []taxonomy.Language{"ES"} }, "wants.languages_wanted[0]")
	check("must-have wants", func(p *jobs.Position) {
		p.Wants = jobs.Wants{MinYears: ptr(5), BoardCertRequired: ptr(true), LanguagesWanted: []taxonomy.Language{"es"},
			EHRExperienceWanted: []taxonomy.EHR{taxonomy.EHREpic},
			MustHave:            []factor.Name{factor.Experience, factor.BoardCertification, factor.Languages, factor.EHRExperience}}
	}, "")
	check("must-have of a clinician factor", func(p *jobs.Position) { p.Wants.MustHave = []factor.Name{factor.Pay} }, "wants.must_have[0]")
	check("must-have repeated", func(p *jobs.Position) {
		p.Wants.MinYears, p.Wants.MustHave = ptr(3), []factor.Name{factor.Experience, factor.Experience}
	}, "wants.must_have[1]")
	check("must-have of zero years", func(p *jobs.Position) {
		p.Wants.MinYears, p.Wants.MustHave = ptr(0), []factor.Name{factor.Experience}
	}, "wants.must_have[0]")
	check("must-have certification not required", func(p *jobs.Position) {
		p.Wants.BoardCertRequired, p.Wants.MustHave = ptr(false), []factor.Name{factor.BoardCertification}
	}, "wants.must_have[0]")
	check("must-have of no language", func(p *jobs.Position) {
		p.Wants.LanguagesWanted, p.Wants.MustHave = nil, []factor.Name{factor.Languages}
	}, "wants.must_have[0]")
}

// assertField is errstest.Field.
var assertField = errstest.Field

func ptr[T any](v T) *T { return &v }

// TestValidateNamesJSONPaths: a nested problem is reported under the
// JSON path of its field, as an Invalid error.
func TestValidateNamesJSONPaths(t *testing.T) {
	p := jobstest.Position()
	p.Pay.Min = -1
	assertField(t, p.Validate(jobstest.Now), "pay.min")
}
