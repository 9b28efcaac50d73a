package ranking

import (
	"carefit/candidates"
	"carefit/internal/kit/taxonomy"
)

// The feature store holds every clinician for as long as it runs, and the
// collector visits each of their objects on every cycle. A profile read
// from Postgres carries its codes (credential, specialties, states,
// languages, EHRs and the like) as strings of its own; the store keeps one
// copy of each distinct code instead, so a clinician costs the collector
// a dozen objects fewer.

// interner holds one copy of each code the store has seen; it grows with
// the vocabularies, not with the clinicians. It is used under the store's
// lock held for writing (or before the store is shared).
type interner map[string]string

func (in interner) str(s string) string {
	if c, ok := in[s]; ok {
		return c
	}
	in[s] = s
	return s
}

func internAll[T ~string](in interner, vs []T) {
	for i, v := range vs {
		vs[i] = T(in.str(string(v)))
	}
}

// codesOf replaces p's codes with the interner's copies, in place.
func (in interner) codesOf(p *candidates.Profile) {
	p.Credential = taxonomy.Credential(in.str(string(p.Credential)))
	p.Home.State = in.str(p.Home.State)
	internAll(in, p.Taxonomies)
	internAll(in, p.Languages)
	internAll(in, p.EHRsUsed)
	internAll(in, p.EHRsAvoid)
	internAll(in, p.WillingToMoveStates)
	internAll(in, p.EmploymentTypes)
	internAll(in, p.Schedule.Shifts)
	internAll(in, p.Wishes.ContinuityModels)
	internAll(in, p.Wishes.Settings)
	internAll(in, p.Wishes.Populations)
	for i := range p.Licences {
		p.Licences[i].State = in.str(p.Licences[i].State)
	}
}
