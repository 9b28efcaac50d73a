package ranking

import (
	"encoding/binary"
	"math"
	"slices"
	"time"

	"carefit/match"
)

// The feature store keeps the engine's view of every clinician, so that a
// clinician's roles, a pair's explanation and a stored match's breakdown
// need no read of Postgres. As match.Clinician values, a national market
// (two million clinicians) cost several gigabytes and some thirty million
// objects for the collector to visit on every cycle. The store keeps each
// clinician instead as a few dozen bytes in one shared byte slice, with
// every code (credential, specialty, state, language, EHR and the like)
// numbered once in a dictionary, and decodes a clinician when one is
// needed: a microsecond for each row of a page.

// dictionary numbers the strings of the encoded clinicians: a codeTable
// (codes.go), which grows with the vocabularies, not with the clinicians;
// used under the store's lock held for writing when it grows.
type dictionary = codeTable

func newDictionary() *dictionary { return newCodeTable() }

// encoder appends one clinician's values to b.
type encoder struct {
	b []byte
	d *dictionary
}

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }

func (e *encoder) bool(v bool) {
	if v {
		e.b = append(e.b, 1)
	} else {
		e.b = append(e.b, 0)
	}
}

// Floats are written as a tag and a value: a whole number of moderate size
// (most wishes: a panel, a commute, a number of years) as a varint, any
// other value as its eight bytes, so every value decodes exactly.
const (
	tagNone  = 0
	tagWhole = 1
	tagBits  = 2
)

func (e *encoder) float(v float64) {
	if v == math.Trunc(v) && math.Abs(v) < 1<<52 && !(v == 0 && math.Signbit(v)) {
		e.b = append(e.b, tagWhole)
		e.int(int64(v))
		return
	}
	e.b = append(e.b, tagBits)
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(v))
}

func (e *encoder) optFloat(v *float64) {
	if v == nil {
		e.b = append(e.b, tagNone)
		return
	}
	e.float(*v)
}

