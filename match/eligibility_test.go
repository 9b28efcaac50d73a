package match_test

import (
	"testing"
	"time"

	. "carefit/match"
)

var testNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// basePosition is an open family-medicine job in Austin, TX.
func basePosition() Position {
	return Position{
		ID: "p1", OrgID: "o1", Status: StatusOpen,
		ExpiresAt: date(2026, 6, 1), StartDate: date(2026, 4, 1),
		Credentials: []Credential{MD, DO}, Taxonomies: []string{"207Q00000X", "207R00000X"},
		State: "TX", Location: &Point{30.2672, -97.7431}, EmploymentType: Permanent,
	}
}

// baseClinician is an eligible MD living a few miles from basePosition.
func baseClinician() Clinician {
	return Clinician{
		ID: "c1", Credential: MD, Taxonomies: []string{"207Q00000X"},
		Licences:        []Licence{{State: "TX", Expires: date(2027, 1, 31)}},
		Home:            &Point{30.3072, -97.7559},
		MaxCommuteMiles: 30, AvailableFrom: date(2026, 3, 15),
		EmploymentTypes: []EmploymentType{Permanent},
	}
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(p *Position, c *Clinician)
		rules []Rule
		msg   string // message of the first reason, when set
	}{
		{name: "eligible", edit: func(*Position, *Clinician) {}},
		{name: "filled", edit: func(p *Position, _ *Clinician) { p.Status = StatusFilled },
			rules: []Rule{RuleOpen}, msg: "The position is filled, not open."},
		{name: "draft", edit: func(p *Position, _ *Clinician) { p.Status = StatusDraft },
			rules: []Rule{RuleOpen}, msg: "The position is still a draft, not open."},
		{name: "specialty not stated", edit: func(_ *Position, c *Clinician) { c.Taxonomies = nil },
			rules: []Rule{RuleSpecialty}, msg: "The position accepts Family Medicine Physician (207Q00000X) or Internal Medicine Physician (207R00000X); the clinician's specialty is not stated."},
		{name: "employment several", edit: func(p *Position, c *Clinician) {
			p.EmploymentType, c.EmploymentTypes = PerDiem, []EmploymentType{Permanent, LocumTenens, Travel}
		}, rules: []Rule{RuleEmployment}, msg: "The position is per diem; the clinician wants permanent, locum tenens or travel work."},
		{name: "licences in two states", edit: func(p *Position, _ *Clinician) { p.LicenceStates = []string{"NM", "OK"} },
			rules: []Rule{RuleLicence}, msg: "The clinician has no licence valid in New Mexico or Oklahoma on April 1, 2026."},
		{name: "expired", edit: func(p *Position, _ *Clinician) { p.ExpiresAt = date(2026, 2, 1) },
			rules: []Rule{RuleNotExpired}, msg: "The posting expired on February 1, 2026."},
		{name: "credential", edit: func(_ *Position, c *Clinician) { c.Credential = NP },
			rules: []Rule{RuleCredential}, msg: "The position accepts MD or DO; the clinician's credential is NP."},
		{name: "specialty", edit: func(_ *Position, c *Clinician) { c.Taxonomies = []string{"208000000X"} },
			rules: []Rule{RuleSpecialty}, msg: "The position accepts Family Medicine Physician (207Q00000X) or Internal Medicine Physician (207R00000X); the clinician's specialty is Pediatrics Physician (208000000X)."},
		{name: "second accepted specialty", edit: func(_ *Position, c *Clinician) { c.Taxonomies = []string{"207R00000X"} }},
		{name: "licence other state", edit: func(_ *Position, c *Clinician) { c.Licences[0].State = "OK" },
			rules: []Rule{RuleLicence}, msg: "The clinician has no licence valid in Texas on April 1, 2026."},
		{name: "licence expires before start", edit: func(_ *Position, c *Clinician) { c.Licences[0].Expires = date(2026, 3, 31) },
			rules: []Rule{RuleLicence}},
		{name: "licence expires on start day", edit: func(_ *Position, c *Clinician) { c.Licences[0].Expires = date(2026, 4, 1) }},
		{name: "physician compact is not a licence", edit: func(_ *Position, c *Clinician) {
			c.Licences = []Licence{{State: "OK", Multistate: true}}
		}, rules: []Rule{RuleLicence}},
		{name: "extra licence state", edit: func(p *Position, _ *Clinician) { p.LicenceStates = []string{"TX", "NM"} },
			rules: []Rule{RuleLicence}, msg: "The clinician has no licence valid in New Mexico on April 1, 2026."},
		{name: "available late", edit: func(_ *Position, c *Clinician) { c.AvailableFrom = date(2026, 4, 20) },
			rules: []Rule{RuleAvailability}, msg: "The clinician is available from April 20, 2026, 19 days after the start date of April 1, 2026."},
		{name: "employment", edit: func(p *Position, _ *Clinician) { p.EmploymentType = LocumTenens },
			rules: []Rule{RuleEmployment}, msg: "The position is locum tenens; the clinician wants permanent work."},
		{name: "too far", edit: func(_ *Position, c *Clinician) { c.Home = &Point{29.4241, -98.4936} }, // San Antonio
			rules: []Rule{RuleLocation}, msg: "The position is 74 miles away, beyond the clinician's 30-mile commute, and Texas is not among the states the clinician would move to."},
		{name: "too far but willing to move", edit: func(_ *Position, c *Clinician) {
			c.Home = &Point{40.7128, -74.0060}
			c.WillingStates = []string{"TX"}
		}},
		{name: "home unknown", edit: func(_ *Position, c *Clinician) { c.Home = nil },
			rules: []Rule{RuleLocation}, msg: "The clinician's home location is not known and Texas is not among the states the clinician would move to."},
		{name: "every rule at once", edit: func(p *Position, c *Clinician) {
			p.Status, p.ExpiresAt, p.EmploymentType = StatusDraft, date(2026, 1, 1), Travel
			c.Credential, c.Taxonomies, c.Licences = RN, nil, nil
			c.AvailableFrom, c.Home = date(2027, 1, 1), &Point{47.6, -122.3}
		}, rules: []Rule{RuleOpen, RuleNotExpired, RuleCredential, RuleSpecialty, RuleLicence, RuleAvailability, RuleEmployment, RuleLocation}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := basePosition(), baseClinician()
			tc.edit(&p, &c)
			got := Check(p, c, testNow, Options{})
			if got.Eligible != (len(tc.rules) == 0) {
				t.Fatalf("Eligible = %v, want %v (reasons %v)", got.Eligible, len(tc.rules) == 0, got.Reasons)
			}
			if len(got.Reasons) != len(tc.rules) {
				t.Fatalf("got reasons %v, want rules %v", got.Reasons, tc.rules)
			}
			for i, r := range got.Reasons {
				if r.Rule != tc.rules[i] {
					t.Errorf("reason %d rule = %s, want %s", i, r.Rule, tc.rules[i])
				}
			}
			if tc.msg != "" && got.Reasons[0].Message != tc.msg {
				t.Errorf("got message %q, want %q", got.Reasons[0].Message, tc.msg)
			}
		})
	}
}

