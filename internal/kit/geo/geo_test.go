package geo

import (
	"math"
	"testing"
)

func TestStateSet(t *testing.T) {
	s := NewStateSet("TX", "CA", "ZZ")
	if !s.Has("TX") || !s.Has("CA") || s.Has("NY") || s.Has("ZZ") {
		t.Fatalf("set %v has wrong members", s.Codes())
	}
	if got := len(Jurisdictions()); got != 56 {
		t.Fatalf("got %d jurisdictions, want 56 (50 states, DC, 5 territories)", got)
	}
	if len(jurisdictions) > 64 {
		t.Fatal("StateSet cannot hold more than 64 jurisdictions")
	}
	for i := 1; i < len(jurisdictions); i++ {
		if jurisdictions[i-1].Code >= jurisdictions[i].Code {
			t.Fatalf("jurisdictions not sorted at %s", jurisdictions[i].Code)
		}
	}
}

func TestNLC(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{{"TX", true}, {"FL", true}, {"CA", false}, {"NY", false}, {"IL", false}, {"VI", true}}
	for _, tc := range tests {
		if got := NLC.Has(tc.code); got != tc.want {
			t.Errorf("NLC.Has(%s) = %v, want %v", tc.code, got, tc.want)
		}
	}
	for _, c := range NLCMembers() {
		if !IsState(c) {
			t.Errorf("NLC member %s is not a known jurisdiction", c)
		}
	}
}

func TestDistanceMiles(t *testing.T) {
	// Boston to New York City is about 190 miles as the crow flies.
	d := DistanceMiles(42.3601, -71.0589, 40.7128, -74.0060)
	if math.Abs(d-190) > 5 {
		t.Fatalf("got %.1f miles, want about 190", d)
	}
	if DistanceMiles(10, 10, 10, 10) != 0 {
		t.Fatal("distance to self is not zero")
	}
}
