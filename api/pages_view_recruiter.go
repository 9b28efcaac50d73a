package api

import (
	"fmt"
	"net/url"
	"slices"
	"sort"
	"strconv"

	"carefit/app"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
	"carefit/pipeline"
)

// The recruiters' view models: a position's facts, its ranked candidates
// with filters and facet counts, and one candidate.

// factView is one labelled fact; unknown and not-applicable facts say so.
type factView struct{ Label, Value, Class string }

func known(label, value string) factView { return factView{Label: label, Value: value} }
func unknown(label string) factView {
	return factView{Label: label, Value: "Unknown", Class: "unknown"}
}
func notApplicable(label string) factView {
	return factView{Label: label, Value: "Not applicable", Class: "na"}
}

func intFact(label string, v *int, unit string) factView {
	if v == nil {
		return unknown(label)
	}
	return known(label, formatCount(*v)+unit)
}

func floatFact(label string, v *float64, unit string) factView {
	if v == nil {
		return unknown(label)
	}
	return known(label, strconv.FormatFloat(*v, 'f', -1, 64)+unit)
}

func boolFact(label string, v *bool) factView {
	switch {
	case v == nil:
		return unknown(label)
	case *v:
		return known(label, "Yes")
	}
	return known(label, "No")
}

func textFact[T ~string](label string, v *T) factView {
	if v == nil {
		return unknown(label)
	}
	return known(label, string(*v))
}

// environmentFacts shows a position's work environment. A fact that only
// some credentials' positions state is not applicable to the others.
func environmentFacts(e jobs.Environment, creds []taxonomy.Credential) []factView {
	call := unknown("Call")
	if e.CallOneInN != nil {
		call = known("Call", "None")
		if *e.CallOneInN > 0 {
			call = known("Call", fmt.Sprintf("1 in %d", *e.CallOneInN))
		}
	}
	out := []factView{
		intFact("Panel size", e.PanelSize, " patients"), intFact("New-patient visits", e.VisitMinutesNew, " min"),
		intFact("Follow-up visits", e.VisitMinutesFollowUp, " min"), intFact("Patients a day", e.PatientsPerDay, ""),
		floatFact("Continuity", e.ContinuityRate, " %"), textFact("Continuity model", e.ContinuityModel),
		textFact("EHR", e.EHR), intFact("Inbox messages a week", e.InboxMessagesPerWeek, ""),
		floatFact("Medical assistants per clinician", e.MAsPerClinician, ""), boolFact("Scribe", e.Scribe),
		floatFact("Telehealth", e.TelehealthPct, " %"), call, textFact("Setting", e.Setting),
		textFact("Population", e.Population), boolFact("Team-based care", e.TeamBasedCare),
		boolFact("Shared decision making", e.SharedDecisionMaking),
	}
	if len(e.LanguagesNeeded) > 0 {
		langs := make([]string, len(e.LanguagesNeeded))
		for i, l := range e.LanguagesNeeded {
			langs[i] = string(l)
		}
		out = append(out, known("Patients' languages", fmt.Sprint(langs)))
	} else {
		out = append(out, known("Patients' languages", "None stated"))
	}
	if slices.ContainsFunc(creds, func(c taxonomy.Credential) bool { return c == "NP" || c == "PA" }) {
		out = append(out, boolFact("Collaborative practice", e.CollaborativePractice))
	} else {
		out = append(out, notApplicable("Collaborative practice"))
	}
	if slices.Contains(creds, "RN") {
		out = append(out, intFact("Patients per nurse", e.PatientsPerNurse, ""))
	} else {
		out = append(out, notApplicable("Patients per nurse"))
	}
	return out
}

// positionPage is a position's heading and facts.
type positionPage struct {
	positionRow
	Pay, Schedule string
	Facts         []factView
}

func positionPageOf(v app.PositionView) positionPage {
	out := positionPage{positionRow: positionRowOf(v)}
	var p jobs.Position
	switch x := v.(type) {
	case app.OwnedPosition:
		p = x.Position
	case app.PublishedPosition:
		p = jobs.Position{Pay: x.Pay, Schedule: x.Schedule, Environment: x.Environment, Credentials: x.Credentials}
	}
	out.Pay = fmt.Sprintf("%s to %s %s", formatMoney(p.Pay.Min), formatMoney(p.Pay.Max), p.Pay.Period)
	out.Schedule = fmt.Sprintf("%d days a week, %s shift, %s FTE", p.Schedule.DaysPerWeek, p.Schedule.Shift,
		strconv.FormatFloat(p.Schedule.FTE, 'f', -1, 64))
	out.Facts = environmentFacts(p.Environment, p.Credentials)
	return out
}

// contactView is contact details the viewer's view carries.
type contactView struct{ Email, Phone string }

// candidateCard is one candidate in a ranked list, or one explained pair.
type candidateCard struct {
	ID, Name, Credential, Home string
	Specialties                string // by name
	Anonymous                  bool
	Withheld                   string
	Distance                   string
	Pipeline                   string
	Contact                    *contactView
	Fit                        fitView
}

