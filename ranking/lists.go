package ranking

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"carefit/internal/kit/geo"
	"carefit/match"
	"carefit/search/textmatch"
)

// DefaultOptions is the eligibility tuning carefit runs with by default:
// an availability allowance of two weeks, the default of
// CAREFIT_AVAILABILITY_SLACK_DAYS, which cmd/carefit sets before passing
// the options to Load; tests may pass others.
func DefaultOptions() match.Options { return match.Options{AvailabilitySlackDays: 14} }

// CandidateFilter narrows a position's ranked candidates. Zero fields do
// not filter.
type CandidateFilter struct {
	// Text, when not blank, keeps the clinicians whose searchable text
	// matches it as the search index would (package textmatch).
	Text string
	// Among, when not nil, keeps only these clinicians (a pipeline's, which
	// the store does not know): such a list is not cached.
	Among           map[string]struct{}
	Credentials     []string
	Taxonomies      []string // keeps clinicians with any of these
	HomeStates      []string
	AvailableBefore time.Time
	MinScore        float64
	// WithinMiles keeps clinicians living within this distance of the
	// position's location.
	WithinMiles float64
	// ForOrg, when set, is the organization the list is for: clinicians
	// who blocked it are left out (app/reach.go).
	ForOrg string
	Limit  int
	Cursor string
}

