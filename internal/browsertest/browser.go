// Package browsertest drives Debian's Chromium, headless, for the web
// pages' browser tests: one tab per test, a screenshot of each page saved
// into the test's output, and axe-core (from npm, installed by
// scripts/setup from tools/browser's lock file) injected into each page to
// check it for accessibility violations. Nothing is downloaded at run
// time: a missing browser or axe-core fails the test, naming the step that
// installs it.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"carefit/internal/platform/testenv"
)

// Chromium is Debian's chromium package's binary.
const Chromium = "/usr/bin/chromium"

// ScreenshotsVar names a directory to keep the screenshots in (a
// sub-directory per test); unset, they go to the test's temporary
// directory and are removed with it. Either way their paths are logged.
const ScreenshotsVar = "CAREFIT_SCREENSHOTS"

// stepTimeout bounds each step a test runs.
const stepTimeout = 60 * time.Second

// Browser is one headless Chromium tab.
type Browser struct {
	t     testing.TB
	ctx   context.Context
	Base  string
	shots string
	axe   string
	// Prefix starts the names of this tab's screenshots, so two tabs of
	// one test (a recruiter's and a clinician's) keep theirs apart.
	Prefix string
}

// AxePath is where scripts/setup installs axe-core.
func AxePath() string {
	return filepath.Join(testenv.StateDir(), "browser", "node_modules", "axe-core", "axe.min.js")
}

// New starts Chromium (as root it needs --no-sandbox) with a tab whose
// window is width by height pixels, for pages served at base. The browser
// stops when the test ends.
func New(t testing.TB, base string, width, height int) *Browser {
	t.Helper()
	if _, err := os.Stat(Chromium); err != nil {
		t.Fatalf("browser tests need Debian's chromium at %s: run scripts/setup (make test does): %v", Chromium, err)
	}
	axe, err := os.ReadFile(AxePath())
	if err != nil {
		t.Fatalf("browser tests need axe-core at %s: run scripts/setup (make test does), which installs tools/browser/package-lock.json: %v", AxePath(), err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(Chromium), chromedp.NoSandbox,
		chromedp.Headless, chromedp.DisableGPU, chromedp.WindowSize(width, height),
		chromedp.Flag("lang", "en-US"), chromedp.Flag("disable-dev-shm-usage", true))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &Browser{t: t, ctx: ctx, Base: base, axe: string(axe), shots: screenshotDir(t)}
	// The first Run starts the browser; it must not run under a timeout.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", Chromium, err)
	}
	// A headless window is at least 500 pixels wide; a phone's width needs
	// the viewport emulated.
	b.Do("set the viewport", chromedp.EmulateViewport(int64(width), int64(height)))
	return b
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

func screenshotDir(t testing.TB) string {
	dir := t.TempDir()
	if root := os.Getenv(ScreenshotsVar); root != "" {
		dir = filepath.Join(root, unsafeName.ReplaceAllString(t.Name(), "_"))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatalf("%s: %v", ScreenshotsVar, err)
		}
	}
	t.Logf("screenshots go to %s", dir)
	return dir
}

// Do runs steps in the tab, failing the test on the first error.
func (b *Browser) Do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// Get runs one action that returns a value, failing the test on error.
func Get[T any](b *Browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// Try runs one action that answers a bool, returning its error rather
// than failing the test (for polls across a navigation).
func (b *Browser) Try(a chromedp.Action[bool]) (bool, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	return chromedp.Run(ctx, a)
}

// Open navigates to path (under Base) and waits for the page's main
// landmark.
func (b *Browser) Open(path string) {
	b.t.Helper()
	b.Do("open "+path, chromedp.Navigate(b.Base+path), chromedp.WaitVisible(chromedp.CSS("main")))
}

// Text is the text of the first element matching css.
func (b *Browser) Text(css string) string {
	b.t.Helper()
	return Get(b, "read "+css, chromedp.Text(chromedp.CSS(css)))
}

// Screenshot saves the whole page as name.png (quality 100 is PNG;
// less would be JPEG).
func (b *Browser) Screenshot(name string) string {
	b.t.Helper()
	png := Get(b, "screenshot "+name, chromedp.FullScreenshot(100))
	path := filepath.Join(b.shots, unsafeName.ReplaceAllString(b.Prefix+name, "_")+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("save screenshot: %v", err)
	}
	b.t.Logf("screenshot of %s: %s", name, path)
	return path
}

// violation is one axe-core rule a page breaks.
type violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// Axe injects axe-core into the current page and fails the test for each
// serious or critical violation, naming the rule and the elements.
func (b *Browser) Axe(name string) {
	b.t.Helper()
	script := b.axe + `;
axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(r.violations))`
	out := Get(b, "axe-core on "+name, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	var vs []violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		b.t.Fatalf("axe-core on %s: %v", name, err)
	}
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		b.t.Errorf("axe-core on %s: %s (%s): %s at %s", name, v.ID, v.Impact, v.Help, strings.Join(targets, ", "))
	}
}

// Check saves a screenshot of the current page and runs axe-core on it.
func (b *Browser) Check(name string) {
	b.t.Helper()
	b.Screenshot(name)
	b.Axe(name)
}
