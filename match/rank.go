package match

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// Ranked is one entry of a ranked list: the other side's ID and the mutual
// score (0 to 100). Ties are ordered by ID, ascending.
type Ranked struct {
	ID    string
	Score float64
	// Fit is the clinician's own side of the pair (0 to 100): how well the
	// position meets their wishes. TopPositions sets it, so a clinician's
	// list can be ordered by it (ByFit); TopClinicians leaves it 0.
	Fit float64
}

// Order is how a list of ranked positions is ordered.
type Order uint8

const (
	// ByMutual orders by the mutual score, then ID: a recruiter's order,
	// and the stored matches'.
	ByMutual Order = iota
	// ByFit orders by the clinician's own side, then the mutual score,
	// then ID: a clinician's own order, since the employer's wants
	// supply half of every mutual score.
	ByFit
)

// Compare returns a negative number when a ranks before b in order o,
// positive when after, and 0 for the same entry.
func (o Order) Compare(a, b Ranked) int {
	if o == ByFit {
		if c := cmp.Compare(b.Fit, a.Fit); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	return cmp.Compare(a.ID, b.ID)
}

type cand struct {
	key  float32
	slot uint32
}

// topK keeps the k best candidates in a min-heap whose root is the worst.
// With sink set it keeps nothing and hands every candidate to sink
// instead (EachScored).
type topK struct {
	k    int
	h    []cand
	ids  []string
	sink func(cand)
}

// worse reports whether a ranks below b: a lower key, or an equal key and a
// larger ID.
func (t *topK) worse(a, b cand) bool {
	return a.key < b.key || (a.key == b.key && t.ids[a.slot] > t.ids[b.slot])
}

func (t *topK) push(c cand) {
	if t.sink != nil {
		t.sink(c)
		return
	}
	if len(t.h) < t.k {
		t.h = append(t.h, c)
		for i := len(t.h) - 1; i > 0; {
			p := (i - 1) / 2
			if !t.worse(t.h[i], t.h[p]) {
				break
			}
			t.h[i], t.h[p] = t.h[p], t.h[i]
			i = p
		}
		return
	}
	if c.key < t.h[0].key || !t.worse(t.h[0], c) {
		return
	}
	t.h[0] = c
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < len(t.h) && t.worse(t.h[l], t.h[m]) {
			m = l
		}
		if l+1 < len(t.h) && t.worse(t.h[l+1], t.h[m]) {
			m = l + 1
		}
		if m == i {
			break
		}
		t.h[i], t.h[m] = t.h[m], t.h[i]
		i = m
	}
}

// result returns the kept candidates best first. It sorts machine words,
// not candidates through a comparison function that reads IDs: each
// candidate becomes its key's bits, ordered so that an ascending sort puts
// the best first, above its slot; only runs of equal keys are then
// ordered by ID. Ranking a whole eligible set spent most of its time in
// the comparison function before.
func (t *topK) result() []Ranked {
	words := make([]uint64, len(t.h))
	for i, c := range t.h {
		words[i] = uint64(descending(c.key))<<32 | uint64(c.slot)
	}
	slices.Sort(words)
	out := make([]Ranked, len(words))
	for i, w := range words {
		s := uint32(w)
		out[i] = Ranked{ID: t.ids[s], Score: scoreOfKey(fromDescending(uint32(w >> 32)))}
	}
	for i := 0; i < len(words); {
		j := i + 1
		for j < len(words) && words[j]>>32 == words[i]>>32 {
			j++
		}
		if j-i > 1 {
			slices.SortFunc(out[i:j], func(a, b Ranked) int { return cmp.Compare(a.ID, b.ID) })
		}
		i = j
	}
	return out
}

// descending maps a float32 to a word whose ascending order is the
// floats' descending order (NaN aside).
func descending(f float32) uint32 {
	b := math.Float32bits(f)
	return ^(b ^ keySign(b))
}

// fromDescending is the float descending(f) was made from.
func fromDescending(d uint32) float32 {
	if u := ^d; u>>31 != 0 {
		return math.Float32frombits(u ^ 0x80000000)
	}
	return math.Float32frombits(d)
}

// keySign is the mask that makes a float's bits order as the float does:
// all bits for a negative float, the sign bit for a positive one.
func keySign(b uint32) uint32 {
	if b>>31 != 0 {
		return 0xffffffff
	}
	return 0x80000000
}

// TopClinicians returns the k best eligible clinicians for p at now, best
// first, with ties broken by ID. filter, when not nil, drops clinicians by
// ID (e.g. already rejected ones). Scores equal Explain's to within 0.01.
func (ix *Index) TopClinicians(p Position, k int, now time.Time, opts Options, filter func(id string) bool) []Ranked {
	var f *keep
	if filter != nil {
		f = &keep{fn: filter}
	}
	top, _ := ix.top(&p, k, now, opts, f)
	return top
}

