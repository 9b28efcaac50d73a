package match

import (
	"math"
	"math/bits"
	"strings"
	"time"

	"carefit/internal/kit/geo"
)

// Code slots: each clinician wish or employer-side fact that the hot loop
// reads is quantised to one byte in clinRow.code, so that a per-position
// lookup table of 256 fits replaces arithmetic per pair.
const (
	slotPanel      = iota // PanelMax / 25
	slotVisitNew          // minutes
	slotVisitFU           // minutes
	slotPPD               // patients a day
	slotCont              // percent
	slotContModel         // 0 no preference, else contModelCode
	slotInbox             // messages a week / 5
	slotMAs               // MAs per clinician × 10
	slotScribe            // 1 when wanted
	slotNurse             // patients per nurse × 4
	slotTeleMin           // percent
	slotTeleMax           // percent
	slotCall              // N of 1-in-N; 0 no call
	slotDays              // days a week
	slotShift             // bit mask of wanted shifts
	slotFTEMin            // FTE × 20
	slotFTEMax            // FTE × 20
	slotSetting           // bit mask of wanted settings
	slotPopulation        // bit mask of wanted populations
	slotTeam              // 1 wants team-based care, 2 wants not
	slotYears             // years × 2; codeUnknown when unknown
	slotBoard             // 0 no, 1 yes, 2 unknown
	nSlots
)

// codeUnknown marks an employer-side clinician fact that is not stated.
const codeUnknown = 255

// slotStep is the unit of one code step of numeric slots.
var slotStep = [nSlots]float64{
	slotPanel: 25, slotVisitNew: 1, slotVisitFU: 1, slotPPD: 1, slotCont: 1,
	slotInbox: 5, slotMAs: 0.1, slotNurse: 0.25, slotTeleMin: 1, slotTeleMax: 1,
	slotCall: 1, slotDays: 1, slotFTEMin: 0.05, slotFTEMax: 0.05, slotYears: 0.5,
}

// quant quantises v into the slot's code, clamped to 0..254.
func quant(slot int, v float64) uint8 {
	q := math.Round(v / slotStep[slot])
	if !(q > 0) { // also catches NaN
		return 0
	}
	if q > 254 {
		return 254
	}
	return uint8(q)
}

// dequant is the value a code stands for.
func dequant(slot int, code uint8) float64 { return float64(code) * slotStep[slot] }

// licRec is a compiled licence.
type licRec struct {
	exp   int32 // last valid day
	state uint8
	multi bool // a compact multistate licence held by an RN
}

// clinRow is a clinician's fixed-size feature row: about 100 bytes, so a
// scan reads two cache lines per clinician.
type clinRow struct {
	x, y, z  float32    // home as a unit vector
	commute2 float32    // squared chord of the max commute; -1 if home unknown
	halfC    float32    // half the chord of the max commute
	invC     float32    // 1/chord of the max commute
	invFloor [2]float32 // 1/pay floor, annual and hourly; 0 when none
	wC       float32    // Σ importance × default weight, clinician side
	invWC    float32    // 1/wC, 0 when wC is 0
	// invWCna is invWC without the factors that may not apply in each
	// group of naGroups (applies.go), 0 when that sum is 0.
	invWCna  [numNAGroups]float32
	willing  geo.StateSet
	langs    uint64 // language bits; 0 when unknown
	avail    int32  // first available day
	code     [nSlots]uint8
	imp      [firstEmployer]uint8 // importance per clinician-side factor, 0 if no wish
	must     uint32               // the stated wishes marked must-haves, by Factor bit
	cred     uint8                // credential bit
	emp      uint8                // accepted employment type bits
	ehrUsed  uint8
	ehrAvoid uint8
	nLic     uint8  // licences in Index.lic from licOff; set by the index
	licOff   uint32 // first licence in Index.lic
}

// hotRow is the part of a clinician's row that the scan reads for every
// candidate: what eligibility needs, 40 bytes. Most candidates of a bucket
// fail on distance or licence, so keeping this apart from the scoring row
// streams 40 instead of 120 bytes per candidate.
type hotRow struct {
	x, y, z  float32      // home as a unit vector
	commute2 float32      // squared chord of the max commute; -1 if home unknown
	willing  geo.StateSet // states the clinician would move to
	avail    int32        // first available day
	licOff   uint32       // first licence in Index.lic
	invC     float32      // 1/chord of the max commute, for the commute fit
	cred     uint8        // credential bit; 0 marks a removed row
	emp      uint8        // accepted employment type bits
	nLic     uint8        // licences in Index.lic from licOff
}

