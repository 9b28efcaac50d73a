package match

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"carefit/internal/kit/geo"
)

// Reader is who reads an explanation: its sentences speak to them.
type Reader uint8

const (
	// ReaderRecruiter reads about the clinician in the third person ("the
	// clinician asked for …"): recruiters and admins.
	ReaderRecruiter Reader = iota
	// ReaderClinician is the clinician reading about their own pair in
	// the second person ("you asked for …").
	ReaderClinician
)

// voice writes for one reader.
type voice struct{ you bool }

func voiceOf(r Reader) voice { return voice{you: r == ReaderClinician} }

// who is the clinician as the reader calls them.
func (v voice) who() string {
	if v.you {
		return "you"
	}
	return "the clinician"
}

// whose is the clinician's possessive.
func (v voice) whose() string {
	if v.you {
		return "your"
	}
	return "the clinician's"
}

// says is who followed by the verb agreeing with them: says("has",
// "have") is "the clinician has" or "you have".
func (v voice) says(s3, base string) string {
	if v.you {
		return "you " + base
	}
	return "the clinician " + s3
}

// capFirst upper-cases the first letter of s.
func capFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowFirst lower-cases the first letter of s unless it starts an
// abbreviation ("EHR").
func lowFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if next, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

// clauses is a factor's sentence in two halves. For a clinician-side
// factor fact is what the position is and wish what the clinician asked
// for; for an employer-side one fact is what the clinician is and wish
// what the position wants. wishFirst puts the wish first; sep joins the
// halves ("; " when empty).
type clauses struct {
	fact, wish string
	wishFirst  bool
	sep        string
}

// factText is the fact half as a clause of its own; a fact joined by a
// comma keeps its other half ("the EHR is Epic, which you asked to
// avoid").
func (c clauses) factText() string {
	if c.sep != "" {
		return c.fact + c.sep + c.wish
	}
	return c.fact
}

// sentence joins the halves, the first capitalised, into one string
// built in one allocation: every factor of every explained row has one.
func (c clauses) sentence() string {
	a, b := c.fact, c.wish
	if c.wishFirst {
		a, b = b, a
	}
	sep := c.sep
	if sep == "" {
		sep = "; "
	}
	r, n := utf8.DecodeRuneInString(a)
	up := unicode.ToUpper(r)
	var sb strings.Builder
	sb.Grow(utf8.RuneLen(up) + len(a) - n + len(sep) + len(b) + 1)
	sb.WriteRune(up) // as capFirst does, even for an empty half
	sb.WriteString(a[n:])
	sb.WriteString(sep)
	sb.WriteString(b)
	sb.WriteByte('.')
	return sb.String()
}

// sentence is the plain-language reason for factor f, in v's words.
func sentence(f Factor, p *Position, c *Clinician, pf *posFacts, r *clinRow, v voice, missing bool) string {
	if f < firstEmployer {
		return clinicianClauses(f, p, c, pf, r, v, missing).sentence()
	}
	return employerClauses(f, p, c, v, missing).sentence()
}

// asked is the wish half of a numeric factor; when the fact is missing,
// what names it ("the panel size is not stated").
func asked(v voice, missing bool, what, fact, wish string) clauses {
	if missing {
		fact = what + " is not stated"
	}
	return clauses{fact: fact, wish: v.who() + " asked for " + wish}
}

func pct(v *float64) string { return numf(v) + "%" }

