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
	// set, when the scorer is one of a Scorers, compiles each clinician
	// once for all its positions.
	set *Scorers
}

// NewScorer prepares to score clinicians against p.
func NewScorer(p Position) *Scorer {
	s := &Scorer{}
	s.pf = compilePosition(&p, &s.lt, true)
	return s
}

// Scorers scores clinicians against many positions, compiling each
// clinician once, by ID, for all of them: a rematch shard scores the same
// clinicians for many neighbouring positions. The clinicians must not
// change while a Scorers is in use. Not safe for concurrent use.
type Scorers struct {
	lt   langTable
	rows map[string]clinRow
}

// NewScorers returns an empty set of scorers.
func NewScorers() *Scorers { return &Scorers{rows: map[string]clinRow{}} }

// Position prepares to score clinicians against p, sharing the set's
// compiled clinicians. Languages get the same bits for every position of
// the set, so a clinician compiled for one is valid for all.
func (ss *Scorers) Position(p Position) *Scorer {
	return &Scorer{pf: compilePosition(&p, &ss.lt, true), set: ss}
}

// Score returns c's breakdown for the scorer's position.
func (s *Scorer) Score(c Clinician) Breakdown {
	if s.set != nil {
		r, ok := s.set.rows[c.ID]
		if !ok {
			r, _ = compileClinician(&c, &s.set.lt)
			s.set.rows[c.ID] = r
		}
		return s.breakdown(&r)
	}
	r, _ := compileClinician(&c, &s.lt)
	return s.breakdown(&r)
}

func (s *Scorer) breakdown(r *clinRow) Breakdown {
	fit, w, _ := s.pf.pairFits(r)
	score, cs, es, contrib := combine(&fit, &w)
	return Breakdown{Score: score, ClinicianSide: cs, EmployerSide: es, Contributions: contrib}
}