func candidateCardOf(r app.CandidateRow) candidateCard {
	c := candidateCard{Name: clinicianName(r.Clinician), Fit: fitOf(r.Explanation), Distance: "unknown",
		Specialties: specialtyNames(r.Specialties)}
	if r.DistanceMiles != nil {
		c.Distance = formatCount(*r.DistanceMiles) + " miles"
	}
	if r.PipelineState != nil {
		c.Pipeline = *r.PipelineState
	}
	switch v := r.Clinician.(type) {
	case app.RecruiterProfile:
		c.ID, c.Credential, c.Home = v.ID, string(v.Credential), v.Home.State
		if v.Contact != nil {
			c.Contact = &contactView{Email: v.Contact.Email, Phone: v.Contact.Phone}
		}
		if v.Introduction != nil {
			c.Withheld = v.Introduction.Reason
		}
	case app.AnonymousProfile:
		c.ID, c.Credential, c.Home, c.Anonymous, c.Withheld = v.ID, string(v.Credential), v.Home.State, true, v.Anonymous
	case app.FullProfile:
		c.ID, c.Credential, c.Home = v.ID, string(v.Credential), v.Home.State
		if v.Contact != nil {
			c.Contact = &contactView{Email: v.Contact.Email, Phone: v.Contact.Phone}
		}
	}
	return c
}

// facetOption is one value of a filter with how many candidates have it.
type facetOption struct {
	Value    string
	Count    int
	Selected bool
}

func facetOptions(counts map[string]int, selected []string) []facetOption {
	out := make([]facetOption, 0, len(counts))
	for v, n := range counts {
		out = append(out, facetOption{Value: v, Count: n, Selected: slices.Contains(selected, v)})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Value < out[j].Value
	})
	return out
}

// candidateFilters is the filter form, filled in from the query.
type candidateFilters struct {
	Q, MinScore, WithinMiles string
	Credentials, States      []facetOption
}

func candidateFiltersOf(q app.CandidateQuery, facets map[string]map[string]int) candidateFilters {
	f := candidateFilters{Q: q.Q, Credentials: facetOptions(facets["credential"], q.Credentials),
		States: facetOptions(facets["home_state"], q.HomeStates)}
	if q.MinScore > 0 {
		f.MinScore = strconv.FormatFloat(q.MinScore, 'f', -1, 64)
	}
	if q.WithinMiles > 0 {
		f.WithinMiles = strconv.FormatFloat(q.WithinMiles, 'f', -1, 64)
	}
	return f
}

// withCursor is the current query pointing at another page.
func withCursor(query url.Values, cursor string) string {
	q := url.Values{}
	for k, v := range query {
		if k != "cursor" && len(v) > 0 && v[0] != "" {
			q[k] = v
		}
	}
	q.Set("cursor", cursor)
	return "?" + q.Encode()
}

// pipelineOption is one state in the pipeline form.
type pipelineOption struct {
	Value    string
	Selected bool
}

func pipelineOptions(current string) []pipelineOption {
	var out []pipelineOption
	for _, s := range pipeline.States() {
		out = append(out, pipelineOption{Value: string(s), Selected: string(s) == current})
	}
	return out
}

// historyRow is one change of a pair's pipeline entry: when, to which
// state, by whom and with which note.
type historyRow struct {
	At          whenView
	State, Note string
	By          string
}

// keyNames name, for people, the API keys a pair's history can show:
// the reader's own and the clinician's (who moves the pair to contacted
// by accepting an introduction). Other keys are shown by the start of
// their ID, as the API gives them.
type keyNames map[string]string

// name is who made a change with key.
func (k keyNames) name(key string) string {
	if n, ok := k[key]; ok {
		return n
	}
	if key == "" {
		return "a key since deleted, or carefit itself"
	}
	if len(key) > 8 {
		key = key[:8] + "…"
	}
	return "another key (" + key + ")"
}

// historyOf lists a pair's pipeline history newest first.
func historyOf(events []app.PipelineEvent, keys keyNames) []historyRow {
	out := make([]historyRow, 0, len(events))
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		out = append(out, historyRow{At: whenOf(e.ChangedAt), State: e.State, Note: e.Note, By: keys.name(e.ChangedByKey)})
	}
	return out
}

// pairIntroduction is one introduction between the organization and the
// clinician about the position, as its recruiters read it.
type pairIntroduction struct {
	Status, Initiator string
	Created           whenView
}

// pairIntroductions keeps the staff views among items that concern
// clinicianID, and names the keys the pair's history may show: self, and
// the clinician's that answered the organization's requests (an accepted
// request moves the pair to contacted with the answering key).
func pairIntroductions(items []app.IntroductionView, clinicianID, self string) ([]pairIntroduction, keyNames) {
	keys := keyNames{self: "you"}
	var out []pairIntroduction
	for _, v := range items {
		in, ok := v.(app.StaffIntroduction)
		if !ok || in.ClinicianID != clinicianID {
			continue
		}
		out = append(out, pairIntroduction{Status: in.Status, Initiator: in.Initiator, Created: whenOf(in.CreatedAt)})
		if in.Initiator == "recruiter" && in.AnsweredByKey != "" && in.AnsweredByKey != self {
			keys[in.AnsweredByKey] = "the clinician, accepting the introduction"
		}
	}
	return out, keys
}
