package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/internal/browsertest"
	"carefit/internal/market"
	"carefit/internal/platform/logging"
	"carefit/internal/platform/testenv"
	"carefit/search"
	"carefit/search/searchsync"
)

// The web pages in a real browser: Debian's Chromium, headless, against
// the API and an in-process worker built as `carefit dev` builds them, on
// a private stack seeded with a small generated market. Every page visited
// is saved as a screenshot and checked with axe-core (internal/browsertest).

// site is the running server, its demo keys and its database (for the
// fixtures a test adds).
type site struct {
	URL  string
	Keys map[string]string
	DB   *pgxpool.Pool
}

// browserSize is the seeded market: small enough to load in seconds, with
// enough open positions that the demo recruiter has ranked candidates.
var browserSize = market.Size{Organizations: 2, Positions: 30, Profiles: 2000}

// startSite serves the API, the pages and a worker on a private stack,
// with keys as `carefit dev` makes them.
func startSite(t *testing.T) site {
	t.Helper()
	cfg, _, _ := marketStack(t, 11, browserSize, nil)
	cfg.RateLimit = 0 // the set-up reads many ranked lists quickly
	ctx, cancel := context.WithCancel(context.Background())
	a, err := openApp(ctx, cfg, logging.NewLogger(&bytes.Buffer{}, "json", 0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); a.close() })
	if err := a.search.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	// The free-text filter reads the profiles' search index: build it now,
	// as `carefit reindex` does, rather than wait for the relay.
	if err := searchsync.Reindex(ctx, a.pool, a.search, search.KindProfiles, nil); err != nil {
		t.Fatal(err)
	}
	features, err := a.features(ctx, searchText())
	if err != nil {
		t.Fatal(err)
	}
	keys, err := demoKeys(ctx, a.pool, features, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	a.inProcessWorker = true
	srv, err := a.apiServer(features)
	if err != nil {
		t.Fatal(err)
	}
	w, err := a.worker(ctx, features)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(w.Shutdown)
	a.wakeSync(ctx)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return site{URL: ts.URL, Keys: keys, DB: a.pool}
}

// api calls the site's API with key (and headers, in pairs) and decodes
// the answer into out (when not nil), failing the test unless the status
// is want. It returns the answer's headers.
func (s site) api(t *testing.T, key, method, path string, body any, want int, out any, headers ...string) http.Header {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL+path, r)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("%s %s: got %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}
	return res.Header
}

// page is a ranked page as the API answers it, for the tests' set-up.
type page struct {
	Total int `json:"total"`
	Items []struct {
		ID       string `json:"id"`
		Position struct {
			ID string `json:"id"`
		} `json:"position"`
	} `json:"items"`
}

// spanishPosition is the demo recruiter's open position with the most
// candidates that free text finds for "spanish", once the search index
// holds the seeded profiles.
func (s site) spanishPosition(t *testing.T) string {
	t.Helper()
	var open page
	s.api(t, s.Keys["recruiter"], "GET", "/v1/positions?status=open&limit=100", nil, http.StatusOK, &open)
	best, bestN := "", 0
	testenv.WaitFor(t, 60*time.Second, "the search index finds Spanish speakers", func() bool {
		for _, p := range open.Items {
			var c page
			s.api(t, s.Keys["recruiter"], "GET", "/v1/positions/"+p.ID+"/candidates?q=spanish&limit=1", nil, http.StatusOK, &c)
			if c.Total > bestN {
				best, bestN = p.ID, c.Total
			}
		}
		return bestN > 0
	})
	return best
}

// signIn opens a browser on the site (width pixels wide) and signs in with
// key through the sign-in form; its screenshots' names start with the
// key's role.
func (s site) signIn(t *testing.T, key string, width int) *browsertest.Browser {
	t.Helper()
	b := browsertest.New(t, s.URL, width, 900)
	for role, k := range s.Keys {
		if k == key {
			b.Prefix = role + "-"
		}
	}
	b.Open("/")
	b.Check("sign-in")
	b.Do("sign in",
		chromedp.SendKeys(chromedp.CSS("#key"), key),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)))
	return b
}

