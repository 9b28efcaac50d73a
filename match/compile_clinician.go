package match

import (
	"math"

	"carefit/internal/kit/geo"
)

// compileClinician builds the feature row and licences of c, interning its
// languages in lt.
func compileClinician(c *Clinician, lt *langTable) (clinRow, []licRec) {
	var r clinRow
	r.compileGates(c, lt)
	r.compileHome(c)
	fa := r.compilePayFloor(c)
	r.compileWishes(c, fa)
	r.compileEmployerFacts(c)
	var na [numNAGroups]float64
	for f := Factor(0); f < firstEmployer; f++ {
		w := float64(r.imp[f]) * defaultWeights[f]
		r.wC += float32(w)
		for g := range na {
			if naSet(g+1)&(1<<f) == 0 {
				na[g] += w
			}
		}
	}
	if r.wC > 0 {
		r.invWC = 1 / r.wC
	}
	for g, w := range na {
		if w > 0 {
			r.invWCna[g] = float32(1 / w)
		}
	}
	return r, compileLicences(c)
}

// compileGates sets what eligibility reads: credential, employment types,
// availability, states the clinician would move to, EHRs and languages.
func (r *clinRow) compileGates(c *Clinician, lt *langTable) {
	r.cred = credBits[c.Credential]
	for _, e := range c.EmploymentTypes {
		r.emp |= empBits[e]
	}
	if r.emp == 0 {
		r.emp = 0xff
	}
	r.avail = dayNum(c.AvailableFrom, farPast)
	r.willing = geo.NewStateSet(c.WillingStates...)
	r.ehrUsed, r.ehrAvoid = ehrMask(c.EHRsUsed), ehrMask(c.EHRsAvoid)
	for _, l := range c.Languages {
		r.langs |= lt.add(l)
	}
}

// compileHome sets the home's unit vector and the commute as a squared
// chord; without a valid home the commute gate never passes.
func (r *clinRow) compileHome(c *Clinician) {
	r.commute2 = -1
	if !validPoint(c.Home) {
		return
	}
	r.x, r.y, r.z = unitVector(*c.Home)
	mi := c.MaxCommuteMiles
	if !(mi > 0) {
		mi = DefaultCommuteMiles
	}
	ch := chordOfMiles(mi)
	r.commute2 = float32(ch * ch)
	r.halfC, r.invC = float32(ch/2), float32(1/ch)
}

// compilePayFloor sets the reciprocal pay floors, filling the annual floor
// from the hourly one and back, and returns the annual floor (0 when none).
func (r *clinRow) compilePayFloor(c *Clinician) float64 {
	fa, fh := posOr0(c.PayFloorAnnual), posOr0(c.PayFloorHourly)
	if fa == 0 && fh > 0 {
		fa = fh * HoursPerYear
	}
	if fh == 0 && fa > 0 {
		fh = fa / HoursPerYear
	}
	if fa > 0 {
		r.invFloor = [2]float32{float32(1 / fa), float32(1 / fh)}
	}
	return fa
}

// wish sets the code of a clinician-side factor and keeps its importance
// only when the wish is stated.
func (r *clinRow) wish(c *Clinician, f Factor, slot int, stated bool, code uint8) {
	r.code[slot] = code
	if stated {
		r.state(c, f)
	}
}

// state records that the clinician states a wish for f: its importance,
// and whether it is a must-have.
func (r *clinRow) state(c *Clinician, f Factor) {
	r.imp[f] = importance(c.Importance, f)
	if r.imp[f] > 0 && mustHave(c.Importance, f) {
		r.must |= 1 << f
	}
}

// wishNum is wish for a number, stated when present and not NaN.
func (r *clinRow) wishNum(c *Clinician, f Factor, slot int, v *float64) {
	if v != nil && !math.IsNaN(*v) {
		r.wish(c, f, slot, true, quant(slot, *v))
	}
}

// wishMin is wishNum for a minimum ("at least N"): a minimum of zero or
// less is met by every position, so it is no wish and weighs nothing.
func (r *clinRow) wishMin(c *Clinician, f Factor, slot int, v *float64) {
	if v != nil && *v > 0 {
		r.wishNum(c, f, slot, v)
	}
}

