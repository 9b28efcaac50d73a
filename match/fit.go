package match

import (
	"math"
	"time"

	"carefit/internal/kit/geo"
)

// posFacts is a position compiled for scoring: facts as float64 with NaN for
// unknown, categories as bits with 0 for unknown, resolved weights.
type posFacts struct {
	open       bool
	expiresAt  time.Time
	startDay   int32
	creds      uint8 // accepted credential bits; allCreds when any
	state      int   // bit index of State, -1 if unknown
	stateBit   geo.StateSet
	lic        []int // bit indices of the states a licence is needed in
	licUnknown bool  // a licence state code is not a known jurisdiction
	hasLoc     bool
	px, py, pz float32
	emp        uint8 // employment type bit; 0xff when not stated

	panel, visitNew, visitFU, ppd, cont, inbox, mas, nurse, tele, callFreq, days, fte float64

	contModel uint8 // contModelCode, 0 unknown
	scribe    int8  // -1 unknown
	team      int8  // -1 unknown, 1 team-based, 0 not
	shift     uint8 // shiftBits, 0 unknown
	setting   uint8
	pop       uint8
	ehr       uint8 // ehrBits, 0 unknown
	payTop    float64
	period    int // 0 annual, 1 hourly

	na      uint32 // clinician-side factors that do not apply (applies.go)
	naGroup uint8  // the setting's group in naGroups, 0 for none
	must    uint32 // employer-side must-have wants, by Factor bit (must.go)
	remote  bool   // telehealth only: no commute, so location is no rule

	minYears  float64 // NaN when not wanted
	boardReq  bool
	langWant  uint64
	nLang     int
	ehrWanted uint8

	w  [NumFactors]float64 // resolved weights; 0 for inactive employer factors
	wE float64             // Σ employer weights
}

func nanOr(v *float64) float64 {
	if v == nil || math.IsInf(*v, 0) {
		return math.NaN()
	}
	return *v
}

func nanOrInt(v *int) float64 {
	if v == nil {
		return math.NaN()
	}
	return float64(*v)
}

// compilePosition compiles p. Wanted languages are looked up in lt, and
// added to it when add is set (stand-alone scoring).
func compilePosition(p *Position, lt *langTable, add bool) posFacts {
	f := posFacts{
		open:      p.Status == StatusOpen,
		expiresAt: p.ExpiresAt,
		state:     -1,
		emp:       0xff,
		panel:     nanOrInt(p.PanelSize),
		visitNew:  nanOrInt(p.VisitMinutesNew),
		visitFU:   nanOrInt(p.VisitMinutesFollowUp),
		ppd:       nanOrInt(p.PatientsPerDay),
		cont:      nanOr(p.ContinuityRate),
		inbox:     nanOrInt(p.InboxPerWeek),
		mas:       nanOr(p.MAsPerClinician),
		nurse:     nanOr(p.PatientsPerNurse),
		tele:      nanOr(p.TelehealthPct),
		callFreq:  math.NaN(),
		days:      nanOrInt(p.DaysPerWeek),
		fte:       nanOr(p.FTE),
		contModel: contModelCode[p.ContinuityModel],
		shift:     shiftBits[p.Shift],
		setting:   settingBits[p.Setting],
		pop:       popBits[p.Population],
		payTop:    math.NaN(),
		minYears:  nanOr(p.MinYears),
		boardReq:  p.BoardCertRequired,
	}
	if p.EHR != "" {
		f.ehr = ehrMask([]EHR{p.EHR})
	}
	f.compileGates(p)
	f.compileOptional(p)
	f.compileLanguages(p, lt, add)
	f.ehrWanted = ehrMask(p.EHRExperienceWanted)
	f.compileWeights(p)
	f.compileApplies(p)
	f.compileMust(p)
	return f
}

// compileGates sets what eligibility reads: credentials, state, licence
// states, location, employment type and start day.
func (f *posFacts) compileGates(p *Position) {
	for _, c := range p.Credentials {
		f.creds |= credBits[c]
	}
	if len(p.Credentials) == 0 {
		f.creds = allCreds
	}
	if i, ok := geo.StateIndex(p.State); ok {
		f.state, f.stateBit = i, 1<<uint(i)
	}
	ls := p.LicenceStates
	if len(ls) == 0 {
		ls = []string{p.State}
	}
	for _, s := range ls {
		if i, ok := geo.StateIndex(s); ok {
			f.lic = append(f.lic, i)
		} else {
			f.licUnknown = true
		}
	}
	if validPoint(p.Location) {
		f.hasLoc = true
		f.px, f.py, f.pz = unitVector(*p.Location)
	}
	if b, ok := empBits[p.EmploymentType]; ok {
		f.emp = b
	}
	f.startDay = dayNum(p.StartDate, farPast)
	if p.StartDate.IsZero() {
		f.startDay = math.MinInt32 // replaced by today in Check
	}
}

