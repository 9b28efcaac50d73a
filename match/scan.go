package match

import (
	"math"
	"math/bits"
	"time"
)

// plan is a position prepared for scanning many clinicians: every
// code-slot factor becomes a 256-entry table of weight × fit indexed by the
// clinician's code, so scoring a pair is a few dozen loads and adds with
// two divisions and a square root.
type plan struct {
	pf        posFacts
	tab       [nSlots][256]float32
	ehrTab    [4]float32
	payW      float32
	payTop    float32
	payKnown  bool
	commuteW  float32
	langTab   [65]float32
	langUnk   float32
	ehrExpTab [3]float32 // none, used, unknown
	delta     []factorDelta
	wE        float32
	invWE     float32
	start     int32
	lastAvail int32
}

// factorDelta is how much an organisation's override moves a clinician-side
// weight away from its default; the row's precomputed weight sum is
// corrected by importance × delta.
type factorDelta struct {
	f  Factor
	dw float32
}

func newPlan(pf posFacts, now time.Time, opts Options) *plan {
	pl := &plan{pf: pf}
	pl.start = pf.startOn(now)
	pl.lastAvail = satAdd(pl.start, opts.AvailabilitySlackDays)
	p := &pl.pf
	for f := Factor(0); f < NumFactors; f++ {
		s := slotOf[f]
		if f < firstEmployer && p.w[f] != defaultWeights[f] {
			pl.delta = append(pl.delta, factorDelta{f, float32(p.w[f] - defaultWeights[f])})
		}
		w := p.w[f]
		if s < 0 || w == 0 { // tables stay 0; a zero-weight fit may be NaN
			continue
		}
		s2 := slot2Of(f)
		for code := range 256 {
			pl.tab[s][code] = float32(w * p.part(f, uint8(code)))
			if s2 >= 0 {
				pl.tab[s2][code] = float32(p.part2(f, uint8(code)))
			}
		}
	}
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
		for k := range pl.langTab {
			pl.langTab[k] = float32(p.w[FactorLanguages] * float64(k) / float64(p.nLang))
		}
	}
	pl.langUnk = float32(p.w[FactorLanguages] * fitUnknown)
	we := p.w[FactorEHRExperience]
	pl.ehrExpTab = [3]float32{float32(we * fitNoEHRExp), float32(we), float32(we * fitUnknown)}
	pl.wE = float32(p.wE)
	if p.wE > 0 {
		pl.invWE = float32(1 / p.wE)
	}
	return pl
}

// eligible checks the rules the buckets do not guarantee (credential,
// licences, availability, employment, location) and returns the squared
// chord for the commute fit. It agrees with rowOK.
func (pl *plan) eligible(r *clinRow, lic []licRec) (float32, bool) {
	p := &pl.pf
	if r.cred&p.creds == 0 || r.avail > pl.lastAvail || r.emp&p.emp == 0 {
		return 0, false
	}
	for _, s := range p.lic {
		if !licenceValid(lic, s, pl.start) {
			return 0, false
		}
	}
	ch2 := p.chord2(r)
	return ch2, r.willing&p.stateBit != 0 || r.commute2 >= ch2
}

// impF converts an importance to float32 by a load, which is cheaper in
// the scan than an int-to-float conversion.
var impF = [4]float32{0, 1, 2, 3}