// clinicianClauses compares the position's fact with the clinician's wish.
func clinicianClauses(f Factor, p *Position, c *Clinician, pf *posFacts, r *clinRow, v voice, missing bool) clauses {
	switch f {
	case FactorPanel:
		return asked(v, missing, "the panel size", "the panel is "+pluralp(p.PanelSize, "patient", "patients"),
			"at most "+pluralp(c.PanelMax, "patient", "patients"))
	case FactorVisitNew:
		return asked(v, missing, "the new-patient visit length", "new-patient visits are "+pluralp(p.VisitMinutesNew, "minute", "minutes"),
			"at least "+pluralp(c.VisitMinNew, "minute", "minutes"))
	case FactorVisitFollowUp:
		return asked(v, missing, "the follow-up visit length", "follow-up visits are "+pluralp(p.VisitMinutesFollowUp, "minute", "minutes"),
			"at least "+pluralp(c.VisitMinFollowUp, "minute", "minutes"))
	case FactorPatientsPerDay:
		return asked(v, missing, "the number of patients a day", "the schedule has "+pluralp(p.PatientsPerDay, "patient", "patients")+" a day",
			"at most "+pluralp(c.PatientsPerDayMax, "patient", "patients")+" a day")
	case FactorContinuity:
		return asked(v, missing, "the continuity rate", "patients see their own clinician "+pct(p.ContinuityRate)+" of the time",
			"at least "+pct(c.ContinuityMin))
	case FactorContinuityModel:
		cl := asked(v, missing, "the continuity model", "the practice uses "+continuityName(p.ContinuityModel), "")
		cl.wish = v.says("prefers", "prefer") + " " + continuityName(c.ContinuityModel)
		return cl
	case FactorEHR:
		return ehrClauses(p, c, pf, r, v, missing)
	case FactorInbox:
		return asked(v, missing, "the inbox load", "the inbox brings "+pluralp(p.InboxPerWeek, "message", "messages")+" a week",
			"at most "+pluralp(c.InboxMax, "message", "messages")+" a week")
	case FactorMAs, FactorScribe:
		return supportClauses(f, p, c, v, missing)
	case FactorNurseRatio:
		return asked(v, missing, "the number of patients per nurse", "each nurse has "+pluralp(p.PatientsPerNurse, "patient", "patients"),
			"at most "+pluralp(c.PatientsPerNurseMax, "patient", "patients")+" per nurse")
	case FactorTelehealth:
		return asked(v, missing, "the telehealth share", telehealthFact(pf.tele),
			bounds(c.TelehealthMin, c.TelehealthMax, 0, 100, func(x float64) string { return num(x) + "%" }, ""))
	case FactorCall:
		return callClauses(p, c, v, missing)
	case FactorDays:
		return asked(v, missing, "the number of days a week", "the position is "+pluralp(p.DaysPerWeek, "day", "days")+" a week",
			"at most "+pluralp(c.MaxDaysPerWeek, "day", "days")+" a week")
	case FactorShift:
		return asked(v, missing, "the shift", "the position works "+shiftName(p.Shift)+" shifts", mapJoin(c.Shifts, shiftName, "or")+" shifts")
	case FactorFTE:
		return asked(v, missing, "the FTE", "the position is "+numf(p.FTE)+" FTE",
			bounds(c.FTEMin, c.FTEMax, 0, 2, num, " FTE"))
	case FactorPay:
		return payClauses(pf, r, v, missing)
	case FactorCommute:
		return commuteClauses(p, c, pf, r, v)
	case FactorSetting:
		return asked(v, missing, "the setting", "the setting is "+settingName(p.Setting), mapJoin(c.Settings, settingName, "or"))
	case FactorPopulation:
		cl := asked(v, missing, "the patient population", "the position serves "+populationName(p.Population), "")
		cl.wish = v.who() + " asked to see " + mapJoin(c.Populations, populationName, "or")
		return cl
	case FactorCareModel:
		return careModelClauses(p, c, v, missing)
	}
	return clauses{}
}

// telehealthFact is the share of visits by video or phone.
func telehealthFact(share float64) string {
	if share >= 100 {
		return "all visits are by video or phone"
	}
	return num(share) + "% of visits are by video or phone"
}

// bounds writes a range wish by the bounds stated: "at least lo", "at
// most hi" or "lo to hi", each number written by each and the whole
// followed by unit; lo and hi stand in for a bound not stated.
func bounds(min, max *float64, lo, hi float64, each func(float64) string, unit string) string {
	switch {
	case max == nil || *max >= hi:
		return "at least " + each(*min) + unit
	case min == nil || *min <= lo:
		return "at most " + each(*max) + unit
	}
	a, b := *min, *max
	if a > b {
		a, b = b, a
	}
	return each(a) + " to " + each(b) + unit
}