func TestBrowserPages(t *testing.T) {
	s := startSite(t)
	t.Run("an admin starts a rematch run and watches it reach 100 %", func(t *testing.T) {
		b := s.signIn(t, s.Keys["admin"], 1280)
		b.Do("start a run", chromedp.Click(chromedp.CSS(`form[action="/runs"] button`)),
			chromedp.WaitVisible(chromedp.CSS(".run progress")))
		b.Check("runs-started")
		if got := b.Text("#svc-h + .table-wrap"); !strings.Contains(got, "feature store") || strings.Contains(got, "down") {
			t.Errorf("the services' readiness reads %q, want every service up, the feature store included", got)
		}
		got := browsertest.Get(b, "the run reaches 100 %", chromedp.Poll[string](
			`(document.querySelector('.run [data-field="percent"]').textContent === "100 %" &&
			  document.querySelector('.run [data-field="status"]').textContent === "done") &&
			 document.querySelector('.run progress').value + ""`,
			chromedp.WithPollingInterval(200*time.Millisecond), chromedp.WithPollingTimeout(50*time.Second)))
		if got != "100" {
			t.Errorf("progress bar at %q, want 100", got)
		}
		b.Check("runs-done")
	})
	t.Run("a form posted without its CSRF token is refused", func(t *testing.T) {
		b := s.signIn(t, s.Keys["admin"], 1280)
		var before []any
		var runs struct{ Items []any }
		s.api(t, s.Keys["admin"], "GET", "/v1/rematch-runs", nil, http.StatusOK, &runs)
		before = runs.Items
		browsertest.Get(b, "take the token out of the form", chromedp.Evaluate[bool](
			`document.querySelector('form[action="/runs"] input[name="csrf"]').remove(), true`))
		b.Do("post the start form without its token",
			chromedp.Click(chromedp.CSS(`form[action="/runs"] button`)),
			chromedp.WaitVisible(chromedp.CSS("main .error")))
		if msg := b.Text("main .error"); !strings.Contains(msg, "security token") {
			t.Errorf("refusal reads %q, want it to name the security token", msg)
		}
		b.Check("csrf-refused")
		s.api(t, s.Keys["admin"], "GET", "/v1/rematch-runs", nil, http.StatusOK, &runs)
		if len(runs.Items) != len(before) {
			t.Errorf("runs went from %d to %d: the refused form started one", len(before), len(runs.Items))
		}
	})
}

