package api

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
	"time"

	"carefit/app"
	"carefit/candidates"
)

// The pages' view models: small functions from what app returns to what a
// template shows. Templates read only these, so a field app adds later
// (a score band, a per-factor verdict) is placed here once and shown
// wherever the model is rendered.

// pageFuncs are the helpers the templates call.
var pageFuncs = template.FuncMap{
	"count":   formatCount,
	"percent": func(f float64) string { return strconv.Itoa(int(math.Round(f*100))) + " %" },
	"when":    func(t time.Time) whenView { return whenOf(t) },
	"date":    func(t time.Time) string { return t.Format("2 Jan 2006") },
	"join":    strings.Join,
	"plural":  plural,
}

// whenView is a time the page script rewrites into the viewer's time zone;
// Text (UTC) is what a browser without scripts shows.
type whenView struct {
	ISO, Text string
}

func whenOf(t time.Time) whenView {
	if t.IsZero() {
		return whenView{}
	}
	t = t.UTC()
	return whenView{ISO: t.Format(time.RFC3339), Text: t.Format("2 Jan 2006 15:04 UTC")}
}

// formatCount writes an integer with thousands separators: 12,345.
func formatCount(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// formatMoney writes whole dollars: $185,000.
func formatMoney(v float64) string {
	return "$" + formatCount(int(math.Round(v)))
}

// positionRow is one position in a list.
type positionRow struct {
	ID, Title, Status, Employment string
	Start                         string
	Headcount                     int
	Specialties                   string // by name
}

// specialtyNames lists specialties by name for a page.
func specialtyNames(ss []app.Specialty) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = s.Name
	}
	return strings.Join(names, ", ")
}

// positionRowOf shows a position as the viewer's view of it carries it:
// the owner's app.OwnedPosition or the published one.
func positionRowOf(v app.PositionView) positionRow {
	switch p := v.(type) {
	case app.OwnedPosition:
		return positionRow{ID: p.ID, Title: p.Title, Status: string(p.Status), Employment: string(p.EmploymentType),
			Start: p.StartDate.Format("2 Jan 2006"), Headcount: p.Headcount, Specialties: specialtyNames(p.Specialties)}
	case app.PublishedPosition:
		return positionRow{ID: p.ID, Title: p.Title, Status: string(p.Status), Employment: string(p.EmploymentType),
			Start: p.StartDate.Format("2 Jan 2006"), Headcount: p.Headcount, Specialties: specialtyNames(p.Specialties)}
	}
	return positionRow{}
}

// clinicianName is how a page names a clinician in the viewer's view:
// by name where the view carries it, otherwise by what the anonymous view
// allows (credential and home state).
func clinicianName(v app.ClinicianView) string {
	switch p := v.(type) {
	case app.FullProfile:
		return personName(p.Name)
	case app.RecruiterProfile:
		return personName(p.Name)
	case app.AnonymousProfile:
		return fmt.Sprintf("Anonymous %s in %s", p.Credential, p.Home.State)
	}
	return "Clinician"
}

func personName(n candidates.Name) string {
	return strings.TrimSpace(n.Given + " " + n.Family)
}

// runView is a rematch run on the operators' page.
type runView struct {
	ID                   int64
	Status, Trigger      string
	Percent              int
	ShardsDone, Shards   int
	Positions            int
	Pairs                string
	New, Improved, Worse int
	Dropped              int
	Created              whenView
	Elapsed, Remaining   string
	Error                string
	Active               bool
}

func runViewOf(r app.RunView) runView {
	v := runView{ID: r.ID, Status: string(r.Status), Trigger: string(r.Trigger), ShardsDone: r.ShardsDone,
		Shards: r.ShardsTotal, Positions: r.Positions, Pairs: formatCount(int(r.PairsScored)),
		New: r.Changes.New, Improved: r.Changes.Improved, Worse: r.Changes.Worse, Dropped: r.Changes.Dropped,
		Created: whenOf(r.CreatedAt), Elapsed: seconds(r.ElapsedSeconds), Error: r.Error}
	if r.ShardsTotal > 0 {
		v.Percent = r.ShardsDone * 100 / r.ShardsTotal
	}
	if r.Status == "done" {
		v.Percent = 100
	}
	v.Active = r.Status != "done" && r.Status != "failed"
	if r.RemainingSeconds != nil && v.Active {
		v.Remaining = seconds(*r.RemainingSeconds)
	}
	return v
}

