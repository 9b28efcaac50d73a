package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"carefit/access"
	"carefit/candidates"
	"carefit/jobs"
)

// wantETag fails unless the response's ETag names version.
func wantETag(t *testing.T, rec interface{ Header() http.Header }, version int) {
	t.Helper()
	if got, want := rec.Header().Get("ETag"), etag(version); got != want {
		t.Errorf("ETag: got %s, want %s", got, want)
	}
}

// TestOrganizationRoundTrip creates, reads, patches and deletes an
// organization; every answer's ETag is its version.
func TestOrganizationRoundTrip(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, f.admin, "POST", "/v1/organizations", orgPayload("Northwoods Clinic", "WI"))
	wantStatus(t, rec, http.StatusCreated)
	o := decode[jobs.Organization](t, rec)
	wantETag(t, rec, 1)
	if got, want := rec.Header().Get("Location"), "/v1/organizations/"+o.ID; got != want {
		t.Errorf("Location: got %q, want %q", got, want)
	}
	path := "/v1/organizations/" + o.ID
	rec = f.do(t, f.admin, "GET", path, nil)
	wantETag(t, rec, 1)
	if got := decode[jobs.Organization](t, rec); got.Name != "Northwoods Clinic" || len(got.Locations) != 1 || got.Locations[0].State != "WI" {
		t.Errorf("read back: got %+v", got)
	}
	rec = f.do(t, f.admin, "PATCH", path, map[string]any{"name": "Northwoods Health", "weight_overrides": nil}, "If-Match", `"v1"`)
	wantStatus(t, rec, http.StatusOK)
	wantETag(t, rec, 2)
	got := decode[jobs.Organization](t, f.do(t, f.admin, "GET", path, nil))
	if got.Name != "Northwoods Health" || got.Version != 2 || len(got.WeightOverrides) != 0 || got.Kind != "fqhc" {
		t.Errorf("after PATCH: got name %q, version %d, overrides %v, kind %q", got.Name, got.Version, got.WeightOverrides, got.Kind)
	}
	wantStatus(t, f.do(t, f.admin, "DELETE", path, nil), http.StatusNoContent)
	wantProblem(t, f.do(t, f.admin, "GET", path, nil), http.StatusNotFound, "")
	wantProblem(t, f.do(t, f.admin, "DELETE", path, nil), http.StatusNotFound, "")
}