// TestCheckAvailabilityAllowance: a clinician available after the start
// date but within the allowance is eligible, and the explanation says the
// allowance was used; past it, the reason names the allowance.
func TestCheckAvailabilityAllowance(t *testing.T) {
	tests := []struct {
		name     string
		from     time.Time
		slack    int
		reader   Reader
		eligible bool
		msg      string // the reason, or the note when eligible
	}{
		{"on the start date", date(2026, 4, 1), 14, ReaderRecruiter, true, ""},
		{"within the allowance", date(2026, 4, 15), 14, ReaderRecruiter, true,
			"The clinician is available from April 15, 2026, 14 days after the start date of April 1, 2026, within the 14-day allowance."},
		{"a day past it", date(2026, 4, 16), 14, ReaderClinician, false,
			"You are available from April 16, 2026, 15 days after the start date of April 1, 2026; the allowance is 14 days."},
		{"no allowance", date(2026, 4, 2), 0, ReaderRecruiter, false,
			"The clinician is available from April 2, 2026, 1 day after the start date of April 1, 2026."},
		{"a one-day allowance", date(2026, 4, 2), 1, ReaderClinician, true,
			"You are available from April 2, 2026, 1 day after the start date of April 1, 2026, within the 1-day allowance."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, c := basePosition(), baseClinician()
			c.AvailableFrom = tc.from
			got := Check(p, c, testNow, Options{AvailabilitySlackDays: tc.slack, Reader: tc.reader})
			if got.Eligible != tc.eligible {
				t.Fatalf("got eligible %v (%+v), want %v", got.Eligible, got.Reasons, tc.eligible)
			}
			said := got.Notes
			if !tc.eligible {
				said = got.Reasons
			}
			switch {
			case tc.msg == "" && len(said) > 0:
				t.Errorf("got %+v, want nothing said", said)
			case tc.msg != "" && (len(said) != 1 || said[0].Rule != RuleAvailability || said[0].Message != tc.msg):
				t.Errorf("got %+v, want %q", said, tc.msg)
			}
		})
	}
}

// TestCompactLicence is the ranking scenario for nurses: a multistate RN
// licence from a compact state counts in another compact state, not in a
// non-compact one, and never for a single-state licence.
func TestCompactLicence(t *testing.T) {
	rn := func(multi bool) Clinician {
		return Clinician{
			ID: "n1", Credential: RN, Taxonomies: []string{"163W00000X"},
			Licences:      []Licence{{State: "TX", Expires: date(2027, 1, 1), Multistate: multi}},
			WillingStates: []string{"AZ", "CA", "NY", "TX"},
		}
	}
	job := func(state string) Position {
		return Position{ID: "p-" + state, Status: StatusOpen, Credentials: []Credential{RN},
			Taxonomies: []string{"163W00000X"}, State: state, StartDate: date(2026, 4, 1)}
	}
	tests := []struct {
		state string
		multi bool
		want  bool
	}{
		{"TX", true, true}, {"AZ", true, true}, {"CA", false, false}, {"CA", true, false},
		{"NY", true, false}, {"AZ", false, false},
	}
	for _, tc := range tests {
		got := Check(job(tc.state), rn(tc.multi), testNow, Options{}).Eligible
		if got != tc.want {
			t.Errorf("multistate=%v in %s: got eligible %v, want %v", tc.multi, tc.state, got, tc.want)
		}
	}
	// A physician's multistate flag means nothing.
	doc := rn(true)
	doc.Credential = MD
	p := job("AZ")
	p.Credentials, p.Taxonomies = nil, nil
	if Check(p, doc, testNow, Options{}).Eligible {
		t.Errorf("MD with a compact flag got eligible in AZ, want not")
	}
}
