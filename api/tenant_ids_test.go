package api

import (
	"net/http"
	"testing"

	"github.com/google/uuid"

	"carefit/jobs"
)

// TestForeignIDsAnswerAsUnknown sends, in every body field that names a
// record of the caller's tenant, once the ID of another organization's
// record and once an ID that names nothing. Both must get the same answer
// (status, problem and field messages), so no answer tells that another
// tenant's record exists; and neither may create a record with an ID the
// client chose.
func TestForeignIDsAnswerAsUnknown(t *testing.T) {
	f := newFixture(t)
	foreign, unknown := f.orgB.Locations[0].ID, uuid.NewString()
	orgWith := func(id string) map[string]any {
		o := orgPayload("Harbor Clinic", "WI")
		loc := o["locations"].([]any)[0].(map[string]any)
		loc["id"] = id
		return o
	}
	posWith := func(id string) map[string]any {
		p := f.positionPayload(f.orgA, jobs.StatusDraft)
		p["location_id"] = id
		return p
	}
	orgPatch := func(id string) map[string]any {
		keep := map[string]any{"id": f.orgA.Locations[0].ID, "name": "Lakeshore East Clinic", "state": "WI",
			"lat": 43.04, "lng": -87.90, "time_zone": "America/Chicago"}
		other := map[string]any{"id": id, "name": "Borrowed", "state": "MN", "lat": 44.96, "lng": -93.28, "time_zone": "America/Chicago"}
		return map[string]any{"locations": []any{keep, other}}
	}
	cases := []struct {
		name, key, method, path, field string
		body                           func(id string) map[string]any
	}{
		{"create organization", f.admin, "POST", "/v1/organizations", "locations[0].id", orgWith},
		{"patch organization", f.recA, "PATCH", "/v1/organizations/" + f.orgA.ID, "locations[1].id", orgPatch},
		{"create position", f.recA, "POST", "/v1/positions", "location_id", posWith},
		{"patch position", f.recA, "PATCH", "/v1/positions/" + f.posA.ID, "location_id",
			func(id string) map[string]any { return map[string]any{"location_id": id} }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var answers [2]Problem
			for i, id := range []string{foreign, unknown} {
				var hdr []string
				if tc.method == "PATCH" {
					hdr = []string{"If-Match", f.etagOf(t, tc.path)}
				}
				before := f.counts(t)
				rec := f.do(t, tc.key, tc.method, tc.path, tc.body(id), hdr...)
				answers[i] = wantProblem(t, rec, http.StatusUnprocessableEntity, tc.field)
				answers[i].Instance, answers[i].RequestID = "", ""
				if after := f.counts(t); after["organizations"] != before["organizations"] || after["positions"] != before["positions"] {
					t.Errorf("a refused request wrote a record: before %v, after %v", before, after)
				}
			}
			if a, b := mustJSON(t, answers[0]), mustJSON(t, answers[1]); a != b {
				t.Errorf("another tenant's ID and an unknown ID are answered differently:\n%s\n%s", a, b)
			}
		})
	}
	var n int
	if err := f.pool.QueryRow(t.Context(), `SELECT count(*) FROM locations WHERE id = $1`, unknown).Scan(&n); err != nil || n != 0 {
		t.Errorf("a location with the client's ID: %d rows (%v), want 0", n, err)
	}
}
