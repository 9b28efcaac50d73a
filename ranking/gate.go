package ranking

import (
	"carefit/internal/kit/geo"
	"carefit/match"
)

// A clinician's roles are found by scanning every open position. The scan
// compares bit masks rather than string lists: credentials and specialty
// codes are interned to bits as positions are loaded, and licence states
// are geo.StateSets. The gate is a conservative pre-filter (it never drops
// an eligible position); the engine decides eligibility afterwards.

// bits interns strings to bit positions 0 to 62; past 63 values a value
// has no bit and a position accepting it accepts everything. Bit 63 is set
// in every clinician's mask and in the mask of a position that accepts any
// value, so such a position passes every clinician.
type bits map[string]uint64

const (
	anyBit  = uint64(1) << 63
	allBits = ^uint64(0)
)

// add returns the mask of values, interning new ones; an empty list, or
// one holding a value past the 64th, gives allBits (accepts any).
func (b bits) add(values []string) uint64 {
	if len(values) == 0 {
		return allBits
	}
	var m uint64
	for _, v := range values {
		bit, ok := b[v]
		if !ok {
			if len(b) >= 63 {
				return allBits
			}
			bit = 1 << len(b)
			b[v] = bit
		}
		m |= bit
	}
	return m
}

// lookup returns a clinician's mask: anyBit and the bits of the values
// already interned (a value never seen on a position is not what any
// position names).
func (b bits) lookup(values []string) uint64 {
	m := anyBit
	for _, v := range values {
		m |= b[v]
	}
	return m
}

// gate is the pre-filter view of one open position.
type gate struct {
	creds, taxa uint64
	need        geo.StateSet // licences needed
	state       geo.StateSet // the work site's state
	// remote is a telehealth-only role: it has no commute, so location is
	// no rule (match's facts that do not apply).
	remote bool
	// hasLoc, lat and lng are the work site, copied from p so that the
	// scan of every open position for a clinician's roles measures
	// distances without reading each position.
	hasLoc   bool
	lat, lng float64
	p        *match.Position
	// compiled is p compiled for the engine once, as it is loaded, rather
	// than once per clinician's roles request.
	compiled *match.CompiledPosition
}

// milesPerDegree is a little under the miles of one degree of latitude
// (69.09 on geo's sphere): a latitude difference times it never exceeds
// the great-circle distance, so a position farther than the commute by
// latitude alone is beyond it without the trigonometry.
const milesPerDegree = 69.0

// beyond reports whether the work site is farther than miles from home:
// a conservative test (it may say no for a site just beyond), as the
// gate is.
func (g *gate) beyond(home *match.Point, miles float64) bool {
	if !g.hasLoc || home == nil {
		return true
	}
	if d := g.lat - home.Lat; d*milesPerDegree > miles || -d*milesPerDegree > miles {
		return true
	}
	return geo.DistanceMiles(home.Lat, home.Lng, g.lat, g.lng) > miles
}

// newGate builds p's gate, interning its credentials and codes.
func newGate(p *match.Position, creds, taxa bits) gate {
	need := p.LicenceStates
	if len(need) == 0 {
		need = []string{p.State}
	}
	g := gate{creds: creds.add(strs(p.Credentials)), taxa: taxa.add(p.Taxonomies),
		need: geo.NewStateSet(need...), state: geo.NewStateSet(p.State), remote: p.Setting == match.TelehealthOnly, p: p,
		compiled: match.CompilePosition(p)}
	if p.Location != nil {
		g.hasLoc, g.lat, g.lng = true, p.Location.Lat, p.Location.Lng
	}
	return g
}
