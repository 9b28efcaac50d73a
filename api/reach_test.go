package api

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"carefit/access"
	"carefit/candidates"
	"carefit/search"
)

// index puts profiles in the search index, as the sync relay would.
func (f *fixture) index(t *testing.T, ps ...candidates.Profile) {
	t.Helper()
	var docs []search.ProfileDoc
	for _, p := range ps {
		d, err := search.NewProfileDoc(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d)
	}
	if err := f.search.UpsertProfiles(context.Background(), docs); err != nil {
		t.Fatal(err)
	}
}

// seen lists the clinician IDs key finds in the profile list, in free
// search (with its total), and in posA's ranked candidates (with its
// total).
type seen struct {
	list, search, ranked     []string
	searchTotal, rankedTotal int
}

func (f *fixture) seenBy(t *testing.T, key string) seen {
	t.Helper()
	var s seen
	for _, p := range decode[struct{ Items []profileView }](t, f.do(t, key, http.MethodGet, "/v1/profiles?limit=200", nil)).Items {
		s.list = append(s.list, p.ID)
	}
	res := decode[struct {
		Hits  []profileView
		Total int
	}](t, f.do(t, key, http.MethodGet, "/v1/search/profiles?limit=100", nil))
	for _, p := range res.Hits {
		s.search = append(s.search, p.ID)
	}
	s.searchTotal = res.Total
	rec := f.do(t, key, http.MethodGet, "/v1/positions/"+f.posA.ID+"/candidates?limit=100", nil)
	if rec.Code == http.StatusOK {
		page := decode[struct {
			Items []candidateRow
			Total int
		}](t, rec)
		for _, r := range page.Items {
			s.ranked = append(s.ranked, r.Clinician.ID)
		}
		s.rankedTotal = page.Total
	}
	return s
}

// wantSeen checks where key finds the clinician id: in every list or in
// none, single reads answering 200 or 404 alike.
func (f *fixture) wantSeen(t *testing.T, key, id string, want bool, ranked bool) seen {
	t.Helper()
	s := f.seenBy(t, key)
	for name, ids := range map[string][]string{"list": s.list, "search": s.search, "ranked list": s.ranked} {
		if name == "ranked list" && !ranked {
			continue
		}
		if got := slices.Contains(ids, id); got != want {
			t.Errorf("%s: clinician %s present %v, want %v (%v)", name, id, got, want, ids)
		}
	}
	status := http.StatusNotFound
	if want {
		status = http.StatusOK
	}
	if rec := f.do(t, key, http.MethodGet, "/v1/profiles/"+id, nil); rec.Code != status {
		t.Errorf("single read: got %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if rec := f.do(t, key, http.MethodGet, "/v1/positions/"+f.posA.ID+"/candidates/"+id, nil); rec.Code != status {
		t.Errorf("explained pair: got %d, want %d: %s", rec.Code, status, rec.Body)
	}
	return s
}

// TestRecruitersSeeOnlyWhomTheyCouldHire: a recruiter finds a clinician
// only when eligible for one of the organization's open positions or
// related to it (here: the clinician's interest), in single reads, lists,
// search (its total included) and ranked lists; an admin finds everyone.
func TestRecruitersSeeOnlyWhomTheyCouldHire(t *testing.T) {
	f := newFixture(t)
	body := f.profilePayload("Ivo", true)
	body["home"] = map[string]any{"lat": 44.98, "lng": -93.27, "state": "MN", "postal_code": "55401"} // Minneapolis
	body["max_commute_miles"], body["willing_to_move_states"] = 20, []string{}
	far := f.mustCreate(t, "/v1/profiles", body).profile(t)
	farKey := f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: far.ID})
	f.index(t, f.prof1, f.prof2, far)
	f.refresh(t)

	s := f.wantSeen(t, f.recA, far.ID, false, false)
	if s.searchTotal != 2 || !slices.Contains(s.search, f.prof1.ID) || !slices.Contains(s.search, f.prof2.ID) {
		t.Errorf("search: got %v of %d, want the two eligible clinicians", s.search, s.searchTotal)
	}
	wantProblem(t, f.putPipeline(t, f.recA, f.posA.ID, far.ID, "shortlisted", ""), http.StatusNotFound, "")
	wantProblem(t, f.requestIntro(t, f.recA, f.posA.ID, far.ID), http.StatusNotFound, "")
	if s := f.wantSeen(t, f.recB, f.prof1.ID, false, false); len(s.list)+len(s.search) != 0 || s.searchTotal != 0 {
		t.Errorf("organization B, with no open position, found %+v", s)
	}
	if s := f.seenBy(t, f.admin); s.searchTotal != 3 || len(s.list) != 3 {
		t.Errorf("admin: got %d listed and %d found, want everyone", len(s.list), s.searchTotal)
	}
	wantStatus(t, f.do(t, f.admin, http.MethodGet, "/v1/positions/"+f.posA.ID+"/candidates/"+far.ID, nil), http.StatusOK)

	wantStatus(t, f.do(t, farKey, http.MethodPost, "/v1/me/introductions", map[string]any{"position_id": f.posA.ID}), http.StatusCreated)
	if s := f.wantSeen(t, f.recA, far.ID, true, false); s.searchTotal != 3 {
		t.Errorf("after the clinician's interest: search total %d, want 3", s.searchTotal)
	}
}

