package match

import (
	"fmt"
	"testing"
	"time"
	"unsafe"

	"carefit/internal/kit/cpu"
)

// These tests read the scan's internals, so they stay in package match,
// which cannot import the market generator (it imports match); the
// black-box tests and benchmarks on generated data are in package
// match_test.

// TestRowSizes keeps the scan's rows compact: a scoring row is one cache
// line and the hot row that every candidate reads is 40 bytes.
func TestRowSizes(t *testing.T) {
	if got := unsafe.Sizeof(scoreRow{}); got != 64 {
		t.Errorf("scoreRow is %d bytes, want 64", got)
	}
	if got := unsafe.Sizeof(hotRow{}); got > 40 {
		t.Errorf("hotRow is %d bytes, want ≤ 40", got)
	}
}

var scoreNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// scorePosition is a primary-care job in Austin that states every fact
// and employer want the scan reads.
var scorePosition = Position{
	ID: "p1", OrgID: "o1", Status: StatusOpen, StartDate: scoreNow.AddDate(0, 1, 0),
	Credentials: []Credential{MD, DO}, Taxonomies: []string{"207Q00000X"}, State: "TX",
	Location: &Point{30.2672, -97.7431}, EmploymentType: Permanent,
	DaysPerWeek: Ptr(4), Shift: ShiftDay, FTE: Ptr(0.9), PayMax: Ptr(260000.0), PayPeriod: Annual,
	PanelSize: Ptr(2100), VisitMinutesNew: Ptr(40), VisitMinutesFollowUp: Ptr(20), PatientsPerDay: Ptr(19),
	ContinuityRate: Ptr(70.0), ContinuityModel: AssignedPanel, EHR: Epic, InboxPerWeek: Ptr(140),
	MAsPerClinician: Ptr(1.5), Scribe: Ptr(true), TelehealthPct: Ptr(15.0), CallOneInN: Ptr(6),
	Setting: OutpatientClinic, Population: Adult, TeamBasedCare: Ptr(true),
	MinYears: Ptr(3.0), BoardCertRequired: true, LanguagesWanted: []string{"es"}, EHRExperienceWanted: []EHR{Epic},
}

// scoreClinicians are clinicians who between them state every wish,
// importance and fact the scan reads, and leave each of them unstated.
var scoreClinicians = []Clinician{
	{Credential: MD, PanelMax: Ptr(1800), VisitMinNew: Ptr(30), VisitMinFollowUp: Ptr(20), PatientsPerDayMax: Ptr(18),
		ContinuityMin: Ptr(60.0), ContinuityModel: AssignedPanel, InboxMax: Ptr(100), MAsMin: Ptr(1.0), ScribeWanted: true,
		PayFloorAnnual: Ptr(240000.0), Years: Ptr(12.0), BoardCertified: Ptr(true), Languages: []string{"en", "es"},
		EHRsUsed: []EHR{Epic}, Importance: map[Factor]int{FactorVisitNew: 3, FactorPanel: 2}},
	{Credential: DO, EHRsUsed: []EHR{Meditech}, EHRsAvoid: []EHR{Epic}, CallMaxOneInN: Ptr(0),
		TelehealthMin: Ptr(20.0), TelehealthMax: Ptr(50.0), MaxDaysPerWeek: Ptr(3), Shifts: []Shift{ShiftEvening},
		FTEMin: Ptr(0.5), FTEMax: Ptr(0.8), PayFloorHourly: Ptr(150.0), Years: Ptr(1.0), Languages: []string{"en"}},
	{Credential: MD, Settings: []Setting{FQHC, Hospital}, Populations: []Population{Pediatric}, TeamBasedWanted: Ptr(false),
		PatientsPerNurseMax: Ptr(4.0), CallMaxOneInN: Ptr(8), PayFloorAnnual: Ptr(320000.0), BoardCertified: Ptr(false),
		Importance: map[Factor]int{FactorPay: 3, FactorCommute: 0, FactorEHR: 2}},
	{Credential: DO}, // states nothing
	{Credential: MD, PanelMax: Ptr(2500), VisitMinFollowUp: Ptr(15), ContinuityModel: TeamBased, InboxMax: Ptr(200),
		ScribeWanted: true, TelehealthMax: Ptr(10.0), Populations: []Population{Adult, Geriatric}, TeamBasedWanted: Ptr(true),
		Years: Ptr(25.0), Languages: []string{"vi"}, EHRsUsed: []EHR{Athenahealth, Epic}, Importance: map[Factor]int{FactorCall: 3}},
}

// scoreHomes are near, at the edge of and beyond a 30-mile commute from
// scorePosition, so the scan takes both commute paths.
var scoreHomes = []Point{{30.3072, -97.7559}, {30.62, -97.70}, {29.4241, -98.4936}, {30.2672, -97.7431}}

// scoreIndex indexes n clinicians (the benchmarks' market has 200,000)
// taken in turn from scoreClinicians, each placed in turn at scoreHomes.
func scoreIndex(n int) *Index {
	cs := make([]Clinician, n)
	for i := range cs {
		c := scoreClinicians[i%len(scoreClinicians)]
		c.ID, c.Home = fmt.Sprintf("c%06d", i), &scoreHomes[i%len(scoreHomes)]
		cs[i] = c
	}
	return NewIndex(cs)
}

// BenchmarkScorePair is the scan's per-pair scoring cost for one prepared
// position on one goroutine (so per core): eligibility excluded, every row
// scored in row (bucket) order. The target is ≥ 30 M pairs/s/core.
// Scoring looks a row's wishes up in the plan's tables instead of
// branching on them (plan.key), so clinicians taken in turn from a
// hand-built set, at homes taken in turn for the one branch (the commute),
// cost what a market's do; BenchmarkTop50 and BenchmarkBatch in package
// match_test scan a generated market.
func BenchmarkScorePair(b *testing.B) {
	ix := scoreIndex(200000)
	pl := newPlan(compilePosition(&scorePosition, &ix.langs, false), scoreNow, Options{})
	var sink float32
	n := 0
	cpu0 := cpu.Time()
	for b.Loop() {
		for i := range ix.rows {
			h := &ix.hot[i]
			ch2 := pl.chord2(h)
			sink += pl.key(&ix.rows[i], ix.rows[i].invWC, ch2, h.commute2 >= ch2, h.invC)
		}
		n += len(ix.rows)
	}
	used := cpu.Time() - cpu0
	b.ReportMetric(float64(n)/b.Elapsed().Seconds()/1e6, "Mpairs/s/core")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n), "ns/pair")
	// On a loaded machine wall time includes time other processes held
	// the core; CPU time does not.
	b.ReportMetric(float64(used.Nanoseconds())/float64(n), "cpu-ns/pair")
	_ = sink
}
