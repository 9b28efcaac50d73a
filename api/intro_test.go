package api

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"carefit/access"
	"carefit/app"
	"carefit/candidates"
)

// introBody is a recruiter's request for an introduction.
func introBody(positionID, clinicianID string) map[string]any {
	return map[string]any{"position_id": positionID, "clinician_id": clinicianID,
		"message": "Our clinic keeps panels small.\nWould you talk with our medical director?"}
}

// freshClinician creates a clinician eligible for posA (a family
// physician in Madison, as profilePayload makes them) with a key of
// their own, and brings the feature store up to date.
func (f *fixture) freshClinician(t testing.TB, given string, visible bool) (candidates.Profile, string) {
	t.Helper()
	p := f.mustCreate(t, "/v1/profiles", f.profilePayload(given, visible)).profile(t)
	key := f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: p.ID, Label: given})
	f.refresh(t)
	return p, key
}

// requestIntro asks, as key, for an introduction to clinicianID about
// positionID.
func (f *fixture) requestIntro(t testing.TB, key, positionID, clinicianID string) *httptest.ResponseRecorder {
	t.Helper()
	return f.do(t, key, http.MethodPost, "/v1/introductions", introBody(positionID, clinicianID))
}

// mustIntro is requestIntro that must succeed.
func (f *fixture) mustIntro(t testing.TB, key, positionID, clinicianID string) app.StaffIntroduction {
	t.Helper()
	rec := f.requestIntro(t, key, positionID, clinicianID)
	wantStatus(t, rec, http.StatusCreated)
	return decode[app.StaffIntroduction](t, rec)
}

// freshRequest is recruiter A's request about posA to a new clinician,
// and that clinician's key.
func (f *fixture) freshRequest(t testing.TB) (app.StaffIntroduction, string) {
	t.Helper()
	p, key := f.freshClinician(t, "Fern", true)
	return f.mustIntro(t, f.recA, f.posA.ID, p.ID), key
}

// freshInterest is a new clinician's interest in posA.
func (f *fixture) freshInterest(t testing.TB) clinicianIntro {
	t.Helper()
	_, key := f.freshClinician(t, "Gale", false)
	rec := f.do(t, key, http.MethodPost, "/v1/me/introductions", map[string]any{"position_id": f.posA.ID, "message": "Interested."})
	wantStatus(t, rec, http.StatusCreated)
	return decode[clinicianIntro](t, rec)
}

// clinicianIntro is an introduction as the clinician reads it.
type clinicianIntro struct {
	ID           string
	Organization struct{ ID, Name string }
	PositionID   string `json:"position_id"`
	Initiator    string
	Status       string
	Message      string
	Reply        string
	Position     *struct{ ID, Title string }
	Explanation  *struct {
		Eligible bool
		Score    float64
	}
}

// decodeConsents reads the clinician key's consent record.
func decodeConsents(t *testing.T, f *fixture, key string) app.ConsentRecord {
	t.Helper()
	rec := f.do(t, key, http.MethodGet, "/v1/me/consents", nil)
	wantStatus(t, rec, http.StatusOK)
	return decode[app.ConsentRecord](t, rec)
}

// contactReads counts the audit log's reveals of subject's contact
// details.
func (f *fixture) contactReads(t *testing.T, subject string) int {
	t.Helper()
	n := 0
	for _, e := range f.auditEntries(t, subject) {
		if e.Action == access.ActionContactRead {
			n++
		}
	}
	return n
}