// ehrClauses says which EHR the position uses and how it meets the EHRs
// the clinician has used and asked to avoid.
func ehrClauses(p *Position, c *Clinician, pf *posFacts, r *clinRow, v voice, missing bool) clauses {
	if missing {
		wish := v.says("has", "have") + " used " + mapJoin(c.EHRsUsed, ehrName, "and")
		if len(c.EHRsUsed) == 0 {
			wish = v.who() + " asked to avoid " + mapJoin(c.EHRsAvoid, ehrName, "and")
		}
		return clauses{fact: "the EHR is not stated", wish: wish}
	}
	cl := clauses{fact: "the EHR is " + ehrName(p.EHR), sep: ", "}
	switch ehrFits[pf.ehrIndex(r)] {
	case fitEHRAvoid:
		cl.wish = "which " + v.who() + " asked to avoid"
	case fitEHRUsed:
		cl.wish = "which " + v.says("has", "have") + " used"
	default:
		cl.wish = "which " + v.says("has", "have") + " not used"
	}
	return cl
}

// supportClauses compares medical assistant and scribe support with the
// clinician's wish.
func supportClauses(f Factor, p *Position, c *Clinician, v voice, missing bool) clauses {
	if f == FactorScribe {
		fact := "no scribe or ambient documentation is available"
		if p.Scribe != nil && *p.Scribe {
			fact = "a scribe or ambient documentation is available"
		}
		return asked(v, missing, "scribe support", fact, "one")
	}
	fact := "there are " + pluralp(p.MAsPerClinician, "medical assistant", "medical assistants") + " per clinician"
	if p.MAsPerClinician != nil && *p.MAsPerClinician == 1 {
		fact = "there is 1 medical assistant per clinician"
	}
	return asked(v, missing, "medical assistant support", fact, "at least "+pluralp(c.MAsMin, "medical assistant", "medical assistants"))
}

// callClauses compares the call schedule with the most call accepted.
func callClauses(p *Position, c *Clinician, v voice, missing bool) clauses {
	fact := "there is no call"
	if p.CallOneInN != nil && *p.CallOneInN > 0 {
		fact = "call is 1 in " + strconv.Itoa(*p.CallOneInN) + " nights or weekends"
	}
	if missing {
		fact = "call is not stated"
	}
	wish := v.says("accepts", "accept") + " no call"
	if c.CallMaxOneInN != nil && *c.CallMaxOneInN > 0 {
		wish = v.says("accepts", "accept") + " call up to 1 in " + strconv.Itoa(*c.CallMaxOneInN) + " nights or weekends"
	}
	return clauses{fact: fact, wish: wish}
}

// payClauses compares the top of the pay range with the clinician's floor.
func payClauses(pf *posFacts, r *clinRow, v voice, missing bool) clauses {
	floor := 1 / float64(r.invFloor[pf.period])
	cl := clauses{fact: "pay is up to " + money(pf.payTop, pf.period), wish: v.whose() + " floor is " + money(floor, pf.period)}
	if missing {
		cl.fact = "pay is not stated"
	}
	return cl
}

// careModelClauses compares team-based care with the clinician's wish.
func careModelClauses(p *Position, c *Clinician, v voice, missing bool) clauses {
	cl := clauses{fact: "care is not team-based", wish: v.says("wants", "want") + " team-based care"}
	switch {
	case missing:
		cl.fact = "the care model is not stated"
	case *p.TeamBasedCare:
		cl.fact = "care is team-based"
	}
	if c.TeamBasedWanted != nil && !*c.TeamBasedWanted {
		cl.wish = v.says("prefers", "prefer") + " not to work in team-based care"
	}
	return cl
}

// commuteClauses gives the distance against the commute limit, or the
// state the clinician would move to.
func commuteClauses(p *Position, c *Clinician, pf *posFacts, r *clinRow, v voice) clauses {
	ch := pf.chord2(r)
	limit := num(math.Round(chordMiles(r.commute2)))
	home := v.whose() + " home"
	switch {
	case r.commute2 >= ch:
		mi := math.Round(geo.DistanceMiles(p.Location.Lat, p.Location.Lng, c.Home.Lat, c.Home.Lng))
		return clauses{fact: "the position is " + plural(mi, "mile", "miles") + " from " + home, wish: v.whose() + " commute limit is " + limit + " miles"}
	case r.willing&pf.stateBit != 0:
		return clauses{fact: "the position is in " + stateName(p.State) + ", beyond commuting distance", wish: v.who() + " would move there"}
	case !pf.hasLoc || r.commute2 < 0:
		return clauses{fact: "the distance is not known", wish: v.says("has", "have") + " not said " + v.who() + " would move to " + stateName(p.State)}
	}
	mi := math.Round(geo.DistanceMiles(p.Location.Lat, p.Location.Lng, c.Home.Lat, c.Home.Lng))
	return clauses{fact: "the position is " + plural(mi, "mile", "miles") + " from " + home, wish: "beyond " + v.whose() + " " + limit + "-mile commute", sep: ", "}
}

