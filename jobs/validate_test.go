package jobs

import (
	"strings"
	"testing"
	"time"

	"carefit/internal/kit/errs/errstest"
	"carefit/internal/kit/taxonomy"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// validPosition returns an open family-medicine position that passes
// Validate at testNow; each test case breaks one thing.
func validPosition() Position {
	return Position{
		ID:             "0b7f3c1e-2a4d-4c8e-9f10-1a2b3c4d5e6f",
		OrgID:          "6f1c2d3e-4b5a-4978-8a6b-5c4d3e2f1a0b",
		LocationID:     "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d",
		Title:          "Family Physician",
		Description:    "Full-scope outpatient family medicine.\n\tNo OB.",
		Credentials:    []taxonomy.Credential{taxonomy.MD, taxonomy.DO},
		Taxonomies:     []string{"207Q00000X", "207R00000X"},
		LicenceStates:  []string{"WI"},
		EmploymentType: taxonomy.EmploymentPermanent,
		StartDate:      time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		Schedule:       Schedule{DaysPerWeek: 4, Shift: taxonomy.ShiftDay, FTE: 0.9},
		Pay:            Pay{Min: 250000, Max: 300000, Period: PayAnnual, Currency: CurrencyUSD},
		Headcount:      1,
		Status:         StatusOpen,
		ExpiresAt:      ptr(testNow.AddDate(0, 2, 0)),
		Environment: Environment{
			PanelSize:       ptr(1800),
			VisitMinutesNew: ptr(40),
			EHR:             ptr(taxonomy.EHREpic),
			CallOneInN:      ptr(0),
			Scribe:          ptr(false),
			LanguagesNeeded: []taxonomy.Language{"es"},
		},
		Wants: Wants{MinYears: ptr(2), LanguagesWanted: []taxonomy.Language{"es"}},
	}
}

func TestPositionValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Position)
		field  string // "" means valid
	}{
		{"valid", func(p *Position) {}, ""},
		{"valid draft without expiry", func(p *Position) { p.Status = StatusDraft; p.ExpiresAt = nil }, ""},
		{"valid unknown environment", func(p *Position) { p.Environment = Environment{} }, ""},
		{"valid new id empty", func(p *Position) { p.ID = "" }, ""},
		{"bad id", func(p *Position) { p.ID = "42" }, "id"},
		{"missing org", func(p *Position) { p.OrgID = "" }, "org_id"},
		{"bad location", func(p *Position) { p.LocationID = "nope" }, "location_id"},
		{"empty title", func(p *Position) { p.Title = "" }, "title"},
		{"blank title", func(p *Position) { p.Title = "   " }, "title"},
		{"long title", func(p *Position) { p.Title = strings.Repeat("x", 201) }, "title"},
		{"title 200 runes", func(p *Position) { p.Title = strings.Repeat("é", 200) }, ""},
		{"title newline", func(p *Position) { p.Title = "a\nb" }, "title"},
		{"description bell", func(p *Position) { p.Description = "ding\a" }, "description"},
		{"description CR", func(p *Position) { p.Description = "a\r\nb" }, "description"},
		{"long description", func(p *Position) { p.Description = strings.Repeat("x", 10001) }, "description"},
		{"invalid utf8", func(p *Position) { p.Title = "\xff" }, "title"},
		{"no credentials", func(p *Position) { p.Credentials = nil }, "credentials"},
		{"bad credential", func(p *Position) { p.Credentials = append(p.Credentials, "LPN") }, "credentials[2]"},
		{"dup credential", func(p *Position) { p.Credentials = append(p.Credentials, taxonomy.MD) }, "credentials[2]"},
		{"no taxonomies", func(p *Position) { p.Taxonomies = nil }, "taxonomies"},
		{"unknown taxonomy", func(p *Position) { p.Taxonomies[1] = "999999999X" }, "taxonomies[1]"},
		{"taxonomy for other credential", func(p *Position) { p.Taxonomies[0] = "363LF0000X" }, "taxonomies[0]"},
		{"too many taxonomies", func(p *Position) { p.Taxonomies = make([]string, 21) }, "taxonomies"},
		{"no licence states", func(p *Position) { p.LicenceStates = nil }, "licence_states"},
		{"bad licence state", func(p *Position) { p.LicenceStates = []string{"WI", "wi"} }, "licence_states[1]"},
		{"dup licence state", func(p *Position) { p.LicenceStates = []string{"WI", "WI"} }, "licence_states[1]"},
		{"bad employment type", func(p *Position) { p.EmploymentType = "gig" }, "employment_type"},
		{"locum without duration", func(p *Position) { p.EmploymentType = taxonomy.EmploymentLocumTenens }, "duration_weeks"},
		{"locum with duration", func(p *Position) {
			p.EmploymentType = taxonomy.EmploymentLocumTenens
			p.DurationWeeks = ptr(13)
		}, ""},
		{"travel zero duration", func(p *Position) {
			p.EmploymentType = taxonomy.EmploymentTravel
			p.DurationWeeks = ptr(0)
		}, "duration_weeks"},
		{"permanent with duration", func(p *Position) { p.DurationWeeks = ptr(13) }, "duration_weeks"},
		{"no start date", func(p *Position) { p.StartDate = time.Time{} }, "start_date"},
		{"start 1999", func(p *Position) { p.StartDate = time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC) }, "start_date"},
		{"start far future", func(p *Position) { p.StartDate = testNow.AddDate(6, 0, 0) }, "start_date"},
		{"days 0", func(p *Position) { p.Schedule.DaysPerWeek = 0 }, "schedule.days_per_week"},
		{"days 8", func(p *Position) { p.Schedule.DaysPerWeek = 8 }, "schedule.days_per_week"},
		{"bad shift", func(p *Position) { p.Schedule.Shift = "swing" }, "schedule.shift"},
		{"fte 0", func(p *Position) { p.Schedule.FTE = 0 }, "schedule.fte"},
		{"fte 1.1", func(p *Position) { p.Schedule.FTE = 1.1 }, "schedule.fte"},
		{"fte 0.1", func(p *Position) { p.Schedule.FTE = 0.1 }, ""},
		{"pay negative", func(p *Position) { p.Pay.Min = -1 }, "pay.min"},
		{"pay min over max", func(p *Position) { p.Pay.Min = 400000 }, "pay.min"},
		{"pay hourly too high", func(p *Position) { p.Pay.Period = PayHourly }, "pay.max"},
		{"pay hourly ok", func(p *Position) { p.Pay = Pay{Min: 90, Max: 140, Period: PayHourly, Currency: "USD"} }, ""},
		{"pay annual too high", func(p *Position) { p.Pay.Max = 6_000_000 }, "pay.max"},
		{"pay bad period", func(p *Position) { p.Pay.Period = "weekly" }, "pay.period"},
		{"pay currency", func(p *Position) { p.Pay.Currency = "EUR" }, "pay.currency"},
		{"headcount 0", func(p *Position) { p.Headcount = 0 }, "headcount"},
		{"bad status", func(p *Position) { p.Status = "paused" }, "status"},
		{"open without expiry", func(p *Position) { p.ExpiresAt = nil }, "expires_at"},
		{"open expired", func(p *Position) { p.ExpiresAt = ptr(testNow) }, "expires_at"},
		{"closed expired ok", func(p *Position) { p.Status = StatusClosed; p.ExpiresAt = ptr(testNow.AddDate(0, -1, 0)) }, ""},
		{"panel 6001", func(p *Position) { p.Environment.PanelSize = ptr(6001) }, "environment.panel_size"},
		{"panel 0", func(p *Position) { p.Environment.PanelSize = ptr(0) }, ""},
		{"visit new 4", func(p *Position) { p.Environment.VisitMinutesNew = ptr(4) }, "environment.visit_minutes_new"},
		{"visit follow-up 121", func(p *Position) { p.Environment.VisitMinutesFollowUp = ptr(121) }, "environment.visit_minutes_follow_up"},
		{"patients/day 81", func(p *Position) { p.Environment.PatientsPerDay = ptr(81) }, "environment.patients_per_day"},
		{"continuity 101", func(p *Position) { p.Environment.ContinuityRate = ptr(101.0) }, "environment.continuity_rate"},
		{"continuity model", func(p *Position) {
			p.Environment.ContinuityModel = ptr(taxonomy.ContinuityModel("pods"))
		}, "environment.continuity_model"},
		{"ehr", func(p *Position) { p.Environment.EHR = ptr(taxonomy.EHR("cerner")) }, "environment.ehr"},
		{"inbox 2001", func(p *Position) { p.Environment.InboxMessagesPerWeek = ptr(2001) }, "environment.inbox_messages_per_week"},
		{"MAs 11", func(p *Position) { p.Environment.MAsPerClinician = ptr(11.0) }, "environment.mas_per_clinician"},
		{"telehealth -1", func(p *Position) { p.Environment.TelehealthPct = ptr(-1.0) }, "environment.telehealth_pct"},
		{"call 31", func(p *Position) { p.Environment.CallOneInN = ptr(31) }, "environment.call_one_in_n"},
		{"setting", func(p *Position) { p.Environment.Setting = ptr(taxonomy.Setting("spa")) }, "environment.setting"},
		{"population", func(p *Position) { p.Environment.Population = ptr(taxonomy.Population("teens")) }, "environment.population"},
		{"language", func(p *Position) { p.Environment.LanguagesNeeded = []taxonomy.Language{"es", "xx"} }, "environment.languages_needed[1]"},
		{"collaborative for MD", func(p *Position) { p.Environment.CollaborativePractice = ptr(true) }, "environment.collaborative_practice"},
		{"collaborative for NP", func(p *Position) {
			p.Credentials = []taxonomy.Credential{taxonomy.NP}
			p.Taxonomies = []string{"363LF0000X"}
			p.Environment.CollaborativePractice = ptr(true)
		}, ""},
		{"patients per nurse for MD", func(p *Position) { p.Environment.PatientsPerNurse = ptr(4) }, "environment.patients_per_nurse"},
		{"patients per nurse 21", func(p *Position) {
			p.Credentials = []taxonomy.Credential{taxonomy.RN}
			p.Taxonomies = []string{"163W00000X"}
			p.Environment.PatientsPerNurse = ptr(21)
		}, "environment.patients_per_nurse"},
		{"min years 61", func(p *Position) { p.Wants.MinYears = ptr(61) }, "wants.min_years"},
		{"wants ehr", func(p *Position) { p.Wants.EHRExperienceWanted = []taxonomy.EHR{"paper"} }, "wants.ehr_experience_wanted[0]"},
		{"wants language", func(p *Position) { p.Wants.LanguagesWanted = []taxonomy.Language{"ES"} }, "wants.languages_wanted[0]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := validPosition()
			tc.mutate(&p)
			err := p.Validate(testNow)
			assertField(t, err, tc.field)
		})
	}
}

// assertField is errstest.Field.
var assertField = errstest.Field

// TestValidateNamesJSONPaths: a nested problem is reported under the
// JSON path of its field, as an Invalid error.
func TestValidateNamesJSONPaths(t *testing.T) {
	p := validPosition()
	p.Pay.Min = -1
	assertField(t, p.Validate(testNow), "pay.min")
}
