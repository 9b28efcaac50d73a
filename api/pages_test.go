package api

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"carefit/jobs"
)

// The pages' session and forms, over HTTP without a browser (the browser
// tests are in cmd/carefit/browser_test.go).

// pageClient is a browser's cookie jar over the fixture's server.
type pageClient struct {
	f       *fixture
	cookies map[string]*http.Cookie
}

func newPageClient(f *fixture) *pageClient {
	return &pageClient{f: f, cookies: map[string]*http.Cookie{}}
}

func (b *pageClient) send(t *testing.T, method, path string, form url.Values) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	rec := httptest.NewRecorder()
	b.f.srv.ServeHTTP(rec, req)
	for _, c := range rec.Result().Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return rec
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token is the CSRF token of the first form of a rendered page.
func token(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	m := csrfInput.FindStringSubmatch(rec.Body.String())
	if m == nil {
		t.Fatalf("no CSRF token in the page: %s", rec.Body)
	}
	return m[1]
}

// signIn signs b in with key and returns where it landed.
func (b *pageClient) signIn(t *testing.T, key string) string {
	t.Helper()
	page := b.send(t, http.MethodGet, "/", nil)
	rec := b.send(t, http.MethodPost, "/signin", url.Values{"csrf": {token(t, page)}, "key": {key}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("sign in: got %d, want 303: %s", rec.Code, rec.Body)
	}
	return rec.Header().Get("Location")
}

func TestPagesSignInKeepsTheKeyInAStrictCookieAndSignOutForgetsIt(t *testing.T) {
	f := newFixture(t)
	b := newPageClient(f)
	if got := b.signIn(t, f.recA); got != "/positions" {
		t.Fatalf("a recruiter lands on %q, want /positions", got)
	}
	ck := b.cookies[sessionCookie]
	if ck == nil || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" {
		t.Fatalf("session cookie %+v: want HttpOnly, SameSite=Strict, Path=/", ck)
	}
	rec := b.send(t, http.MethodGet, "/positions", nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), f.posA.Title) {
		t.Fatalf("positions page: got %d: %s", rec.Code, rec.Body)
	}
	if csp := rec.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("Content-Security-Policy %q, want default-src 'none'", csp)
	}
	if rec := b.send(t, http.MethodGet, "/runs", nil); rec.Code != http.StatusForbidden {
		t.Errorf("a recruiter on the operators' page: got %d, want 403", rec.Code)
	}
	rec = b.send(t, http.MethodPost, "/signout", url.Values{"csrf": {token(t, rec)}})
	if rec.Code != http.StatusSeeOther || b.cookies[sessionCookie] != nil {
		t.Fatalf("sign out: got %d, cookie %v", rec.Code, b.cookies[sessionCookie])
	}
	if rec := b.send(t, http.MethodGet, "/positions", nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/" {
		t.Errorf("after sign-out: got %d to %q, want 303 to /", rec.Code, rec.Header().Get("Location"))
	}
}

func TestPagesRefuseAnUnknownKeyAndFormsWithoutTheirToken(t *testing.T) {
	f := newFixture(t)
	b := newPageClient(f)
	page := b.send(t, http.MethodGet, "/", nil)
	if rec := b.send(t, http.MethodPost, "/signin", url.Values{"key": {f.admin}}); rec.Code != http.StatusForbidden {
		t.Errorf("sign-in without its token: got %d, want 403", rec.Code)
	}
	rec := b.send(t, http.MethodPost, "/signin", url.Values{"csrf": {token(t, page)}, "key": {"cf_nope"}})
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "unknown or revoked") {
		t.Errorf("unknown key: got %d: %s", rec.Code, rec.Body)
	}
	b.signIn(t, f.admin)
	runs := b.send(t, http.MethodGet, "/runs", nil)
	for _, form := range []url.Values{{}, {"csrf": {"forged"}}, {"csrf": {csrfToken(f.recA)}}} {
		if rec := b.send(t, http.MethodPost, "/runs", form); rec.Code != http.StatusForbidden {
			t.Errorf("start a run with csrf=%q: got %d, want 403", form.Get("csrf"), rec.Code)
		}
	}
	if got, err := f.app.Runs(t.Context(), 10, 0); err != nil || len(got) != 0 {
		t.Fatalf("refused forms started %d runs (err %v), want none", len(got), err)
	}
	if rec := b.send(t, http.MethodPost, "/signout", url.Values{"csrf": {token(t, runs)}}); rec.Code != http.StatusSeeOther {
		t.Errorf("sign out with the page's token: got %d, want 303", rec.Code)
	}
}

func TestPagesEscapeUserText(t *testing.T) {
	f := newFixture(t)
	body := f.positionPayload(f.orgA, jobs.StatusOpen)
	body["title"] = `<script>alert("pwned")</script> Nurse`
	f.mustCreate(t, "/v1/positions", body)
	b := newPageClient(f)
	b.signIn(t, f.recA)
	rec := b.send(t, http.MethodGet, "/positions", nil)
	if strings.Contains(rec.Body.String(), `<script>alert`) || !strings.Contains(rec.Body.String(), `&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt; Nurse`) {
		t.Fatalf("the title is not escaped: %s", rec.Body)
	}
}

// TestPagesNameSpecialties: the position page and its candidate rows name
// specialties, as the API does, never by NUCC code.
func TestPagesNameSpecialties(t *testing.T) {
	f := newFixture(t)
	b := newPageClient(f)
	b.signIn(t, f.recA)
	for _, path := range []string{"/positions/" + f.posA.ID, "/positions/" + f.posA.ID + "/candidates/" + f.prof1.ID} {
		rec := b.send(t, http.MethodGet, path, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", path, rec.Code)
		}
		page := rec.Body.String()
		if !strings.Contains(page, "Family Medicine Physician") || strings.Contains(page, "207Q00000X") {
			t.Errorf("%s does not name the specialty (or shows its code):\n%s", path, page)
		}
	}
}
