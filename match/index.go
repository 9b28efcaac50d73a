package match

import (
	"cmp"
	"slices"
	"sync"
	"time"

	"carefit/internal/kit/geo"
)

// nlcBucket is the pseudo-state of buckets holding RNs with a multistate
// compact licence; a position in any compact state scans it as well.
const nlcBucket = 63

// Index holds clinicians in a compact layout for scanning: per clinician a
// 40-byte eligibility row (credential, availability, home as a unit vector,
// states) and a 64-byte scoring row (quantised wishes, packed importances,
// bit sets for languages and EHRs), licences in one flat slice, and
// buckets of row numbers keyed by (credential, taxonomy, licence state) so a
// position only visits clinicians who can hold it.
//
// Reads (TopClinicians, Planner) may run concurrently with each other; Upsert
// and Remove must not run concurrently with anything: callers hold a lock.
type Index struct {
	hot  []hotRow   // eligibility part of each row
	rows []scoreRow // scoring part of each row, same numbering
	// naInv is each row's clinician-side weight sum inverted without the
	// factors that may not apply in each group (clinRow.invWCna): read
	// only for positions in such a setting.
	naInv [][numNAGroups]float32
	ids   []string // "" marks a removed row
	// tags are the callers' numbers for each row's clinician
	// (UpsertTagged), handed back by EachScoredTagged.
	tags    []uint32
	taxa    [][]uint16
	lic     []licRec
	slot    map[string]uint32
	taxID   map[string]uint16
	buckets map[uint64][]uint32
	// grids and willing are the buckets' spatial block (spatial.go):
	// per bucket its grid, and per bucket and state (key<<8 | state) the
	// rows that would move there.
	grids   map[uint64]*grid
	willing map[uint64][]uint32
	// bulk defers building grids' cells to the end of NewIndex.
	bulk    bool
	langs   langTable
	dead    int
	scratch sync.Pool // *scanScratch
	plans   sync.Pool // *plan
	// maxCode is the largest code of each slot in any row, so plans fill
	// their tables only that far.
	maxCode [nSlots]uint8
	// gen counts the changes to the index: a Mask is valid for the gen it
	// was computed at.
	gen uint64
	// mustRows counts the rows with a must-have of their own (removed ones
	// until the next compaction); plans fill the must-have tables only
	// when there is one.
	mustRows int
}

// NewIndex builds an index of clinicians. Clinicians with an empty or
// duplicate ID are kept once, the last one winning.
func NewIndex(clinicians []Clinician) *Index {
	return NewIndexOf(len(clinicians), func(i int) (Clinician, uint32) { return clinicians[i], 0 })
}

// NewIndexOf builds an index of the n clinicians at returns, each with
// its tag (see UpsertTagged), like NewIndex, for a caller that keeps its
// clinicians in another form: at is called twice for each i, and no more
// than one of its clinicians is held at a time.
func NewIndexOf(n int, at func(i int) (Clinician, uint32)) *Index {
	ix := &Index{
		hot:     make([]hotRow, 0, n),
		rows:    make([]scoreRow, 0, n),
		naInv:   make([][numNAGroups]float32, 0, n),
		ids:     make([]string, 0, n),
		tags:    make([]uint32, 0, n),
		taxa:    make([][]uint16, 0, n),
		slot:    make(map[string]uint32, n),
		taxID:   make(map[string]uint16),
		buckets: make(map[uint64][]uint32),
		grids:   make(map[uint64]*grid),
		willing: make(map[uint64][]uint32),
		bulk:    true,
	}
	// Insert in bucket order so that each clinician's main bucket is a run
	// of adjacent rows: a scan then streams through memory instead of
	// missing the cache once per candidate. Within a bucket, rows are
	// ordered by grid cell (spatial.go), so a cell's rows are adjacent too.
	type sortKey struct {
		cred, tax, lic string
		cell           uint32
	}
	keys := make([]sortKey, n)
	last := make(map[string]int, n)
	for i := range n {
		c, _ := at(i)
		k := sortKey{cred: string(c.Credential)}
		if len(c.Taxonomies) > 0 {
			k.tax = c.Taxonomies[0]
		}
		if len(c.Licences) > 0 {
			k.lic = c.Licences[0].State
		}
		if validPoint(c.Home) {
			k.cell = cellOf(unitVector(*c.Home))
		}
		keys[i] = k
		last[c.ID] = i
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int {
		ka, kb := &keys[a], &keys[b]
		return cmp.Or(cmp.Compare(ka.cred, kb.cred), cmp.Compare(ka.tax, kb.tax), cmp.Compare(ka.lic, kb.lic), cmp.Compare(ka.cell, kb.cell))
	})
	keys = nil
	for _, i := range order {
		c, tag := at(int(i))
		if last[c.ID] == int(i) {
			ix.UpsertTagged(c, tag)
		}
	}
	ix.bulk = false
	ix.settle()
	return ix
}

