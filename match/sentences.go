package match

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"carefit/geo"
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

func orList[T ~string](xs []T) string {
	s := make([]string, len(xs))
	for i, x := range xs {
		s[i] = words(string(x))
	}
	return strings.Join(s, " or ")
}

func ehrName(e EHR) string {
	switch e {
	case Epic:
		return "Epic"
	case OracleHealth:
		return "Oracle Health"
	case Athenahealth:
		return "athenahealth"
	case EClinicalWorks:
		return "eClinicalWorks"
	case NextGen:
		return "NextGen"
	case Meditech:
		return "MEDITECH"
	case Veradigm:
		return "Veradigm"
	}
	return "another EHR"
}

func ehrList(es []EHR) string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = ehrName(e)
	}
	return strings.Join(s, ", ")
}

// stated writes "<fact>; <wish>" or "<what> is not stated; <wish>".
func stated(missing bool, what, fact, wish string) string {
	if missing {
		return fmt.Sprintf("%s is not stated; %s.", what, wish)
	}
	return fmt.Sprintf("%s; %s.", fact, wish)
}

func callText(n int) string {
	if n <= 0 {
		return "no call"
	}
	return "call 1 in " + strconv.Itoa(n)
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
		return stated(missing, "The panel size", "The panel is "+numi(p.PanelSize)+" patients",
			"the clinician asked for at most "+numi(c.PanelMax))
	case FactorVisitNew:
		return stated(missing, "The new-patient visit length", "New-patient visits are "+numi(p.VisitMinutesNew)+" minutes",
			"the clinician asked for at least "+numi(c.VisitMinNew))
	case FactorVisitFollowUp:
		return stated(missing, "The follow-up visit length", "Follow-up visits are "+numi(p.VisitMinutesFollowUp)+" minutes",
			"the clinician asked for at least "+numi(c.VisitMinFollowUp))
	case FactorPatientsPerDay:
		return stated(missing, "The number of patients a day", "The schedule has "+numi(p.PatientsPerDay)+" patients a day",
			"the clinician asked for at most "+numi(c.PatientsPerDayMax))
	case FactorContinuity:
		return stated(missing, "The continuity rate", "Patients see their own clinician "+numf(p.ContinuityRate)+"% of the time",
			"the clinician asked for at least "+numf(c.ContinuityMin)+"%")
	case FactorContinuityModel:
		return stated(missing, "The continuity model", "The continuity model is "+words(string(p.ContinuityModel)),
			"the clinician prefers "+words(string(c.ContinuityModel)))
	case FactorEHR:
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
	case FactorInbox:
		return stated(missing, "The inbox load", "The inbox brings "+numi(p.InboxPerWeek)+" messages a week",
			"the clinician asked for at most "+numi(c.InboxMax))
	case FactorMAs:
		return stated(missing, "Medical assistant support", "There are "+numf(p.MAsPerClinician)+" medical assistants per clinician",
			"the clinician asked for at least "+numf(c.MAsMin))
	case FactorScribe:
		fact := "No scribe or ambient documentation is available"
		if p.Scribe != nil && *p.Scribe {
			fact = "A scribe or ambient documentation is available"
		}
		return stated(missing, "Scribe support", fact, "the clinician asked for one")
	case FactorNurseRatio:
		return stated(missing, "The number of patients per nurse", "Each nurse has "+numf(p.PatientsPerNurse)+" patients",
			"the clinician asked for at most "+numf(c.PatientsPerNurseMax))
	case FactorTelehealth:
		return stated(missing, "The telehealth share", numf(p.TelehealthPct)+"% of visits are telehealth",
			"the clinician asked for "+rangeText(c.TelehealthMin, c.TelehealthMax, 0, 100, "%"))
	case FactorCall:
		fact := "There is no call"
		if p.CallOneInN != nil && *p.CallOneInN > 0 {
			fact = "Call is 1 in " + strconv.Itoa(*p.CallOneInN)
		}
		wish := "the clinician accepts no call"
		if c.CallMaxOneInN != nil && *c.CallMaxOneInN > 0 {
			wish = "the clinician accepts at most " + callText(*c.CallMaxOneInN)
		}
		return stated(missing, "Call", fact, wish)
	case FactorDays:
		return stated(missing, "The number of days a week", "The position is "+numi(p.DaysPerWeek)+" days a week",
			"the clinician asked for at most "+numi(c.MaxDaysPerWeek))
	case FactorShift:
		return stated(missing, "The shift", "The shift is "+words(string(p.Shift)), "the clinician asked for "+orList(c.Shifts))
	case FactorFTE:
		return stated(missing, "The FTE", "The position is "+numf(p.FTE)+" FTE",
			"the clinician asked for "+rangeText(c.FTEMin, c.FTEMax, 0, 2, ""))
	case FactorPay:
		floor := 1 / float64(r.invFloor[pf.period])
		wish := "the clinician's floor is " + money(floor, pf.period)
		if missing {
			return "Pay is not stated; " + wish + "."
		}
		return "Pay is up to " + money(pf.payTop, pf.period) + "; " + wish + "."
	case FactorCommute:
		return commuteSentence(p, c, pf, r)
	case FactorSetting:
		return stated(missing, "The setting", "The setting is "+words(string(p.Setting)), "the clinician asked for "+orList(c.Settings))
	case FactorPopulation:
		return stated(missing, "The patient population", "The patients are "+words(string(p.Population)),
			"the clinician asked for "+orList(c.Populations))
	case FactorCareModel:
		fact := "Care is not team-based"
		if p.TeamBasedCare != nil && *p.TeamBasedCare {
			fact = "Care is team-based"
		}
		wish := "the clinician wants team-based care"
		if c.TeamBasedWanted != nil && !*c.TeamBasedWanted {
			wish = "the clinician prefers not to work in team-based care"
		}
		return stated(missing, "The care model", fact, wish)
	case FactorExperience:
		want := "the position wants at least " + numf(p.MinYears)
		if missing {
			return "The clinician's years of experience are not stated; " + want + "."
		}
		return "The clinician has " + numf(c.Years) + " years of experience; " + want + "."
	case FactorBoardCert:
		switch {
		case missing:
			return "The clinician's board certification is not stated; the position requires it."
		case *c.BoardCertified:
			return "The clinician is board certified; the position requires it."
		}
		return "The clinician is not board certified; the position requires it."
	case FactorLanguages:
		want := append(append([]string(nil), p.LanguagesWanted...), p.LanguagesNeeded...)
		if missing {
			return "The clinician's languages are not stated; the position wants " + langList(want) + "."
		}
		var spoken []string
		have := map[string]bool{}
		for _, l := range c.Languages {
			have[normLang(l)] = true
		}
		seen := map[string]bool{}
		for _, l := range want {
			if n := normLang(l); have[n] && !seen[n] {
				seen[n] = true
				spoken = append(spoken, l)
			}
		}
		if len(spoken) == 0 {
			return "The position wants " + langList(want) + "; the clinician speaks none of them."
		}
		return "The position wants " + langList(want) + "; the clinician speaks " + langList(spoken) + "."
	case FactorEHRExperience:
		want := "the position wants experience with " + ehrList(p.EHRExperienceWanted)
		if missing {
			return "The clinician's EHR experience is not stated; " + want + "."
		}
		return "The clinician has used " + ehrList(c.EHRsUsed) + "; " + want + "."
	}
	return ""
}

func langList(ls []string) string {
	seen := map[string]bool{}
	var out []string
	for _, l := range ls {
		n := normLang(l)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, strings.TrimSpace(l))
	}
	return strings.Join(out, ", ")
}

func commuteSentence(p *Position, c *Clinician, pf *posFacts, r *clinRow) string {
	ch := pf.chord2(r)
	limit := num(math.Round(chordMiles(r.commute2)))
	switch {
	case r.commute2 >= ch:
		mi := geo.DistanceMiles(p.Location.Lat, p.Location.Lng, c.Home.Lat, c.Home.Lng)
		return "The position is " + num(math.Round(mi)) + " miles from home; the clinician's commute limit is " + limit + " miles."
	case r.willing&pf.stateBit != 0:
		return "The position is in " + p.State + ", beyond commuting distance; the clinician would move there."
	case !pf.hasLoc || r.commute2 < 0:
		return "The distance is not known and the clinician has not said they would move to " + p.State + "."
	}
	mi := geo.DistanceMiles(p.Location.Lat, p.Location.Lng, c.Home.Lat, c.Home.Lng)
	return "The position is " + num(math.Round(mi)) + " miles from home, beyond the clinician's " + limit + "-mile commute."
}
