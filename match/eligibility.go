package match

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
)

// Rule names one eligibility rule.
type Rule string

// Eligibility rules, in the order Check reports them.
const (
	RuleOpen         Rule = "open"         // the position is open
	RuleNotExpired   Rule = "not_expired"  // the posting has not expired
	RuleCredential   Rule = "credential"   // the credential is accepted
	RuleSpecialty    Rule = "specialty"    // a taxonomy code is accepted
	RuleLicence      Rule = "licence"      // licensed in every required state on the start date
	RuleAvailability Rule = "availability" // available by the start date plus slack
	RuleEmployment   Rule = "employment"   // the employment type is acceptable
	RuleLocation     Rule = "location"     // within commute, or willing to move to the state
	RuleMustHave     Rule = "must_have"    // no must-have missed, one reason each (must.go)
)

// Reason is one failed eligibility rule with a plain sentence.
type Reason struct {
	Rule    Rule
	Message string
}

// Eligibility is the verdict for one pair; Reasons lists every failed rule
// and is empty when Eligible.
type Eligibility struct {
	Eligible bool
	Reasons  []Reason
	// Notes are rules passed only thanks to an allowance
	// (Options.AvailabilitySlackDays), said so the reader knows.
	Notes []Reason
}

// Check reports whether clinician c may be offered position p at time now,
// naming every rule that fails. It never returns an error: missing data
// fails the rule that needs it.
func Check(p Position, c Clinician, now time.Time, opts Options) Eligibility {
	var lt langTable
	pf := compilePosition(&p, &lt, true)
	r, lic := compileClinician(&c, &lt)
	return check(&pf, &p, &r, lic, &c, now, opts)
}

// startDay is the position's start day, today when it has none or it lies
// in the past.
func (p *posFacts) startOn(now time.Time) int32 {
	return max(p.startDay, dayNum(now, 0))
}

// liveAt reports whether the position is open and unexpired at now.
func (p *posFacts) liveAt(now time.Time) bool {
	return p.open && (p.expiresAt.IsZero() || now.Before(p.expiresAt))
}

// rowOK checks the rules that the index's buckets do not already guarantee:
// licences, availability, employment type and location. It is the fast
// path's check and must agree with check.
func (p *posFacts) rowOK(r *clinRow, lic []licRec, start, lastAvail int32) bool {
	if r.avail > lastAvail || r.emp&p.emp == 0 || p.licUnknown {
		return false
	}
	for _, s := range p.lic {
		if !licenceValid(lic, s, start) {
			return false
		}
	}
	return p.remote || r.willing&p.stateBit != 0 || r.commute2 >= p.chord2(r)
}