// Candidates ranks every clinician eligible at now for the position the
// store holds with positionID by mutual fit, applies f, and returns the
// page after f.Cursor with facet counts over the whole filtered list. A
// position the store does not hold has no candidates. It returns
// ErrBadCursor for a cursor this list did not issue.
//
// Only the page is ranked in order: the scan keeps the list's first
// listPrefix items in a bounded heap while it counts the total and the
// facets, and the list is cached for the store's version (cache.go), so
// the next pages of a recruiter paging through it cost no ranking. A
// page past those items is ranked after its cursor.
func (s *Store) Candidates(positionID string, f CandidateFilter, now time.Time) (Page, error) {
	cur, err := decodeCursor(f.Cursor, match.ByMutual)
	if err != nil {
		return Page{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.positions[positionID]
	if !ok {
		return Page{}, nil
	}
	keep := s.candidateKeep(&p, &f)
	rank := func() *rankedList {
		b := best{k: listPrefix, by: match.ByMutual}
		n := s.codes.counts()
		s.eachCandidate(&p, keep, now, func(r match.Ranked, row uint32) {
			n.add(s.cl, row)
			b.push(r)
		})
		items, _ := b.sorted()
		// The list holds until the position expires (it then ranks nobody).
		return &rankedList{items: items, total: b.pushed, facets: n.facets(s.codes), until: p.ExpiresAt}
	}
	var list *rankedList
	if f.Among != nil {
		list = rank()
	} else {
		list = s.lists.get(s.version, candidatesKey(positionID, &f, now), now, rank)
	}
	items, next, ok := list.page(cur, f.Limit, match.ByMutual)
	if !ok {
		b := best{k: f.Limit, by: match.ByMutual, after: cur}
		s.eachCandidate(&p, keep, now, func(r match.Ranked, _ uint32) { b.push(r) })
		var more bool
		if items, more = b.sorted(); more {
			next = encodeCursor(items[len(items)-1], match.ByMutual)
		}
	}
	return Page{Items: items, Total: list.total, Facets: list.facets, NextCursor: next}, nil
}

// candidateKeep is a CandidateFilter's structured filters compiled to the
// store's codes; the caller holds s.mu for reading.
type candidateKeep struct {
	text                   *textmatch.Query
	among                  map[string]struct{}
	forOrg                 string
	creds, homes, taxa     []uint32
	byCred, byHome, byTaxa bool
	availableBefore        time.Time
	minScore               float64
	within                 float64
	at                     *match.Point
}

func (s *Store) candidateKeep(p *match.Position, f *CandidateFilter) candidateKeep {
	return candidateKeep{text: s.textQuery(s.profileWords, f.Text), among: f.Among, forOrg: f.ForOrg,
		creds: s.codes.cred.lookup(f.Credentials), byCred: len(f.Credentials) > 0,
		homes: s.codes.home.lookup(f.HomeStates), byHome: len(f.HomeStates) > 0,
		taxa: s.codes.taxa.lookup(f.Taxonomies), byTaxa: len(f.Taxonomies) > 0,
		availableBefore: f.AvailableBefore, minScore: f.MinScore, within: f.WithinMiles, at: p.Location}
}

// keeps reports whether k keeps the clinician id in row r of t, whose
// score is score.
func (k *candidateKeep) keeps(t *clinicianTable, r uint32, id string, score float64) bool {
	switch {
	case k.forOrg != "" && t.blocked(r, k.forOrg),
		k.byCred && !slices.Contains(k.creds, t.cred[r]),
		k.byHome && !slices.Contains(k.homes, t.home[r]),
		!k.availableBefore.IsZero() && t.availableAfter(r, k.availableBefore),
		k.minScore > 0 && score < k.minScore:
		return false
	}
	if k.byTaxa && !slices.ContainsFunc(t.specialties(r), func(c uint32) bool { return slices.Contains(k.taxa, c) }) {
		return false
	}
	if k.within > 0 && (k.at == nil || geo.DistanceMiles(k.at.Lat, k.at.Lng, t.at[r].Lat, t.at[r].Lng) > k.within) {
		return false
	}
	if k.among != nil {
		if _, ok := k.among[id]; !ok {
			return false
		}
	}
	return k.text == nil || k.text.Match(t.doc(r))
}

// textQuery compiles text against words, or returns nil for blank text
// (no narrowing); the caller holds s.mu for reading.
func (s *Store) textQuery(words *textmatch.Vocabulary, text string) *textmatch.Query {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	return words.Query(text)
}

// eachCandidate calls fn for every clinician eligible for p at now that
// keep keeps, with its score, in no order; the caller holds s.mu for
// reading.
func (s *Store) eachCandidate(p *match.Position, keep candidateKeep, now time.Time, fn func(match.Ranked, uint32)) {
	// Each clinician of the index is tagged with their row of s.cl.
	s.ix.EachScoredTagged(*p, now, s.opts, func(id string, r uint32, score float64) {
		if keep.keeps(s.cl, r, id, score) {
			fn(match.Ranked{ID: id, Score: score}, r)
		}
	})
}

// candidatesKey names a position's list under f at now's day: every
// field of f that decides the list, none that only pages it.
func candidatesKey(positionID string, f *CandidateFilter, now time.Time) string {
	var b strings.Builder
	b.WriteString("c")
	keyPart(&b, positionID, strconv.FormatInt(dayOf(now), 10), f.ForOrg, f.Text)
	keyPart(&b, f.Credentials...)
	keyPart(&b, f.Taxonomies...)
	keyPart(&b, f.HomeStates...)
	keyPart(&b, strconv.FormatInt(f.AvailableBefore.UnixNano(), 10), floatKey(f.MinScore), floatKey(f.WithinMiles))
	return b.String()
}

// keyPart appends a group of values to a cache key, each quoted so that
// no value can be mistaken for a separator.
func keyPart(b *strings.Builder, vs ...string) {
	b.WriteByte('[')
	for _, v := range vs {
		b.WriteString(strconv.Quote(v))
	}
	b.WriteByte(']')
}

func floatKey(v float64) string { return strconv.FormatUint(math.Float64bits(v), 16) }

// dayOf is the UTC day of t, the grain of every date eligibility reads.
func dayOf(t time.Time) int64 { return int64(math.Floor(float64(t.Unix()) / 86400)) }

// RoleFilter narrows a clinician's ranked roles. Zero fields do not
// filter.
type RoleFilter struct {
	// Text, when not blank, keeps the positions whose searchable text
	// matches it (see CandidateFilter.Text).
	Text            string
	States          []string
	EmploymentTypes []string
	Settings        []string
	// MinAnnualPay keeps positions whose top of range, as annual pay
	// (hourly × match.HoursPerYear), reaches it.
	MinAnnualPay float64
	// Near and WithinMiles keep positions within the distance of a point
	// (the clinician's home unless another is given).
	Near        *match.Point
	WithinMiles float64
	// Order ranks the list by the mutual score (match.ByMutual, the zero
	// value) or by the clinician's own side (match.ByFit); a cursor
	// continues only a list of its own order.
	Order  match.Order
	Limit  int
	Cursor string
}

// PositionIDs returns the IDs of every position held, sorted.
func (s *Store) PositionIDs() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	ids := make([]string, 0, len(s.positions))
	for id := range s.positions {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Position returns the stored engine view of a position.
func (s *Store) Position(id string) (match.Position, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p, ok := s.positions[id]
	return p, ok
}

// Roles ranks every open position the clinician the store holds with
// clinicianID is eligible for at now in f.Order, applies f, and returns
// the page after f.Cursor with facet counts. A clinician the store does
// not hold has no roles. Errors as for Candidates, and an error when
// f.WithinMiles is set without f.Near. A clinician's eligible roles are
// few (the open positions scanned by their gates), so the whole list is
// ranked and cached like a position's candidates.
func (s *Store) Roles(clinicianID string, f RoleFilter, now time.Time) (Page, error) {
	if f.WithinMiles > 0 && f.Near == nil {
		return Page{}, fmt.Errorf("ranking: a distance needs a point")
	}
	cur, err := decodeCursor(f.Cursor, f.Order)
	if err != nil {
		return Page{}, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	list := s.lists.get(s.version, rolesKey(clinicianID, &f, now), now, func() *rankedList {
		all, until := s.rankRoles(clinicianID, f, now)
		facets := Facets{}
		for _, r := range all {
			pf := s.posFacts[r.ID]
			facets.add("state", pf.State)
			facets.add("employment_type", pf.EmploymentType)
			facets.add("setting", pf.Setting)
		}
		return &rankedList{items: all, total: len(all), facets: facets, until: until}
	})
	items, next, _ := list.page(cur, f.Limit, f.Order) // a role list is kept whole
	return Page{Items: items, Total: list.total, Facets: list.facets, NextCursor: next}, nil
}

// rolesKey names a clinician's roles under f at now's day.
func rolesKey(clinicianID string, f *RoleFilter, now time.Time) string {
	var b strings.Builder
	b.WriteString("r")
	keyPart(&b, clinicianID, strconv.FormatInt(dayOf(now), 10), strconv.Itoa(int(f.Order)), f.Text)
	keyPart(&b, f.States...)
	keyPart(&b, f.EmploymentTypes...)
	keyPart(&b, f.Settings...)
	keyPart(&b, floatKey(f.MinAnnualPay), floatKey(f.WithinMiles))
	if f.Near != nil {
		keyPart(&b, floatKey(f.Near.Lat), floatKey(f.Near.Lng))
	}
	return b.String()
}

// rankRoles ranks the open positions the clinician is eligible for that
// pass f's filters, in f.Order, and returns
// when the first of the positions it considered that is live at now
// expires (zero when none does): until then the ranking holds. The caller holds s.mu for reading.
func (s *Store) rankRoles(clinicianID string, f RoleFilter, now time.Time) (ranked []match.Ranked, until time.Time) {
	row, ok := s.cl.lookup(clinicianID)
	if !ok {
		return nil, time.Time{}
	}
	held := s.cl.clinician(row)
	c := &held
	// Licence states the clinician may practise in, ignoring expiry: a
	// cheap, conservative pre-filter before the engine checks eligibility.
	var lic geo.StateSet
	for _, l := range c.Licences {
		lic |= geo.NewStateSet(l.State)
		if l.Multistate && geo.NLC.Has(l.State) {
			lic |= geo.NLC
		}
	}
	willing := geo.NewStateSet(c.WillingStates...)
	commute := c.MaxCommuteMiles
	if commute <= 0 {
		commute = match.DefaultCommuteMiles
	}
	commute = commute*1.01 + 0.5 // margin for the engine's float32 geometry
	cred := s.credBits.lookup([]string{string(c.Credential)})
	taxa := s.taxBit.lookup(c.Taxonomies)
	text := s.textQuery(s.positionWords, f.Text)
	// A position's filter facts are read only when a filter needs them:
	// most lists are not filtered.
	filtered := len(f.States) > 0 || len(f.EmploymentTypes) > 0 || len(f.Settings) > 0 || f.MinAnnualPay > 0 ||
		f.WithinMiles > 0 || text != nil
	var cands []*match.CompiledPosition
	for i := range s.open {
		g := &s.open[i]
		if g.creds&cred == 0 || g.taxa&taxa == 0 || g.need&^lic != 0 {
			continue
		}
		// Location: eligible only within the commute or in a state the
		// clinician would move to (match.RuleLocation), unless remote.
		if !g.remote && g.state&willing == 0 && g.beyond(c.Home, commute) {
			continue
		}
		p := g.p
		if filtered {
			pf := s.posFacts[p.ID]
			switch {
			case len(f.States) > 0 && !slices.Contains(f.States, pf.State),
				len(f.EmploymentTypes) > 0 && !slices.Contains(f.EmploymentTypes, pf.EmploymentType),
				len(f.Settings) > 0 && !slices.Contains(f.Settings, pf.Setting):
				continue
			}
			if f.MinAnnualPay > 0 {
				annual := pf.PayMax
				if pf.PayPeriod == "hourly" {
					annual *= match.HoursPerYear
				}
				if annual < f.MinAnnualPay {
					continue
				}
			}
			if f.WithinMiles > 0 && (pf.Point == nil || geo.DistanceMiles(f.Near.Lat, f.Near.Lng, pf.Point.Lat, pf.Point.Lng) > f.WithinMiles) {
				continue
			}
			if text != nil && !text.Match(pf.text) {
				continue
			}
		}
		// The engine reads the positions in place: a copy of each was most
		// of what a list allocated.
		cands = append(cands, g.compiled)
		// Only an expiry still ahead ends the list: a position already
		// expired is ranked out now and stays out, and counting its past
		// expiry made the list stale on arrival, so the cache never held
		// the roles of a clinician whose gates let one through.
		if e := p.ExpiresAt; !e.IsZero() && e.After(now) && (until.IsZero() || e.Before(until)) {
			until = e
		}
	}
	return match.TopCompiledPositions(*c, cands, len(cands), now, s.opts, f.Order), until
}