// TestIntroductionFlow follows one introduction from request to
// revocation: contact details reach exactly the organization whose
// introduction was accepted, every reveal is audited and in the
// clinician's access log, and the consent record keeps each step.
func TestIntroductionFlow(t *testing.T) {
	f := newFixture(t)
	before := f.readView(t, f.recA, f.prof1.ID)
	if before.Contact != (candidates.Contact{}) || before.Name != f.prof1.Name || before.Introduction == nil ||
		before.Introduction.ClinicianID != f.prof1.ID || before.Introduction.Request != "POST /v1/introductions" {
		t.Fatalf("before an introduction: got %+v, want the name, no contact and an offer", before)
	}

	in := f.mustIntro(t, f.recA, f.posA.ID, f.prof1.ID)
	if in.Status != "pending" || in.Initiator != "recruiter" || in.RequestedByKey != f.keyID(t, f.recA) {
		t.Fatalf("request: got %+v", in)
	}
	mine := decode[struct{ Items []clinicianIntro }](t, f.do(t, f.clin1, http.MethodGet, "/v1/me/introductions", nil)).Items
	if len(mine) != 1 || mine[0].Organization.Name != f.orgA.Name || mine[0].Position == nil || mine[0].Position.Title == "" ||
		mine[0].Explanation == nil || !mine[0].Explanation.Eligible || mine[0].Message == "" {
		t.Fatalf("the clinician's requests: got %+v, want one with the organization, position and fit", mine)
	}
	rec := f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions/"+in.ID+"/accept", map[string]any{"reply": "Evenings suit me."})
	wantStatus(t, rec, http.StatusOK)
	if got := decode[clinicianIntro](t, rec); got.Status != "accepted" || got.Reply != "Evenings suit me." {
		t.Fatalf("accept: got %+v", got)
	}
	pair := decode[app.PipelinePair](t, f.do(t, f.recA, http.MethodGet, pipelinePath(f.posA.ID, f.prof1.ID), nil))
	if pair.State != "contacted" || pair.ChangedByKey != f.keyID(t, f.clin1) {
		t.Errorf("pipeline after acceptance: got %+v, want contacted by the clinician's key", pair)
	}

	if got := f.readView(t, f.recA, f.prof1.ID); got.Contact != f.prof1.Contact || got.Introduction != nil {
		t.Errorf("after acceptance: got contact %+v, offer %+v; want the contact details", got.Contact, got.Introduction)
	}
	wantProblem(t, f.do(t, f.recB, http.MethodGet, "/v1/profiles/"+f.prof1.ID, nil), http.StatusNotFound, "")
	if n := f.contactReads(t, f.prof1.ID); n != 1 {
		t.Errorf("contact reads audited: got %d, want 1", n)
	}
	log := decode[app.AccessLog](t, f.do(t, f.clin1, http.MethodGet, "/v1/me/access-log", nil)).Items
	if len(log) < 2 || log[0].Action != access.ActionContactRead || log[0].OrgName != f.orgA.Name || log[0].Role != access.Recruiter ||
		log[0].PositionID != f.posA.ID {
		t.Errorf("access log: got %+v, want the reveal first, by organization A, for the introduction's position", log)
	}

	wantStatus(t, f.do(t, f.clin1, http.MethodPost, "/v1/me/introductions/"+in.ID+"/revoke", nil), http.StatusOK)
	if got := f.readView(t, f.recA, f.prof1.ID); got.Contact != (candidates.Contact{}) || got.Introduction == nil {
		t.Errorf("after revocation: got contact %+v, want none and an offer", got.Contact)
	}
	if n := f.contactReads(t, f.prof1.ID); n != 1 {
		t.Errorf("contact reads after revocation: got %d, want still 1", n)
	}
	record := decodeConsents(t, f, f.clin1)
	if len(record.Events) == 0 || record.Events[0].Kind != access.ConsentNamed || record.Events[0].ByRole != access.Admin {
		t.Fatalf("consent record: got %+v, want the admin's creation visible by name first", record.Events)
	}
	var kinds []access.ConsentKind
	for _, e := range record.Events[1:] {
		kinds = append(kinds, e.Kind)
		if e.KeyID != f.keyID(t, f.clin1) || e.ByRole != access.Clinician || e.At.IsZero() || e.IntroductionID != in.ID {
			t.Errorf("consent entry %+v: want the clinician's key, a time and the introduction", e)
		}
	}
	if len(kinds) != 2 || kinds[0] != access.ConsentAccepted || kinds[1] != access.ConsentRevoked {
		t.Errorf("consent record: got %v, want accepted then revoked", kinds)
	}
}
