// Package geo holds the US jurisdictions clinicians are licensed in, the
// Nurse Licensure Compact membership, and great-circle distance. It is pure
// data and arithmetic so that every other package, the fit engine included,
// can use it without I/O.
package geo

import (
	"math"
	"sort"
)

// Jurisdiction is a US state, the District of Columbia or a territory that
// issues clinical licences.
type Jurisdiction struct {
	Code string // USPS two-letter code
	Name string
}

// jurisdictions is ordered by code; the position in this list is the bit
// index used by StateSet, so entries are only ever appended in code order
// before any data is persisted as bits (bits are never persisted today).
var jurisdictions = []Jurisdiction{
	{"AK", "Alaska"}, {"AL", "Alabama"}, {"AR", "Arkansas"}, {"AS", "American Samoa"},
	{"AZ", "Arizona"}, {"CA", "California"}, {"CO", "Colorado"}, {"CT", "Connecticut"},
	{"DC", "District of Columbia"}, {"DE", "Delaware"}, {"FL", "Florida"}, {"GA", "Georgia"},
	{"GU", "Guam"}, {"HI", "Hawaii"}, {"IA", "Iowa"}, {"ID", "Idaho"},
	{"IL", "Illinois"}, {"IN", "Indiana"}, {"KS", "Kansas"}, {"KY", "Kentucky"},
	{"LA", "Louisiana"}, {"MA", "Massachusetts"}, {"MD", "Maryland"}, {"ME", "Maine"},
	{"MI", "Michigan"}, {"MN", "Minnesota"}, {"MO", "Missouri"}, {"MP", "Northern Mariana Islands"},
	{"MS", "Mississippi"}, {"MT", "Montana"}, {"NC", "North Carolina"}, {"ND", "North Dakota"},
	{"NE", "Nebraska"}, {"NH", "New Hampshire"}, {"NJ", "New Jersey"}, {"NM", "New Mexico"},
	{"NV", "Nevada"}, {"NY", "New York"}, {"OH", "Ohio"}, {"OK", "Oklahoma"},
	{"OR", "Oregon"}, {"PA", "Pennsylvania"}, {"PR", "Puerto Rico"}, {"RI", "Rhode Island"},
	{"SC", "South Carolina"}, {"SD", "South Dakota"}, {"TN", "Tennessee"}, {"TX", "Texas"},
	{"UT", "Utah"}, {"VA", "Virginia"}, {"VI", "U.S. Virgin Islands"}, {"VT", "Vermont"},
	{"WA", "Washington"}, {"WI", "Wisconsin"}, {"WV", "West Virginia"}, {"WY", "Wyoming"},
}

var index = func() map[string]int {
	m := make(map[string]int, len(jurisdictions))
	for i, j := range jurisdictions {
		m[j.Code] = i
	}
	return m
}()

// Jurisdictions returns every supported jurisdiction ordered by code. The
// returned slice is a copy.
func Jurisdictions() []Jurisdiction {
	return append([]Jurisdiction(nil), jurisdictions...)
}

// IsState reports whether code is a supported two-letter jurisdiction code
// (upper case).
func IsState(code string) bool {
	_, ok := index[code]
	return ok
}

// StateName returns the jurisdiction's name, or "" for an unknown code.
func StateName(code string) string {
	if i, ok := index[code]; ok {
		return jurisdictions[i].Name
	}
	return ""
}

// StateIndex returns the bit index of code in a StateSet and whether the code
// is known.
func StateIndex(code string) (int, bool) {
	i, ok := index[code]
	return i, ok
}

// StateSet is a set of jurisdictions as a bit set; there are fewer than 64.
type StateSet uint64

// NewStateSet builds a set from codes, ignoring unknown ones.
func NewStateSet(codes ...string) StateSet {
	var s StateSet
	for _, c := range codes {
		if i, ok := index[c]; ok {
			s |= 1 << uint(i)
		}
	}
	return s
}

// Has reports whether code is in the set.
func (s StateSet) Has(code string) bool {
	i, ok := index[code]
	return ok && s&(1<<uint(i)) != 0
}

// Codes returns the set's codes in order.
func (s StateSet) Codes() []string {
	var out []string
	for i, j := range jurisdictions {
		if s&(1<<uint(i)) != 0 {
			out = append(out, j.Code)
		}
	}
	return out
}

// nlcMembers are the jurisdictions where the Nurse Licensure Compact is
// implemented, so a multistate RN licence issued by any of them authorises
// practice in all of them.
//
// Source: NCSBN, "Nurse Licensure Compact (NLC) member states" map at
// nursecompact.com, as published in 2025. Connecticut and Massachusetts have
// enacted the compact but not implemented it and are left out until they do;
// Pennsylvania implemented practice privileges for multistate holders in 2024.
var nlcMembers = []string{
	"AL", "AR", "AZ", "CO", "DE", "FL", "GA", "GU", "IA", "ID", "IN", "KS", "KY",
	"LA", "MD", "ME", "MO", "MS", "MT", "NC", "ND", "NE", "NH", "NJ", "NM", "OH",
	"OK", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VA", "VI", "VT", "WA", "WI",
	"WV", "WY",
}

// NLC is the set of Nurse Licensure Compact jurisdictions (see nlcMembers for
// the source).
var NLC = NewStateSet(nlcMembers...)

// NLCMembers returns the compact's member codes in order.
func NLCMembers() []string {
	out := append([]string(nil), nlcMembers...)
	sort.Strings(out)
	return out
}

const earthRadiusMiles = 3958.7613

// DistanceMiles is the great-circle (haversine) distance between two points
// given in decimal degrees.
func DistanceMiles(lat1, lng1, lat2, lng2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLng := (lng2 - lng1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * earthRadiusMiles * math.Asin(math.Min(1, math.Sqrt(a)))
}

// MilesToMeters converts miles to meters.
func MilesToMeters(mi float64) float64 { return mi * 1609.344 }