// Len returns the number of clinicians in the index.
func (ix *Index) Len() int { return len(ix.slot) }

// Upsert adds c or replaces the clinician with the same ID. The old row is
// left as a tombstone and reclaimed by a later compaction, so an update is
// O(size of c) amortised. A clinician with an empty ID is ignored.
func (ix *Index) Upsert(c Clinician) { ix.UpsertTagged(c, 0) }

// UpsertTagged is Upsert with the caller's number for the clinician, such
// as its row in the caller's own table: EachScoredTagged hands it back
// with each eligible clinician, which saves the caller a lookup by ID.
func (ix *Index) UpsertTagged(c Clinician, tag uint32) {
	if c.ID == "" {
		return
	}
	ix.gen++
	ix.Remove(c.ID)
	r, lic := compileClinician(&c, &ix.langs)
	if len(lic) > 255 {
		lic = lic[:255]
	}
	r.licOff, r.nLic = uint32(len(ix.lic)), uint8(len(lic))
	ix.lic = append(ix.lic, lic...)
	taxa := make([]uint16, 0, len(c.Taxonomies))
	for _, t := range c.Taxonomies {
		id, ok := ix.taxID[t]
		if !ok {
			id = uint16(len(ix.taxID))
			ix.taxID[t] = id
		}
		if !slices.Contains(taxa, id) {
			taxa = append(taxa, id)
		}
	}
	s := uint32(len(ix.rows))
	h, sr := r.split()
	for i, c := range r.code {
		ix.maxCode[i] = max(ix.maxCode[i], c)
	}
	if sr.must != 0 {
		ix.mustRows++
	}
	ix.hot = append(ix.hot, h)
	ix.rows = append(ix.rows, sr)
	ix.naInv = append(ix.naInv, r.invWCna)
	ix.ids = append(ix.ids, c.ID)
	ix.tags = append(ix.tags, tag)
	ix.taxa = append(ix.taxa, taxa)
	ix.slot[c.ID] = s
	ix.bucketRow(s)
}

// Remove deletes the clinician with id; an unknown id is a no-op.
func (ix *Index) Remove(id string) {
	s, ok := ix.slot[id]
	if !ok {
		return
	}
	ix.gen++
	delete(ix.slot, id)
	ix.ids[s] = ""
	ix.hot[s].cred = 0 // tombstone: no position accepts it
	ix.dead++
	if ix.dead > 1024 && ix.dead > len(ix.rows)/2 {
		ix.compact()
	}
}

func bucketKey(cred uint8, tax uint16, state int) uint64 {
	return uint64(cred)<<24 | uint64(tax)<<8 | uint64(state)
}

func (ix *Index) rowLic(r *hotRow) []licRec { return ix.lic[r.licOff : r.licOff+uint32(r.nLic)] }

// bucketRow files row s under every (credential, taxonomy, licence state)
// it can match, once per key.
func (ix *Index) bucketRow(s uint32) {
	r := &ix.hot[s]
	if r.cred == 0 {
		return
	}
	var states geo.StateSet
	for _, l := range ix.rowLic(r) {
		states |= 1 << l.state
		if l.multi {
			states |= 1 << nlcBucket
		}
	}
	for _, t := range ix.taxa[s] {
		for st := range 64 {
			if states&(1<<st) != 0 {
				k := bucketKey(r.cred, t, st)
				ix.buckets[k] = append(ix.buckets[k], s)
				ix.placeRow(k, s)
			}
		}
	}
}