// TestPositionLifecycle walks a position through its statuses and checks
// the version history.
func TestPositionLifecycle(t *testing.T) {
	f := newFixture(t)
	p := f.createPosition(t, f.orgA, jobs.StatusDraft)
	path := "/v1/positions/" + p.ID
	step := func(method, sub string, body any, version, want int) jobs.Position {
		t.Helper()
		rec := f.do(t, f.recA, method, path+sub, body, "If-Match", etag(version))
		wantStatus(t, rec, want)
		if want != http.StatusOK {
			return jobs.Position{}
		}
		out := decode[jobs.Position](t, rec)
		wantETag(t, rec, out.Version)
		if out.Version != version+1 {
			t.Errorf("version: got %d, want %d", out.Version, version+1)
		}
		return out
	}
	step("PATCH", "", map[string]any{"pay": map[string]any{"min": 260000}}, 1, http.StatusOK)
	// Opening needs a future expiry.
	step("POST", "/status", map[string]any{"status": "open"}, 2, http.StatusUnprocessableEntity)
	step("PATCH", "", map[string]any{"expires_at": f.now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)}, 2, http.StatusOK)
	if got := step("POST", "/status", map[string]any{"status": "open"}, 3, http.StatusOK); got.Status != jobs.StatusOpen {
		t.Errorf("status: got %s, want open", got.Status)
	}
	wantProblem(t, f.do(t, f.recA, "DELETE", path, nil), http.StatusConflict, "")
	step("POST", "/status", map[string]any{"status": "draft"}, 4, http.StatusConflict)
	step("POST", "/status", map[string]any{"status": "closed"}, 4, http.StatusOK)
	step("POST", "/status", map[string]any{"status": "open"}, 5, http.StatusOK)
	step("POST", "/status", map[string]any{"status": "filled"}, 6, http.StatusOK)
	step("POST", "/status", map[string]any{"status": "open"}, 7, http.StatusConflict)

	rec := f.do(t, f.recA, "GET", path+"/versions", nil)
	wantStatus(t, rec, http.StatusOK)
	vs := decode[struct{ Items []jobs.PositionVersion }](t, rec).Items
	wantStatuses := []jobs.Status{"draft", "draft", "draft", "open", "closed", "open", "filled"}
	if len(vs) != len(wantStatuses) {
		t.Fatalf("versions: got %d, want %d", len(vs), len(wantStatuses))
	}
	recA := f.keyID(t, f.recA)
	for i, v := range vs {
		if v.Version != i+1 || v.Position.Version != i+1 || v.Position.Status != wantStatuses[i] {
			t.Errorf("version %d: got version %d, status %s, want %d, %s", i+1, v.Version, v.Position.Status, i+1, wantStatuses[i])
		}
		if i > 0 && v.ChangedByKey != recA {
			t.Errorf("version %d changed by: got %q, want recruiter A's key", i+1, v.ChangedByKey)
		}
	}
	if vs[0].Position.Pay.Min != 250000 || vs[1].Position.Pay.Min != 260000 {
		t.Errorf("pay history: got %v then %v, want 250000 then 260000", vs[0].Position.Pay.Min, vs[1].Position.Pay.Min)
	}

	d := f.createPosition(t, f.orgA, jobs.StatusDraft)
	wantStatus(t, f.do(t, f.recA, "DELETE", "/v1/positions/"+d.ID, nil), http.StatusNoContent)
	wantProblem(t, f.do(t, f.recA, "GET", "/v1/positions/"+d.ID, nil), http.StatusNotFound, "")
}

