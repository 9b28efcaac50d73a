package api

import (
	"net/http"
	"slices"
	"testing"

	"carefit/access"
	"carefit/candidates"
)

// auditEntries returns the audit log entries about subject, newest first.
func (f *fixture) auditEntries(t *testing.T, subject string) []access.Entry {
	t.Helper()
	rec := f.do(t, f.admin, "GET", "/v1/audit?subject_id="+subject, nil)
	wantStatus(t, rec, http.StatusOK)
	return decode[struct{ Items []access.Entry }](t, rec).Items
}

// profileView is a profile as any audience reads it, decoded leniently:
// a recruiter's views carry members of their own (the reason for
// anonymity, the offered introduction) that candidates.Profile refuses.
type profileView struct {
	ID                  string
	Name                candidates.Name
	Contact             candidates.Contact
	NPI                 string
	Credential          string
	VisibleToRecruiters bool `json:"visible_to_recruiters"`
	Licences            []struct{ State, Number string }
	Home                struct {
		State      string
		PostalCode string `json:"postal_code"`
	}
	Anonymous    string
	Introduction *struct {
		Reason, Request string
		ClinicianID     string `json:"clinician_id"`
		PositionID      string `json:"position_id"`
	}
}

// wantAnonymous fails unless p shows nothing that identifies the
// clinician, and says why with an introduction to ask for.
func wantAnonymous(t *testing.T, p profileView) {
	t.Helper()
	if p.Name != (candidates.Name{}) || p.NPI != "" || p.Contact != (candidates.Contact{}) || p.Home.PostalCode != "" {
		t.Errorf("anonymized profile: got name %+v, NPI %q, contact %+v, postal code %q, want none", p.Name, p.NPI, p.Contact, p.Home.PostalCode)
	}
	if p.Anonymous == "" || p.Introduction == nil || p.Introduction.ClinicianID != p.ID {
		t.Errorf("anonymized profile: got reason %q and offer %+v, want both", p.Anonymous, p.Introduction)
	}
	wantNoLicenceNumbers(t, p)
}

func wantNoLicenceNumbers(t *testing.T, p profileView) {
	t.Helper()
	for i, l := range p.Licences {
		if l.Number != "" {
			t.Errorf("licences[%d].number: got %q, want none", i, l.Number)
		}
	}
}

// wantContact fails unless p carries want's name, contact details and
// licence numbers.
func wantContact(t *testing.T, p profileView, want candidates.Profile) {
	t.Helper()
	if p.Contact != want.Contact || p.NPI != want.NPI || p.Name != want.Name {
		t.Errorf("profile: got contact %+v, NPI %q, name %+v, want %+v, %q, %+v", p.Contact, p.NPI, p.Name, want.Contact, want.NPI, want.Name)
	}
	if len(p.Licences) != len(want.Licences) || len(p.Licences) > 0 && p.Licences[0].Number != want.Licences[0].Number {
		t.Errorf("licences: got %+v, want %+v", p.Licences, want.Licences)
	}
}

// readView reads a profile as key.
func (f *fixture) readView(t *testing.T, key, id string) profileView {
	t.Helper()
	rec := f.do(t, key, "GET", "/v1/profiles/"+id, nil)
	wantStatus(t, rec, http.StatusOK)
	return decode[profileView](t, rec)
}

// TestAnonymousClinician: a recruiter reading a clinician who is not
// visible by name sees no name, NPI, contact details or licence numbers,
// is told why and offered an introduction; the read is in the audit log
// as a profile read, never a reveal. Another organization, which could
// hire no one, does not see the clinician at all.
func TestAnonymousClinician(t *testing.T) {
	f := newFixture(t)
	p := f.readView(t, f.recA, f.prof2.ID)
	wantAnonymous(t, p)
	if p.Credential != string(f.prof2.Credential) || len(p.Licences) != 1 || p.Licences[0].State != "WI" {
		t.Errorf("eligibility facts: got credential %q, licences %+v, want MD licensed in WI", p.Credential, p.Licences)
	}
	wantProblem(t, f.do(t, f.recB, "GET", "/v1/profiles/"+f.prof2.ID, nil), http.StatusNotFound, "")
	entries := f.auditEntries(t, f.prof2.ID)
	if len(entries) != 1 || entries[0].Action != access.ActionProfileRead || entries[0].OrgID != f.orgA.ID {
		t.Errorf("audit entries: got %+v, want one profile read by organization A", entries)
	}
}

