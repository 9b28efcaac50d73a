package api

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The clinician's controls as pages over HTTP: taking an introduction
// back, blocking and unblocking an organization, and the consent record,
// each checked against what the API then answers.

// formPost sends a form from the page at from (for its CSRF token) to
// action and fails the test unless it redirects to want.
func (b *pageClient) formPost(t *testing.T, from, action string, form url.Values, want string) {
	t.Helper()
	page := b.send(t, http.MethodGet, from, nil)
	if page.Code != http.StatusOK {
		t.Fatalf("GET %s: got %d: %s", from, page.Code, page.Body)
	}
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", token(t, page))
	r := b.send(t, http.MethodPost, action, form)
	if r.Code != http.StatusSeeOther || r.Header().Get("Location") != want {
		t.Fatalf("POST %s: got %d to %q, want 303 to %q: %s", action, r.Code, r.Header().Get("Location"), want, r.Body)
	}
}

// consentRows are the consent page's rows as "what · by", newest first.
func consentRows(t *testing.T, body string) []string {
	t.Helper()
	var out []string
	tbody := regexp.MustCompile(`(?s)<table id="consents">.*?<tbody>(.*?)</tbody>`).FindStringSubmatch(body)
	if tbody == nil {
		return nil
	}
	for _, tr := range regexp.MustCompile(`(?s)<tr>(.*?)</tr>`).FindAllStringSubmatch(tbody[1], -1) {
		what := regexp.MustCompile(`(?s)<th scope="row">(.*?)</th>`).FindStringSubmatch(tr[1])
		by := regexp.MustCompile(`(?s)</th><td>(.*?)</td>`).FindStringSubmatch(tr[1])
		if what == nil || by == nil {
			t.Fatalf("a consent row without what or who: %s", tr[1])
		}
		out = append(out, what[1]+" · "+by[1])
	}
	return out
}

func TestPagesClinicianTakesBackBlocksAndReadsTheConsentRecord(t *testing.T) {
	f := newFixture(t)
	in := f.mustIntro(t, f.recA, f.posA.ID, f.prof1.ID)
	b := newPageClient(f)
	b.signIn(t, f.clin1)
	b.formPost(t, "/introductions", "/introductions/"+in.ID+"/accept", nil, "/introductions?done=accept")
	contact := func() bool {
		t.Helper()
		rec := f.do(t, f.recA, http.MethodGet, "/v1/profiles/"+f.prof1.ID, nil)
		wantStatus(t, rec, http.StatusOK)
		return strings.Contains(rec.Body.String(), `"contact"`)
	}
	if !contact() {
		t.Fatal("after acceptance the recruiter reads no contact details")
	}
	page := b.send(t, http.MethodGet, "/introductions", nil).Body.String()
	if !strings.Contains(page, `action="/introductions/`+in.ID+`/revoke"`) || !strings.Contains(page, "Take back my contact details") {
		t.Fatalf("an accepted introduction offers no take-back: %s", page)
	}
	b.formPost(t, "/introductions", "/introductions/"+in.ID+"/revoke", nil, "/introductions?done=revoke")
	if contact() {
		t.Error("after taking the introduction back the recruiter still reads the contact details")
	}
	mine := decode[struct{ Items []clinicianIntro }](t, f.do(t, f.clin1, http.MethodGet, "/v1/me/introductions", nil)).Items
	if len(mine) != 1 || mine[0].Status != "revoked" {
		t.Errorf("the API's introductions after the take-back: %+v, want one revoked", mine)
	}
	if page := b.send(t, http.MethodGet, "/introductions", nil).Body.String(); strings.Contains(page, "/revoke") {
		t.Error("a revoked introduction still offers a take-back")
	}

	// Block the organization from its introduction; the blocked page
	// lists it and offers nothing more to block; the recruiter no longer
	// reads the clinician.
	b.formPost(t, "/introductions", "/blocked", url.Values{"org_id": {f.orgA.ID}}, "/blocked?done=block")
	blocked := b.send(t, http.MethodGet, "/blocked", nil).Body.String()
	names := regexp.MustCompile(`<strong class="org-name">([^<]*)</strong>`).FindAllStringSubmatch(blocked, -1)
	if len(names) != 1 || names[0][1] != f.orgA.Name || strings.Contains(blocked, `id="b-org"`) {
		t.Errorf("the blocked page lists %v and offers more: want only %s", names, f.orgA.Name)
	}
	wantStatus(t, f.do(t, f.recA, http.MethodGet, "/v1/profiles/"+f.prof1.ID, nil), http.StatusNotFound)
	api := decode[struct {
		Items []struct {
			OrgID string `json:"org_id"`
		}
	}](t, f.do(t, f.clin1, http.MethodGet, "/v1/me/blocked-organizations", nil))
	if len(api.Items) != 1 || api.Items[0].OrgID != f.orgA.ID {
		t.Errorf("the API's blocked organizations: %+v, want organization A", api.Items)
	}

	consents := b.send(t, http.MethodGet, "/consents", nil).Body.String()
	org := f.orgA.Name
	want := []string{"Blocked " + org + " · you",
		"The introduction with " + org + " was taken back: it no longer sees your contact details · you",
		"Accepted " + org + "&#39;s introduction request: it sees your contact details · you",
		"Recruiters see you by name · carefit&#39;s operators"} // the admin created the profile visible
	if got := consentRows(t, consents); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("consent rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if !strings.Contains(consents, `<dd id="visibility">see you by name`) {
		t.Errorf("the consent page does not say recruiters see the clinician by name: %s", consents)
	}

	b.formPost(t, "/blocked", "/blocked/"+f.orgA.ID+"/unblock", nil, "/blocked?done=unblock")
	if strings.Contains(b.send(t, http.MethodGet, "/blocked", nil).Body.String(), `class="org-name"`) {
		t.Error("after unblocking the blocked page still lists an organization")
	}
	wantStatus(t, f.do(t, f.recA, http.MethodGet, "/v1/profiles/"+f.prof1.ID, nil), http.StatusOK)
	if got := consentRows(t, b.send(t, http.MethodGet, "/consents", nil).Body.String()); len(got) != len(want)+1 || got[0] != "Unblocked "+org+" · you" {
		t.Errorf("consent rows after unblocking: %q, want Unblocked first of %d", got, len(want)+1)
	}
}

