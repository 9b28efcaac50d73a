package api

import (
	"net/http"
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

// wantAnonymous fails unless p shows nothing that identifies the
// clinician.
func wantAnonymous(t *testing.T, p candidates.Profile) {
	t.Helper()
	if p.Name != (candidates.Name{}) || p.NPI != "" || p.Contact != (candidates.Contact{}) {
		t.Errorf("anonymized profile: got name %+v, NPI %q, contact %+v, want none", p.Name, p.NPI, p.Contact)
	}
	wantNoLicenceNumbers(t, p)
}

func wantNoLicenceNumbers(t *testing.T, p candidates.Profile) {
	t.Helper()
	for i, l := range p.Licences {
		if l.Number != "" {
			t.Errorf("licences[%d].number: got %q, want none", i, l.Number)
		}
	}
}

// wantContact fails unless p carries want's contact details and licence
// numbers.
func wantContact(t *testing.T, p, want candidates.Profile) {
	t.Helper()
	if p.Contact != want.Contact || p.NPI != want.NPI || p.Name != want.Name {
		t.Errorf("profile: got contact %+v, NPI %q, name %+v, want %+v, %q, %+v", p.Contact, p.NPI, p.Name, want.Contact, want.NPI, want.Name)
	}
	if len(p.Licences) != len(want.Licences) || len(p.Licences) > 0 && p.Licences[0].Number != want.Licences[0].Number {
		t.Errorf("licences: got %+v, want %+v", p.Licences, want.Licences)
	}
}

// TestRecruiterWithoutConsent: a recruiter reading a profile whose
// clinician did not consent sees no name, NPI, contact details or licence
// numbers, and nothing is audited because nothing private was shown.
func TestRecruiterWithoutConsent(t *testing.T) {
	f := newFixture(t)
	for _, key := range []string{f.recA, f.recB} {
		rec := f.do(t, key, "GET", "/v1/profiles/"+f.prof2.ID, nil)
		wantStatus(t, rec, http.StatusOK)
		p := decode[candidates.Profile](t, rec)
		wantAnonymous(t, p)
		if p.Credential != f.prof2.Credential || len(p.Licences) != 1 || p.Licences[0].State != "WI" {
			t.Errorf("eligibility facts: got credential %q, licences %+v, want MD licensed in WI", p.Credential, p.Licences)
		}
	}
	if got := f.auditEntries(t, f.prof2.ID); len(got) != 0 {
		t.Errorf("audit entries: got %+v, want none", got)
	}
}

// TestRecruiterWithConsent: a recruiter reading a consenting clinician's
// profile sees contact details, and the read is audited (who, whom,
// route); withdrawing consent hides them again at once.
func TestRecruiterWithConsent(t *testing.T) {
	f := newFixture(t)
	path := "/v1/profiles/" + f.prof1.ID
	rec := f.do(t, f.recA, "GET", path, nil)
	wantStatus(t, rec, http.StatusOK)
	wantContact(t, decode[candidates.Profile](t, rec), f.prof1)

	entries := f.auditEntries(t, f.prof1.ID)
	if len(entries) != 1 {
		t.Fatalf("audit entries: got %d, want 1: %+v", len(entries), entries)
	}
	e := entries[0]
	if e.KeyID != f.keyID(t, f.recA) || e.Role != access.Recruiter || e.SubjectID != f.prof1.ID ||
		e.Route != "/v1/profiles/:id" || e.Action != access.ActionContactRead || e.RequestID == "" {
		t.Errorf("audit entry: got %+v, want recruiter A's key reading %s on /v1/profiles/:id with a request ID", e, f.prof1.ID)
	}
	if got := rec.Header().Get(echoRequestID); got != e.RequestID {
		t.Errorf("audit request ID: got %q, want the response's %q", e.RequestID, got)
	}

	// Withdraw consent: the next read is anonymized and not audited.
	wantStatus(t, f.do(t, f.clin1, "PUT", path+"/consent", map[string]any{"visible_to_recruiters": false}), http.StatusOK)
	rec = f.do(t, f.recA, "GET", path, nil)
	wantStatus(t, rec, http.StatusOK)
	wantAnonymous(t, decode[candidates.Profile](t, rec))
	if got := len(f.auditEntries(t, f.prof1.ID)); got != 1 {
		t.Errorf("audit entries after withdrawal: got %d, want 1", got)
	}
	// And giving it again shows them again.
	wantStatus(t, f.do(t, f.clin1, "PUT", path+"/consent", map[string]any{"visible_to_recruiters": true}), http.StatusOK)
	wantContact(t, decode[candidates.Profile](t, f.do(t, f.recB, "GET", path, nil)), f.prof1)
	if got := len(f.auditEntries(t, f.prof1.ID)); got != 2 {
		t.Errorf("audit entries after consent: got %d, want 2", got)
	}
}

// TestConsentViaPatch: turning consent off through PATCH hides contact
// details just as PUT consent does.
func TestConsentViaPatch(t *testing.T) {
	f := newFixture(t)
	path := "/v1/profiles/" + f.prof1.ID
	wantStatus(t, f.do(t, f.clin1, "PATCH", path, map[string]any{"visible_to_recruiters": false}, "If-Match", etag(f.prof1.Version)), http.StatusOK)
	wantAnonymous(t, decode[candidates.Profile](t, f.do(t, f.recA, "GET", path, nil)))
}

// TestListsCarryNoContact: profile lists never carry contact details or
// licence numbers, for any role, and anonymize non-consenting clinicians
// for recruiters.
func TestListsCarryNoContact(t *testing.T) {
	f := newFixture(t)
	before := len(f.auditEntries(t, f.prof1.ID))
	for _, key := range []string{f.admin, f.recA, f.recB} {
		for _, q := range []string{"", "?visible_only=true", "?licensed_in=WI&credential=MD"} {
			rec := f.do(t, key, "GET", "/v1/profiles"+q, nil)
			wantStatus(t, rec, http.StatusOK)
			items := decode[struct{ Items []candidates.Profile }](t, rec).Items
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
		rec := f.do(t, tc.key, "GET", "/v1/profiles/"+tc.prof.ID, nil)
		wantStatus(t, rec, http.StatusOK)
		wantContact(t, decode[candidates.Profile](t, rec), tc.prof)
		me := decode[struct{ Profile candidates.Profile }](t, f.do(t, tc.key, "GET", "/v1/me", nil)).Profile
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
	wantContact(t, decode[candidates.Profile](t, f.do(t, f.admin, "GET", "/v1/profiles/"+f.prof2.ID, nil)), f.prof2)
	entries := f.auditEntries(t, f.prof2.ID)
	if len(entries) != 1 || entries[0].Role != access.Admin || entries[0].KeyID != f.keyID(t, f.admin) {
		t.Errorf("audit entries: got %+v, want one by the admin key", entries)
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
