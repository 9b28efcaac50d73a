package match

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
)

// Sentences are written in the third person ("the clinician asked for …",
// "the position wants …") so recruiters and clinicians can read the same
// text.

// num formats v without trailing zeros and with thousands separators.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "unknown"
	}
	neg := v < 0
	v = math.Abs(v)
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if r := math.Round(v*100) / 100; r != v {
		s = strconv.FormatFloat(r, 'f', -1, 64)
	}
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, ch := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func numi(v *int) string {
	if v == nil {
		return "unknown"
	}
	return num(float64(*v))
}

func numf(v *float64) string {
	if v == nil {
		return "unknown"
	}
	return num(*v)
}

func words(s string) string { return strings.ReplaceAll(s, "_", " ") }

// join lists items as "a", "a or b", "a, b or c" (conj "or" or "and").
func join(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

// mapJoin names every item with name and joins the names.
func mapJoin[T any](xs []T, name func(T) string, conj string) string {
	s := make([]string, 0, len(xs))
	for _, x := range xs {
		if n := name(x); n != "" && !slices.Contains(s, n) {
			s = append(s, n)
		}
	}
	return join(s, conj)
}

// plural writes "1 year", "2 years", "1.5 years".
func plural(v float64, one, many string) string {
	if v == 1 {
		return "1 " + one
	}
	return num(v) + " " + many
}

func pluralp[T int | float64](v *T, one, many string) string {
	if v == nil {
		return "an unknown number of " + many
	}
	return plural(float64(*v), one, many)
}

// ehrName is the product name recruiters and clinicians know, with the
// former name in brackets where the product was renamed.
func ehrName(e EHR) string {
	switch e {
	case Epic:
		return "Epic"
	case OracleHealth:
		return "Oracle Health (Cerner)"
	case Athenahealth:
		return "athenahealth"
	case EClinicalWorks:
		return "eClinicalWorks"
	case NextGen:
		return "NextGen"
	case Meditech:
		return "MEDITECH"
	case Veradigm:
		return "Veradigm (Allscripts)"
	}
	return "another EHR"
}

// langName is a language's English name: ISO 639-1 codes ("ru") are
// named ("Russian"); other names are shown as given, capitalised.
func langName(l string) string {
	l = strings.TrimSpace(l)
	if n := taxonomy.Language(normLang(l)).Name(); n != "" {
		return n
	}
	if l == "" {
		return ""
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

func settingName(s Setting) string {
	switch s {
	case OutpatientClinic:
		return "an outpatient clinic"
	case FQHC:
		return "a community health center (FQHC)"
	case Hospital:
		return "a hospital"
	case UrgentCare:
		return "an urgent care center"
	case TelehealthOnly:
		return "telehealth only"
	}
	return words(string(s))
}

func populationName(p Population) string {
	switch p {
	case Pediatric:
		return "children"
	case Adult:
		return "adults"
	case Geriatric:
		return "older adults"
	case PopulationAll:
		return "patients of all ages"
	}
	return words(string(p))
}

func shiftName(s Shift) string {
	if s == "" {
		return ""
	}
	return words(string(s))
}

func continuityName(m ContinuityModel) string {
	switch m {
	case AssignedPanel:
		return "assigned panels"
	case TeamBased:
		return "team-based continuity"
	case NoContinuity:
		return "no continuity model"
	}
	return words(string(m))
}

// stateName is a state's name ("Texas"), or the code as given.
func stateName(code string) string {
	if n := geo.StateName(code); n != "" {
		return n
	}
	if code == "" {
		return "the position's state"
	}
	return code
}

// stated writes "<fact>; <wish>" or "<what> is not stated; <wish>".
func stated(missing bool, what, fact, wish string) string {
	if missing {
		return fmt.Sprintf("%s is not stated; %s.", what, wish)
	}
	return fmt.Sprintf("%s; %s.", fact, wish)
}

func money(v float64, period int) string {
	if period == 1 {
		return "$" + num(math.Round(v*100)/100) + " an hour"
	}
	return "$" + num(math.Round(v)) + " a year"
}

func rangeText(lo, hi *float64, def0, def1 float64, unit string) string {
	a, b := def0, def1
	if lo != nil {
		a = *lo
	}
	if hi != nil {
		b = *hi
	}
	return num(a) + unit + " to " + num(b) + unit
}

// sentence is the plain-language reason for factor f.
func sentence(f Factor, p *Position, c *Clinician, pf *posFacts, r *clinRow, missing bool) string {
	switch f {
	case FactorPanel:
		return stated(missing, "The panel size", "The panel is "+pluralp(p.PanelSize, "patient", "patients"),
			"the clinician asked for at most "+numi(c.PanelMax))
	case FactorVisitNew:
		return stated(missing, "The new-patient visit length", "New-patient visits are "+pluralp(p.VisitMinutesNew, "minute", "minutes"),
			"the clinician asked for at least "+numi(c.VisitMinNew))
	case FactorVisitFollowUp:
		return stated(missing, "The follow-up visit length", "Follow-up visits are "+pluralp(p.VisitMinutesFollowUp, "minute", "minutes"),
			"the clinician asked for at least "+numi(c.VisitMinFollowUp))
	case FactorPatientsPerDay:
		return stated(missing, "The number of patients a day", "The schedule has "+pluralp(p.PatientsPerDay, "patient", "patients")+" a day",
			"the clinician asked for at most "+numi(c.PatientsPerDayMax))
	case FactorContinuity:
		return stated(missing, "The continuity rate", "Patients see their own clinician "+numf(p.ContinuityRate)+"% of the time",
			"the clinician asked for at least "+numf(c.ContinuityMin)+"%")
	case FactorContinuityModel:
		return stated(missing, "The continuity model", "The practice uses "+continuityName(p.ContinuityModel),
			"the clinician prefers "+continuityName(c.ContinuityModel))
	case FactorEHR:
		return ehrSentence(p, pf, r, missing)
	case FactorInbox:
		return stated(missing, "The inbox load", "The inbox brings "+pluralp(p.InboxPerWeek, "message", "messages")+" a week",
			"the clinician asked for at most "+numi(c.InboxMax))
	case FactorMAs, FactorScribe:
		return supportSentence(f, p, c, missing)
	case FactorNurseRatio:
		return stated(missing, "The number of patients per nurse", "Each nurse has "+pluralp(p.PatientsPerNurse, "patient", "patients"),
			"the clinician asked for at most "+numf(c.PatientsPerNurseMax))
	case FactorTelehealth:
		return stated(missing, "The telehealth share", numf(p.TelehealthPct)+"% of visits are by video or phone",
			"the clinician asked for "+rangeText(c.TelehealthMin, c.TelehealthMax, 0, 100, "%"))
	case FactorCall:
		return callSentence(p, c, missing)
	case FactorDays:
		return stated(missing, "The number of days a week", "The position is "+pluralp(p.DaysPerWeek, "day", "days")+" a week",
			"the clinician asked for at most "+numi(c.MaxDaysPerWeek))
	case FactorShift:
		return stated(missing, "The shift", "The position works "+shiftName(p.Shift)+" shifts",
			"the clinician asked for "+mapJoin(c.Shifts, shiftName, "or")+" shifts")
	case FactorFTE:
		return stated(missing, "The FTE", "The position is "+numf(p.FTE)+" FTE",
			"the clinician asked for "+rangeText(c.FTEMin, c.FTEMax, 0, 2, "")+" FTE")
	case FactorPay:
		return paySentence(pf, r, missing)
	case FactorCommute:
		return commuteSentence(p, c, pf, r)
	case FactorSetting:
		return stated(missing, "The setting", "The setting is "+settingName(p.Setting),
			"the clinician asked for "+mapJoin(c.Settings, settingName, "or"))
	case FactorPopulation:
		return stated(missing, "The patient population", "The position serves "+populationName(p.Population),
			"the clinician asked to see "+mapJoin(c.Populations, populationName, "or"))
	case FactorCareModel:
		return careModelSentence(p, c, missing)
	case FactorExperience:
		want := "the position wants at least " + pluralp(p.MinYears, "year", "years")
		if missing {
			return "The clinician's years of experience are not stated; " + want + "."
		}
		return "The clinician has " + pluralp(c.Years, "year", "years") + " of experience; " + want + "."
	case FactorBoardCert:
		return boardCertSentence(c, missing)
	case FactorLanguages:
		return languagesSentence(p, c, missing)
	case FactorEHRExperience:
		want := "the position wants experience with " + mapJoin(p.EHRExperienceWanted, ehrName, "or")
		if missing {
			return "The clinician's EHR experience is not stated; " + want + "."
		}
		return "The clinician has used " + mapJoin(c.EHRsUsed, ehrName, "and") + "; " + want + "."
	}
	return ""
}

// ehrSentence says which EHR the position uses and how it meets the
// clinician's EHRs used and avoided.
func ehrSentence(p *Position, pf *posFacts, r *clinRow, missing bool) string {
	if missing {
		return "The EHR is not stated."
	}
	switch ehrFits[pf.ehrIndex(r)] {
	case fitEHRAvoid:
		return "The EHR is " + ehrName(p.EHR) + ", which the clinician asked to avoid."
	case fitEHRUsed:
		return "The EHR is " + ehrName(p.EHR) + ", which the clinician has used."
	}
	return "The EHR is " + ehrName(p.EHR) + ", which the clinician has not used."
}

// supportSentence compares medical assistant and scribe support with the
// clinician's wish.
func supportSentence(f Factor, p *Position, c *Clinician, missing bool) string {
	if f == FactorScribe {
		fact := "No scribe or ambient documentation is available"
		if p.Scribe != nil && *p.Scribe {
			fact = "A scribe or ambient documentation is available"
		}
		return stated(missing, "Scribe support", fact, "the clinician asked for one")
	}
	fact := "There are " + pluralp(p.MAsPerClinician, "medical assistant", "medical assistants") + " per clinician"
	if p.MAsPerClinician != nil && *p.MAsPerClinician == 1 {
		fact = "There is 1 medical assistant per clinician"
	}
	return stated(missing, "Medical assistant support", fact, "the clinician asked for at least "+numf(c.MAsMin))
}

// callSentence compares the call schedule with the most call accepted.
func callSentence(p *Position, c *Clinician, missing bool) string {
	fact := "There is no call"
	if p.CallOneInN != nil && *p.CallOneInN > 0 {
		fact = "Call is 1 in " + strconv.Itoa(*p.CallOneInN) + " nights or weekends"
	}
	wish := "the clinician accepts no call"
	if c.CallMaxOneInN != nil && *c.CallMaxOneInN > 0 {
		wish = "the clinician accepts call up to 1 in " + strconv.Itoa(*c.CallMaxOneInN)
	}
	return stated(missing, "Call", fact, wish)
}

// paySentence compares the top of the pay range with the clinician's floor.
func paySentence(pf *posFacts, r *clinRow, missing bool) string {
	floor := 1 / float64(r.invFloor[pf.period])
	wish := "the clinician's floor is " + money(floor, pf.period)
	if missing {
		return "Pay is not stated; " + wish + "."
	}
	return "Pay is up to " + money(pf.payTop, pf.period) + "; " + wish + "."
}

// careModelSentence compares team-based care with the clinician's wish.
func careModelSentence(p *Position, c *Clinician, missing bool) string {
	fact := "Care is not team-based"
	if p.TeamBasedCare != nil && *p.TeamBasedCare {
		fact = "Care is team-based"
	}
	wish := "the clinician wants team-based care"
	if c.TeamBasedWanted != nil && !*c.TeamBasedWanted {
		wish = "the clinician prefers not to work in team-based care"
	}
	return stated(missing, "The care model", fact, wish)
}

// boardCertSentence says whether the clinician meets a required board
// certification.
func boardCertSentence(c *Clinician, missing bool) string {
	switch {
	case missing:
		return "The clinician's board certification is not stated; the position requires it."
	case *c.BoardCertified:
		return "The clinician is board certified; the position requires it."
	}
	return "The clinician is not board certified; the position requires it."
}

// languagesSentence names the languages wanted and those the clinician
// speaks.
func languagesSentence(p *Position, c *Clinician, missing bool) string {
	want := append(append([]string(nil), p.LanguagesWanted...), p.LanguagesNeeded...)
	if missing {
		return "The clinician's languages are not stated; the position wants " + langList(want) + "."
	}
	var spoken []string
	have := map[string]bool{}
	for _, l := range c.Languages {
		have[normLang(l)] = true
	}
	for _, l := range want {
		if have[normLang(l)] {
			spoken = append(spoken, l)
		}
	}
	if len(spoken) == 0 {
		return "The position wants " + langList(want) + "; the clinician speaks none of them."
	}
	return "The position wants " + langList(want) + "; the clinician speaks " + langList(spoken) + "."
}

// langList names distinct languages, e.g. "Spanish and Vietnamese".
func langList(ls []string) string {
	seen := map[string]bool{}
	var out []string
	for _, l := range ls {
		n := normLang(l)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, langName(l))
	}
	return join(out, "and")
}

func commuteSentence(p *Position, c *Clinician, pf *posFacts, r *clinRow) string {
	ch := pf.chord2(r)
	limit := num(math.Round(chordMiles(r.commute2)))
	switch {
	case r.commute2 >= ch:
		mi := math.Round(geo.DistanceMiles(p.Location.Lat, p.Location.Lng, c.Home.Lat, c.Home.Lng))
		return "The position is " + plural(mi, "mile", "miles") + " from home; the clinician's commute limit is " + limit + " miles."
	case r.willing&pf.stateBit != 0:
		return "The position is in " + stateName(p.State) + ", beyond commuting distance; the clinician would move there."
	case !pf.hasLoc || r.commute2 < 0:
		return "The distance is not known and the clinician has not said they would move to " + stateName(p.State) + "."
	}
	mi := math.Round(geo.DistanceMiles(p.Location.Lat, p.Location.Lng, c.Home.Lat, c.Home.Lng))
	return "The position is " + plural(mi, "mile", "miles") + " from home, beyond the clinician's " + limit + "-mile commute."
}
