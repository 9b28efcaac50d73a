package match_test

import (
	"testing"

	. "carefit/match"
)

func TestBandOf(t *testing.T) {
	for _, tc := range []struct {
		score float64
		want  Band
	}{{100, Excellent}, {85, Excellent}, {84.99, Good}, {70, Good}, {69.9, Fair}, {55, Fair}, {54.99, Poor}, {0, Poor}} {
		if got := BandOf(tc.score); got != tc.want {
			t.Errorf("BandOf(%v) = %s, want %s", tc.score, got, tc.want)
		}
	}
}

// TestBandsFollowTheMarket: the bands were set from the distribution of
// eligible pairs on the synthetic market (band.go); each band's share must
// stay near what the documentation says.
func TestBandsFollowTheMarket(t *testing.T) {
	ps, cs := marketData(42, 1500, 15000)
	ix := NewIndex(cs)
	share := map[Band]float64{}
	n := 0
	for _, p := range ps {
		for _, r := range ix.TopClinicians(p, len(cs), testNow, Options{AvailabilitySlackDays: 14}, nil) {
			share[BandOf(r.Score)]++
			n++
		}
	}
	if n < 10000 {
		t.Fatalf("only %d eligible pairs; the distribution says little", n)
	}
	for band, want := range map[Band][2]float64{Excellent: {0.08, 0.25}, Good: {0.15, 0.35}, Fair: {0.12, 0.30}, Poor: {0.25, 0.55}} {
		if got := share[band] / float64(n); got < want[0] || got > want[1] {
			t.Errorf("%s: %.1f%% of %d eligible pairs, want %.0f%% to %.0f%%", band, 100*got, n, 100*want[0], 100*want[1])
		}
	}
	t.Logf("bands over %d eligible pairs: excellent %.1f%%, good %.1f%%, fair %.1f%%, poor %.1f%%", n,
		100*share[Excellent]/float64(n), 100*share[Good]/float64(n), 100*share[Fair]/float64(n), 100*share[Poor]/float64(n))
}
