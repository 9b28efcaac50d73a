package match

import (
	"math"
	"math/bits"
	"time"
)

// plan is a position prepared for scanning many clinicians: every
// code-slot factor becomes a 256-entry table of weight × fit indexed by the
// clinician's code, so scoring a pair is a few dozen loads and adds with
// one division and a square root.
type plan struct {
	pf posFacts
	// wtab is, per wish slot, importance × weight × fit indexed by the
	// row's importance<<8 | code; otab is weight × fit (employer slots) or
	// the upper-end fit (telehealth, FTE) by code. wtab is allocated once
	// per pooled plan and only the entries rows can index are written.
	wtab       *[nWish]slotTab
	otab       [nOther][256]float32
	ehrTab     [4]float32
	payW       float32
	payTop     float32
	payKnown   bool
	commuteW   float32
	langTab    [128]float32 // by languages spoken of those wanted; langUnknownIdx when unknown
	ehrExpTab  [4]float32   // by (any EHR used)<<1 | (a wanted EHR used)
	px, py, pz float32      // the site as a unit vector; NaN when unknown
	delta      []factorDelta
	// The must-have tables (must.go): per wish slot and upper end of a
	// range wish, the codes that miss; the years that miss the position's
	// minimum; and the position's must-have wants.
	missW     [nWish][4]uint64
	missO     [2][4]uint64
	missYears [4]uint64
	empMust   uint8
	wE        float32
	invWE     float32
	start     int32
	lastAvail int32
}

// slotTab is one wish slot's table: four blocks of 256 (importance 0 to 3)
// and a pad, so the tables of different slots start at different cache
// sets; with a 4 KiB stride every slot's low codes (the ones most rows
// hold) would compete for the same few sets of the L1 cache.
type slotTab struct {
	v [1024]float32
	_ [16]float32
}

// langUnknownIdx is the langTab entry of a clinician whose languages are
// not stated.
const langUnknownIdx = 65

// factorDelta is how much a position moves a clinician-side weight away
// from the base its row's precomputed weight sum assumes (the default, or
// 0 for a factor that may not apply in the position's group): an
// organisation's override, or a fact stated where it may not apply. The
// sum is corrected by importance × delta.
type factorDelta struct {
	dw    float32
	wish  int   // the factor's wish slot, or -1
	shift uint8 // else the position of its importance in scoreRow.impX
}

// allCodes fills every table entry: for plans not tied to an index.
var allCodes = func() (m [nSlots]uint8) {
	for i := range m {
		m[i] = 255
	}
	return m
}()

func newPlan(pf posFacts, now time.Time, opts Options) *plan {
	pl := new(plan)
	pl.init(pf, now, opts, &allCodes, true)
	return pl
}

// init prepares pl for pf, filling each slot's table for codes 0 to
// maxCode[slot] only: an index passes the largest code any of its rows
// holds, so entries beyond are never read and a plan costs a fraction of
// 22 × 256 fit evaluations. pl may be reused.
//
// needMiss fills the tables of the clinicians' must-haves too (must.go);
// an index passes whether any row holds one.
func (pl *plan) init(pf posFacts, now time.Time, opts Options, maxCode *[nSlots]uint8, needMiss bool) {
	delta, wtab := pl.delta[:0], pl.wtab
	*pl = plan{pf: pf}
	if wtab == nil {
		wtab = new([nWish]slotTab)
	}
	pl.wtab = wtab
	pl.start = pf.startOn(now)
	pl.lastAvail = satAdd(pl.start, opts.AvailabilitySlackDays)
	pl.delta = overrides(&pl.pf, delta)
	pl.fillWishTables(maxCode, needMiss)
	pl.fillOtherTables(maxCode, needMiss)
	pl.fillFixedTables()
	pl.fillEmployerMust(maxCode)
}

// overrides lists, into delta's storage, how the position's weights move
// each clinician-side factor away from the base of its group's weight sum.
func overrides(p *posFacts, delta []factorDelta) []factorDelta {
	var na uint32
	if p.naGroup > 0 {
		na = naSet(int(p.naGroup))
	}
	for f := Factor(0); f < firstEmployer; f++ {
		base := defaultWeights[f]
		if na&(1<<f) != 0 {
			base = 0
		}
		if p.w[f] == base {
			continue
		}
		d := factorDelta{dw: float32(p.w[f] - base), wish: -1}
		for i, ws := range wishSlot {
			if ws.f == f {
				d.wish = i
			}
		}
		switch f {
		case FactorEHR:
			d.shift = impShiftEHR
		case FactorPay:
			d.shift = impShiftPay
		case FactorCommute:
			d.shift = impShiftCommute
		}
		delta = append(delta, d)
	}
	return delta
}

