package match_test

import (
	"math"
	"slices"
	"testing"

	. "carefit/match"
)

// TestRankVisitsAndPanel is the primer's scenario: among otherwise equal
// positions, a clinician who wants ≥ 30-minute visits and a panel ≤ 1,800
// gets the 40-minute, 1,500-patient job above the 15-minute, 2,600 one.
func TestRankVisitsAndPanel(t *testing.T) {
	c := baseClinician()
	c.VisitMinNew, c.VisitMinFollowUp, c.PanelMax = Ptr(30), Ptr(30), Ptr(1800)
	good, bad := basePosition(), basePosition()
	good.ID, bad.ID = "b-good", "a-bad" // the bad one would win a tie by ID
	good.VisitMinutesNew, good.VisitMinutesFollowUp, good.PanelSize = Ptr(40), Ptr(40), Ptr(1500)
	bad.VisitMinutesNew, bad.VisitMinutesFollowUp, bad.PanelSize = Ptr(15), Ptr(15), Ptr(2600)

	got := TopPositions(c, []Position{bad, good}, 10, testNow, Options{}, ByMutual)
	if len(got) != 2 || got[0].ID != "b-good" || !(got[0].Score > got[1].Score) {
		t.Fatalf("TopPositions got %v, want b-good first", got)
	}
	// The same from the recruiter's side, one clinician scanned per position.
	ix := NewIndex([]Clinician{c})
	sg := ix.TopClinicians(good, 1, testNow, Options{}, nil)
	sb := ix.TopClinicians(bad, 1, testNow, Options{}, nil)
	if len(sg) != 1 || len(sb) != 1 || !(sg[0].Score > sb[0].Score) {
		t.Fatalf("TopClinicians got good %v, bad %v", sg, sb)
	}
}

func TestTopClinicians(t *testing.T) {
	p := basePosition()
	p.PanelSize = Ptr(2000)
	var cs []Clinician
	for i, max := range []int{1500, 2500, 2000, 1000, 2500} {
		c := baseClinician()
		c.ID = string(rune('e' - i)) // e, d, c, b, a
		c.PanelMax = Ptr(max)
		cs = append(cs, c)
	}
	far := baseClinician()
	far.ID, far.Home = "z-far", &Point{47.6, -122.3}
	cs = append(cs, far)
	ix := NewIndex(cs)
	got := ix.TopClinicians(p, 3, testNow, Options{}, nil)
	ids := []string{got[0].ID, got[1].ID, got[2].ID}
	// c (2000) and a, d (2500) fit fully; ties go by ID.
	if want := []string{"a", "c", "d"}; !slices.Equal(ids, want) {
		t.Fatalf("got %v (%v), want %v", ids, got, want)
	}
	got = ix.TopClinicians(p, 10, testNow, Options{}, func(id string) bool { return id != "a" })
	if len(got) != 4 || got[0].ID != "c" {
		t.Fatalf("with filter got %v, want 4 starting with c", got)
	}
	ix.Remove("c")
	c := cs[2]
	c.ID, c.PanelMax = "c2", Ptr(100)
	ix.Upsert(c)
	got = ix.TopClinicians(p, 10, testNow, Options{}, nil)
	if len(got) != 5 || got[len(got)-1].ID != "c2" || ix.Len() != 6 {
		t.Fatalf("after remove and upsert got %v (len %d)", got, ix.Len())
	}
}

