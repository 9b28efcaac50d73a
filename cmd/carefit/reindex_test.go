package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// TestReindexBarShowsTheRate feeds the bar the jumps a rebuild reports and
// checks that it shows documents a second, never the bar's own "docs/hr"
// of a stalled counter.
func TestReindexBarShowsTheRate(t *testing.T) {
	var buf bytes.Buffer
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time { return clock }
	bar, progress := reindexBar(&buf, "profiles", now)
	for _, done := range []int{0, 5000, 10000, 20000} {
		clock = clock.Add(time.Second)
		progress(done, 20000)
	}
	_ = bar.Finish()
	out := buf.String()
	if strings.Contains(out, "/hr") {
		t.Errorf("bar shows a per-hour rate: %q", out)
	}
	if !strings.Contains(out, "(5000 docs/s)") {
		t.Errorf("bar does not show 5000 docs/s after 20,000 documents in 4 s: %q", out)
	}
}
