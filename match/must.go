package match

import (
	"math/bits"
	"strconv"
)

// Must-haves. A clinician marks a wish as a must-have with the importance
// MustHave, and a position marks its wants with Position.MustHave. A
// must-have the pair misses (its verdict is Misses: a fit below ½, one
// fall-off width or more outside the wish) makes the pair ineligible,
// named as the rule RuleMustHave, instead of being averaged away by the
// factors that fit. An unknown fact misses no must-have (unknown is not
// known bad; its sentence says it is not stated), nor does a fact that
// does not apply, and the commute is already the location rule. A met
// must-have weighs as much as importance 3.

// MustHave is the importance that marks a clinician's wish as a must-have.
const MustHave = MaxImportance + 1

// mustBit marks a must-have in a scoring row's wish entry, above the
// importance: the scan's table index (entry & 1023) drops it.
const mustBit = 1 << 10

// Flags of scoreRow.must: which must-haves the row holds. Above them, the
// row names its must-have wish slot (slot+1), or mustSeveral when it has
// more than one, so the common row with one must-have checks one slot
// instead of looking through all its wishes.
const (
	mustWishes = 1 << iota // some wish entry has mustBit
	mustEHR                // the EHRs to avoid
	mustPay                // the pay floor

	mustSlotShift = 3
	mustSeveral   = 31 // the wish slot field when several slots are must-haves
)

// Flags of plan.empMust: the position's must-have wants.
const (
	empYears = 1 << iota
	empBoard
	empLangs
	empEHRExp
)

// mustHave reports whether the clinician marked factor f as a must-have.
func mustHave(m map[Factor]int, f Factor) bool { return m[f] >= MustHave }

// compileMust sets the position's must-have wants: the employer-side
// factors in p.MustHave whose want it states.
func (f *posFacts) compileMust(p *Position) {
	for _, g := range p.MustHave {
		if g >= firstEmployer && g < NumFactors && f.wantStated(g) {
			f.must |= 1 << g
		}
	}
}

// wantStated reports whether the position states the want of
// employer-side factor g, so that it can be a must-have.
func (f *posFacts) wantStated(g Factor) bool {
	switch g {
	case FactorExperience:
		return f.minYears > 0
	case FactorBoardCert:
		return f.boardReq
	case FactorLanguages:
		return f.nLang > 0
	case FactorEHRExperience:
		return f.ehrWanted != 0
	}
	return false
}

// mustMisses returns the must-haves the pair misses, clinician side first
// and in factor order: the float64 path of Check and TopPositions, which
// the scan's plan.misses agrees with.
func (p *posFacts) mustMisses(r *clinRow) []Factor {
	var out []Factor
	for m := uint32(r.must) | p.must; m != 0; m &= m - 1 {
		f := Factor(bits.TrailingZeros32(m))
		if f == FactorCommute || f < firstEmployer && !p.applies(f) {
			continue
		}
		if fit, missing := p.factorFit(f, r); !missing && fit < missBelow {
			out = append(out, f)
		}
	}
	return out
}

// markMiss marks code in the must-have table t when its fit misses (is
// below ½). The plan's table fills call it for every wish slot and the
// upper ends of range wishes, from the fits their weight tables hold, when
// the index holds a must-have (a factor that does not apply has none: its
// fact is unknown).
func markMiss(t *[4]uint64, code int, fit float64) {
	if fit < missBelow {
		t[code>>6] |= 1 << (code & 63)
	}
}

// fillEmployerMust sets the position's must-have wants and the years of
// experience, up to maxCode, that miss its minimum.
func (pl *plan) fillEmployerMust(maxCode *[nSlots]uint8) {
	p := &pl.pf
	if p.must&(1<<FactorExperience) != 0 {
		pl.empMust |= empYears
		for code := 0; code <= int(maxCode[slotYears]); code++ {
			markMiss(&pl.missYears, code, p.part(FactorExperience, uint8(code)))
		}
	}
	for f, flag := range map[Factor]uint8{FactorBoardCert: empBoard, FactorLanguages: empLangs, FactorEHRExperience: empEHRExp} {
		if p.must&(1<<f) != 0 {
			pl.empMust |= flag
		}
	}
}

func has(t *[4]uint64, code uint8) bool { return t[code>>6]&(1<<(code&63)) != 0 }

// misses reports whether the pair misses a must-have, the clinician's (by
// the row's flags) or the position's: the scan's agreement with
// mustMisses, from the same fits. Only rows with a must-have of their own,
// or positions with one, call it.
func (pl *plan) misses(r *scoreRow) bool {
	p := &pl.pf
	switch k := int(r.must >> mustSlotShift); k {
	case 0:
	case mustSeveral:
		for i, e := range r.wish {
			if e&mustBit != 0 && pl.missesWish(r, i) {
				return true
			}
		}
	default:
		if pl.missesWish(r, k-1) {
			return true
		}
	}
	switch {
	case r.must&mustEHR != 0 && r.ehrAvoid&p.ehr != 0:
		return true
	case r.must&mustPay != 0 && pl.payKnown && payFit(p.payTop*float64(r.invFloor[p.period])) < missBelow:
		return true
	}
	if pl.empMust == 0 {
		return false
	}
	e := pl.empMust
	return e&empYears != 0 && has(&pl.missYears, r.other[oYears]) ||
		e&empBoard != 0 && r.other[oBoard] == 0 ||
		e&empLangs != 0 && r.langs != 0 && 2*popcount(r.langs&p.langWant) < p.nLang ||
		e&empEHRExp != 0 && r.ehrUsed != 0 && r.ehrUsed&p.ehrWanted == 0
}

