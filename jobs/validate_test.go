package jobs_test

import (
	"strings"
	"testing"
	"time"

	"carefit/internal/kit/errs/errstest"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
	"carefit/jobs/jobstest"
)

func ptr[T any](v T) *T { return &v }

func TestPositionValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *jobs.Position)
		field  string // "" means valid
	}{
		{"valid", func(p *jobs.Position) {}, ""},
		{"valid draft without expiry", func(p *jobs.Position) { p.Status = jobs.StatusDraft; p.ExpiresAt = nil }, ""},
		{"valid unknown environment", func(p *jobs.Position) { p.Environment = jobs.Environment{} }, ""},
		{"valid new id empty", func(p *jobs.Position) { p.ID = "" }, ""},
		{"bad id", func(p *jobs.Position) { p.ID = "42" }, "id"},
		{"missing org", func(p *jobs.Position) { p.OrgID = "" }, "org_id"},
		{"bad location", func(p *jobs.Position) { p.LocationID = "nope" }, "location_id"},
		{"empty title", func(p *jobs.Position) { p.Title = "" }, "title"},
		{"blank title", func(p *jobs.Position) { p.Title = "   " }, "title"},
		{"long title", func(p *jobs.Position) { p.Title = strings.Repeat("x", 201) }, "title"},
		{"title 200 runes", func(p *jobs.Position) { p.Title = strings.Repeat("é", 200) }, ""},
		{"title newline", func(p *jobs.Position) { p.Title = "a\nb" }, "title"},
		{"description bell", func(p *jobs.Position) { p.Description = "ding\a" }, "description"},
		{"description CR", func(p *jobs.Position) { p.Description = "a\r\nb" }, "description"},
		{"long description", func(p *jobs.Position) { p.Description = strings.Repeat("x", 10001) }, "description"},
		{"invalid utf8", func(p *jobs.Position) { p.Title = "\xff" }, "title"},
		{"no credentials", func(p *jobs.Position) { p.Credentials = nil }, "credentials"},
		{"bad credential", func(p *jobs.Position) { p.Credentials = append(p.Credentials, "LPN") }, "credentials[2]"},
		{"dup credential", func(p *jobs.Position) { p.Credentials = append(p.Credentials, taxonomy.MD) }, "credentials[2]"},
		{"no taxonomies", func(p *jobs.Position) { p.Taxonomies = nil }, "taxonomies"},
		{"unknown taxonomy", func(p *jobs.Position) { p.Taxonomies[1] = "999999999X" }, "taxonomies[1]"},
		{"taxonomy for other credential", func(p *jobs.Position) { p.Taxonomies[0] = "363LF0000X" }, "taxonomies[0]"},
		{"too many taxonomies", func(p *jobs.Position) { p.Taxonomies = make([]string, 21) }, "taxonomies"},
		{"no licence states", func(p *jobs.Position) { p.LicenceStates = nil }, "licence_states"},
		{"bad licence state", func(p *jobs.Position) { p.LicenceStates = []string{"WI", "wi"} }, "licence_states[1]"},
		{"dup licence state", func(p *jobs.Position) { p.LicenceStates = []string{"WI", "WI"} }, "licence_states[1]"},
		{"bad employment type", func(p *jobs.Position) { p.EmploymentType = "gig" }, "employment_type"},
		{"locum without duration", func(p *jobs.Position) { p.EmploymentType = taxonomy.EmploymentLocumTenens }, "duration_weeks"},
		{"locum with duration", func(p *jobs.Position) {
			p.EmploymentType = taxonomy.EmploymentLocumTenens
			p.DurationWeeks = ptr(13)
		}, ""},
		{"travel zero duration", func(p *jobs.Position) {
			p.EmploymentType = taxonomy.EmploymentTravel
			p.DurationWeeks = ptr(0)
		}, "duration_weeks"},
		{"permanent with duration", func(p *jobs.Position) { p.DurationWeeks = ptr(13) }, "duration_weeks"},
		{"no start date", func(p *jobs.Position) { p.StartDate = time.Time{} }, "start_date"},
		{"start 1999", func(p *jobs.Position) { p.StartDate = time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC) }, "start_date"},
		{"start far future", func(p *jobs.Position) { p.StartDate = jobstest.Now.AddDate(6, 0, 0) }, "start_date"},
		{"days 0", func(p *jobs.Position) { p.Schedule.DaysPerWeek = 0 }, "schedule.days_per_week"},
		{"days 8", func(p *jobs.Position) { p.Schedule.DaysPerWeek = 8 }, "schedule.days_per_week"},
		{"bad shift", func(p *jobs.Position) { p.Schedule.Shift = "swing" }, "schedule.shift"},
		{"fte 0", func(p *jobs.Position) { p.Schedule.FTE = 0 }, "schedule.fte"},
		{"fte 1.1", func(p *jobs.Position) { p.Schedule.FTE = 1.1 }, "schedule.fte"},
		{"fte 0.1", func(p *jobs.Position) { p.Schedule.FTE = 0.1 }, ""},
		{"pay negative", func(p *jobs.Position) { p.Pay.Min = -1 }, "pay.min"},
		{"pay min over max", func(p *jobs.Position) { p.Pay.Min = 400000 }, "pay.min"},
		{"pay hourly too high", func(p *jobs.Position) { p.Pay.Period = jobs.PayHourly }, "pay.max"},
		{"pay hourly ok", func(p *jobs.Position) { p.Pay = jobs.Pay{Min: 90, Max: 140, Period: jobs.PayHourly, Currency: "USD"} }, ""},
		{"pay annual too high", func(p *jobs.Position) { p.Pay.Max = 6_000_000 }, "pay.max"},
		{"pay bad period", func(p *jobs.Position) { p.Pay.Period = "weekly" }, "pay.period"},
		{"pay currency", func(p *jobs.Position) { p.Pay.Currency = "EUR" }, "pay.currency"},
		{"headcount 0", func(p *jobs.Position) { p.Headcount = 0 }, "headcount"},
		{"bad status", func(p *jobs.Position) { p.Status = "paused" }, "status"},
		{"open without expiry", func(p *jobs.Position) { p.ExpiresAt = nil }, "expires_at"},
		{"open expired", func(p *jobs.Position) { p.ExpiresAt = ptr(jobstest.Now) }, "expires_at"},
		{"closed expired ok", func(p *jobs.Position) {
			p.Status = jobs.StatusClosed
			p.ExpiresAt = ptr(jobstest.Now.AddDate(0, -1, 0))
		}, ""},
		{"panel 6001", func(p *jobs.Position) { p.Environment.PanelSize = ptr(6001) }, "environment.panel_size"},
		{"panel 0", func(p *jobs.Position) { p.Environment.PanelSize = ptr(0) }, ""},
		{"visit new 4", func(p *jobs.Position) { p.Environment.VisitMinutesNew = ptr(4) }, "environment.visit_minutes_new"},
		{"visit follow-up 121", func(p *jobs.Position) { p.Environment.VisitMinutesFollowUp = ptr(121) }, "environment.visit_minutes_follow_up"},
		{"patients/day 81", func(p *jobs.Position) { p.Environment.PatientsPerDay = ptr(81) }, "environment.patients_per_day"},
		{"continuity 101", func(p *jobs.Position) { p.Environment.ContinuityRate = ptr(101.0) }, "environment.continuity_rate"},
		{"continuity model", func(p *jobs.Position) {
			p.Environment.ContinuityModel = ptr(taxonomy.ContinuityModel("pods"))
		}, "environment.continuity_model"},
		{"ehr", func(p *jobs.Position) { p.Environment.EHR = ptr(taxonomy.EHR("cerner")) }, "environment.ehr"},
		{"inbox 2001", func(p *jobs.Position) { p.Environment.InboxMessagesPerWeek = ptr(2001) }, "environment.inbox_messages_per_week"},
		{"MAs 11", func(p *jobs.Position) { p.Environment.MAsPerClinician = ptr(11.0) }, "environment.mas_per_clinician"},
		{"telehealth -1", func(p *jobs.Position) { p.Environment.TelehealthPct = ptr(-1.0) }, "environment.telehealth_pct"},
		{"call 31", func(p *jobs.Position) { p.Environment.CallOneInN = ptr(31) }, "environment.call_one_in_n"},
		{"setting", func(p *jobs.Position) { p.Environment.Setting = ptr(taxonomy.Setting("spa")) }, "environment.setting"},
		{"population", func(p *jobs.Position) { p.Environment.Population = ptr(taxonomy.Population("teens")) }, "environment.population"},
		{"language", func(p *jobs.Position) { p.Environment.LanguagesNeeded = []taxonomy.Language{"es", "xx"} }, "environment.languages_needed[1]"},
		{"collaborative for MD", func(p *jobs.Position) { p.Environment.CollaborativePractice = ptr(true) }, "environment.collaborative_practice"},
		{"collaborative for NP", func(p *jobs.Position) {
			p.Credentials = []taxonomy.Credential{taxonomy.NP}
			p.Taxonomies = []string{"363LF0000X"}
			p.Environment.CollaborativePractice = ptr(true)
		}, ""},
		{"patients per nurse for MD", func(p *jobs.Position) { p.Environment.PatientsPerNurse = ptr(4) }, "environment.patients_per_nurse"},
		{"patients per nurse 21", func(p *jobs.Position) {
			p.Credentials = []taxonomy.Credential{taxonomy.RN}
			p.Taxonomies = []string{"163W00000X"}
			p.Environment.PatientsPerNurse = ptr(21)
		}, "environment.patients_per_nurse"},
		{"min years 61", func(p *jobs.Position) { p.Wants.MinYears = ptr(61) }, "wants.min_years"},
		{"wants ehr", func(p *jobs.Position) { p.Wants.EHRExperienceWanted = []taxonomy.EHR{"paper"} }, "wants.ehr_experience_wanted[0]"},
		{"wants language", func(p *jobs.Position) { p.Wants.LanguagesWanted = []taxonomy.Language{"ES"} }, "wants.languages_wanted[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := jobstest.Position()
			tc.mutate(&p)
			err := p.Validate(jobstest.Now)
			assertField(t, err, tc.field)
		})
	}
}

// assertField is errstest.Field.
var assertField = errstest.Field

// TestValidateNamesJSONPaths: a nested problem is reported under the
// JSON path of its field, as an Invalid error.
func TestValidateNamesJSONPaths(t *testing.T) {
	p := jobstest.Position()
	p.Pay.Min = -1
	assertField(t, p.Validate(jobstest.Now), "pay.min")
}