// TestBlockedOrganizationSeesNothing: a clinician who blocks an
// organization leaves every one of its lists, reads, pipelines and
// introductions at once, an accepted introduction is revoked, and the
// block and the revocation are in the consent record; unblocking brings
// the clinician back. Admins still read them.
func TestBlockedOrganizationSeesNothing(t *testing.T) {
	f := newFixture(t)
	f.index(t, f.prof1, f.prof2)
	in := f.mustIntro(t, f.recA, f.posA.ID, f.prof1.ID)
	wantStatus(t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions/"+in.ID+"/accept", nil), http.StatusOK)
	before := f.wantSeen(t, f.recA, f.prof1.ID, true, true)

	rec := f.do(t, f.clin1, http.MethodPut, "/v1/me/blocked-organizations", map[string]any{"organization_ids": []string{f.orgA.ID}})
	wantStatus(t, rec, http.StatusOK)
	blocks := decode[struct {
		Items []struct {
			OrgID   string `json:"org_id"`
			OrgName string `json:"org_name"`
		}
	}](t, rec).Items
	if len(blocks) != 1 || blocks[0].OrgName != f.orgA.Name {
		t.Fatalf("blocked: got %+v, want organization A by name", blocks)
	}
	f.refresh(t)
	after := f.wantSeen(t, f.recA, f.prof1.ID, false, true)
	if after.rankedTotal != before.rankedTotal-1 || after.searchTotal != before.searchTotal-1 {
		t.Errorf("totals: ranked %d → %d, search %d → %d; want one fewer each", before.rankedTotal, after.rankedTotal, before.searchTotal, after.searchTotal)
	}
	wantProblem(t, f.do(t, f.recA, http.MethodGet, pipelinePath(f.posA.ID, f.prof1.ID), nil), http.StatusNotFound, "")
	for _, e := range decode[struct {
		Items []struct {
			ClinicianID string `json:"clinician_id"`
		}
	}](t,
		f.do(t, f.recA, http.MethodGet, "/v1/positions/"+f.posA.ID+"/pipeline", nil)).Items {
		if e.ClinicianID == f.prof1.ID {
			t.Error("the organization's pipeline still shows the clinician")
		}
	}
	if items := decode[struct{ Items []clinicianIntro }](t, f.do(t, f.recA, http.MethodGet, "/v1/introductions", nil)).Items; len(items) != 0 {
		t.Errorf("the organization's introductions: got %+v, want none", items)
	}
	wantProblem(t, f.do(t, f.recA, http.MethodGet, "/v1/introductions/"+in.ID, nil), http.StatusNotFound, "")
	mine := decode[struct{ Items []clinicianIntro }](t, f.do(t, f.clin1, http.MethodGet, "/v1/me/introductions", nil)).Items
	if len(mine) != 1 || mine[0].Status != "revoked" {
		t.Errorf("the clinician's introductions: got %+v, want it revoked", mine)
	}
	wantCode(t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions", map[string]any{"position_id": f.posA.ID}), http.StatusConflict, "organization_blocked")
	wantContact(t, f.readView(t, f.admin, f.prof1.ID), f.prof1)

	var kinds []access.ConsentKind
	for _, e := range decodeConsents(t, f, f.clin1).Events {
		kinds = append(kinds, e.Kind)
	}
	if !slices.Contains(kinds, access.ConsentBlocked) || kinds[len(kinds)-1] != access.ConsentRevoked && kinds[len(kinds)-2] != access.ConsentRevoked {
		t.Errorf("consent record: got %v, want the block and the revocation", kinds)
	}
	wantStatus(t, f.do(t, f.clin1, http.MethodPut, "/v1/me/blocked-organizations", map[string]any{"organization_ids": []string{}}), http.StatusOK)
	f.refresh(t)
	f.wantSeen(t, f.recA, f.prof1.ID, true, true)
}

// TestExportHoldsEverything: the clinician's export holds their profile
// with contact details, keys without secrets, consent record, blocks,
// introductions, the pipeline kept about them and their access log.
func TestExportHoldsEverything(t *testing.T) {
	f := newFixture(t)
	in := f.mustIntro(t, f.recA, f.posA.ID, f.prof1.ID)
	wantStatus(t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions/"+in.ID+"/accept", map[string]any{"reply": "Yes."}), http.StatusOK)
	wantStatus(t, f.putPipeline(t, f.recA, f.posA.ID, f.prof1.ID, "interviewing", "Strong on continuity."), http.StatusOK)
	f.readView(t, f.recA, f.prof1.ID) // a reveal for the access log
	wantStatus(t, f.do(t, f.clin1, http.MethodPut, "/v1/me/blocked-organizations", map[string]any{"organization_ids": []string{f.orgB.ID}}), http.StatusOK)

	rec := f.do(t, f.clin1, http.MethodGet, "/v1/me/export", nil)
	wantStatus(t, rec, http.StatusOK)
	if cd := rec.Header().Get("Content-Disposition"); cd == "" {
		t.Error("the export is not a download")
	}
	got := decode[exported](t, rec)
	if got.Profile.Contact != f.prof1.Contact {
		t.Errorf("profile: got contact %+v, want the clinician's own", got.Profile.Contact)
	}
	if len(got.APIKeys) != 1 || got.APIKeys[0]["prefix"] == nil || got.APIKeys[0]["hash"] != nil {
		t.Errorf("keys: got %+v, want the clinician's one key, without its hash", got.APIKeys)
	}
	if len(got.Blocked) != 1 || got.Blocked[0].OrgID != f.orgB.ID {
		t.Errorf("blocked: got %+v, want organization B", got.Blocked)
	}
	if len(got.Introductions) != 1 || got.Introductions[0].Reply != "Yes." {
		t.Errorf("introductions: got %+v, want the accepted one", got.Introductions)
	}
	if len(got.Pipeline) != 1 || got.Pipeline[0].State != "interviewing" || got.Pipeline[0].Note != "Strong on continuity." || len(got.Pipeline[0].History) != 2 {
		t.Errorf("pipeline: got %+v, want the entry with its note and two changes", got.Pipeline)
	}
	if len(got.ConsentRecord) < 3 || len(got.AccessLog) == 0 || got.AccessLog[0].Action != access.ActionContactRead {
		t.Errorf("consent record %d entries, access log %+v; want creation, acceptance and block, and the reveal", len(got.ConsentRecord), got.AccessLog)
	}
}

// exported is the clinician's export as a client reads it.
type exported struct {
	Profile       profileView
	APIKeys       []map[string]any      `json:"api_keys"`
	ConsentRecord []access.ConsentEvent `json:"consent_record"`
	Blocked       []struct {
		OrgID string `json:"org_id"`
	} `json:"blocked_organizations"`
	Introductions []clinicianIntro
	Pipeline      []struct {
		State, Note string
		History     []any
	}
	AccessLog []access.AccessEntry `json:"access_log"`
}