// triState is -1 for an unknown flag, else 0 or 1.
func triState(b *bool) int8 {
	switch {
	case b == nil:
		return -1
	case *b:
		return 1
	}
	return 0
}

// compileOptional sets the facts a position may leave unknown: scribe,
// team-based care, call frequency and the top of the pay range.
func (f *posFacts) compileOptional(p *Position) {
	f.scribe, f.team = triState(p.Scribe), triState(p.TeamBasedCare)
	if p.CallOneInN != nil {
		f.callFreq = 0
		if *p.CallOneInN > 0 {
			f.callFreq = 1 / float64(*p.CallOneInN)
		}
	}
	top := nanOr(p.PayMax)
	if math.IsNaN(top) || top <= 0 {
		top = nanOr(p.PayMin)
	}
	if top >= 0 {
		f.payTop = top
	}
	if p.PayPeriod == Hourly {
		f.period = 1
	}
}

// compileLanguages sets the languages wanted or needed, counted once each;
// add registers unseen languages in lt, otherwise they match no one.
func (f *posFacts) compileLanguages(p *Position, lt *langTable, add bool) {
	seen := map[string]bool{}
	for _, ls := range [][]string{p.LanguagesWanted, p.LanguagesNeeded} {
		for _, l := range ls {
			l = normLang(l)
			if l == "" || seen[l] {
				continue
			}
			seen[l] = true
			f.nLang++
			if add {
				f.langWant |= lt.add(l) &^ (1 << 63)
			} else {
				f.langWant |= lt.lookup(l)
			}
		}
	}
}

// compileWeights sets the employer-side weights, dropping wants the
// position does not state and wants every clinician meets: a minimum of
// zero years is no want, so it weighs nothing (it once carried half of a
// score on its own).
func (f *posFacts) compileWeights(p *Position) {
	f.w = positionWeights(p.Weights)
	if !(f.minYears > 0) { // also NaN: not stated
		f.w[FactorExperience] = 0
	}
	if !f.boardReq {
		f.w[FactorBoardCert] = 0
	}
	if f.nLang == 0 {
		f.w[FactorLanguages] = 0
	}
	if f.ehrWanted == 0 {
		f.w[FactorEHRExperience] = 0
	}
	for g := firstEmployer; g < NumFactors; g++ {
		f.wE += f.w[g]
	}
}

// part is the fit of a code-slot factor from its first code; part2 is the
// second factor of a range wish (telehealth, FTE) and 1 for the others. A
// factor's fit is part × part2. An unknown fact gives fitUnknown × 1.
func (p *posFacts) part(f Factor, code uint8) float64 {
	switch f {
	case FactorPanel:
		return known(p.panel, func(x float64) float64 { return atMost(x, dequant(slotPanel, code), widthPanel) })
	case FactorVisitNew:
		return known(p.visitNew, func(x float64) float64 { return atLeast(x, dequant(slotVisitNew, code), widthVisitNew) })
	case FactorVisitFollowUp:
		return known(p.visitFU, func(x float64) float64 { return atLeast(x, dequant(slotVisitFU, code), widthVisitFU) })
	case FactorPatientsPerDay:
		return known(p.ppd, func(x float64) float64 { return atMost(x, dequant(slotPPD, code), widthPPD) })
	case FactorContinuity:
		return known(p.cont, func(x float64) float64 { return atLeast(x, dequant(slotCont, code), widthContinuity) })
	case FactorContinuityModel:
		return category(p.contModel != 0, code == 0 || code == p.contModel)
	case FactorInbox:
		return known(p.inbox, func(x float64) float64 { return atMost(x, dequant(slotInbox, code), widthInbox) })
	case FactorMAs:
		return known(p.mas, func(x float64) float64 { return atLeast(x, dequant(slotMAs, code), widthMAs) })
	case FactorScribe:
		switch {
		case p.scribe < 0:
			return fitUnknown
		case p.scribe == 1 || code == 0:
			return 1
		}
		return fitNoScribe
	case FactorNurseRatio:
		return known(p.nurse, func(x float64) float64 { return atMost(x, dequant(slotNurse, code), widthNurse) })
	case FactorTelehealth:
		return known(p.tele, func(x float64) float64 { return atLeast(x, dequant(slotTeleMin, code), widthTelehealth) })
	case FactorCall:
		return known(p.callFreq, func(x float64) float64 {
			want := 0.0
			if code > 0 {
				want = 1 / float64(code)
			}
			return atMost(x, want, widthCall)
		})
	case FactorDays:
		return known(p.days, func(x float64) float64 { return atMost(x, dequant(slotDays, code), widthDays) })
	case FactorShift:
		return category(p.shift != 0, code == 0 || p.shift&code != 0)
	case FactorFTE:
		return known(p.fte, func(x float64) float64 { return atLeast(x, dequant(slotFTEMin, code), widthFTE) })
	case FactorSetting:
		return category(p.setting != 0, code == 0 || p.setting&code != 0)
	case FactorPopulation:
		switch {
		case p.pop == 0:
			return fitUnknown
		case code == 0 || p.pop&code != 0 || code&popBits[PopulationAll] != 0:
			return 1
		case p.pop == popBits[PopulationAll]:
			return fitAllAges
		}
		return fitMismatch
	case FactorCareModel:
		return category(p.team >= 0, code == 0 || (code == 1) == (p.team == 1))
	case FactorExperience:
		if code == codeUnknown {
			return fitUnknown
		}
		return atLeast(dequant(slotYears, code), p.minYears, widthYears)
	case FactorBoardCert:
		switch code {
		case 1:
			return 1
		case 0:
			return fitNoCert
		}
		return fitUnknown
	}
	return 1
}