// fillWishTables fills each wish slot's weight × fit table for every
// importance and the codes up to maxCode.
func (pl *plan) fillWishTables(maxCode *[nSlots]uint8, needMiss bool) {
	p := &pl.pf
	for i, ws := range wishSlot {
		f, t := ws.f, &pl.wtab[i].v
		n := int(maxCode[ws.slot])
		w := p.w[f]
		miss := needMiss && p.applies(f) // else no code misses: must.go
		for code := 0; code <= n; code++ {
			fit := 0.0
			if w != 0 || miss { // a zero-weight fit may be NaN
				fit = p.part(f, uint8(code))
			}
			if miss {
				markMiss(&pl.missW[i], code, fit)
			}
			for imp := range 4 {
				t[imp<<8|code] = float32(float64(imp) * w * fit)
			}
		}
	}
}

// fillOtherTables fills the second factor of range wishes and the
// employer-side code slots, and the must-have tables of the upper ends of
// range wishes when needMiss.
func (pl *plan) fillOtherTables(maxCode *[nSlots]uint8, needMiss bool) {
	p := &pl.pf
	if needMiss {
		for i, f := range [2]Factor{FactorTelehealth, FactorFTE} {
			for code := 0; code <= int(maxCode[otherSlot[i]]); code++ {
				markMiss(&pl.missO[i], code, p.part2(f, uint8(code)))
			}
		}
	}
	for i, slot := range otherSlot {
		var f Factor
		switch slot {
		case slotTeleMax:
			f = FactorTelehealth
		case slotFTEMax:
			f = FactorFTE
		case slotYears:
			f = FactorExperience
		case slotBoard:
			f = FactorBoardCert
		}
		if p.w[f] == 0 {
			continue // the table stays 0
		}
		for code := 0; code <= int(maxCode[slot]); code++ {
			if f < firstEmployer {
				pl.otab[i][code] = float32(p.part2(f, uint8(code)))
			} else {
				pl.otab[i][code] = float32(p.w[f] * p.part(f, uint8(code)))
			}
		}
	}
}

// fillFixedTables sets the EHR, pay, commute, language and EHR-experience
// terms and the position's coordinates.
func (pl *plan) fillFixedTables() {
	p := &pl.pf
	for i := range pl.ehrTab {
		fit := fitUnknown
		if p.ehr != 0 {
			fit = ehrFits[i]
		}
		pl.ehrTab[i] = float32(p.w[FactorEHR] * fit)
	}
	pl.payW = float32(p.w[FactorPay])
	if !math.IsNaN(p.payTop) {
		pl.payKnown, pl.payTop = true, float32(p.payTop)
	}
	pl.commuteW = float32(p.w[FactorCommute])
	if p.nLang > 0 {
		for k := 0; k <= 64; k++ {
			pl.langTab[k] = float32(p.w[FactorLanguages] * float64(k) / float64(p.nLang))
		}
	}
	pl.langTab[langUnknownIdx] = float32(p.w[FactorLanguages] * fitUnknown)
	we := p.w[FactorEHRExperience]
	pl.ehrExpTab = [4]float32{float32(we * fitUnknown), float32(we * fitUnknown), float32(we * fitNoEHRExp), float32(we)}
	nan := float32(math.NaN())
	pl.px, pl.py, pl.pz = nan, nan, nan
	if p.hasLoc {
		pl.px, pl.py, pl.pz = p.px, p.py, p.pz
	}
	pl.wE = float32(p.wE)
	if p.wE > 0 {
		pl.invWE = float32(1 / p.wE)
	}
}

// chord2 is the squared chord between the position and a home. A position
// without a location has NaN coordinates in the plan and gives NaN; a
// clinician without a home has a zero vector and commute2 = -1, so the
// commute test fails either way, as in posFacts.chord2.
func (pl *plan) chord2(h *hotRow) float32 {
	dx, dy, dz := h.x-pl.px, h.y-pl.py, h.z-pl.pz
	return dx*dx + dy*dy + dz*dz
}

// impF converts an importance to float32 by a load, which is cheaper in
// the scan than an int-to-float conversion.
var impF = [4]float32{0, 1, 2, 3}

// nz is 1 when the byte x is not zero, else 0, without a branch.
func nz(x uint8) uint { return (uint(x) + 255) >> 8 }