// seconds writes a duration for people: 42 s, 3 min 5 s.
func seconds(s float64) string {
	d := time.Duration(s * float64(time.Second)).Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d.Seconds()))
	}
	return fmt.Sprintf("%d min %d s", int(d.Minutes()), int(d.Seconds())%60)
}

// fitView is one pair's explanation on a page: the score with its band,
// the failed rules of an ineligible pair, and a bar per factor.
type fitView struct {
	Score      string
	Band       bandView
	Eligible   bool
	IfEligible string
	Reasons    []string
	Factors    []factorView
}

// bandView names a score's range in words and a style class.
type bandView struct{ Label, Class string }

// factorView is one factor's bar: its fit from 0 to 100, a level that
// colours the bar, and the sentence behind it.
type factorView struct {
	Label, Side, Sentence string
	Fit                   int
	Level, Verdict        string
	Missing               bool
	// MustHave marks a factor the clinician (or, for a want, the
	// position) made a must-have.
	MustHave bool
}

// bands name the engine's score bands (match.Bands) in words, with the
// style class that colours them.
var bands = map[string]bandView{"excellent": {"Excellent fit", "strong"}, "good": {"Good fit", "good"},
	"fair": {"Fair fit", "fair"}, "poor": {"Poor fit", "weak"}}

// bandOf is a band's words and class; an unknown band reads as itself.
func bandOf(band *string) bandView {
	if band == nil {
		return bandView{"Not eligible", "weak"}
	}
	if b, ok := bands[*band]; ok {
		return b
	}
	return bandView{*band, "fair"}
}

// levels colour a factor's bar by its verdict (app.FactorView.Verdict).
var levels = map[string]string{"meets": "strong", "close": "fair", "misses": "weak", "unknown": "unknown",
	"not_applicable": "unknown"}

// levelOf is the class of a factor's bar, from its verdict.
func levelOf(f app.FactorView) string {
	if l, ok := levels[f.Verdict]; ok {
		return l
	}
	return "unknown"
}

// fitOf is an explanation on a page. An ineligible pair shows no score:
// its failed rules, and the fit it would have had, labelled so.
func fitOf(e app.Explanation) fitView {
	v := fitView{Band: bandOf(e.Band), Eligible: e.Eligible}
	if e.Score != nil {
		v.Score = strconv.FormatFloat(*e.Score, 'f', 0, 64)
	}
	if e.ScoreIfEligible != nil {
		v.IfEligible = "would fit " + strconv.FormatFloat(*e.ScoreIfEligible, 'f', 0, 64) + " if eligible"
	}
	for _, r := range e.Reasons {
		v.Reasons = append(v.Reasons, r.Message)
	}
	for _, f := range e.Factors {
		v.Factors = append(v.Factors, factorView{Label: factorLabel(f.Factor), Side: f.Side, Sentence: f.Sentence,
			Fit: int(math.Round(f.Fit * 100)), Level: levelOf(f), Missing: f.Missing, Verdict: verdictWords(f.Verdict),
			MustHave: f.MustHave})
	}
	return v
}

// verdictWords reads a factor's verdict for people.
func verdictWords(v string) string {
	if v == "not_applicable" {
		return "not applicable"
	}
	return v
}

// factorLabels name the factors whose names do not read as words.
var factorLabels = map[string]string{"ehr": "EHR", "visit_new": "New-patient visits",
	"visit_follow_up": "Follow-up visits", "fte": "FTE", "ehr_experience": "EHR experience"}

// factorLabel writes a factor's name for people: panel_size → Panel size.
func factorLabel(name string) string {
	if l, ok := factorLabels[name]; ok {
		return l
	}
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// roleCard is one position in a clinician's roles, with its workplace's
// facts.
type roleCard struct {
	Position positionPage
	Fit      fitView
}

func roleCardOf(r app.RoleRow) roleCard {
	return roleCard{Position: positionPageOf(r.Position), Fit: fitOf(r.Explanation)}
}

// plural writes n with the noun in the right number: 1 candidate, 2
// candidates.
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatCount(n) + " " + many
}