// keep says which rows a ranking may return: those fn accepts, or, when
// mask is set, those whose entry is true. A planner computes the mask once
// for all its positions, so the scan reads a slice instead of calling fn
// (a map lookup, often) for every eligible pair. A nil *keep keeps all.
type keep struct {
	fn   func(id string) bool
	mask []bool
}

func (k *keep) row(ix *Index, s uint32) bool {
	if k.mask != nil {
		return k.mask[s]
	}
	return k.fn(ix.ids[s])
}

// maskOf evaluates fn once for every row of ix; removed rows are dropped.
func maskOf(ix *Index, fn func(id string) bool) *keep {
	mask := make([]bool, len(ix.ids))
	for s, id := range ix.ids {
		mask[s] = id != "" && fn(id)
	}
	return &keep{mask: mask}
}

// top scans the candidates of p and also returns how many were eligible.
func (ix *Index) top(p *Position, k int, now time.Time, opts Options, filter *keep) ([]Ranked, int) {
	if k <= 0 {
		return nil, 0
	}
	t := topK{k: k, ids: ix.ids, h: make([]cand, 0, min(k, 1024))}
	n, live := ix.scanPosition(p, now, opts, filter, &t)
	if !live {
		return nil, 0
	}
	return t.result(), n
}

// scanPosition pushes every eligible candidate of p that filter keeps
// into t and returns how many were eligible, and whether p is live at now
// (none are when it is not).
func (ix *Index) scanPosition(p *Position, now time.Time, opts Options, filter *keep, t *topK) (int, bool) {
	pf := compilePosition(p, &ix.langs, false)
	if !pf.liveAt(now) {
		return 0, false
	}
	pl := ix.getPlan(pf, now, opts)
	defer ix.plans.Put(pl)
	refs, full, dup := ix.candidates(&pl.pf, p.Taxonomies)
	n := 0
	var seen []uint32
	var epoch uint32
	if dup {
		sc := ix.getScratch()
		defer ix.scratch.Put(sc)
		seen, epoch = sc.seen, sc.epoch
	}
	switch {
	case full:
		if !pl.pf.licUnknown {
			n = ix.scan(pl, t, nil, len(ix.rows), nil, 0, filter, viaAny)
		}
	case pl.pf.remote:
		// Telehealth only: location is no rule, so whole buckets.
		for _, b := range refs {
			n += ix.scan(pl, t, b.rows, 0, seen, epoch, filter, viaAny)
		}
	default:
		for _, b := range refs {
			n += ix.spatialScan(pl, t, b.key, seen, epoch, filter)
		}
	}
	return n, true
}

// via is the way a scan lets a row's home and the position's place pass:
// any way, by commute only (a grid's cells), or by moving only (a willing
// list, whose rows within commute the cells visit).
type via uint8

const (
	viaAny via = iota
	viaCommute
	viaMove
)

// scan scores the eligible rows of list (or rows 0..all-1 when list is
// nil) into t and returns how many were eligible. With seen, a row already
// stamped with epoch is skipped, and a row that passes the eligibility
// tests is stamped: a row may be visited in more than one list, and by
// different ways (via), so only acceptance is final. The loop reads
// each candidate's 40-byte hot row and, only when eligible, its 64-byte
// scoring row; lists are in row order, so both stream through memory.
func (ix *Index) scan(pl *plan, t *topK, list []uint32, all int, seen []uint32, epoch uint32, filter *keep, way via) int {
	hot, rows, lic := ix.hot, ix.rows, ix.lic
	n := len(list)
	if list == nil {
		n = all
	}
	// The position's side of every test, hoisted out of the loop. This is
	// plan.eligible written out: the call per candidate cost a fifth of
	// the scan.
	creds, emp, stateBit, lastAvail := pl.pf.creds, pl.pf.emp, pl.pf.stateBit, pl.lastAvail
	px, py, pz := pl.px, pl.py, pl.pz
	need, start, remote, empMust := pl.pf.lic, pl.start, pl.pf.remote, pl.empMust
	// The weight sums of the position's group: a row's own for a setting
	// where every fact applies, else the sums without its group's factors.
	group, naInv := int(pl.pf.naGroup)-1, ix.naInv
	eligible := 0
next:
	for i := range n {
		s := uint32(i)
		if list != nil {
			s = list[i]
		}
		if seen != nil && seen[s] == epoch {
			continue
		}
		h := &hot[s]
		if h.cred&creds == 0 || h.avail > lastAvail || h.emp&emp == 0 {
			continue
		}
		dx, dy, dz := h.x-px, h.y-py, h.z-pz
		ch2 := dx*dx + dy*dy + dz*dz
		within := h.commute2 >= ch2 // false for NaN
		switch way {
		case viaAny:
			if !within && h.willing&stateBit == 0 && !remote {
				continue
			}
		case viaCommute:
			if !within {
				continue
			}
		case viaMove:
			if within || h.willing&stateBit == 0 {
				continue
			}
		}
		held := lic[h.licOff : h.licOff+uint32(h.nLic)]
		for _, st := range need {
			if !licenceValid(held, st, start) {
				continue next
			}
		}
		r := &rows[s]
		if r.must|empMust != 0 && pl.misses(r) {
			continue
		}
		if seen != nil {
			seen[s] = epoch
		}
		// The filter comes after every eligibility test, must-haves
		// included: EachEligible's filter records the eligible set.
		if filter != nil && !filter.row(ix, s) {
			continue
		}
		eligible++
		inv := r.invWC
		if group >= 0 {
			inv = naInv[s][group]
		}
		t.push(cand{pl.key(r, inv, ch2, within, h.invC), s})
	}
	return eligible
}