// missesWish reports whether the row's wish in slot i misses: its code, or
// for a range wish the code of its upper end, is in the plan's table.
func (pl *plan) missesWish(r *scoreRow, i int) bool {
	return has(&pl.missW[i], uint8(r.wish[i])) ||
		i == wTeleMin && has(&pl.missO[0], r.other[oTeleMax]) ||
		i == wFTEMin && has(&pl.missO[1], r.other[oFTEMax])
}

// mustReason is the eligibility reason of a missed must-have, in v's
// words: "You marked follow-up visits of at least 30 minutes as a
// must-have, and this position misses it: follow-up visits are 15
// minutes."
func mustReason(f Factor, p *Position, c *Clinician, pf *posFacts, r *clinRow, v voice) Reason {
	if f < firstEmployer {
		fact := clinicianClauses(f, p, c, pf, r, v, false).factText()
		return Reason{Rule: RuleMustHave, Message: capFirst(v.who()) + " marked " + mustWish(f, c, pf, r) +
			" as a must-have, and this position misses it: " + lowFirst(fact) + "."}
	}
	fact := employerClauses(f, p, c, v, false).fact
	return Reason{Rule: RuleMustHave, Message: "This position requires " + mustWant(f, p) + " as a must-have, and " +
		v.says("misses", "miss") + " it: " + lowFirst(fact) + "."}
}

// mustWish names a clinician's wish as a thing marked a must-have.
func mustWish(f Factor, c *Clinician, pf *posFacts, r *clinRow) string {
	switch f {
	case FactorPanel:
		return "a panel of at most " + pluralp(c.PanelMax, "patient", "patients")
	case FactorVisitNew:
		return "new-patient visits of at least " + pluralp(c.VisitMinNew, "minute", "minutes")
	case FactorVisitFollowUp:
		return "follow-up visits of at least " + pluralp(c.VisitMinFollowUp, "minute", "minutes")
	case FactorPatientsPerDay:
		return "at most " + pluralp(c.PatientsPerDayMax, "patient", "patients") + " a day"
	case FactorContinuity:
		return "continuity of at least " + pct(c.ContinuityMin)
	case FactorContinuityModel:
		return continuityName(c.ContinuityModel)
	case FactorEHR:
		return "an EHR other than " + mapJoin(c.EHRsAvoid, ehrName, "or")
	case FactorInbox:
		return "at most " + pluralp(c.InboxMax, "inbox message", "inbox messages") + " a week"
	case FactorMAs:
		return "at least " + pluralp(c.MAsMin, "medical assistant", "medical assistants") + " per clinician"
	case FactorScribe:
		return "a scribe or ambient documentation"
	case FactorNurseRatio:
		return "at most " + pluralp(c.PatientsPerNurseMax, "patient", "patients") + " per nurse"
	case FactorTelehealth:
		return "a telehealth share of " + bounds(c.TelehealthMin, c.TelehealthMax, 0, 100, func(x float64) string { return num(x) + "%" }, "")
	case FactorCall:
		if c.CallMaxOneInN != nil && *c.CallMaxOneInN > 0 {
			return "call of at most 1 in " + strconv.Itoa(*c.CallMaxOneInN) + " nights or weekends"
		}
		return "no call"
	case FactorDays:
		return "at most " + pluralp(c.MaxDaysPerWeek, "day", "days") + " a week"
	case FactorShift:
		return mapJoin(c.Shifts, shiftName, "or") + " shifts"
	case FactorFTE:
		return bounds(c.FTEMin, c.FTEMax, 0, 2, num, " FTE")
	case FactorPay:
		return "pay of at least " + money(1/float64(r.invFloor[pf.period]), pf.period)
	case FactorSetting:
		return mapJoin(c.Settings, settingName, "or")
	case FactorPopulation:
		return "seeing " + mapJoin(c.Populations, populationName, "or")
	case FactorCareModel:
		if c.TeamBasedWanted != nil && !*c.TeamBasedWanted {
			return "care that is not team-based"
		}
		return "team-based care"
	}
	return f.String()
}

// mustWant names a position's want as a thing it requires.
func mustWant(f Factor, p *Position) string {
	switch f {
	case FactorExperience:
		return "at least " + pluralp(p.MinYears, "year", "years") + " of experience"
	case FactorBoardCert:
		return "board certification"
	case FactorLanguages:
		return langList(distinctLangs(append(append([]string(nil), p.LanguagesWanted...), p.LanguagesNeeded...), nil))
	case FactorEHRExperience:
		return "experience with " + mapJoin(p.EHRExperienceWanted, ehrName, "or")
	}
	return f.String()
}