func check(pf *posFacts, p *Position, r *clinRow, lic []licRec, c *Clinician, now time.Time, opts Options) Eligibility {
	var out []Reason
	taxa := c.Taxonomies
	v := voiceOf(opts.Reader)
	add := func(rule Rule, format string, args ...any) {
		out = append(out, Reason{Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	if !pf.open {
		add(RuleOpen, "%s", statusText(p.Status))
	}
	if !pf.expiresAt.IsZero() && !now.Before(pf.expiresAt) {
		add(RuleNotExpired, "The posting expired on %s.", pf.expiresAt.UTC().Format(dateLayout))
	}
	if r.cred&pf.creds == 0 {
		have := "not stated"
		if r.cred != 0 {
			have = string(credOf(r.cred))
		}
		add(RuleCredential, "The position accepts %s; %s credential is %s.", joinCreds(p.Credentials), v.whose(), have)
	}
	if len(p.Taxonomies) > 0 && !slices.ContainsFunc(taxa, func(t string) bool { return slices.Contains(p.Taxonomies, t) }) {
		have := v.whose() + " specialty is not stated"
		switch {
		case len(taxa) == 1:
			have = v.whose() + " specialty is " + specialtyName(taxa[0])
		case len(taxa) > 1:
			have = v.whose() + " specialties are " + mapJoin(taxa, specialtyName, "and")
		}
		add(RuleSpecialty, "The position accepts %s; %s.", mapJoin(p.Taxonomies, specialtyName, "or"), have)
	}
	start := pf.startOn(now)
	startText := dayText(start)
	var missing []string
	for _, s := range p.LicenceStates {
		if !geo.IsState(s) {
			missing = append(missing, stateName(s))
		}
	}
	if len(p.LicenceStates) == 0 && pf.state < 0 {
		missing = append(missing, stateName(p.State))
	}
	for _, s := range pf.lic {
		if !licenceValid(lic, s, start) {
			missing = append(missing, geo.Jurisdictions()[s].Name)
		}
	}
	if len(missing) > 0 {
		add(RuleLicence, "%s no licence valid in %s on %s.", capFirst(v.says("has", "have")), join(missing, "or"), startText)
	}
	var notes []Reason
	if why, late := availability(r.avail, start, opts.AvailabilitySlackDays, v); why != "" && late {
		add(RuleAvailability, "%s", why)
	} else if why != "" {
		notes = append(notes, Reason{Rule: RuleAvailability, Message: why})
	}
	if r.emp&pf.emp == 0 {
		add(RuleEmployment, "The position is %s; %s %s work.", empName(p.EmploymentType), v.says("wants", "want"), empText(r.emp))
	}
	if !pf.remote && r.willing&pf.stateBit == 0 && !(r.commute2 >= pf.chord2(r)) {
		add(RuleLocation, "%s", locationText(pf, p, r, v))
	}
	for _, f := range pf.mustMisses(r) {
		out = append(out, mustReason(f, p, c, pf, r, v))
	}
	return Eligibility{Eligible: len(out) == 0, Reasons: out, Notes: notes}
}

// availability says when a clinician available from avail can start
// against the start day: late (a reason) past the allowance of slack
// days, else a note when the allowance is used, else nothing.
func availability(avail, start int32, slack int, v voice) (why string, late bool) {
	if avail <= start {
		return "", false
	}
	when := capFirst(v.says("is", "are")) + " available from " + dayText(avail) + ", " +
		plural(float64(avail-start), "day", "days") + " after the start date of " + dayText(start)
	switch {
	case avail > satAdd(start, slack) && slack > 0:
		return when + "; the allowance is " + plural(float64(slack), "day", "days") + ".", true
	case avail > satAdd(start, slack):
		return when + ".", true
	}
	return when + ", within the " + strconv.Itoa(slack) + "-day allowance.", false
}

func satAdd(d int32, n int) int32 {
	v := int64(d) + int64(n)
	return int32(max(math.MinInt32, min(math.MaxInt32, v)))
}

// dateLayout writes dates as "April 1, 2026".
const dateLayout = "January 2, 2006"

func dayText(d int32) string {
	if d == math.MinInt32 || d == math.MinInt32+1 {
		return "today"
	}
	return time.Unix(int64(d)*86400, 0).UTC().Format(dateLayout)
}

// statusText says why a position that is not open cannot be offered.
func statusText(s Status) string {
	switch s {
	case StatusDraft:
		return "The position is still a draft, not open."
	case StatusFilled, StatusClosed:
		return "The position is " + string(s) + ", not open."
	case "":
		return "The position's status is not stated, so it is not open."
	}
	return "The position's status is " + words(string(s)) + ", not open."
}

// specialtyName is a taxonomy code's NUCC name with the code, e.g.
// "Family Medicine Physician (207Q00000X)", or the code alone.
func specialtyName(code string) string {
	if c, ok := taxonomy.Lookup(code); ok {
		return c.Name + " (" + code + ")"
	}
	return code
}

// empName names an employment type in words ("locum tenens").
func empName(e EmploymentType) string { return words(string(e)) }

func credOf(bit uint8) Credential {
	for c, b := range credBits {
		if b == bit {
			return c
		}
	}
	return ""
}

func joinCreds(cs []Credential) string {
	return mapJoin(cs, func(c Credential) string { return string(c) }, "or")
}

func empText(m uint8) string {
	var s []string
	for _, e := range []EmploymentType{Permanent, LocumTenens, Travel, PerDiem} {
		if m&empBits[e] != 0 {
			s = append(s, empName(e))
		}
	}
	return join(s, "or")
}

func locationText(pf *posFacts, p *Position, r *clinRow, v voice) string {
	notWilling := fmt.Sprintf("%s is not among the states %s would move to", stateName(p.State), v.who())
	switch {
	case !pf.hasLoc:
		return fmt.Sprintf("The position's location is not known and %s.", notWilling)
	case r.commute2 < 0:
		return fmt.Sprintf("%s home location is not known and %s.", capFirst(v.whose()), notWilling)
	}
	mi := chordMiles(pf.chord2(r))
	max := chordMiles(r.commute2)
	return fmt.Sprintf("The position is %s miles away, beyond %s %s-mile commute, and %s.",
		num(math.Round(mi)), v.whose(), num(math.Round(max)), notWilling)
}

// chordMiles converts a squared unit chord back to surface miles.
func chordMiles(c2 float32) float64 {
	return 2 * earthRadiusMiles * math.Asin(math.Min(1, math.Sqrt(float64(c2))/2))
}