// TestPatchNullClearsFact: null makes a work-environment fact unknown,
// which is not the same as 0; absent members are left alone.
func TestPatchNullClearsFact(t *testing.T) {
	f := newFixture(t)
	path := "/v1/positions/" + f.posA.ID
	env := func(rec interface{ Header() http.Header }, body []byte) map[string]json.RawMessage {
		var p struct{ Environment map[string]json.RawMessage }
		if err := json.Unmarshal(body, &p); err != nil {
			t.Fatal(err)
		}
		return p.Environment
	}
	tests := []struct {
		name  string
		patch map[string]any
		want  map[string]string // fact -> raw JSON
	}{
		{"null clears", map[string]any{"panel_size": nil}, map[string]string{"panel_size": "null", "call_one_in_n": "0", "visit_minutes_new": "40"}},
		{"zero is known", map[string]any{"panel_size": 0}, map[string]string{"panel_size": "0", "call_one_in_n": "0"}},
		{"call null", map[string]any{"call_one_in_n": nil}, map[string]string{"panel_size": "0", "call_one_in_n": "null", "scribe": "false"}},
		{"scribe null", map[string]any{"scribe": nil}, map[string]string{"scribe": "null", "ehr": `"epic"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := f.do(t, f.recA, "PATCH", path, map[string]any{"environment": tc.patch}, "If-Match", f.etagOf(t, path))
			wantStatus(t, rec, http.StatusOK)
			for _, r := range []*struct{ body []byte }{{rec.Body.Bytes()}, {f.do(t, f.recA, "GET", path, nil).Body.Bytes()}} {
				got := env(rec, r.body)
				for k, want := range tc.want {
					if string(got[k]) != want {
						t.Errorf("environment.%s: got %s, want %s", k, got[k], want)
					}
				}
			}
		})
	}
	// "environment": null makes every fact unknown.
	rec := f.do(t, f.recA, "PATCH", path, map[string]any{"environment": nil}, "If-Match", f.etagOf(t, path))
	wantStatus(t, rec, http.StatusOK)
	for k, v := range env(rec, rec.Body.Bytes()) {
		if string(v) != "null" {
			t.Errorf("environment.%s after null: got %s, want null", k, v)
		}
	}
}

// TestProfileRoundTrip creates, reads, patches and deletes a profile.
func TestProfileRoundTrip(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, f.admin, "POST", "/v1/profiles", f.profilePayload("Iris", false))
	wantStatus(t, rec, http.StatusCreated)
	wantETag(t, rec, 1)
	p := decode[candidates.Profile](t, rec)
	path := "/v1/profiles/" + p.ID
	if got := rec.Header().Get("Location"); got != path {
		t.Errorf("Location: got %q, want %q", got, path)
	}
	// The same NPI again is a conflict.
	dup := f.profilePayload("Iris", false)
	dup["npi"] = p.NPI
	wantProblem(t, f.do(t, f.admin, "POST", "/v1/profiles", dup), http.StatusConflict, "")

	own := f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: p.ID})
	rec = f.do(t, own, "PATCH", path, map[string]any{"years_experience": 9, "pay_floor": map[string]any{"annual": nil},
		"name": map[string]any{"family": nil}}, "If-Match", `"v1"`)
	wantStatus(t, rec, http.StatusOK)
	wantETag(t, rec, 2)
	got := decode[candidates.Profile](t, f.do(t, own, "GET", path, nil))
	if got.YearsExperience != 9 || got.PayFloor.Annual != nil || got.Name.Family != "" || got.Name.Given != "Iris" || got.Version != 2 {
		t.Errorf("after PATCH: got years %d, pay floor %v, name %+v, version %d", got.YearsExperience, got.PayFloor.Annual, got.Name, got.Version)
	}
	rec = f.do(t, own, "PUT", path+"/consent", map[string]any{"visible_to_recruiters": true})
	wantStatus(t, rec, http.StatusOK)
	wantETag(t, rec, 3)
	if c := decode[candidates.Profile](t, rec); !c.VisibleToRecruiters || c.ConsentUpdatedAt == nil {
		t.Errorf("consent: got %v at %v, want true with a time", c.VisibleToRecruiters, c.ConsentUpdatedAt)
	}
	wantStatus(t, f.do(t, own, "DELETE", path, nil), http.StatusNoContent)
	wantProblem(t, f.do(t, f.admin, "GET", path, nil), http.StatusNotFound, "")
}

// walk follows next_cursor through a list and returns every ID.
func walk(t *testing.T, f *fixture, key, path string) []string {
	t.Helper()
	var ids []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatalf("%s: more than 100 pages", path)
		}
		url := path + sep(path) + "limit=3"
		if cursor != "" {
			url += "&cursor=" + cursor
		}
		rec := f.do(t, key, "GET", url, nil)
		wantStatus(t, rec, http.StatusOK)
		page := decode[struct {
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}](t, rec)
		if len(page.Items) > 3 {
			t.Errorf("page size: got %d, want at most 3", len(page.Items))
		}
		for _, it := range page.Items {
			ids = append(ids, it.ID)
		}
		if page.NextCursor == "" {
			return ids
		}
		cursor = page.NextCursor
	}
}

// wantSameSet fails unless got has exactly want's IDs, each once.
func wantSameSet(t *testing.T, got, want []string) {
	t.Helper()
	seen := map[string]int{}
	for _, id := range got {
		seen[id]++
		if seen[id] == 2 {
			t.Errorf("duplicate %s", id)
		}
	}
	for _, id := range want {
		if seen[id] == 0 {
			t.Errorf("missing %s", id)
		}
	}
	if len(got) != len(want) {
		t.Errorf("items: got %d, want %d", len(got), len(want))
	}
}

// TestPagination follows cursors through every list: each record once,
// no gaps, and a recruiter sees only their organization's.
func TestPagination(t *testing.T) {
	f := newFixture(t)
	posA := []string{f.posA.ID}
	for i := range 7 {
		st := jobs.StatusDraft
		if i%2 == 0 {
			st = jobs.StatusOpen
		}
		posA = append(posA, f.createPosition(t, f.orgA, st).ID)
	}
	orgs := []string{f.orgA.ID, f.orgB.ID}
	for range 5 {
		orgs = append(orgs, f.mustCreate(t, "/v1/organizations", orgPayload("Clinic", "WI")).org(t).ID)
	}
	profs := []string{f.prof1.ID, f.prof2.ID}
	for range 5 {
		profs = append(profs, f.mustCreate(t, "/v1/profiles", f.profilePayload("Jo", false)).profile(t).ID)
	}
	f.refresh(t) // recruiter A lists the clinicians its open positions could hire: all of them
	wantSameSet(t, walk(t, f, f.recA, "/v1/positions"), posA)
	wantSameSet(t, walk(t, f, f.admin, "/v1/positions?org_id="+f.orgA.ID), posA)
	wantSameSet(t, walk(t, f, f.admin, "/v1/positions"), append(posA, f.posB.ID))
	wantSameSet(t, walk(t, f, f.admin, "/v1/organizations"), orgs)
	wantSameSet(t, walk(t, f, f.recB, "/v1/organizations"), []string{f.orgB.ID})
	wantSameSet(t, walk(t, f, f.admin, "/v1/profiles"), profs)
	wantSameSet(t, walk(t, f, f.recA, "/v1/profiles"), profs)
}

// TestClinicianSeesListedPositionsOnly: clinicians list and read open,
// unexpired positions of every organization and nothing else.
func TestClinicianSeesListedPositionsOnly(t *testing.T) {
	f := newFixture(t)
	openB := f.createPosition(t, f.orgB, jobs.StatusOpen)
	soon := f.positionPayload(f.orgA, jobs.StatusOpen)
	soon["expires_at"] = f.now().Add(time.Hour).UTC().Format(time.RFC3339)
	expiring := f.mustCreate(t, "/v1/positions", soon).position(t)
	closed := f.createPosition(t, f.orgA, jobs.StatusOpen)
	wantStatus(t, f.do(t, f.admin, "POST", "/v1/positions/"+closed.ID+"/status", map[string]any{"status": "closed"}, "If-Match", `"v1"`), http.StatusOK)

	wantSameSet(t, walk(t, f, f.clin1, "/v1/positions"), []string{f.posA.ID, openB.ID, expiring.ID})
	f.skew.Store(int64(2 * time.Hour)) // the expiring position is now past its expiry
	wantSameSet(t, walk(t, f, f.clin1, "/v1/positions"), []string{f.posA.ID, openB.ID})
	wantSameSet(t, walk(t, f, f.clin2, "/v1/positions?status=open"), []string{f.posA.ID, openB.ID})
	wantProblem(t, f.do(t, f.clin1, "GET", "/v1/positions?status=draft", nil), http.StatusBadRequest, "status")
	for _, id := range []string{f.posB.ID, expiring.ID, closed.ID} {
		wantProblem(t, f.do(t, f.clin1, "GET", "/v1/positions/"+id, nil), http.StatusNotFound, "")
		wantProblem(t, f.do(t, f.clin1, "GET", "/v1/positions/"+id+"/versions", nil), http.StatusNotFound, "")
	}
	wantStatus(t, f.do(t, f.clin1, "GET", "/v1/positions/"+openB.ID, nil), http.StatusOK)
}

// TestClinicianPagesAreFull: expired positions are filtered before the
// LIMIT, so a clinician paging with limit 2 through 3 expired and 5 listed
// positions gets full pages and exactly the 5, in order.
func TestClinicianPagesAreFull(t *testing.T) {
	f := newFixture(t)
	listed := []string{f.posA.ID} // oldest first
	for i := range 7 {
		p := f.positionPayload(f.orgA, jobs.StatusOpen)
		expiring := i%2 == 0 && i < 6 // 3 of the 7 expire within the hour
		if expiring {
			p["expires_at"] = f.now().Add(time.Hour).UTC().Format(time.RFC3339)
		}
		id := f.mustCreate(t, "/v1/positions", p).position(t).ID
		if !expiring {
			listed = append(listed, id)
		}
	}
	f.createPosition(t, f.orgB, jobs.StatusDraft)
	f.skew.Store(int64(2 * time.Hour))
	slices.Reverse(listed) // newest first
	var got []string
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("more than 5 pages")
		}
		rec := f.do(t, f.clin1, "GET", "/v1/positions?limit=2&cursor="+cursor, nil)
		wantStatus(t, rec, http.StatusOK)
		page := decode[struct {
			Items      []jobs.Position `json:"items"`
			NextCursor string          `json:"next_cursor"`
		}](t, rec)
		if page.NextCursor != "" && len(page.Items) != 2 {
			t.Errorf("page %d: got %d items before the last page, want 2", pages, len(page.Items))
		}
		for _, p := range page.Items {
			got = append(got, p.ID)
		}
		if page.NextCursor == "" {
			break
		}
		cursor = page.NextCursor
	}
	if len(listed) != 5 {
		t.Fatalf("setup: %d listed positions, want 5", len(listed))
	}
	if d := cmp.Diff(listed, got); d != "" {
		t.Errorf("positions (-want +got):\n%s", d)
	}
}

// TestKeys creates, lists, uses and revokes a key.
func TestKeys(t *testing.T) {
	f := newFixture(t)
	rec := f.do(t, f.admin, "POST", "/v1/keys", map[string]any{"role": "clinician", "profile_id": f.prof2.ID, "label": "Ben's phone"})
	wantStatus(t, rec, http.StatusCreated)
	if got := rec.Header().Get("Cache-Control"); got != "no-store" {
		t.Errorf("Cache-Control: got %q, want no-store", got)
	}
	created := decode[createdKey](t, rec)
	if !strings.HasPrefix(created.Secret, created.Key.Prefix) || created.Key.Role != access.Clinician {
		t.Errorf("created key: got %+v", created)
	}
	me := decode[access.Principal](t, f.do(t, created.Secret, "GET", "/v1/me", nil))
	if me.KeyID != created.Key.ID || me.Role != access.Clinician {
		t.Errorf("/v1/me: got %+v", me)
	}
	rec = f.do(t, f.admin, "GET", "/v1/keys", nil)
	wantStatus(t, rec, http.StatusOK)
	if strings.Contains(rec.Body.String(), created.Secret) || strings.Contains(rec.Body.String(), "hash") {
		t.Errorf("key list shows a secret or hash: %s", rec.Body)
	}
	found := false
	for _, k := range decode[struct{ Items []access.Key }](t, rec).Items {
		if k.ID == created.Key.ID {
			found = k.Label == "Ben's phone" && k.RevokedAt == nil && k.ProfileID == f.prof2.ID
		}
	}
	if !found {
		t.Errorf("key list: %s not listed as created", created.Key.ID)
	}
	wantStatus(t, f.do(t, f.admin, "DELETE", "/v1/keys/"+created.Key.ID, nil), http.StatusNoContent)
	wantProblem(t, f.do(t, created.Secret, "GET", "/v1/me", nil), http.StatusUnauthorized, "")
	wantProblem(t, f.do(t, f.admin, "DELETE", "/v1/keys/"+created.Key.ID, nil), http.StatusNotFound, "")
	wantProblem(t, f.do(t, f.admin, "DELETE", "/v1/keys/not-a-uuid", nil), http.StatusNotFound, "")
	// Keys must point at something that exists.
	wantProblem(t, f.do(t, f.admin, "POST", "/v1/keys", map[string]any{"role": "clinician", "profile_id": f.orgA.ID}), http.StatusUnprocessableEntity, "profile_id")
}

// TestDeletingOwnerRevokesKeys: a clinician key stops working when its
// profile is deleted (by an admin or by the clinician), and a recruiter
// key when its organization is deleted; other keys keep working.
func TestDeletingOwnerRevokesKeys(t *testing.T) {
	f := newFixture(t)
	for _, by := range []string{"admin", "self"} {
		t.Run("profile deleted by "+by, func(t *testing.T) {
			p := f.mustCreate(t, "/v1/profiles", f.profilePayload("Dee", false)).profile(t)
			key := f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: p.ID, Label: "Dee"})
			wantStatus(t, f.do(t, key, "GET", "/v1/me", nil), http.StatusOK)
			deleter := f.admin
			if by == "self" {
				deleter = key
			}
			wantStatus(t, f.do(t, deleter, "DELETE", "/v1/profiles/"+p.ID, nil), http.StatusNoContent)
			wantProblem(t, f.do(t, key, "GET", "/v1/me", nil), http.StatusUnauthorized, "")
			wantProblem(t, f.do(t, key, "GET", "/v1/positions", nil), http.StatusUnauthorized, "")
			wantStatus(t, f.do(t, f.clin1, "GET", "/v1/me", nil), http.StatusOK)
		})
	}
	t.Run("organization deleted", func(t *testing.T) {
		org := f.mustCreate(t, "/v1/organizations", orgPayload("Short-lived Clinic", "WI")).org(t)
		key := f.mustKey(t, access.NewKey{Role: access.Recruiter, OrgID: org.ID, Label: "recruiter"})
		wantStatus(t, f.do(t, key, "GET", "/v1/me", nil), http.StatusOK)
		wantStatus(t, f.do(t, f.admin, "DELETE", "/v1/organizations/"+org.ID, nil), http.StatusNoContent)
		wantProblem(t, f.do(t, key, "GET", "/v1/me", nil), http.StatusUnauthorized, "")
		wantProblem(t, f.do(t, key, "GET", "/v1/positions", nil), http.StatusUnauthorized, "")
		wantStatus(t, f.do(t, f.recA, "GET", "/v1/me", nil), http.StatusOK)
	})
}

// TestImportProfiles: a bad line is reported by line number and field
// and the good lines are kept; with atomic=true nothing is kept.
func TestImportProfiles(t *testing.T) {
	f := newFixture(t)
	bad := f.profilePayload("Kim", false)
	bad["npi"] = "1234567890" // wrong check digit
	body := ndjson(t, f.profilePayload("Lee", false), bad, "", f.profilePayload("Max", true))

	before := f.counts(t)
	rec := f.do(t, f.admin, "POST", "/v1/import/profiles", body, "Content-Type", "application/x-ndjson")
	wantStatus(t, rec, http.StatusOK)
	rep := decode[importReport](t, rec)
	if rep.Lines != 4 || rep.Imported != 2 || rep.Rejected != 1 || len(rep.Errors) != 1 || rep.Errors[0].Line != 2 || rep.Errors[0].Field != "npi" {
		t.Errorf("report: got %+v, want 4 lines, 2 imported, line 2 rejected for npi", rep)
	}
	if got := f.counts(t)["profiles"] - before["profiles"]; got != 2 {
		t.Errorf("profiles imported: got %d, want 2", got)
	}

	bad2 := f.profilePayload("Ned", false)
	bad2["home"] = map[string]any{"lat": 0, "lng": 0, "state": "WI"}
	body = ndjson(t, f.profilePayload("Oda", false), bad2)
	before = f.counts(t)
	rec = f.do(t, f.admin, "POST", "/v1/import/profiles?atomic=true", body, "Content-Type", "application/x-ndjson")
	wantStatus(t, rec, http.StatusOK)
	rep = decode[importReport](t, rec)
	if rep.Imported != 0 || rep.Rejected != 1 || len(rep.Errors) == 0 || rep.Errors[0].Line != 2 || rep.Errors[0].Field != "home.lat" {
		t.Errorf("atomic report: got %+v, want nothing imported, line 2 rejected for home.lat", rep)
	}
	if diff := f.counts(t); !equalCounts(diff, before) {
		t.Errorf("rows after atomic import: got %v, want %v", diff, before)
	}
}
