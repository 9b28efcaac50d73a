package api

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"carefit/access"
	"carefit/jobs"
	"carefit/rematch/rematchdb"
)

// The recruiters' pages over HTTP: the positions list's summaries and a
// pair's pipeline history.

// cell is the text of the data-field cell of the positions list's row for
// positionID, tags removed and spaces collapsed.
func cell(t *testing.T, body, positionID, field string) string {
	t.Helper()
	row := regexp.MustCompile(`(?s)<tr data-position="` + positionID + `">(.*?)</tr>`).FindStringSubmatch(body)
	if row == nil {
		t.Fatalf("no row for position %s in the list: %s", positionID, body)
	}
	m := regexp.MustCompile(`(?s)<td data-field="` + field + `">(.*?)</td>`).FindStringSubmatch(row[1])
	if m == nil {
		t.Fatalf("no %s cell in the row of %s: %s", field, positionID, row[1])
	}
	return strings.Join(strings.Fields(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], " ")), " ")
}

// TestPagesPositionsCountNewMatchesSinceTheRecruitersLastVisit: the list
// counts a position's strong stored matches, and those new since this
// recruiter last opened its page; opening it resets the count for this
// recruiter only, and a later match counts again.
func TestPagesPositionsCountNewMatchesSinceTheRecruitersLastVisit(t *testing.T) {
	f := newFixture(t)
	store := rematchdb.New(f.pool)
	write := func(at time.Time, scores map[string]float64) {
		t.Helper()
		if _, err := store.WriteMatches(context.Background(), rematchdb.Write{At: at, Tops: rankingTop(f.posA.ID, scores)}); err != nil {
			t.Fatal(err)
		}
	}
	weak := f.mustCreate(t, "/v1/profiles", f.profilePayload("Yul", true)).profile(t)
	write(f.now().Add(-time.Minute), map[string]float64{f.prof1.ID: 91, weak.ID: 70})
	rec, other := newPageClient(f), newPageClient(f)
	rec.signIn(t, f.recA)
	other.signIn(t, f.mustKey(t, access.NewKey{Role: access.Recruiter, OrgID: f.orgA.ID, Label: "recruiter A2"}))
	list := func(b *pageClient) string {
		t.Helper()
		r := b.send(t, http.MethodGet, "/positions", nil)
		if r.Code != http.StatusOK {
			t.Fatalf("positions page: got %d: %s", r.Code, r.Body)
		}
		return r.Body.String()
	}
	body := list(rec)
	if got := cell(t, body, f.posA.ID, "strong"); got != "1" {
		t.Errorf("strong matches: got %q, want 1 (prof1 at 91; 70 is below the threshold of 80)", got)
	}
	if got := cell(t, body, f.posA.ID, "new"); got != "1 (not opened yet)" {
		t.Errorf("new before any visit: got %q, want 1 (not opened yet)", got)
	}
	if r := rec.send(t, http.MethodGet, "/positions/"+f.posA.ID, nil); r.Code != http.StatusOK {
		t.Fatalf("position page: got %d: %s", r.Code, r.Body)
	}
	body = list(rec)
	if got := cell(t, body, f.posA.ID, "new"); !strings.HasPrefix(got, "0 since ") {
		t.Errorf("new after the visit: got %q, want 0 since the visit", got)
	}
	if got := cell(t, body, f.posA.ID, "strong"); got != "1" {
		t.Errorf("strong matches after the visit: got %q, want still 1", got)
	}
	if got := cell(t, list(other), f.posA.ID, "new"); got != "1 (not opened yet)" {
		t.Errorf("another recruiter's new count: got %q, want 1 (not opened yet): a visit is one recruiter's", got)
	}
	strong := f.mustCreate(t, "/v1/profiles", f.profilePayload("Zoe", true)).profile(t)
	write(f.now().Add(time.Minute), map[string]float64{f.prof1.ID: 91, strong.ID: 88})
	body = list(rec)
	if got := cell(t, body, f.posA.ID, "new"); !strings.HasPrefix(got, "1 since ") {
		t.Errorf("new after a later match: got %q, want 1 since the visit", got)
	}
	if got := cell(t, body, f.posA.ID, "strong"); got != "2" {
		t.Errorf("strong matches after a later match: got %q, want 2", got)
	}
}