// recruiterShortlistsAndAsks is the recruiter's part: open the position,
// filter its candidates by language, shortlist the first with a note that
// survives a reload, and request an introduction. It returns the
// candidate page's path and the clinician's ID.
func recruiterShortlistsAndAsks(t *testing.T, s site, b *browsertest.Browser, positionID string) (string, string) {
	t.Helper()
	b.Do("open the position", chromedp.Click(chromedp.CSS(`a[href="/positions/`+positionID+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#f-q")))
	b.Check("position")
	b.Do("filter by language", chromedp.SendKeys(chromedp.CSS("#f-q"), "spanish"),
		chromedp.Click(chromedp.CSS(`form[role="search"] button`)))
	waitQuery(t, b, "q=spanish")
	b.Do("wait for the filtered candidates", chromedp.WaitVisible(chromedp.CSS(".candidate h3 a")))
	b.Check("position-filtered")
	b.Do("open the first candidate", chromedp.Click(chromedp.CSS(".candidate h3 a")),
		chromedp.WaitVisible(chromedp.CSS("#p-state")))
	path := browsertest.Get(b, "read the candidate's URL", chromedp.Location())
	path = strings.TrimPrefix(path, s.URL)
	note := "Strong continuity fit <b>call</b> Tuesday"
	b.Do("shortlist with a note", chromedp.SetValue(chromedp.CSS("#p-state"), "shortlisted"),
		chromedp.SendKeys(chromedp.CSS("#p-note"), note),
		chromedp.Click(chromedp.CSS(`form[action$="/pipeline"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#pipeline-state")))
	b.Open(path) // a reload reads the pipeline from Postgres again
	if got := b.Text("#pipeline-state"); got != "shortlisted" {
		t.Errorf("after a reload the pipeline state reads %q, want shortlisted", got)
	}
	if got := b.Text("#pipeline-note"); got != note {
		t.Errorf("after a reload the note reads %q, want %q", got, note)
	}
	second := "Interview booked with Dr. Ortiz"
	b.Do("move to interviewing with another note", chromedp.SetValue(chromedp.CSS("#p-state"), "interviewing"),
		chromedp.SendKeys(chromedp.CSS("#p-note"), second),
		chromedp.Click(chromedp.CSS(`form[action$="/pipeline"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	b.Open(path)
	history := browsertest.Get(b, "read the pipeline history", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("ol.history li")).map(li =>
			li.querySelector(".status").textContent + " by " + li.textContent.split(" by ")[1].split(",")[0] + ": " +
			(li.querySelector(".history-note") || {textContent: ""}).textContent)`))
	wantHistory := []string{"interviewing by you: “" + second + "”", "shortlisted by you: “" + note + "”"}
	if !slices.Equal(history, wantHistory) {
		t.Errorf("the pipeline history reads %q, want %q (newest first)", history, wantHistory)
	}
	b.Check("candidate-history")
	b.Do("request an introduction", chromedp.SendKeys(chromedp.CSS("#i-msg"), "Our panels stay under 1,900. Could we talk?"),
		chromedp.Click(chromedp.CSS(`form[action$="/introduction"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	b.Check("candidate-introduction-requested")
	parts := strings.Split(path, "/")
	return path, parts[len(parts)-1]
}

func TestBrowserIntroductions(t *testing.T) {
	s := startSite(t)
	positionID := s.spanishPosition(t)
	rec := s.signIn(t, s.Keys["recruiter"], 1280)
	rec.Check("positions")
	path, clinicianID := recruiterShortlistsAndAsks(t, s, rec, positionID)
	if got := rec.Text("main"); strings.Contains(got, "@") {
		t.Fatalf("contact details show before the clinician accepted: %s", got)
	}

	// The clinician, whose name holds markup, accepts in their browser.
	var created struct{ Secret string }
	s.api(t, s.Keys["admin"], "POST", "/v1/keys", map[string]any{"role": "clinician", "profile_id": clinicianID, "label": "browser"},
		http.StatusCreated, &created)
	var prof struct{ Contact struct{ Email string } }
	h := s.api(t, s.Keys["admin"], "GET", "/v1/profiles/"+clinicianID, nil, http.StatusOK, &prof)
	name := `<script>window.pwned=1</script>Ana`
	s.api(t, s.Keys["admin"], "PATCH", "/v1/profiles/"+clinicianID, map[string]any{"name": map[string]any{"given": name}},
		http.StatusOK, nil, "If-Match", h.Get("ETag"), "Content-Type", "application/merge-patch+json")
	clin := s.signIn(t, created.Secret, 1280)
	clin.Prefix = "clinician-"
	clin.Open("/introductions")
	clin.Check("introductions")
	clin.Do("accept", chromedp.Click(chromedp.CSS(`form.answer button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	clin.Check("introductions-accepted")

	rec.Open(path)
	if got := rec.Text(".contact"); !strings.Contains(got, prof.Contact.Email) {
		t.Errorf("after acceptance the contact reads %q, want %s", got, prof.Contact.Email)
	}
	if got := rec.Text("h1"); !strings.Contains(got, name) {
		t.Errorf("the heading reads %q, want the name %q as text", got, name)
	}
	if pwned := browsertest.Get(rec, "look for the injected script", chromedp.Evaluate[bool](`window.pwned === 1`)); pwned {
		t.Error("the name's <script> ran")
	}
	rec.Check("candidate-contact")

	clin.Open("/access-log")
	if got := clin.Text("main table"); !strings.Contains(got, "Read your contact details") {
		t.Errorf("the clinician's access log does not show the recruiter's read of their contact details: %q", got)
	}
	clin.Check("access-log")

	// She takes the introduction back: the recruiter's page loses her
	// contact details.
	var mine struct {
		Items []struct {
			Organization struct{ Name string }
		}
	}
	s.api(t, created.Secret, "GET", "/v1/me/introductions", nil, http.StatusOK, &mine)
	if len(mine.Items) != 1 {
		t.Fatalf("the clinician has %d introductions, want 1", len(mine.Items))
	}
	org := mine.Items[0].Organization.Name
	clin.Open("/introductions")
	clin.Do("take the introduction back", chromedp.Click(chromedp.CSS(`form[action$="/revoke"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	if got := clin.Text(".introduction .status"); got != "revoked" {
		t.Errorf("after taking it back the introduction reads %q, want revoked", got)
	}
	clin.Check("introductions-revoked")
	rec.Open(path)
	if got := rec.Text("main"); strings.Contains(got, prof.Contact.Email) {
		t.Errorf("after the take-back the recruiter still reads the contact details: %s", got)
	}
	rec.Check("candidate-after-revoke")

	// She blocks the organization from the introduction: it is listed
	// as blocked, and the recruiter no longer finds her.
	clin.Open("/introductions")
	clin.Do("block the organization", chromedp.Click(chromedp.CSS(`.introduction form[action="/blocked"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".blocked-org")))
	if got := browsertest.Get(clin, "read the blocked organizations", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll(".blocked-org .org-name")).map(n => n.textContent)`)); !slices.Equal(got, []string{org}) {
		t.Errorf("blocked organizations: %q, want %q", got, []string{org})
	}
	clin.Check("blocked")
	rec.Open(path)
	if got := rec.Text("h1"); got != "Not Found" {
		t.Errorf("the blocked organization's recruiter opens her page and reads %q, want Not Found", got)
	}

	// Her consent record has each step, newest first.
	clin.Open("/consents")
	rows := browsertest.Get(clin, "read the consent record", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll("#consents tbody tr")).map(tr => tr.querySelector("th").textContent + " · " + tr.querySelector("td:last-child").textContent)`))
	want := []string{"Blocked " + org + " · you",
		"The introduction with " + org + " was taken back: it no longer sees your contact details · you",
		"Accepted " + org + "'s introduction request: it sees your contact details · you"}
	if len(rows) < len(want) || !slices.Equal(rows[:len(want)], want) {
		t.Errorf("the consent record reads %q, want it to start with %q", rows, want)
	}
	if got := clin.Text("#blocked-count"); got != "1: "+org {
		t.Errorf("the consent record's blocked organizations read %q, want %q", got, "1: "+org)
	}
	clin.Check("consents")
}

// roleTitlesJS lists the roles page's positions' titles, in order.
const roleTitlesJS = `Array.from(document.querySelectorAll(".rows > li.card h2")).map(h => h.textContent)`

// roleTitles opens the roles page and reads its titles.
func roleTitles(b *browsertest.Browser) []string {
	b.Open("/roles")
	return browsertest.Get(b, "read the roles", chromedp.Evaluate[[]string](roleTitlesJS))
}

// TestBrowserProfileForm drives the fit fixture's clinician
// (browser_fixture_test.go), whose roles rank by pay until she asks for
// long visits: the order before and after each save is the one the
// fixture's data implies.
func TestBrowserProfileForm(t *testing.T) {
	s := startSite(t)
	fx, key := s.loadFitFixture(t)
	b := s.signIn(t, key, 1280)
	b.Prefix = "clinician-"
	byPay := []string{fx.Short.Title, fx.Med.Title, fx.Long.Title}
	if got := roleTitles(b); !slices.Equal(got, byPay) {
		t.Fatalf("before any visit-length wish the roles read %q, want them by pay %q", got, byPay)
	}
	b.Check("roles")

	b.Open("/profile")
	b.Check("profile")
	visit := `#f-wishes-visit_min_new`
	b.Do("enter an out-of-range visit length", chromedp.SetValue(chromedp.CSS(visit), "500"),
		chromedp.Click(chromedp.CSS(`form.profile button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(visit+"-error")))
	if got := b.Text(visit + "-error"); !strings.Contains(got, "120") {
		t.Errorf("the field error reads %q, want the range", got)
	}
	next := browsertest.Get(b, "the error's place", chromedp.Evaluate[string](
		`document.querySelector("`+visit+`").closest(".field").querySelector(".field-error").id`))
	if next != "f-wishes-visit_min_new-error" {
		t.Errorf("the error next to the field is %q, want the visit length's", next)
	}
	if inv := browsertest.Get(b, "aria-invalid", chromedp.Evaluate[string](`document.querySelector("`+visit+`").getAttribute("aria-invalid")`)); inv != "true" {
		t.Errorf("the field's aria-invalid is %q, want true", inv)
	}
	b.Check("profile-error")

	b.Do("save a valid one", chromedp.SetValue(chromedp.CSS(visit), strconv.Itoa(fx.VisitMin)),
		chromedp.SetValue(chromedp.CSS(`#f-importance-visit_length`), "3"),
		chromedp.Click(chromedp.CSS(`form.profile button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	b.Check("profile-saved")
	byVisits := []string{fx.Long.Title, fx.Med.Title, fx.Short.Title}
	testenv.WaitFor(t, 10*time.Second, "the roles are ranked with the new wish", func() bool {
		return slices.Equal(roleTitles(b), byVisits)
	})
	b.Check("roles-reranked")
	b.Do("filter by distance", chromedp.SendKeys(chromedp.CSS("#r-miles"), "3000"),
		chromedp.Click(chromedp.CSS(`form[role="search"] button`)))
	waitQuery(t, b, "within_miles=3000")
	if got := browsertest.Get(b, "read the roles", chromedp.Evaluate[[]string](roleTitlesJS)); !slices.Equal(got, byVisits) {
		t.Errorf("within 3,000 miles the roles read %q, want them all, %q", got, byVisits)
	}
	b.Check("roles-filtered")

	// The visit length made a must-have: the short visits miss it by
	// three widths and leave her roles; the medium ones, close, stay.
	b.Open("/profile")
	must := `#f-must-visit_length`
	if browsertest.Get(b, "read the must-have box", chromedp.Evaluate[bool](`document.querySelector("`+must+`").checked`)) {
		t.Fatal("the must-have box is ticked before she ticks it")
	}
	b.Do("tick must-have and save", chromedp.Click(chromedp.CSS(must)),
		chromedp.Click(chromedp.CSS(`form.profile button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(".notice")))
	b.Open("/profile")
	if !browsertest.Get(b, "read the must-have box", chromedp.Evaluate[bool](`document.querySelector("`+must+`").checked`)) {
		t.Error("after saving, the must-have box reads unticked")
	}
	b.Check("profile-must-have")
	withMust := []string{fx.Long.Title, fx.Med.Title}
	testenv.WaitFor(t, 10*time.Second, "the short visits leave her roles", func() bool {
		return slices.Equal(roleTitles(b), withMust)
	})
	marked := browsertest.Get(b, "read the must-have marks", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll(".rows > li.card .factor-name")).filter(n => n.querySelector(".must")).map(n => n.firstChild.textContent.trim())`))
	if !slices.Equal(marked, []string{"New-patient visits", "New-patient visits"}) {
		t.Errorf("factors marked must-have on the roles page: %q, want new-patient visits on both roles", marked)
	}
	b.Check("roles-must-have")
	var why struct {
		Explanation struct {
			Eligible bool
			Reasons  []struct{ Rule string }
		}
	}
	s.api(t, key, "GET", "/v1/me/roles/"+fx.Short.ID, nil, http.StatusOK, &why)
	if why.Explanation.Eligible || len(why.Explanation.Reasons) != 1 || why.Explanation.Reasons[0].Rule != "must_have" {
		t.Errorf("the short visits' explanation: %+v, want not eligible for the must-have alone", why.Explanation)
	}
}

// pressKey types one key into the focused element, as a keyboard would.
func pressKey(b *browsertest.Browser, what, key string) {
	b.Do(what, chromedp.KeyEvent(key))
}

// focused describes the element that has the keyboard focus.
func focused(b *browsertest.Browser) string {
	return browsertest.Get(b, "read the focus", chromedp.Evaluate[string](
		`(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + " " + (e.textContent || "").trim().slice(0, 40))(document.activeElement)`))
}

// fitsWidth fails the test when the page scrolls sideways.
func fitsWidth(t *testing.T, b *browsertest.Browser, page string, width int) {
	t.Helper()
	got := browsertest.Get(b, "measure "+page, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
	if got > width {
		t.Errorf("%s is %d pixels wide on a %d-pixel screen: it scrolls sideways", page, got, width)
	}
}

func TestBrowserKeyboardAndNarrowScreen(t *testing.T) {
	s := startSite(t)
	const width = 390
	b := browsertest.New(t, s.URL, width, 844)
	b.Prefix = "390px-"
	b.Open("/")
	pressKey(b, "tab to the skip link", "\t")
	if got := focused(b); !strings.HasPrefix(got, "a Skip to content") {
		t.Errorf("the first tab stop is %q, want the skip link", got)
	}
	pressKey(b, "tab to the key field", "\t")
	pressKey(b, "tab to the key field", "\t")
	if got := focused(b); !strings.HasPrefix(got, "input#key") {
		t.Fatalf("the tab order reaches %q, want the key field", got)
	}
	b.Do("sign in with the keyboard", chromedp.KeyEvent(s.Keys["recruiter"]+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)))
	fitsWidth(t, b, "positions", width)
	b.Check("positions")
	pressKey(b, "tab to the skip link", "\t")
	pressKey(b, "skip to the content", "\r")
	for i := 0; i < 30 && !strings.HasPrefix(focused(b), "a "); i++ {
		pressKey(b, "tab to the first link in the content", "\t")
	}
	target := browsertest.Get(b, "the focused link", chromedp.Evaluate[string](`document.activeElement.getAttribute("href")`))
	if !strings.HasPrefix(target, "/positions/") {
		t.Fatalf("the first link after skipping to the content is %q, want a position", target)
	}
	b.Do("open the position with the keyboard", chromedp.KeyEvent("\r"), chromedp.WaitVisible(chromedp.CSS("#f-q")))
	fitsWidth(t, b, "position", width)
	b.Check("position")
	b.Do("open a candidate", chromedp.Click(chromedp.CSS(".candidate h3 a")), chromedp.WaitVisible(chromedp.CSS("#p-state")))
	fitsWidth(t, b, "candidate", width)
	b.Check("candidate")

	// The clinician's pages on the same screen.
	c := browsertest.New(t, s.URL, width, 844)
	c.Prefix = "390px-clinician-"
	c.Open("/")
	c.Do("sign in", chromedp.SendKeys(chromedp.CSS("#key"), s.Keys["clinician"]+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/signout"]`)))
	for _, path := range []string{"/roles", "/profile", "/introductions", "/access-log", "/consents", "/blocked"} {
		c.Open(path)
		fitsWidth(t, c, path, width)
		c.Check(strings.TrimPrefix(path, "/"))
	}
}

// waitQuery waits until the tab has loaded a page whose query holds part.
// A poll inside the page dies with the navigation, so it asks from here,
// reading each error during the navigation as not yet.
func waitQuery(t *testing.T, b *browsertest.Browser, part string) {
	t.Helper()
	js := `location.search.includes(` + strconv.Quote(part) + `) && document.readyState === "complete"`
	testenv.WaitFor(t, 30*time.Second, "a page with "+part, func() bool {
		ok, err := b.Try(chromedp.Evaluate[bool](js))
		return err == nil && ok
	})
}