// key is the product of the pair's floored sides, (ε+(1−ε)C)·(ε+(1−ε)E),
// in float32: the score over 100. inv is the row's inverted clinician-side
// weight sum for the plan's group (scoreRow.invWC, or Index.naInv). within
// says the home is within commuting distance (ch2 is then the squared
// chord to it); otherwise the pair is eligible by relocation or remote.
//
// Four independent partial sums: a single chain of 20 dependent adds would
// make the adder's latency, not its throughput, the limit. Every wish is
// one load of importance × weight × fit at the row's index (importance 0
// reads zeros); &1023 lets the compiler drop the bounds check.
func (pl *plan) key(r *scoreRow, inv, ch2 float32, within bool, invC float32) float32 {
	t, o := pl.wtab, &pl.otab
	w, c := &r.wish, &r.other
	im := r.impX
	s0 := t[wPanel].v[w[wPanel]&1023] +
		t[wVisitNew].v[w[wVisitNew]&1023] +
		t[wVisitFU].v[w[wVisitFU]&1023] +
		t[wPPD].v[w[wPPD]&1023] +
		t[wCont].v[w[wCont]&1023]
	s1 := t[wContModel].v[w[wContModel]&1023] +
		t[wInbox].v[w[wInbox]&1023] +
		t[wMAs].v[w[wMAs]&1023] +
		t[wScribe].v[w[wScribe]&1023] +
		t[wNurse].v[w[wNurse]&1023]
	s2 := t[wTeleMin].v[w[wTeleMin]&1023]*o[oTeleMax][c[oTeleMax]] +
		t[wCall].v[w[wCall]&1023] +
		t[wDays].v[w[wDays]&1023] +
		t[wShift].v[w[wShift]&1023]
	s3 := t[wFTEMin].v[w[wFTEMin]&1023]*o[oFTEMax][c[oFTEMax]] +
		t[wSetting].v[w[wSetting]&1023] +
		t[wPopulation].v[w[wPopulation]&1023] +
		t[wTeam].v[w[wTeam]&1023]

	// EHR: used bit | avoided bit << 1 of the position's EHR; with the EHR
	// unknown both are 0 and the table holds the neutral fit.
	e := pl.pf.ehr
	ei := nz(r.ehrUsed&e) | nz(r.ehrAvoid&e)<<1
	s0 += impF[im>>impShiftEHR&3] * pl.ehrTab[ei&3]

	// Pay and commute both fit 1/(1+d²) past their limit; one division
	// gives both: with P = 1+dp² and Q = 1+dc², 1/(P·Q) times Q is 1/P.
	// A row without a floor has invFloor 0 and pay importance 0: its fit is
	// finite and weighs nothing. Past the commute (relocation) dc = 0 and
	// the fit is the constant fitRelocate.
	dp := float32(0)
	if pl.payKnown { // the same for every row: predicted
		dp = max32((1-pl.payTop*r.invFloor[pl.pf.period&1])*(1/widthPay), 0)
	}
	dc := float32(0)
	if within {
		dc = max32(float32(math.Sqrt(float64(ch2)))*invC-0.5, 0)
	}
	P, Q := 1+dp*dp, 1+dc*dc
	pq := 1 / (P * Q)
	pay, com := Q*pq, P*pq
	if !pl.payKnown {
		pay = fitUnknown
	}
	if !within {
		com = fitRelocate
	}
	s1 += impF[im>>impShiftPay&3] * pl.payW * pay
	s2 += impF[im>>impShiftCommute&3] * pl.commuteW * com
	s := (s0 + s1) + (s2 + s3)

	C, E := float32(1), float32(1)
	if len(pl.delta) == 0 {
		if inv > 0 {
			C = s * inv
		}
	} else if wC := pl.overriddenWeight(r, inv); wC > 0 {
		C = s / wC
	}
	if pl.wE > 0 {
		li := uint(bits.OnesCount64(r.langs & pl.pf.langWant))
		if r.langs == 0 {
			li = langUnknownIdx
		}
		ui := nz(r.ehrUsed)<<1 | nz(r.ehrUsed&pl.pf.ehrWanted)
		es := o[oYears][c[oYears]] + o[oBoard][c[oBoard]] +
			pl.langTab[li&127] + pl.ehrExpTab[ui&3]
		E = es * pl.invWE
	} else if s == 0 && C == 1 {
		return 0 // no factor weighed on either side
	}
	// Floor each side (see combine); an unweighted side stays 1.
	const eps, keep = float32(sideFloor), float32(1 - sideFloor)
	return (eps + keep*C) * (eps + keep*E)
}

// overriddenWeight is the row's clinician-side weight sum under the
// position's weights: the precomputed sum (1/inv) corrected by importance
// × delta for each moved factor. Only plans with deltas call it, off the
// common path.
func (pl *plan) overriddenWeight(r *scoreRow, inv float32) float32 {
	wC := float32(0)
	if inv > 0 {
		wC = 1 / inv
	}
	for _, d := range pl.delta {
		imp := uint(r.impX>>d.shift) & 3
		if d.wish >= 0 {
			imp = uint(r.wish[d.wish]>>8) & 3
		}
		wC += impF[imp] * d.dw
	}
	return wC
}

// max32 is max for float32 without the builtin's NaN and signed-zero
// handling; x is never NaN here.
func max32(x, y float32) float32 {
	if x > y {
		return x
	}
	return y
}

// scoreOfKey converts a key to the 0..100 score: the key is the score
// over 100.
func scoreOfKey(k float32) float64 {
	if !(k > 0) {
		return 0
	}
	return 100 * float64(min(k, 1))
}