// wishRange states a range wish (telehealth share, FTE) from optional
// bounds, lo and hi standing in for a missing one; swapped bounds are
// put in order.
func (r *clinRow) wishRange(c *Clinician, f Factor, loSlot, hiSlot int, min, max *float64, lo, hi float64, clamp func(float64) float64) {
	if min == nil && max == nil {
		return
	}
	if (min == nil || *min <= lo) && (max == nil || *max >= hi) {
		return // the whole range: every position meets it
	}
	if min != nil {
		lo = clamp(*min)
	}
	if max != nil {
		hi = clamp(*max)
	}
	if !(lo <= hi) {
		lo, hi = hi, lo
	}
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return
	}
	r.code[loSlot], r.code[hiSlot] = quant(loSlot, lo), quant(hiSlot, hi)
	r.state(c, f)
}

// compileWishes sets the codes and importances of the clinician-side
// factors; fa is the annual pay floor.
func (r *clinRow) compileWishes(c *Clinician, fa float64) {
	r.wishNum(c, FactorPanel, slotPanel, intf(c.PanelMax))
	r.wishMin(c, FactorVisitNew, slotVisitNew, intf(c.VisitMinNew))
	r.wishMin(c, FactorVisitFollowUp, slotVisitFU, intf(c.VisitMinFollowUp))
	r.wishNum(c, FactorPatientsPerDay, slotPPD, intf(c.PatientsPerDayMax))
	r.wishMin(c, FactorContinuity, slotCont, pctf(c.ContinuityMin))
	r.wish(c, FactorContinuityModel, slotContModel, contModelCode[c.ContinuityModel] != 0, contModelCode[c.ContinuityModel])
	if r.ehrUsed|r.ehrAvoid != 0 {
		r.state(c, FactorEHR)
	}
	r.wishNum(c, FactorInbox, slotInbox, intf(c.InboxMax))
	r.wishMin(c, FactorMAs, slotMAs, c.MAsMin)
	if c.ScribeWanted {
		r.wish(c, FactorScribe, slotScribe, true, 1)
	}
	r.wishNum(c, FactorNurseRatio, slotNurse, c.PatientsPerNurseMax)
	r.wishRange(c, FactorTelehealth, slotTeleMin, slotTeleMax, c.TelehealthMin, c.TelehealthMax, 0, 100, clampPct)
	r.wishNum(c, FactorCall, slotCall, intf(c.CallMaxOneInN))
	r.wishNum(c, FactorDays, slotDays, intf(c.MaxDaysPerWeek))
	var sm uint8
	for _, s := range c.Shifts {
		sm |= shiftBits[s]
	}
	r.wish(c, FactorShift, slotShift, sm != 0, sm)
	r.wishRange(c, FactorFTE, slotFTEMin, slotFTEMax, c.FTEMin, c.FTEMax, 0, 2, func(v float64) float64 { return v })
	if fa > 0 && !math.IsInf(fa, 0) {
		r.state(c, FactorPay)
	}
	r.state(c, FactorCommute)
	var setm, popm uint8
	for _, s := range c.Settings {
		setm |= settingBits[s]
	}
	for _, p := range c.Populations {
		popm |= popBits[p]
	}
	r.wish(c, FactorSetting, slotSetting, setm != 0, setm)
	r.wish(c, FactorPopulation, slotPopulation, popm != 0, popm)
	if c.TeamBasedWanted != nil {
		code := uint8(2)
		if *c.TeamBasedWanted {
			code = 1
		}
		r.wish(c, FactorCareModel, slotTeam, true, code)
	}
}

// compileEmployerFacts sets the clinician's facts that employers' wants
// are scored against: years of experience and board certification.
func (r *clinRow) compileEmployerFacts(c *Clinician) {
	r.code[slotYears] = codeUnknown
	if c.Years != nil && !math.IsNaN(*c.Years) {
		r.code[slotYears] = min(quant(slotYears, *c.Years), 254)
	}
	r.code[slotBoard] = 2
	if c.BoardCertified != nil {
		r.code[slotBoard] = 0
		if *c.BoardCertified {
			r.code[slotBoard] = 1
		}
	}
}

// compileLicences keeps the licences in known states, with expiry days and
// whether each is an NLC multistate RN licence.
func compileLicences(c *Clinician) []licRec {
	lic := make([]licRec, 0, len(c.Licences))
	for _, l := range c.Licences {
		i, ok := geo.StateIndex(l.State)
		if !ok {
			continue
		}
		lic = append(lic, licRec{
			exp:   dayNum(l.Expires, farFuture),
			state: uint8(i),
			multi: l.Multistate && c.Credential == RN && geo.NLC.Has(l.State),
		})
	}
	return lic
}