// TestPagesControlsAreTheClinicians: a recruiter's browser gets no
// clinician control, and a form without its token changes nothing.
func TestPagesControlsAreTheClinicians(t *testing.T) {
	f := newFixture(t)
	rec := newPageClient(f)
	rec.signIn(t, f.recA)
	for _, path := range []string{"/blocked", "/consents"} {
		if r := rec.send(t, http.MethodGet, path, nil); r.Code != http.StatusForbidden {
			t.Errorf("a recruiter on %s: got %d, want 403", path, r.Code)
		}
	}
	clin := newPageClient(f)
	clin.signIn(t, f.clin1)
	if r := clin.send(t, http.MethodPost, "/blocked", url.Values{"org_id": {f.orgA.ID}}); r.Code != http.StatusForbidden {
		t.Errorf("a block without its token: got %d, want 403", r.Code)
	}
	api := decode[struct{ Items []any }](t, f.do(t, f.clin1, http.MethodGet, "/v1/me/blocked-organizations", nil))
	if len(api.Items) != 0 {
		t.Errorf("a refused form blocked %v", api.Items)
	}
}

// TestPagesProfileMustHaveSavedAndRefusedAsTheAPIDoes: a ticked must-have
// is saved as the API's importance 4 and shows ticked; a must-have on the
// place, which the API refuses, shows its error next to the place.
func TestPagesProfileMustHaveSavedAndRefusedAsTheAPIDoes(t *testing.T) {
	f := newFixture(t)
	b := newPageClient(f)
	b.signIn(t, f.clin1)
	version := regexp.MustCompile(`name="version" value="(\d+)"`)
	form := func(extra url.Values) url.Values {
		page := b.send(t, http.MethodGet, "/profile", nil).Body.String()
		v := url.Values{"version": {version.FindStringSubmatch(page)[1]}, "wishes.panel_max": {"1800"}, "wishes.visit_min_new": {"40"},
			"max_commute_miles": {"100"}}
		for k, vs := range extra {
			v[k] = vs
		}
		return v
	}
	b.formPost(t, "/profile", "/profile", form(url.Values{"must.visit_length": {"1"}}), "/profile?saved=1")
	p := decode[struct {
		Importance map[string]int `json:"importance"`
	}](t, f.do(t, f.clin1, http.MethodGet, "/v1/profiles/"+f.prof1.ID, nil))
	if p.Importance["visit_length"] != 4 {
		t.Errorf("the API reads visit length's importance %d, want 4 (must-have)", p.Importance["visit_length"])
	}
	if page := b.send(t, http.MethodGet, "/profile", nil).Body.String(); !strings.Contains(page, `name="must.visit_length" value="1" checked`) {
		t.Errorf("the saved must-have does not show ticked")
	}
	page := b.send(t, http.MethodGet, "/profile", nil)
	v := form(url.Values{"must.place": {"1"}})
	v.Set("csrf", token(t, page))
	r := b.send(t, http.MethodPost, "/profile", v)
	if r.Code != http.StatusUnprocessableEntity {
		t.Fatalf("a must-have place: got %d, want 422: %s", r.Code, r.Body)
	}
	msg := regexp.MustCompile(`id="f-importance-place-error">([^<]*)<`).FindStringSubmatch(r.Body.String())
	if msg == nil || !strings.Contains(msg[1], "cannot be a must-have") {
		t.Errorf("the place's field error: %v, want the API's words next to the place", msg)
	}
}