// TestNamedClinicianContactNeedsIntroduction: a recruiter reading a
// clinician visible by name sees the name but no contact details until an
// introduction is accepted (TestIntroductionFlow), and is offered one;
// withdrawing visibility anonymizes the next read at once.
func TestNamedClinicianContactNeedsIntroduction(t *testing.T) {
	f := newFixture(t)
	path := "/v1/profiles/" + f.prof1.ID
	rec := f.do(t, f.recA, "GET", path, nil)
	wantStatus(t, rec, http.StatusOK)
	p := decode[profileView](t, rec)
	if p.Name != f.prof1.Name || p.NPI != f.prof1.NPI || p.Contact != (candidates.Contact{}) || p.Introduction == nil || p.Anonymous != "" {
		t.Errorf("named clinician: got %+v, want the name and NPI, no contact, an offer", p)
	}
	wantNoLicenceNumbers(t, p)
	entries := f.auditEntries(t, f.prof1.ID)
	if len(entries) != 1 {
		t.Fatalf("audit entries: got %d, want 1: %+v", len(entries), entries)
	}
	e := entries[0]
	if e.KeyID != f.keyID(t, f.recA) || e.Role != access.Recruiter || e.SubjectID != f.prof1.ID ||
		e.Route != "/v1/profiles/:id" || e.Action != access.ActionProfileRead || e.RequestID == "" || e.OrgID != f.orgA.ID {
		t.Errorf("audit entry: got %+v, want recruiter A's key reading %s on /v1/profiles/:id with a request ID", e, f.prof1.ID)
	}
	if got := rec.Header().Get(echoRequestID); got != e.RequestID {
		t.Errorf("audit request ID: got %q, want the response's %q", e.RequestID, got)
	}

	wantStatus(t, f.do(t, f.clin1, "PUT", path+"/consent", map[string]any{"visible_to_recruiters": false}), http.StatusOK)
	wantAnonymous(t, f.readView(t, f.recA, f.prof1.ID))
	wantStatus(t, f.do(t, f.clin1, "PUT", path+"/consent", map[string]any{"visible_to_recruiters": true}), http.StatusOK)
	if got := f.readView(t, f.recA, f.prof1.ID); got.Name != f.prof1.Name || got.Contact != (candidates.Contact{}) {
		t.Errorf("visible again: got %+v, want the name without contact", got)
	}
	var kinds []access.ConsentKind
	for _, ev := range decodeConsents(t, f, f.clin1).Events {
		kinds = append(kinds, ev.Kind)
	}
	want := []access.ConsentKind{access.ConsentNamed, access.ConsentAnonymous, access.ConsentNamed}
	if !slices.Equal(kinds, want) {
		t.Errorf("consent record: got %v, want %v (given at creation, withdrawn, given)", kinds, want)
	}
}

// TestConsentViaPatch: turning visibility off through PATCH anonymizes
// just as PUT consent does, and is in the consent record too.
func TestConsentViaPatch(t *testing.T) {
	f := newFixture(t)
	path := "/v1/profiles/" + f.prof1.ID
	wantStatus(t, f.do(t, f.clin1, "PATCH", path, map[string]any{"visible_to_recruiters": false}, "If-Match", etag(f.prof1.Version)), http.StatusOK)
	wantAnonymous(t, f.readView(t, f.recA, f.prof1.ID))
	events := decodeConsents(t, f, f.clin1).Events
	if len(events) != 2 || events[1].Kind != access.ConsentAnonymous || events[1].KeyID != f.keyID(t, f.clin1) {
		t.Errorf("consent record: got %+v, want the creation, then the withdrawal with the clinician's key", events)
	}
}

