package ranking

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"carefit/match"
)

// TestClinicianTableEdits replaces and removes clinicians many times over
// and checks that every row still decodes to its latest version, that
// freed rows are reused and that the shared slices stay within a bound of
// what is live.
func TestClinicianTableEdits(t *testing.T) {
	tb := newClinicianTable()
	want := map[string]match.Clinician{}
	version := func(id string, v int) clinicianRow {
		c := match.Clinician{ID: id, Credential: match.NP, Taxonomies: []string{fmt.Sprintf("tax%d", v%7)},
			Languages: []string{"es", fmt.Sprintf("l%d", v%5)}, MaxCommuteMiles: float64(v % 90),
			PanelMax: match.Ptr(1000 + v), AvailableFrom: time.Date(2027, 1, 1+v%28, 0, 0, 0, 0, time.UTC),
			Home: &match.Point{Lat: 30 + float64(v%10)/10, Lng: -97}}
		want[id] = c
		return clinicianRow{features: &c, cred: uint32(v % 3), home: uint32(v % 4), taxa: []uint32{uint32(v % 7)},
			text: []uint32{uint32(v), uint32(v + 1)}, visible: v%2 == 0}
	}
	const n = 2000
	for round := range 40 {
		for i := range n {
			id := fmt.Sprintf("c%04d", i)
			if round%5 == 4 && i%3 == 0 {
				tb.remove(id)
				delete(want, id)
				continue
			}
			tb.set(version(id, round*n+i))
		}
	}
	if tb.len() != len(want) {
		t.Fatalf("table holds %d clinicians, want %d", tb.len(), len(want))
	}
	if len(tb.ids) > n {
		t.Errorf("table has %d rows for at most %d clinicians at once: freed rows are not reused", len(tb.ids), n)
	}
	live := 0
	for id, c := range want {
		r, ok := tb.lookup(id)
		if !ok {
			t.Fatalf("%s is missing", id)
		}
		if diff := cmp.Diff(c, tb.clinician(r), cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("%s decodes differently (-want +got):\n%s", id, diff)
		}
		if got := tb.specialties(r); len(got) != 1 || fmt.Sprintf("tax%d", got[0]) != c.Taxonomies[0] {
			t.Fatalf("%s has specialties %v, want %v", id, got, c.Taxonomies)
		}
		if tb.availableAfter(r, c.AvailableFrom) || !tb.availableAfter(r, c.AvailableFrom.Add(-time.Nanosecond)) {
			t.Fatalf("%s: availability compares wrongly with %v", id, c.AvailableFrom)
		}
		live += int(tb.features[r].n)
	}
	t.Logf("%d bytes encoded, %d live, %d dead; %d words", len(tb.bytes), live, tb.deadBytes, len(tb.words))
	if len(tb.bytes) > 2*live+1<<20 {
		t.Errorf("the encoded clinicians take %d bytes for %d live: edits are not compacted", len(tb.bytes), live)
	}
}