// Wish slots: the clinician-side slots whose factor the clinician's
// importance scales. A scoring row holds each as importance<<8 | code, the
// index into the plan's table for that slot, so a factor costs one load
// and one add in the scan.
const (
	wPanel = iota
	wVisitNew
	wVisitFU
	wPPD
	wCont
	wContModel
	wInbox
	wMAs
	wScribe
	wNurse
	wTeleMin
	wCall
	wDays
	wShift
	wFTEMin
	wSetting
	wPopulation
	wTeam
	nWish
)

// wishSlot is the code slot and the factor of each wish slot.
var wishSlot = [nWish]struct {
	slot int
	f    Factor
}{
	{slotPanel, FactorPanel}, {slotVisitNew, FactorVisitNew}, {slotVisitFU, FactorVisitFollowUp},
	{slotPPD, FactorPatientsPerDay}, {slotCont, FactorContinuity}, {slotContModel, FactorContinuityModel},
	{slotInbox, FactorInbox}, {slotMAs, FactorMAs}, {slotScribe, FactorScribe}, {slotNurse, FactorNurseRatio},
	{slotTeleMin, FactorTelehealth}, {slotCall, FactorCall}, {slotDays, FactorDays}, {slotShift, FactorShift},
	{slotFTEMin, FactorFTE}, {slotSetting, FactorSetting}, {slotPopulation, FactorPopulation},
	{slotTeam, FactorCareModel},
}

// Other slots: read by code alone (the upper ends of the telehealth and FTE
// ranges, which the lower end's factor already weighs, and the
// employer-side facts, which importance does not scale).
const (
	oTeleMax = iota
	oFTEMax
	oYears
	oBoard
	nOther
)

var otherSlot = [nOther]int{slotTeleMax, slotFTEMax, slotYears, slotBoard}

// Importance bits of the factors that have no code slot, in scoreRow.impX.
const (
	impShiftEHR     = 0
	impShiftPay     = 2
	impShiftCommute = 4
)

// scoreRow is the part of a row that only eligible pairs read: one 64-byte
// cache line (TestRowSizes), so scoring a pair touches one line besides the
// position's tables.
type scoreRow struct {
	langs    uint64        // language bits; 0 when unknown
	wish     [nWish]uint16 // importance<<8 | code per wish slot
	other    [nOther]uint8 // codes of the other slots
	ehrUsed  uint8         //
	ehrAvoid uint8         //
	impX     uint8         // importances of EHR, pay and commute, 2 bits each
	must     uint8         // the must-haves held: mustWishes, mustEHR, mustPay
	invFloor [2]float32    // 1/pay floor, annual and hourly; 0 when none
	invWC    float32       // 1/(Σ importance × default weight), clinician side; 0 when none
}

// imp returns the clinician's importance for a clinician-side factor as
// stored in the row (0 when the wish is not stated).
func (r *scoreRow) imp(f Factor) uint8 {
	switch f {
	case FactorEHR:
		return r.impX >> impShiftEHR & 3
	case FactorPay:
		return r.impX >> impShiftPay & 3
	case FactorCommute:
		return r.impX >> impShiftCommute & 3
	}
	for i, w := range wishSlot {
		if w.f == f {
			return uint8(r.wish[i]>>8) & 3
		}
	}
	return 0
}

// split divides a compiled row into its hot and scoring parts.
func (r *clinRow) split() (hotRow, scoreRow) {
	h := hotRow{x: r.x, y: r.y, z: r.z, commute2: r.commute2, willing: r.willing, avail: r.avail,
		licOff: r.licOff, invC: r.invC, cred: r.cred, emp: r.emp, nLic: r.nLic}
	s := scoreRow{ehrUsed: r.ehrUsed, ehrAvoid: r.ehrAvoid, langs: r.langs, invFloor: r.invFloor, invWC: r.invWC}
	slot := 0
	for i, w := range wishSlot {
		s.wish[i] = uint16(r.imp[w.f]&3)<<8 | uint16(r.code[w.slot])
		if r.must&(1<<w.f) != 0 {
			s.wish[i] |= mustBit
			s.must |= mustWishes
			if slot == 0 {
				slot = i + 1
			} else {
				slot = mustSeveral
			}
		}
	}
	s.must |= uint8(slot) << mustSlotShift
	if r.must&(1<<FactorEHR) != 0 {
		s.must |= mustEHR
	}
	if r.must&(1<<FactorPay) != 0 {
		s.must |= mustPay
	}
	for i, slot := range otherSlot {
		s.other[i] = r.code[slot]
	}
	s.impX = r.imp[FactorEHR]&3<<impShiftEHR | r.imp[FactorPay]&3<<impShiftPay | r.imp[FactorCommute]&3<<impShiftCommute
	return h, s
}