// key is the product of the pair's floored sides, (ε+(1−ε)C)·(ε+(1−ε)E),
// in float32: the score is 100·√key, and key orders pairs the same way
// without the square root.
func (pl *plan) key(r *clinRow, ch2 float32) float32 {
	t := &pl.tab
	c := &r.code
	im := &r.imp
	// Four independent partial sums: a single chain of 20 dependent adds
	// would make the adder's latency, not its throughput, the limit.
	s0 := impF[im[FactorPanel]&3]*t[slotPanel][c[slotPanel]] +
		impF[im[FactorVisitNew]&3]*t[slotVisitNew][c[slotVisitNew]] +
		impF[im[FactorVisitFollowUp]&3]*t[slotVisitFU][c[slotVisitFU]] +
		impF[im[FactorPatientsPerDay]&3]*t[slotPPD][c[slotPPD]] +
		impF[im[FactorContinuity]&3]*t[slotCont][c[slotCont]]
	s1 := impF[im[FactorContinuityModel]&3]*t[slotContModel][c[slotContModel]] +
		impF[im[FactorInbox]&3]*t[slotInbox][c[slotInbox]] +
		impF[im[FactorMAs]&3]*t[slotMAs][c[slotMAs]] +
		impF[im[FactorScribe]&3]*t[slotScribe][c[slotScribe]] +
		impF[im[FactorNurseRatio]&3]*t[slotNurse][c[slotNurse]]
	s2 := impF[im[FactorTelehealth]&3]*t[slotTeleMin][c[slotTeleMin]]*t[slotTeleMax][c[slotTeleMax]] +
		impF[im[FactorCall]&3]*t[slotCall][c[slotCall]] +
		impF[im[FactorDays]&3]*t[slotDays][c[slotDays]] +
		impF[im[FactorShift]&3]*t[slotShift][c[slotShift]]
	s3 := impF[im[FactorFTE]&3]*t[slotFTEMin][c[slotFTEMin]]*t[slotFTEMax][c[slotFTEMax]] +
		impF[im[FactorSetting]&3]*t[slotSetting][c[slotSetting]] +
		impF[im[FactorPopulation]&3]*t[slotPopulation][c[slotPopulation]] +
		impF[im[FactorCareModel]&3]*t[slotTeam][c[slotTeam]]

	e := pl.pf.ehr
	ei := 0
	if r.ehrUsed&e != 0 {
		ei = 1
	}
	if r.ehrAvoid&e != 0 {
		ei |= 2
	}
	s0 += impF[im[FactorEHR]&3] * pl.ehrTab[ei]

	if im[FactorPay] != 0 {
		pay := float32(fitUnknown)
		if pl.payKnown {
			d := (1 - pl.payTop*r.invFloor[pl.pf.period]) * (1 / widthPay)
			pay = 1
			if d > 0 {
				pay = 1 / (1 + d*d)
			}
		}
		s1 += impF[im[FactorPay]&3] * pl.payW * pay
	}

	com := float32(fitRelocate)
	if r.commute2 >= ch2 {
		d := (float32(math.Sqrt(float64(ch2))) - r.halfC) * r.invC
		com = 1
		if d > 0 {
			com = 1 / (1 + d*d)
		}
	}
	s2 += impF[im[FactorCommute]&3] * pl.commuteW * com
	s := (s0 + s1) + (s2 + s3)

	C, E := float32(1), float32(1)
	if len(pl.delta) == 0 {
		if r.wC > 0 {
			C = s * r.invWC
		}
	} else {
		wC := r.wC
		for _, d := range pl.delta {
			wC += impF[im[d.f]&3] * d.dw
		}
		if wC > 0 {
			C = s / wC
		}
	}
	if pl.wE > 0 {
		es := t[slotYears][c[slotYears]] + t[slotBoard][c[slotBoard]]
		if r.langs == 0 {
			es += pl.langUnk
		} else {
			es += pl.langTab[bits.OnesCount64(r.langs&pl.pf.langWant)]
		}
		xi := 0
		switch {
		case r.ehrUsed == 0:
			xi = 2
		case r.ehrUsed&pl.pf.ehrWanted != 0:
			xi = 1
		}
		es += pl.ehrExpTab[xi]
		E = es * pl.invWE
	} else if s == 0 && C == 1 {
		return 0 // no factor weighed on either side
	}
	// Floor each side (see combine); an unweighted side stays 1.
	const eps, keep = float32(sideFloor), float32(1 - sideFloor)
	return (eps + keep*C) * (eps + keep*E)
}

// scoreOfKey converts a key to the 0..100 score.
func scoreOfKey(k float32) float64 {
	if !(k > 0) {
		return 0
	}
	return 100 * math.Sqrt(float64(min(k, 1)))
}
