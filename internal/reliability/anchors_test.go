package reliability

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"
)

// anchors are the fixed records the ranked lists are read from: a
// position whose candidates hold every load profile, and a clinician
// whose roles hold every open position.
type anchors struct {
	positionID  string
	clinicianID string
	clinKey     string
}

// setup creates the keys, the organization the load posts for and the
// anchors, and checks that the records the load writes are eligible where
// the checks look for them.
func (ld *load) setup(t *testing.T) {
	t.Helper()
	ld.admin = ld.c.key("admin")
	org := ld.mustSend(t, ld.newOrg())
	var o struct {
		Locations []struct {
			ID    string `json:"id"`
			State string `json:"state"`
		} `json:"locations"`
	}
	if err := ld.c.api.get("/v1/organizations/"+org.id, ld.admin, &o); err != nil {
		t.Fatal(err)
	}
	for _, l := range o.Locations {
		switch l.State {
		case "WI":
			ld.madLoc = l.ID
		case "MN":
			ld.minLoc = l.ID
		}
	}
	if ld.madLoc == "" || ld.minLoc == "" {
		t.Fatalf("organization %s has locations %+v, want one in WI and one in MN", org.id, o.Locations)
	}
	ld.orgID = org.id
	ld.recr = ld.c.key("recruiter", "-org", org.id)
	var a anchors
	a.clinicianID = ld.mustSend(t, ld.newProfile("anchor-profile", chicago, []string{"WI", "MN"}, []string{"WI", "MN"})).id
	a.clinKey = ld.c.key("clinician", "-profile", a.clinicianID)
	a.positionID = ld.mustSend(t, ld.newPosition("anchor-position", ld.madLoc)).id

	loadProfile := ld.mustSend(t, ld.newProfile("profile", madison, []string{"WI"}, nil)).id
	loadPosition := ld.mustSend(t, ld.newPosition("position", ld.madLoc)).id
	probeProfile := ld.mustSend(t, ld.newProfile("probe-profile", minneapolis, []string{"WI", "MN"}, []string{"WI"})).id
	probePosition := ld.mustSend(t, ld.newPosition("probe-position", ld.minLoc)).id
	for _, pair := range [][2]string{{a.positionID, loadProfile}, {a.positionID, probeProfile},
		{loadPosition, a.clinicianID}, {probePosition, a.clinicianID}} {
		ld.mustBeEligible(t, pair[0], pair[1])
	}
	ld.anchors = a
}

// mustSend sends w and fails the test unless it is acknowledged.
func (ld *load) mustSend(t *testing.T, w *write) *write {
	t.Helper()
	if ld.send(w); !w.done() {
		t.Fatalf("%s %s: %s\n%s", w.kind, w.marker, w.failure, ld.c.logs())
	}
	return w
}

// mustBeEligible waits until the feature store holds the position and
// fails the test unless the clinician is eligible for it.
func (ld *load) mustBeEligible(t *testing.T, positionID, clinicianID string) {
	t.Helper()
	var row struct {
		Explanation struct {
			Eligible bool             `json:"eligible"`
			Reasons  []map[string]any `json:"reasons"`
		} `json:"explanation"`
	}
	var last reply
	ok := eventually(10*time.Second, 50*time.Millisecond, func() bool {
		last = ld.c.api.do(http.MethodGet, "/v1/positions/"+positionID+"/candidates/"+clinicianID, ld.admin, nil)
		return last.ok()
	})
	if !ok || last.decode(&row) != nil {
		t.Fatalf("explain %s × %s: %s", positionID, clinicianID, last)
	}
	if !row.Explanation.Eligible {
		t.Fatalf("clinician %s is not eligible for position %s: %v", clinicianID, positionID, row.Explanation.Reasons)
	}
}

// probeResult says how long after recovery a position and a profile
// written right after it showed up in the ranked lists (-1: never).
type probeResult struct {
	position, profile       time.Duration // from recovery
	positionAck, profileAck time.Duration // from the probe's acknowledgement
}

// probe writes a position and a profile as soon as the stack has
// recovered and waits until the anchor clinician's roles show the
// position and the anchor position's candidates show the profile.
func (ld *load) probe(a anchors, recovered time.Time) probeResult {
	var res probeResult
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		res.position, res.positionAck = ld.probeOne(ld.newPosition("probe-position", ld.minLoc), recovered,
			"/v1/me/roles?state=MN&limit=100", a.clinKey, func(r rankedRow) string { return r.Position.ID })
	}()
	go func() {
		defer wg.Done()
		res.profile, res.profileAck = ld.probeOne(ld.newProfile("probe-profile", minneapolis, []string{"WI", "MN"}, []string{"WI"}),
			recovered, "/v1/positions/"+a.positionID+"/candidates?state=MN&limit=100", ld.admin,
			func(r rankedRow) string { return r.Clinician.ID })
	}()
	wg.Wait()
	return res
}

// rankedRow is a row of either ranked list.
type rankedRow struct {
	Position struct {
		ID string `json:"id"`
	} `json:"position"`
	Clinician struct {
		ID string `json:"id"`
	} `json:"clinician"`
}

// probeOne sends w and polls the ranked list at path until a row's id is
// w's.
func (ld *load) probeOne(w *write, recovered time.Time, path, key string, id func(rankedRow) string) (fromRecovery, fromAck time.Duration) {
	if ld.send(w); !w.done() {
		return -1, -1
	}
	var seen time.Time
	eventually(time.Until(recovered.Add(rankedLimit+10*time.Second)), 50*time.Millisecond, func() bool {
		var pg page[rankedRow]
		if err := ld.c.api.get(path, key, &pg); err != nil {
			return false
		}
		for _, r := range pg.Items {
			if id(r) == w.id {
				seen = time.Now()
				return true
			}
		}
		return false
	})
	if seen.IsZero() {
		return -1, -1
	}
	return seen.Sub(recovered), seen.Sub(w.acked)
}

// awaitRanked waits up to rankedLimit until the totals of the ranked
// lists equal the rows in Postgres (counts) and, if whole, both lists read
// page by page hold every acknowledged record. It returns how long that
// took (-1: never) with what was wrong last, naming missing records.
func (ld *load) awaitRanked(e expected, counts map[string]int, whole bool) (time.Duration, string) {
	start, last := time.Now(), ""
	ok := eventually(rankedLimit, 100*time.Millisecond, func() bool {
		r, err := ld.rankedTotals(e, counts)
		switch {
		case err != nil:
			last = err.Error()
			return false
		case !r.match():
			last = r.String()
			return false
		case !whole:
			return true
		}
		return ld.rankedWhole(e, &last)
	})
	if !ok {
		if !whole && !ld.rankedWhole(e, &last) {
			last = last + "; " + "totals: " + fmt.Sprint(ld.rankedTotals(e, counts))
		}
		return -1, last
	}
	return time.Since(start), ""
}

// rankedWhole reads both ranked lists whole and reports whether they hold
// every acknowledged record, saying what they miss in last.
func (ld *load) rankedWhole(e expected, last *string) bool {
	n, example, err := ld.rankedMissing(e)
	switch {
	case err != nil:
		*last = err.Error()
	case n > 0:
		*last = fmt.Sprintf("%d missing, e.g. %s", n, example)
	default:
		return true
	}
	return false
}