// employerClauses compares the clinician's fact with the position's want.
func employerClauses(f Factor, p *Position, c *Clinician, v voice, missing bool) clauses {
	switch f {
	case FactorExperience:
		cl := clauses{fact: v.says("has", "have") + " " + pluralp(c.Years, "year", "years") + " of experience",
			wish: "the position wants at least " + pluralp(p.MinYears, "year", "years")}
		if missing {
			cl.fact = v.whose() + " years of experience are not stated"
		}
		return cl
	case FactorBoardCert:
		cl := clauses{fact: v.says("is", "are") + " board certified", wish: "the position requires it"}
		switch {
		case missing:
			cl.fact = v.whose() + " board certification is not stated"
		case !*c.BoardCertified:
			cl.fact = v.says("is", "are") + " not board certified"
		}
		return cl
	case FactorLanguages:
		return languagesClauses(p, c, v, missing)
	case FactorEHRExperience:
		cl := clauses{fact: v.says("has", "have") + " used " + mapJoin(c.EHRsUsed, ehrName, "and"),
			wish: "the position wants experience with " + mapJoin(p.EHRExperienceWanted, ehrName, "or")}
		if missing {
			cl.fact = v.whose() + " EHR experience is not stated"
		}
		return cl
	}
	return clauses{}
}

// languagesClauses names the languages the position wants and those its
// patients need, then which of them the clinician speaks: one language is
// "it", two "both" or "neither".
func languagesClauses(p *Position, c *Clinician, v voice, missing bool) clauses {
	want := distinctLangs(p.LanguagesWanted, nil)
	need := distinctLangs(p.LanguagesNeeded, want)
	var parts []string
	if len(want) > 0 {
		parts = append(parts, "the position wants "+langList(want))
	}
	if len(need) > 0 {
		parts = append(parts, "patients here need "+langList(need))
	}
	cl := clauses{wish: strings.Join(parts, ", and "), wishFirst: true}
	if missing {
		cl.fact = v.whose() + " languages are not stated"
		return cl
	}
	have := map[string]bool{}
	for _, l := range c.Languages {
		have[normLang(l)] = true
	}
	var spoken, not []string
	for _, l := range append(want, need...) {
		if have[normLang(l)] {
			spoken = append(spoken, l)
		} else {
			not = append(not, l)
		}
	}
	all := len(spoken) + len(not)
	switch {
	case len(not) == 0:
		cl.fact = v.says("speaks", "speak") + " " + [3]string{"it", "both", "all of them"}[min(all, 3)-1]
	case len(spoken) == 0 && all == 1:
		cl.fact = v.says("does", "do") + " not speak it"
	case len(spoken) == 0:
		cl.fact = v.says("speaks", "speak") + " " + [2]string{"neither", "none of them"}[min(all, 3)-2]
	default:
		cl.fact = v.says("speaks", "speak") + " " + langList(spoken) + " but not " + langListOr(not)
	}
	return cl
}

// distinctLangs keeps the first of each language in ls not in except.
func distinctLangs(ls, except []string) []string {
	seen := map[string]bool{}
	for _, l := range except {
		seen[normLang(l)] = true
	}
	var out []string
	for _, l := range ls {
		if n := normLang(l); n != "" && !seen[n] {
			seen[n] = true
			out = append(out, l)
		}
	}
	return out
}

// langList names languages, e.g. "Spanish and Vietnamese".
func langList(ls []string) string { return mapJoin(ls, langName, "and") }

// langListOr names languages as alternatives, e.g. "Spanish or Vietnamese".
func langListOr(ls []string) string { return mapJoin(ls, langName, "or") }