func (e *encoder) optInt(v *int) {
	if v == nil {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.int(int64(*v))
}

func (e *encoder) optBool(v *bool) {
	switch {
	case v == nil:
		e.b = append(e.b, 0)
	case *v:
		e.b = append(e.b, 2)
	default:
		e.b = append(e.b, 1)
	}
}

func (e *encoder) str(s string) { e.uint(uint64(e.d.code(s))) }

func encStrs[T ~string](e *encoder, vs []T) {
	e.uint(uint64(len(vs)))
	for _, v := range vs {
		e.str(string(v))
	}
}

func (e *encoder) time(t time.Time) {
	if t.IsZero() {
		e.b = append(e.b, 0)
		return
	}
	e.b = append(e.b, 1)
	e.int(t.Unix())
	e.uint(uint64(t.Nanosecond()))
}

// encodeClinician appends c, without its ID, to b.
func encodeClinician(b []byte, d *dictionary, c *match.Clinician) []byte {
	e := encoder{b: b, d: d}
	e.str(string(c.Credential))
	encStrs(&e, c.Taxonomies)
	e.uint(uint64(len(c.Licences)))
	for _, l := range c.Licences {
		e.str(l.State)
		e.time(l.Expires)
		e.bool(l.Multistate)
	}
	e.optFloat(c.Years)
	e.optBool(c.BoardCertified)
	encStrs(&e, c.Languages)
	encStrs(&e, c.EHRsUsed)
	encStrs(&e, c.EHRsAvoid)
	if c.Home == nil {
		e.bool(false)
	} else {
		e.bool(true)
		e.float(c.Home.Lat)
		e.float(c.Home.Lng)
	}
	e.float(c.MaxCommuteMiles)
	encStrs(&e, c.WillingStates)
	e.time(c.AvailableFrom)
	encStrs(&e, c.EmploymentTypes)
	e.optInt(c.MaxDaysPerWeek)
	encStrs(&e, c.Shifts)
	e.optFloat(c.FTEMin)
	e.optFloat(c.FTEMax)
	e.optFloat(c.PayFloorAnnual)
	e.optFloat(c.PayFloorHourly)
	e.optInt(c.PanelMax)
	e.optInt(c.VisitMinNew)
	e.optInt(c.VisitMinFollowUp)
	e.optInt(c.PatientsPerDayMax)
	e.optFloat(c.ContinuityMin)
	e.str(string(c.ContinuityModel))
	e.optInt(c.InboxMax)
	e.optFloat(c.MAsMin)
	e.bool(c.ScribeWanted)
	e.optFloat(c.PatientsPerNurseMax)
	e.optFloat(c.TelehealthMin)
	e.optFloat(c.TelehealthMax)
	e.optInt(c.CallMaxOneInN)
	encStrs(&e, c.Settings)
	encStrs(&e, c.Populations)
	e.optBool(c.TeamBasedWanted)
	// The importances in the order of their factors, so that the same
	// clinician always encodes to the same bytes.
	fs := make([]match.Factor, 0, len(c.Importance))
	for f := range c.Importance {
		fs = append(fs, f)
	}
	slices.Sort(fs)
	e.uint(uint64(len(fs)))
	for _, f := range fs {
		e.uint(uint64(f))
		e.int(int64(c.Importance[f]))
	}
	return e.b
}

// decoder reads what encodeClinician wrote. The bytes are the store's
// own, so a short read is a bug: it panics like an index out of range.
type decoder struct {
	b []byte
	d *dictionary
	// v holds the values c points to, in one allocation.
	v *facts
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		panic("ranking: corrupt clinician encoding")
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		panic("ranking: corrupt clinician encoding")
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) byte() byte {
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) bool() bool { return d.byte() != 0 }

// float reads a float, reporting false for one that was nil.
func (d *decoder) float() (float64, bool) {
	switch d.byte() {
	case tagNone:
		return 0, false
	case tagWhole:
		return float64(d.int()), true
	default:
		v := math.Float64frombits(binary.LittleEndian.Uint64(d.b))
		d.b = d.b[8:]
		return v, true
	}
}

func (d *decoder) optFloat(slot *float64) *float64 {
	v, ok := d.float()
	if !ok {
		return nil
	}
	*slot = v
	return slot
}

func (d *decoder) optInt(slot *int) *int {
	if d.byte() == 0 {
		return nil
	}
	*slot = int(d.int())
	return slot
}

func (d *decoder) optBool(slot *bool) *bool {
	switch d.byte() {
	case 0:
		return nil
	case 2:
		*slot = true
	default:
		*slot = false
	}
	return slot
}

func (d *decoder) str() string { return d.d.names[d.uint()] }

func decStrs[T ~string](d *decoder) []T {
	n := d.uint()
	if n == 0 {
		return nil
	}
	out := make([]T, n)
	for i := range out {
		out[i] = T(d.str())
	}
	return out
}

func (d *decoder) time() time.Time {
	if d.byte() == 0 {
		return time.Time{}
	}
	sec := d.int()
	return time.Unix(sec, int64(d.uint())).UTC()
}

// decodeClinician decodes the clinician encodeClinician wrote to b and
// gives it id.
func decodeClinician(b []byte, dict *dictionary, id string) match.Clinician {
	d := decoder{b: b, d: dict, v: new(facts)}
	v := d.v
	c := match.Clinician{ID: id}
	c.Credential = match.Credential(d.str())
	c.Taxonomies = decStrs[string](&d)
	if n := d.uint(); n > 0 {
		c.Licences = make([]match.Licence, n)
		for i := range c.Licences {
			c.Licences[i] = match.Licence{State: d.str(), Expires: d.time(), Multistate: d.bool()}
		}
	}
	c.Years = d.optFloat(&v.years)
	c.BoardCertified = d.optBool(&v.board)
	c.Languages = decStrs[string](&d)
	c.EHRsUsed = decStrs[match.EHR](&d)
	c.EHRsAvoid = decStrs[match.EHR](&d)
	if d.bool() {
		v.home.Lat, _ = d.float()
		v.home.Lng, _ = d.float()
		c.Home = &v.home
	}
	c.MaxCommuteMiles, _ = d.float()
	c.WillingStates = decStrs[string](&d)
	c.AvailableFrom = d.time()
	c.EmploymentTypes = decStrs[match.EmploymentType](&d)
	c.MaxDaysPerWeek = d.optInt(&v.maxDays)
	c.Shifts = decStrs[match.Shift](&d)
	c.FTEMin = d.optFloat(&v.fteMin)
	c.FTEMax = d.optFloat(&v.fteMax)
	c.PayFloorAnnual = d.optFloat(&v.payAnnual)
	c.PayFloorHourly = d.optFloat(&v.payHourly)
	c.PanelMax = d.optInt(&v.panel)
	c.VisitMinNew = d.optInt(&v.visitNew)
	c.VisitMinFollowUp = d.optInt(&v.visitFollowUp)
	c.PatientsPerDayMax = d.optInt(&v.perDay)
	c.ContinuityMin = d.optFloat(&v.continuity)
	c.ContinuityModel = match.ContinuityModel(d.str())
	c.InboxMax = d.optInt(&v.inbox)
	c.MAsMin = d.optFloat(&v.mas)
	c.ScribeWanted = d.bool()
	c.PatientsPerNurseMax = d.optFloat(&v.perNurse)
	c.TelehealthMin = d.optFloat(&v.teleMin)
	c.TelehealthMax = d.optFloat(&v.teleMax)
	c.CallMaxOneInN = d.optInt(&v.call)
	c.Settings = decStrs[match.Setting](&d)
	c.Populations = decStrs[match.Population](&d)
	c.TeamBasedWanted = d.optBool(&v.teamBased)
	if n := d.uint(); n > 0 {
		c.Importance = make(map[match.Factor]int, n)
		for range n {
			f := match.Factor(d.uint())
			c.Importance[f] = int(d.int())
		}
	}
	if len(d.b) != 0 {
		panic("ranking: corrupt clinician encoding")
	}
	return c
}