func (p *posFacts) part2(f Factor, code uint8) float64 {
	switch f {
	case FactorTelehealth:
		if !math.IsNaN(p.tele) {
			return atMost(p.tele, dequant(slotTeleMax, code), widthTelehealth)
		}
	case FactorFTE:
		if !math.IsNaN(p.fte) {
			return atMost(p.fte, dequant(slotFTEMax, code), widthFTE)
		}
	}
	return 1
}

func known(x float64, fit func(float64) float64) float64 {
	if math.IsNaN(x) {
		return fitUnknown
	}
	return fit(x)
}

func category(known, match bool) float64 {
	switch {
	case !known:
		return fitUnknown
	case match:
		return 1
	}
	return fitMismatch
}

// slotOf maps the code-slot factors to their slots; -1 for the factors that
// are computed from the row directly (EHR, pay, commute, languages, EHR
// experience).
var slotOf = [NumFactors]int{
	FactorPanel: slotPanel, FactorVisitNew: slotVisitNew, FactorVisitFollowUp: slotVisitFU,
	FactorPatientsPerDay: slotPPD, FactorContinuity: slotCont, FactorContinuityModel: slotContModel,
	FactorEHR: -1, FactorInbox: slotInbox, FactorMAs: slotMAs, FactorScribe: slotScribe,
	FactorNurseRatio: slotNurse, FactorTelehealth: slotTeleMin, FactorCall: slotCall,
	FactorDays: slotDays, FactorShift: slotShift, FactorFTE: slotFTEMin, FactorPay: -1,
	FactorCommute: -1, FactorSetting: slotSetting, FactorPopulation: slotPopulation,
	FactorCareModel: slotTeam, FactorExperience: slotYears, FactorBoardCert: slotBoard,
	FactorLanguages: -1, FactorEHRExperience: -1,
}

// slot2Of is the second slot of range factors, -1 otherwise.
func slot2Of(f Factor) int {
	switch f {
	case FactorTelehealth:
		return slotTeleMax
	case FactorFTE:
		return slotFTEMax
	}
	return -1
}

// ehrFits is the EHR fit by (used bit | avoided bit << 1) of the position's
// EHR; avoiding wins over having used it.
var ehrFits = [4]float64{fitEHRNeutral, fitEHRUsed, fitEHRAvoid, fitEHRAvoid}

func (p *posFacts) ehrIndex(r *clinRow) int {
	if p.ehr == 0 {
		return -1
	}
	i := 0
	if r.ehrUsed&p.ehr != 0 {
		i = 1
	}
	if r.ehrAvoid&p.ehr != 0 {
		i |= 2
	}
	return i
}

// payFit falls off with the share by which the top of the pay range misses
// the clinician's floor.
func payFit(ratio float64) float64 { return falloff(1-ratio, widthPay) }

// chord2 is the squared chord between the position and the clinician's home;
// NaN when either is unknown.
func (p *posFacts) chord2(r *clinRow) float32 {
	if !p.hasLoc || r.commute2 < 0 {
		return float32(math.NaN())
	}
	dx, dy, dz := r.x-p.px, r.y-p.py, r.z-p.pz
	return dx*dx + dy*dy + dz*dz
}

// commuteFit is 1 up to half the maximum commute and falls off with a width
// of the whole maximum commute beyond it (0.8 at the limit). Past the limit
// the pair is eligible only by relocation, which fits fitRelocate.
func commuteFit(r *clinRow, chord2 float32, willing bool) (fit float64, within bool) {
	if r.commute2 >= chord2 { // false for NaN
		d := math.Sqrt(float64(chord2)) - float64(r.halfC)
		return falloff(d*float64(r.invC), 1), true
	}
	if willing {
		return fitRelocate, false
	}
	return 0, false
}

func (p *posFacts) langFit(r *clinRow) float64 {
	if r.langs == 0 {
		return fitUnknown
	}
	return float64(popcount(r.langs&p.langWant)) / float64(p.nLang)
}

func (p *posFacts) ehrExpFit(r *clinRow) float64 {
	switch {
	case r.ehrUsed == 0:
		return fitUnknown
	case r.ehrUsed&p.ehrWanted != 0:
		return 1
	}
	return fitNoEHRExp
}
