package reliability

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"carefit/candidates"
)

// The records the load writes. Every clinician is a family physician and
// every position a family-medicine one, so that eligibility is known in
// advance:
//
//   - load profiles live in Madison, WI, are licensed in WI and commute 40
//     miles, so they are eligible for the anchor position (Madison);
//   - load positions are open, at the organization's Madison location;
//   - the anchor clinician lives in Chicago, IL, is licensed in WI and MN
//     and would move to either, so every open position is eligible for it;
//   - probes are written right after each recovery: probe positions at the
//     Minneapolis location (filter state=MN in the anchor clinician's
//     roles), probe profiles living in Minneapolis, licensed in WI and MN
//     and willing to move to WI (filter state=MN in the anchor position's
//     candidates).
//
// Markers make each logical write findable in Postgres: an organization's
// name, a position's description and a profile's email carry the run and
// the write's sequence number. A word naming the phase (phaseWord) in a
// position's description and a profile's name lets a free search for the
// word list one phase's records: offset paging reaches 10,000 hits, fewer
// than a full run writes.

// place is a home or a clinic location.
type place struct {
	name, street, city, postal, state string
	lat, lng                          float64
}

var (
	madison     = place{"Reliability Madison Clinic", "1 S Pinckney St", "Madison", "53703", "WI", 43.07, -89.40}
	minneapolis = place{"Reliability Minneapolis Clinic", "2500 Nicollet Ave", "Minneapolis", "55404", "MN", 44.96, -93.28}
	chicago     = place{"", "", "Chicago", "60601", "IL", 41.88, -87.63}
)

func (p place) location() map[string]any {
	return map[string]any{"name": p.name, "address_line": p.street, "city": p.city, "postal_code": p.postal,
		"state": p.state, "lat": p.lat, "lng": p.lng, "time_zone": "America/Chicago"}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// orgBody is an organization with a Madison and a Minneapolis location.
func orgBody(marker string) []byte {
	return mustJSON(map[string]any{"name": "Reliability Health " + marker, "kind": "fqhc",
		"locations": []any{madison.location(), minneapolis.location()}})
}

// phaseWords name the phases in records; no two are within a typo or a
// prefix of each other or of another word the records hold.
var phaseWords = []string{"alfa", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"}

func phaseWord(phase int) string { return phaseWords[phase%len(phaseWords)] }

// positionBody is an open family-medicine position at locationID.
func positionBody(marker, word, orgID, locationID string, now time.Time) []byte {
	now = now.UTC()
	return mustJSON(map[string]any{
		"org_id": orgID, "location_id": locationID,
		"title": positionTitle(marker, 0), "description": "Reliability load " + marker + " " + word,
		"credentials": []string{"MD", "DO"}, "taxonomies": []string{"207Q00000X"},
		"employment_type": "permanent",
		"start_date":      now.AddDate(0, 3, 0).Format("2006-01-02") + "T00:00:00Z",
		"expires_at":      now.AddDate(0, 0, 60).Format(time.RFC3339),
		"schedule":        map[string]any{"days_per_week": 4, "shift": "day", "fte": 0.9},
		"pay":             map[string]any{"min": 250000, "max": 300000, "period": "annual", "currency": "USD"},
		"headcount":       1,
		"status":          "open",
		"environment":     map[string]any{"panel_size": 1800, "visit_minutes_new": 40, "ehr": "epic", "call_one_in_n": 0, "scribe": false},
	})
}

// positionTitle is the title of a position after rev patches.
func positionTitle(marker string, rev int) string {
	if rev == 0 {
		return "Family Physician " + marker
	}
	return fmt.Sprintf("Family Physician %s r%d", marker, rev)
}

// patchBody renames a position and changes a ranked fact, its panel size.
func patchBody(marker string, rev int) []byte {
	return mustJSON(map[string]any{"title": positionTitle(marker, rev),
		"environment": map[string]any{"panel_size": 1500 + 37*rev%600}})
}

// profileBody is a family physician living at home, licensed in states and
// willing to move to move, named after the phase word.
func profileBody(marker, word string, n int64, home place, states, move []string) []byte {
	var licences []any
	for i, s := range states {
		licences = append(licences, map[string]any{"state": s, "number": fmt.Sprintf("RL-%d-%d", n, i), "expires": "2030-10-31T00:00:00Z"})
	}
	return mustJSON(map[string]any{
		"name":       map[string]any{"given": "Rel", "family": strings.ToUpper(word[:1]) + word[1:]},
		"contact":    map[string]any{"email": marker + "@example.org", "phone": "+14145550123"},
		"credential": "MD", "npi": npi(n), "taxonomies": []string{"207Q00000X"},
		"licences":               licences,
		"years_experience":       7,
		"languages":              []string{"en"},
		"ehrs_used":              []string{"epic"},
		"home":                   map[string]any{"lat": home.lat, "lng": home.lng, "state": home.state, "postal_code": home.postal},
		"max_commute_miles":      40,
		"willing_to_move_states": move,
		"available_from":         "2026-01-01T00:00:00Z",
		"employment_types":       []string{"permanent"},
		"schedule":               map[string]any{"max_days_per_week": 5, "shifts": []string{"day"}},
		"pay_floor":              map[string]any{"annual": 200000},
		"wishes":                 map[string]any{"panel_max": 2000, "visit_min_new": 30},
		"visible_to_recruiters":  true,
	})
}

// npi is a valid NPI made from n: 1, n in eight digits, and the check
// digit.
func npi(n int64) string {
	base := fmt.Sprintf("1%08d", n%100_000_000)
	for d := 0; d <= 9; d++ {
		if s := base + fmt.Sprint(d); candidates.ValidNPI(s) {
			return s
		}
	}
	panic("no check digit for " + base)
}
