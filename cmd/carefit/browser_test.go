package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"carefit/internal/browsertest"
	"carefit/internal/market"
	"carefit/internal/platform/logging"
)

// The web pages in a real browser: Debian's Chromium, headless, against
// the API and an in-process worker built as `carefit dev` builds them, on
// a private stack seeded with a small generated market. Every page visited
// is saved as a screenshot and checked with axe-core (internal/browsertest).

// site is the running server and its demo keys.
type site struct {
	URL  string
	Keys map[string]string
}

// browserSize is the seeded market: small enough to load in seconds, with
// enough open positions that the demo recruiter has ranked candidates.
var browserSize = market.Size{Organizations: 3, Positions: 40, Profiles: 400}

// startSite serves the API, the pages and a worker on a private stack,
// with keys as `carefit dev` makes them.
func startSite(t *testing.T) site {
	t.Helper()
	cfg, _, _ := marketStack(t, 11, browserSize, nil)
	ctx, cancel := context.WithCancel(context.Background())
	a, err := openApp(ctx, cfg, logging.NewLogger(&bytes.Buffer{}, "json", 0))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); a.close() })
	if err := a.search.EnsureIndexes(ctx); err != nil {
		t.Fatal(err)
	}
	features, err := a.features(ctx)
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
	return site{URL: ts.URL, Keys: keys}
}

// api calls the site's API with key and decodes the answer into out (when
// not nil), failing the test unless the status is want.
func (s site) api(t *testing.T, key, method, path string, body any, want int, out any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL+path, r)
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
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
}

// signIn opens a browser on the site (width pixels wide) and signs in with
// key through the sign-in form.
func (s site) signIn(t *testing.T, key string, width int) *browsertest.Browser {
	t.Helper()
	b := browsertest.New(t, s.URL, width, 900)
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
