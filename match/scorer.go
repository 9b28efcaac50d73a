package match

// Breakdown is a pair's score and each factor's share of it, without
// eligibility or sentences: what a stored match keeps.
type Breakdown struct {
	Score         float64
	ClinicianSide float64 // C × 100
	EmployerSide  float64 // E × 100
	// Contributions holds each factor's points on its side, indexed by
	// Factor (FactorResult.Contribution): the clinician-side ones add up to
	// ClinicianSide and the employer-side ones to EmployerSide.
	Contributions [NumFactors]float64
}

// Scorer scores many clinicians against one position, compiling the
// position once. It gives the same numbers as Explain. A Scorer is not
// safe for concurrent use.
type Scorer struct {
	lt langTable
	pf posFacts
}

// NewScorer prepares to score clinicians against p.
func NewScorer(p Position) *Scorer {
	s := &Scorer{}
	s.pf = compilePosition(&p, &s.lt, true)
	return s
}

// Score returns c's breakdown for the scorer's position.
func (s *Scorer) Score(c Clinician) Breakdown {
	r, _ := compileClinician(&c, &s.lt)
	fit, w, _ := s.pf.pairFits(&r)
	score, cs, es, contrib := combine(&fit, &w)
	return Breakdown{Score: score, ClinicianSide: cs, EmployerSide: es, Contributions: contrib}
}
