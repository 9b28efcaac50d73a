package ranking

// codeTable numbers the values of one attribute of the clinicians held,
// so that a list filters on them and counts them as facets in slices
// instead of hashing a string per row. Code 0 is the empty value, which
// no filter names and no facet counts. Codes are added under the store's
// lock held for writing and never removed.
type codeTable struct {
	of    map[string]uint32
	names []string
}

func newCodeTable() *codeTable { return &codeTable{of: map[string]uint32{"": 0}, names: []string{""}} }

// code returns v's code, numbering it if new.
func (t *codeTable) code(v string) uint32 {
	c, ok := t.of[v]
	if !ok {
		c = uint32(len(t.names))
		t.of[v] = c
		t.names = append(t.names, v)
	}
	return c
}

// lookup returns the codes of the values the table knows. A value with
// no code is held by nobody, so a filter naming only such values keeps
// nobody (the caller tells an empty filter from one that matches nothing).
func (t *codeTable) lookup(values []string) []uint32 {
	codes := make([]uint32, 0, len(values))
	for _, v := range values {
		if c, ok := t.of[v]; ok && c != 0 {
			codes = append(codes, c)
		}
	}
	return codes
}

// facetCodes are the code tables of the attributes a position's
// candidates filter on and count.
type facetCodes struct {
	cred, home, taxa *codeTable
}

func newFacetCodes() facetCodes {
	return facetCodes{cred: newCodeTable(), home: newCodeTable(), taxa: newCodeTable()}
}

// facetCounts counts codes over a list; add is called under the store's
// read lock.
type facetCounts struct {
	cred, home, taxa []int32
}

func (fc facetCodes) counts() facetCounts {
	return facetCounts{cred: make([]int32, len(fc.cred.names)), home: make([]int32, len(fc.home.names)),
		taxa: make([]int32, len(fc.taxa.names))}
}

// add counts the clinician in row r of t.
func (n *facetCounts) add(t *clinicianTable, r uint32) {
	n.cred[t.cred[r]]++
	n.home[t.home[r]]++
	for _, c := range t.specialties(r) {
		n.taxa[c]++
	}
}

// facets names the counts as Facets: credential, home_state and taxonomy.
func (n *facetCounts) facets(fc facetCodes) Facets {
	out := Facets{}
	put := func(name string, counts []int32, t *codeTable) {
		for c, k := range counts {
			if c == 0 || k == 0 {
				continue
			}
			m := out[name]
			if m == nil {
				m = map[string]int{}
				out[name] = m
			}
			m[t.names[c]] = int(k)
		}
	}
	put("credential", n.cred, fc.cred)
	put("home_state", n.home, fc.home)
	put("taxonomy", n.taxa, fc.taxa)
	return out
}