// TestIndexAgreesWithCheck compares the bucket scan with Check and Explain
// pair by pair on synthetic data.
func TestIndexAgreesWithCheck(t *testing.T) {
	ps, cs := marketData(7, 120, 4000)
	// Some positions accept any taxonomy, need two licences or are closed.
	ps[0].Taxonomies = nil
	ps[1].LicenceStates = []string{ps[1].State, "NY"}
	ps[2].Status = StatusFilled
	ps[3].Credentials = nil
	// Facts that do not apply: a hospital stating a panel, one with an
	// organisation's override on a factor that may not apply, and a
	// telehealth-only role (no location rule).
	ps[4].Setting, ps[4].PanelSize = Hospital, Ptr(1500)
	ps[5].Setting, ps[5].Weights = Hospital, map[Factor]float64{FactorVisitNew: 2, FactorPay: 3}
	ps[6].Setting, ps[6].CallOneInN = TelehealthOnly, Ptr(7)
	ps[7].Setting = UrgentCare
	agreesWithCheck(t, NewIndex(cs), ps, cs, Options{AvailabilitySlackDays: 14})
}

// TestClinicianOrdersByOwnFit: a clinician's roles ordered ByFit put the
// job that best meets their wishes first even when an employer's wants
// pull its mutual score below another's; ByMutual keeps the mutual order.
func TestClinicianOrdersByOwnFit(t *testing.T) {
	c := baseClinician()
	c.PanelMax, c.Years = Ptr(1800), Ptr(2.0)
	mine, theirs := basePosition(), basePosition()
	mine.ID, theirs.ID = "b-mine", "a-theirs"
	mine.PanelSize, mine.MinYears = Ptr(1500), Ptr(10.0) // meets the wish, wants far more years
	theirs.PanelSize = Ptr(2300)                         // misses the wish, wants nothing
	byFit := TopPositions(c, []Position{theirs, mine}, 2, testNow, Options{}, ByFit)
	byMutual := TopPositions(c, []Position{theirs, mine}, 2, testNow, Options{}, ByMutual)
	if len(byFit) != 2 || byFit[0].ID != "b-mine" || !(byFit[0].Fit > byFit[1].Fit) {
		t.Fatalf("ByFit got %+v, want b-mine first by its own side", byFit)
	}
	if byMutual[0].ID != "a-theirs" || !(byMutual[0].Score > byMutual[1].Score) {
		t.Fatalf("ByMutual got %+v, want a-theirs first by the mutual score", byMutual)
	}
	ex := Explain(mine, c, testNow, Options{})
	if math.Abs(byFit[0].Fit-ex.ClinicianSide) > 1e-9 || math.Abs(byFit[0].Score-ex.Score) > 1e-9 {
		t.Errorf("got fit %v and score %v, Explain %v and %v", byFit[0].Fit, byFit[0].Score, ex.ClinicianSide, ex.Score)
	}
}

// TestTopCompiledPositionsIsTopPositions: positions compiled once rank
// every clinician of a generated market exactly as TopPositions does, in
// both orders, for clinicians whose languages the positions name and for
// those whose languages they do not.
func TestTopCompiledPositionsIsTopPositions(t *testing.T) {
	ps, cs := marketData(11, 400, 600)
	compiled := make([]*CompiledPosition, len(ps))
	for i := range ps {
		compiled[i] = CompilePosition(&ps[i])
	}
	ranked := 0
	for i, c := range cs {
		if i%3 == 1 {
			c.Languages = append(slices.Clone(c.Languages), "Klingon", " SPANISH ")
		}
		for _, by := range []Order{ByMutual, ByFit} {
			want := TopPositions(c, ps, len(ps), testNow, Options{AvailabilitySlackDays: 14}, by)
			got := TopCompiledPositions(c, compiled, len(ps), testNow, Options{AvailabilitySlackDays: 14}, by)
			if !slices.Equal(got, want) {
				t.Fatalf("clinician %s, order %d: got %v, want %v", c.ID, by, got, want)
			}
			ranked += len(got)
		}
		if top := TopCompiledPositions(c, compiled, 3, testNow, Options{}, ByFit); !slices.Equal(top, TopPositions(c, ps, 3, testNow, Options{}, ByFit)) {
			t.Fatalf("clinician %s: the top 3 differ", c.ID)
		}
	}
	if ranked == 0 {
		t.Fatal("no clinician was eligible for any position: the comparison shows nothing")
	}
}