// TestPagesPositionsShowFilledHeadcount: a placement in the pipeline shows
// as filled headcount, and placing the last opening fills the position.
func TestPagesPositionsShowFilledHeadcount(t *testing.T) {
	f := newFixture(t)
	body := f.positionPayload(f.orgA, jobs.StatusOpen)
	body["headcount"] = 2
	pos := f.mustCreate(t, "/v1/positions", body).position(t)
	second := f.mustCreate(t, "/v1/profiles", f.profilePayload("Cai", true)).profile(t)
	f.refresh(t)
	b := newPageClient(f)
	b.signIn(t, f.recA)
	place := func(clinicianID string) {
		t.Helper()
		page := b.send(t, http.MethodGet, "/positions/"+pos.ID+"/candidates/"+clinicianID, nil)
		if page.Code != http.StatusOK {
			t.Fatalf("candidate page: got %d: %s", page.Code, page.Body)
		}
		r := b.send(t, http.MethodPost, "/positions/"+pos.ID+"/candidates/"+clinicianID+"/pipeline",
			url.Values{"csrf": {token(t, page)}, "state": {"placed"}, "note": {"Signed."}})
		if r.Code != http.StatusSeeOther {
			t.Fatalf("place: got %d: %s", r.Code, r.Body)
		}
	}
	filled := func() (string, string) {
		t.Helper()
		body := b.send(t, http.MethodGet, "/positions", nil).Body.String()
		status := regexp.MustCompile(`(?s)<tr data-position="` + pos.ID + `">.*?<span class="status[^"]*">([^<]*)</span>`).FindStringSubmatch(body)
		if status == nil {
			t.Fatalf("no status for %s: %s", pos.ID, body)
		}
		return cell(t, body, pos.ID, "filled"), status[1]
	}
	if got, status := filled(); got != "0 of 2" || status != "open" {
		t.Errorf("before any placement: got %q, %s, want 0 of 2, open", got, status)
	}
	place(f.prof1.ID)
	if got, status := filled(); got != "1 of 2" || status != "open" {
		t.Errorf("after one placement: got %q, %s, want 1 of 2, open", got, status)
	}
	place(second.ID)
	if got, status := filled(); got != "2 of 2" || status != "filled" {
		t.Errorf("after the last placement: got %q, %s, want 2 of 2, filled", got, status)
	}
}

// TestPagesCandidateShowsThePipelineHistory: two moves of a pair show on
// its page newest first, each with its state, who made it and its note,
// the note escaped.
func TestPagesCandidateShowsThePipelineHistory(t *testing.T) {
	f := newFixture(t)
	b := newPageClient(f)
	b.signIn(t, f.recA)
	path := "/positions/" + f.posA.ID + "/candidates/" + f.prof1.ID
	for _, move := range []struct{ state, note string }{{"shortlisted", "Strong <b>continuity</b> fit"}, {"interviewing", "Tuesday 10:00"}} {
		page := b.send(t, http.MethodGet, path, nil)
		r := b.send(t, http.MethodPost, path+"/pipeline", url.Values{"csrf": {token(t, page)}, "state": {move.state}, "note": {move.note}})
		if r.Code != http.StatusSeeOther {
			t.Fatalf("move to %s: got %d: %s", move.state, r.Code, r.Body)
		}
	}
	body := b.send(t, http.MethodGet, path, nil).Body.String()
	list := regexp.MustCompile(`(?s)<ol class="history"[^>]*>(.*?)</ol>`).FindStringSubmatch(body)
	if list == nil {
		t.Fatalf("no history on the candidate page: %s", body)
	}
	var rows []string
	for _, li := range regexp.MustCompile(`(?s)<li>(.*?)</li>`).FindAllStringSubmatch(list[1], -1) {
		text := regexp.MustCompile(`<time[^>]*>[^<]*</time>`).ReplaceAllString(li[1], "WHEN")
		rows = append(rows, strings.Join(strings.Fields(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(text, " ")), " "))
	}
	want := []string{"interviewing by you, WHEN “Tuesday 10:00”", "shortlisted by you, WHEN “Strong &lt;b&gt;continuity&lt;/b&gt; fit”"}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("history rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
}