// compact drops removed rows and rebuilds the buckets.
func (ix *Index) compact() {
	oldHot, oldRows, oldNA, oldIDs, oldTags, oldTaxa, oldLic := ix.hot, ix.rows, ix.naInv, ix.ids, ix.tags, ix.taxa, ix.lic
	ix.hot = make([]hotRow, 0, len(ix.slot))
	ix.rows = make([]scoreRow, 0, len(ix.slot))
	ix.naInv = make([][numNAGroups]float32, 0, len(ix.slot))
	ix.ids = make([]string, 0, len(ix.slot))
	ix.tags = make([]uint32, 0, len(ix.slot))
	ix.taxa = make([][]uint16, 0, len(ix.slot))
	ix.lic = make([]licRec, 0, len(oldLic))
	ix.buckets = make(map[uint64][]uint32)
	ix.grids, ix.willing = make(map[uint64]*grid), make(map[uint64][]uint32)
	ix.dead, ix.mustRows = 0, 0
	bulk := ix.bulk
	ix.bulk = true
	defer func() {
		if ix.bulk = bulk; !bulk {
			ix.settle()
		}
	}()
	for i := range oldRows {
		if oldIDs[i] == "" {
			continue
		}
		h := oldHot[i]
		lic := oldLic[h.licOff : h.licOff+uint32(h.nLic)]
		h.licOff = uint32(len(ix.lic))
		ix.lic = append(ix.lic, lic...)
		s := uint32(len(ix.rows))
		ix.hot = append(ix.hot, h)
		ix.rows = append(ix.rows, oldRows[i])
		if oldRows[i].must != 0 {
			ix.mustRows++
		}
		ix.naInv = append(ix.naInv, oldNA[i])
		ix.ids = append(ix.ids, oldIDs[i])
		ix.tags = append(ix.tags, oldTags[i])
		ix.taxa = append(ix.taxa, oldTaxa[i])
		ix.slot[oldIDs[i]] = s
		ix.bucketRow(s)
	}
}

// bucketRef is one bucket a position scans: its key and rows.
type bucketRef struct {
	key  uint64
	rows []uint32
}

// candidates returns the buckets a position must scan, or full when it
// accepts any taxonomy and every row must be visited. dup says whether a
// row may appear in more than one bucket.
func (ix *Index) candidates(pf *posFacts, taxonomies []string) (lists []bucketRef, full, dup bool) {
	if len(taxonomies) == 0 {
		return nil, true, false
	}
	if len(pf.lic) == 0 || pf.licUnknown {
		return nil, false, false
	}
	// Scan by the required state with the fewest candidates.
	best, bestN := -1, -1
	for _, s := range pf.lic {
		n := 0
		for _, l := range ix.stateLists(pf, taxonomies, s) {
			n += len(l.rows)
		}
		if best < 0 || n < bestN {
			best, bestN = s, n
		}
	}
	lists = ix.stateLists(pf, taxonomies, best)
	return lists, false, len(lists) > 1
}

func (ix *Index) stateLists(pf *posFacts, taxonomies []string, state int) []bucketRef {
	var lists []bucketRef
	nlc := geo.NLC&(1<<uint(state)) != 0
	for cb := uint8(1); cb <= 16; cb <<= 1 {
		if pf.creds&cb == 0 {
			continue
		}
		for i, t := range taxonomies {
			id, ok := ix.taxID[t]
			if !ok || slices.Contains(taxonomies[:i], t) {
				continue
			}
			if k := bucketKey(cb, id, state); len(ix.buckets[k]) > 0 {
				lists = append(lists, bucketRef{k, ix.buckets[k]})
			}
			if nlc && cb == credBits[RN] {
				if k := bucketKey(cb, id, nlcBucket); len(ix.buckets[k]) > 0 {
					lists = append(lists, bucketRef{k, ix.buckets[k]})
				}
			}
		}
	}
	return lists
}

// getPlan prepares a pooled plan for pf; return it with ix.plans.Put.
func (ix *Index) getPlan(pf posFacts, now time.Time, opts Options) *plan {
	pl, _ := ix.plans.Get().(*plan)
	if pl == nil {
		pl = new(plan)
	}
	pl.init(pf, now, opts, &ix.maxCode, ix.mustRows > 0)
	return pl
}

// scanScratch is per-goroutine memory for a scan: a visit stamp per row so
// a row found in two buckets is scored once.
type scanScratch struct {
	seen  []uint32
	epoch uint32
}

func (ix *Index) getScratch() *scanScratch {
	sc, _ := ix.scratch.Get().(*scanScratch)
	if sc == nil {
		sc = &scanScratch{}
	}
	if len(sc.seen) < len(ix.rows) {
		sc.seen = make([]uint32, len(ix.rows)+len(ix.rows)/4)
		sc.epoch = 0
	}
	sc.epoch++
	if sc.epoch == 0 {
		clear(sc.seen)
		sc.epoch = 1
	}
	return sc
}
