package ranking

import (
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"carefit/internal/market"
	"carefit/match"
)

// TestEncodedClinicianRoundTrips checks that every clinician of a
// generated market, and clinicians at the edges of each field, decode to
// the engine view they were encoded from.
func TestEncodedClinicianRoundTrips(t *testing.T) {
	mk := market.Generate(7, market.Size{Organizations: 1, Profiles: 3000}, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
	var cs []match.Clinician
	for _, p := range mk.Profiles {
		cs = append(cs, FromProfile(p))
	}
	at := time.Date(2027, 2, 3, 4, 5, 6, 789, time.UTC)
	cs = append(cs,
		match.Clinician{ID: "zero"},
		match.Clinician{ID: "edges", Credential: match.RN, Years: match.Ptr(math.Copysign(0, -1)), FTEMin: match.Ptr(0.5),
			FTEMax: match.Ptr(math.Inf(1)), PayFloorAnnual: match.Ptr(1e300), PayFloorHourly: match.Ptr(-12.0),
			MaxDaysPerWeek: match.Ptr(-3), PanelMax: match.Ptr(math.MaxInt), CallMaxOneInN: match.Ptr(0),
			BoardCertified: match.Ptr(false), TeamBasedWanted: match.Ptr(true), ScribeWanted: true,
			Home: &match.Point{Lat: 40.7128, Lng: -74.006}, MaxCommuteMiles: 12.5, AvailableFrom: at,
			Licences:   []match.Licence{{State: "TX", Expires: at, Multistate: true}, {State: "CA"}},
			Importance: map[match.Factor]int{match.Factor(0): 3, match.Factor(5): -1, match.Factor(9): 0}},
	)
	d := newDictionary()
	var buf []byte
	spans := make([]span, len(cs))
	for i := range cs {
		off := len(buf)
		buf = encodeClinician(buf, d, &cs[i])
		spans[i] = span{uint32(off), uint32(len(buf) - off)}
	}
	for i, want := range cs {
		got := decodeClinician(buf[spans[i].off:spans[i].off+spans[i].n], d, want.ID)
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("clinician %d (%s) decodes differently (-want +got):\n%s", i, want.ID, diff)
		}
	}
	// -0 keeps its sign: a tag for whole numbers would lose it.
	last := decodeClinician(buf[spans[len(cs)-1].off:], d, "edges")
	if !math.Signbit(*last.Years) {
		t.Fatalf("years -0 decoded as %v", *last.Years)
	}
	t.Logf("%d bytes a clinician", len(buf)/len(mk.Profiles))
	if per := len(buf) / len(mk.Profiles); per > 160 {
		t.Errorf("a generated clinician encodes to %d bytes on average, want at most 160", per)
	}
}