// rankPair checks the clinician c, compiled as r with licences lic,
// against the position p compiled as pf at now, and scores the pair when
// it is eligible: the body of TopPositions and TopCompiledPositions.
func rankPair(pf *posFacts, p *Position, c *Clinician, r *clinRow, lic []licRec, now time.Time, opts Options) (Ranked, bool) {
	if !pf.liveAt(now) || r.cred&pf.creds == 0 || pf.licUnknown {
		return Ranked{}, false
	}
	if len(p.Taxonomies) > 0 && !slices.ContainsFunc(c.Taxonomies, func(t string) bool { return slices.Contains(p.Taxonomies, t) }) {
		return Ranked{}, false
	}
	start := pf.startOn(now)
	if !pf.rowOK(r, lic, start, satAdd(start, opts.AvailabilitySlackDays)) || len(pf.mustMisses(r)) > 0 {
		return Ranked{}, false
	}
	fit, w, _ := pf.pairFits(r)
	score, side, _, _ := combine(&fit, &w)
	return Ranked{ID: p.ID, Score: score, Fit: side}, true
}

// TopPositions returns the k best positions for c among positions at now,
// best first in order by; ineligible positions never appear.
func TopPositions(c Clinician, positions []Position, k int, now time.Time, opts Options, by Order) []Ranked {
	return topPositions(&c, len(positions), func(i int) *Position { return &positions[i] }, k, now, opts, by)
}

func topPositions(c *Clinician, n int, at func(int) *Position, k int, now time.Time, opts Options, by Order) []Ranked {
	if k <= 0 {
		return nil
	}
	var lt langTable
	r, lic := compileClinician(c, &lt)
	var out []Ranked
	for i := range n {
		p := at(i)
		pf := compilePosition(p, &lt, true)
		if rk, ok := rankPair(&pf, p, c, &r, lic, now, opts); ok {
			out = append(out, rk)
		}
	}
	slices.SortFunc(out, by.Compare)
	return out[:min(k, len(out))]
}

// CompiledPosition is a position compiled once to be ranked against many
// clinicians: a store compiles each open position as it loads it, so a
// clinician's roles compile only the clinician. Its languages are interned
// in a table of its own. Safe for concurrent use; the position must not
// change while it is held.
type CompiledPosition struct {
	p     *Position
	pf    posFacts
	langs langTable
}

// CompilePosition compiles p, which it keeps a pointer to.
func CompilePosition(p *Position) *CompiledPosition {
	cp := &CompiledPosition{p: p}
	cp.pf = compilePosition(p, &cp.langs, true)
	return cp
}

// langBits is a clinician's languages (normalised, not empty) as bits of
// the position's table: a language the position does not name takes bit
// 63, which no wanted language has, so a clinician who states languages
// never reads as unknown, and the languages the position wants that they
// speak count as they would in a table shared by the two.
func (cp *CompiledPosition) langBits(langs []string) uint64 {
	var b uint64
	for _, l := range langs {
		if id, ok := cp.langs.ids[l]; ok {
			b |= 1 << id
		} else {
			b |= 1 << 63
		}
	}
	return b
}

// TopCompiledPositions is TopPositionsOf over compiled positions: the
// same ranking, without compiling a position per call.
func TopCompiledPositions(c Clinician, positions []*CompiledPosition, k int, now time.Time, opts Options, by Order) []Ranked {
	if k <= 0 {
		return nil
	}
	var lt langTable
	r, lic := compileClinician(&c, &lt)
	langs := make([]string, 0, len(c.Languages))
	for _, l := range c.Languages {
		if l = normLang(l); l != "" {
			langs = append(langs, l)
		}
	}
	// Sized once: most positions a clinician's gates let through are
	// eligible.
	out := make([]Ranked, 0, len(positions))
	for _, cp := range positions {
		r.langs = cp.langBits(langs)
		if rk, ok := rankPair(&cp.pf, cp.p, &c, &r, lic, now, opts); ok {
			out = append(out, rk)
		}
	}
	slices.SortFunc(out, by.Compare)
	return out[:min(k, len(out))]
}