// TestListsCarryNoContact: profile lists never carry contact details or
// licence numbers, for any role, and anonymize clinicians not visible by
// name for recruiters; an organization that could hire no one lists no
// one.
func TestListsCarryNoContact(t *testing.T) {
	f := newFixture(t)
	before := len(f.auditEntries(t, f.prof1.ID))
	for _, key := range []string{f.admin, f.recA} {
		for _, q := range []string{"", "?visible_only=true", "?licensed_in=WI&credential=MD"} {
			rec := f.do(t, key, "GET", "/v1/profiles"+q, nil)
			wantStatus(t, rec, http.StatusOK)
			items := decode[struct{ Items []profileView }](t, rec).Items
			if len(items) == 0 {
				t.Fatalf("GET /v1/profiles%s: no items", q)
			}
			for _, p := range items {
				if p.Contact != (candidates.Contact{}) {
					t.Errorf("list item %s: got contact %+v, want none", p.ID, p.Contact)
				}
				wantNoLicenceNumbers(t, p)
				if key != f.admin && !p.VisibleToRecruiters {
					wantAnonymous(t, p)
				}
			}
		}
	}
	rec := f.do(t, f.recB, "GET", "/v1/profiles", nil)
	wantStatus(t, rec, http.StatusOK)
	if items := decode[struct{ Items []profileView }](t, rec).Items; len(items) != 0 {
		t.Errorf("organization B lists %d clinicians, want none", len(items))
	}
	if got := len(f.auditEntries(t, f.prof1.ID)); got != before {
		t.Errorf("audit entries after lists: got %d, want %d", got, before)
	}
}

// TestClinicianOwnProfile: a clinician sees their whole profile, without
// an audit entry, and cannot see another clinician's.
func TestClinicianOwnProfile(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		key  string
		prof candidates.Profile
	}{{f.clin1, f.prof1}, {f.clin2, f.prof2}} {
		wantContact(t, f.readView(t, tc.key, tc.prof.ID), tc.prof)
		me := decode[struct{ Profile profileView }](t, f.do(t, tc.key, "GET", "/v1/me", nil)).Profile
		wantContact(t, me, tc.prof)
		if got := f.auditEntries(t, tc.prof.ID); len(got) != 0 {
			t.Errorf("audit entries for own reads: got %+v, want none", got)
		}
	}
	wantProblem(t, f.do(t, f.clin1, "GET", "/v1/profiles/"+f.prof2.ID, nil), http.StatusNotFound, "")
}

// TestAdminReadIsAudited: an admin reading a profile sees contact details
// and the read is audited too.
func TestAdminReadIsAudited(t *testing.T) {
	f := newFixture(t)
	wantContact(t, f.readView(t, f.admin, f.prof2.ID), f.prof2)
	entries := f.auditEntries(t, f.prof2.ID)
	if len(entries) != 1 || entries[0].Role != access.Admin || entries[0].KeyID != f.keyID(t, f.admin) || entries[0].Action != access.ActionContactRead {
		t.Errorf("audit entries: got %+v, want one reveal by the admin key", entries)
	}
}

// TestAuditAdminOnly: only admins read the audit log.
func TestAuditAdminOnly(t *testing.T) {
	f := newFixture(t)
	f.do(t, f.recA, "GET", "/v1/profiles/"+f.prof1.ID, nil) // make an entry
	for _, key := range []string{f.recA, f.recB, f.clin1, f.clin2} {
		wantProblem(t, f.do(t, key, "GET", "/v1/audit", nil), http.StatusForbidden, "")
		wantProblem(t, f.do(t, key, "GET", "/v1/audit?subject_id="+f.prof1.ID, nil), http.StatusForbidden, "")
	}
	wantProblem(t, f.do(t, "", "GET", "/v1/audit", nil), http.StatusUnauthorized, "")
	if got := len(f.auditEntries(t, "")); got != 1 {
		t.Errorf("audit entries: got %d, want 1", got)
	}
}

// echoRequestID is the response header carrying the request ID.
const echoRequestID = "X-Request-Id"