var credBits = map[Credential]uint8{MD: 1, DO: 2, NP: 4, PA: 8, RN: 16}

const allCreds = 31

var empBits = map[EmploymentType]uint8{Permanent: 1, LocumTenens: 2, Travel: 4, PerDiem: 8}

var shiftBits = map[Shift]uint8{ShiftDay: 1, ShiftEvening: 2, ShiftNight: 4, ShiftRotating: 8}

var settingBits = map[Setting]uint8{OutpatientClinic: 1, FQHC: 2, Hospital: 4, UrgentCare: 8, TelehealthOnly: 16}

var popBits = map[Population]uint8{Pediatric: 1, Adult: 2, Geriatric: 4, PopulationAll: 8}

var contModelCode = map[ContinuityModel]uint8{AssignedPanel: 1, TeamBased: 2, NoContinuity: 3}

var ehrBits = map[EHR]uint8{Epic: 1, OracleHealth: 2, Athenahealth: 4, EClinicalWorks: 8,
	NextGen: 16, Meditech: 32, Veradigm: 64, EHROther: 128}

func ehrMask(es []EHR) uint8 {
	var m uint8
	for _, e := range es {
		if b, ok := ehrBits[e]; ok {
			m |= b
		} else if e != "" {
			m |= ehrBits[EHROther]
		}
	}
	return m
}

// farPast is the day number used for "now" or "always".
const farPast, farFuture = math.MinInt32, math.MaxInt32

// dayNum is the UTC day number of t; the zero time gives zero.
func dayNum(t time.Time, zero int32) int32 {
	if t.IsZero() {
		return zero
	}
	d := t.Unix() / 86400
	if t.Unix() < 0 && t.Unix()%86400 != 0 {
		d--
	}
	if d < math.MinInt32+1 {
		return math.MinInt32 + 1
	}
	if d > math.MaxInt32-1 {
		return math.MaxInt32 - 1
	}
	return int32(d)
}

// unitVector maps a point to the unit sphere; chord lengths between unit
// vectors give distances without trigonometry in the scan.
func unitVector(p Point) (x, y, z float32) {
	const rad = math.Pi / 180
	lat, lng := p.Lat*rad, p.Lng*rad
	return float32(math.Cos(lat) * math.Cos(lng)), float32(math.Cos(lat) * math.Sin(lng)), float32(math.Sin(lat))
}

const earthRadiusMiles = 3958.7613

// chordOfMiles is the chord between two points on the unit sphere that are
// mi miles apart along the surface.
func chordOfMiles(mi float64) float64 {
	return 2 * math.Sin(math.Min(mi, math.Pi*earthRadiusMiles)/(2*earthRadiusMiles))
}

func validPoint(p *Point) bool {
	return p != nil && p.Lat >= -90 && p.Lat <= 90 && p.Lng >= -180 && p.Lng <= 180
}

// langTable interns language names to bits. Bit 63 stands for every language
// beyond the first 63, so such a clinician still counts as having stated
// languages; wanted languages beyond the table can never match.
type langTable struct{ ids map[string]uint8 }

func normLang(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

func (t *langTable) add(s string) uint64 {
	s = normLang(s)
	if s == "" {
		return 0
	}
	if t.ids == nil {
		t.ids = make(map[string]uint8)
	}
	id, ok := t.ids[s]
	if !ok {
		if len(t.ids) >= 63 {
			return 1 << 63
		}
		id = uint8(len(t.ids))
		t.ids[s] = id
	}
	return 1 << id
}

func (t *langTable) lookup(s string) uint64 {
	if id, ok := t.ids[normLang(s)]; ok {
		return 1 << id
	}
	return 0
}

func clampPct(v float64) float64 { return math.Max(0, math.Min(100, v)) }

func posOr0(v *float64) float64 {
	if v == nil || !(*v > 0) || math.IsInf(*v, 0) {
		return 0
	}
	return *v
}

func intf(v *int) *float64 {
	if v == nil {
		return nil
	}
	f := float64(*v)
	return &f
}

func pctf(v *float64) *float64 {
	if v == nil {
		return nil
	}
	f := clampPct(*v)
	return &f
}

// licenceValid reports whether the licences authorise practice in state s on
// day d: a licence issued by s, or an RN's compact multistate licence when s
// is a compact state too.
func licenceValid(lic []licRec, s int, d int32) bool {
	inNLC := geo.NLC&(1<<uint(s)) != 0
	for _, l := range lic {
		if l.exp >= d && (int(l.state) == s || (l.multi && inNLC)) {
			return true
		}
	}
	return false
}

func popcount(x uint64) int { return bits.OnesCount64(x) }
