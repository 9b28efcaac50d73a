// Package market generates a synthetic but realistic staffing market —
// employers, their positions with work-environment facts, and clinician
// profiles with credentials, licences, wishes and must-haves — for the
// demo, the tests and the benchmarks. The distributions follow the domain
// primer (panels around 2,300, visits of 15 to 40 minutes, a share of
// facts unknown, facts only where they exist), pay follows BLS wage
// statistics (pay.go), metros are weighted by population and postal codes
// are the metros' own (metros.go), specialty pairs are ones clinicians
// hold, and positions go through their whole lifecycle: mostly open, some
// drafts, filled, closed or expired. Every value is valid by the domains'
// own validation (an expired posting as of when it was posted); the same
// seed gives the same market.
package market

import (
	"fmt"
	"math"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"carefit/candidates"
	"carefit/internal/kit/factor"
	"carefit/jobs"
)

// Market is a generated set of employers, positions and clinicians.
type Market struct {
	Organizations []jobs.Organization
	Positions     []jobs.Position
	Profiles      []candidates.Profile
}

// Size says how much to generate.
type Size struct {
	Organizations, Positions, Profiles int
}

type gen struct {
	r   *rand.Rand
	now time.Time
	cum []int // cumulative metro weights
	npi int
}

// Generate builds a market of the given size; positions are spread over the
// organizations, profiles over the metros.
func Generate(seed uint64, size Size, now time.Time) Market {
	g := &gen{r: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), now: now.UTC()}
	total := 0
	for _, m := range metros {
		total += m.Weight
		g.cum = append(g.cum, total)
	}
	var mk Market
	for i := 0; i < size.Organizations; i++ {
		mk.Organizations = append(mk.Organizations, g.organization(i))
	}
	for i := 0; i < size.Positions && len(mk.Organizations) > 0; i++ {
		org := mk.Organizations[g.r.IntN(len(mk.Organizations))]
		mk.Positions = append(mk.Positions, g.position(org))
	}
	for i := 0; i < size.Profiles; i++ {
		mk.Profiles = append(mk.Profiles, g.profile(i))
	}
	return mk
}

func (g *gen) id() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.UintN(256))
	}
	u, _ := uuid.FromBytes(b[:])
	u[6] = (u[6] & 0x0f) | 0x40 // version 4
	u[8] = (u[8] & 0x3f) | 0x80 // RFC 4122 variant
	return u.String()
}

func (g *gen) metro() metro {
	n := g.r.IntN(g.cum[len(g.cum)-1])
	for i, c := range g.cum {
		if n < c {
			return metros[i]
		}
	}
	return metros[0]
}

func pick[T any](g *gen, xs []T) T { return xs[g.r.IntN(len(xs))] }

// chance is true with probability p.
func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

// known returns v with probability p, else nil (an unknown fact).
func known[T any](g *gen, p float64, v T) *T {
	if g.chance(p) {
		return &v
	}
	return nil
}

func (g *gen) normal(mean, sd, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, mean+sd*g.r.NormFloat64()))
}

var orgWords = []string{"Health", "Medical Group", "Community Health", "Family Care", "Physicians", "Clinic", "Care Partners", "Health Center"}
var orgPrefixes = []string{"Riverside", "Summit", "Lakeview", "Cedar", "Harbor", "Prairie", "Valley", "Northside", "Bayview", "Mesa", "Pinecrest", "Unity", "Beacon", "Meridian"}

func (g *gen) organization(i int) jobs.Organization {
	m := g.metro()
	kinds := []jobs.OrgKind{jobs.KindHealthSystem, jobs.KindGroupPractice, jobs.KindFQHC, jobs.KindHospital, jobs.KindUrgentCare, jobs.KindTelehealth}
	o := jobs.Organization{ID: g.id(), Name: fmt.Sprintf("%s %s %s", pick(g, orgPrefixes), m.City, pick(g, orgWords)),
		Kind: pick(g, kinds), WeightOverrides: map[factor.Name]float64{}}
	nLoc := 1 + g.r.IntN(3)
	for j := 0; j < nLoc; j++ {
		o.Locations = append(o.Locations, jobs.Location{ID: g.id(), Name: fmt.Sprintf("%s site %d", m.City, j+1),
			AddressLine: fmt.Sprintf("%d %s St", 100+g.r.IntN(9000), pick(g, orgPrefixes)), City: m.City,
			PostalCode: g.postalCode(m), State: m.State,
			Lat: m.Lat + g.normal(0, 0.08, -0.3, 0.3), Lng: m.Lng + g.normal(0, 0.08, -0.3, 0.3), TimeZone: m.TimeZone})
	}
	if g.chance(0.2) {
		o.WeightOverrides[factor.Experience] = 2
	}
	return o
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}
