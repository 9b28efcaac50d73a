package textmatch

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Query limits, as Meilisearch has them.
const (
	// maxTerms is how many words (a quoted phrase counts as one) of a
	// query count; the rest are ignored.
	maxTerms = 10
	// maxNgram is how many neighbouring query words may match as one word.
	maxNgram = 3
	// Typo allowances by the length of a query word, in letters.
	oneTypoFrom  = 5
	twoTyposFrom = 9
)

// Query is a query compiled against a Vocabulary: for each of its words,
// the vocabulary's words it stands for. It matches Docs of that
// vocabulary. Safe for concurrent use.
type Query struct {
	size  int    // vocabulary words when compiled
	n     int    // terms
	units []unit // terms and their neighbour groups
	neg   []uint32
	// negPhrases are phrases that must not appear; a phrase with a word
	// the vocabulary lacks appears nowhere and is dropped.
	negPhrases [][]uint32
}

// unit is a term, or a group of neighbouring terms matched as one word,
// covering terms from to from+n-1.
type unit struct {
	from, n int
	t       *term
}

// term is what one query word, quoted phrase or neighbour group matches.
type term struct {
	// phrase, for a quoted phrase, is its words in order; nil otherwise.
	phrase []uint32
	// none is true when the term can match nothing (a phrase word, or
	// the word, is not in the vocabulary and has no derivation).
	none bool
	// orig are the words that match in any attribute: the word itself
	// and the words it begins; derived match only in attributes where
	// typos are allowed: words a typo or two away, and every word of a
	// neighbour group (Meilisearch's derived words).
	orig, derived bitset
	// splits are the pairs of neighbouring words the word is the
	// concatenation of.
	splits map[[2]uint32]struct{}
}

// parsed is a query's terms before they are compiled.
type parsed struct {
	terms      []parsedTerm
	neg        []string
	negPhrases [][]string
}

type parsedTerm struct {
	word     string   // "" for a phrase
	phrase   []string // words of a quoted phrase
	prefix   bool
	from, to int // positions, for neighbour groups
}

// parse reads a query as Meilisearch does: words, "quoted phrases",
// -negated words and phrases, the last word a prefix unless a separator
// ends the query.
func parse(q string) parsed {
	var toks []token
	tokenize(q, func(t token) { toks = append(toks, t) })
	var p parsed
	var phrase []string
	inPhrase, negPhrase, negNext := false, false, false
	phraseFrom := 0
	white := true // the previous token ended with a space (or none)
	pos := -1
	closePhrase := func() {
		if !inPhrase {
			return
		}
		inPhrase = false
		if len(phrase) == 0 {
			return
		}
		if negPhrase {
			p.negPhrases = append(p.negPhrases, phrase)
		} else if len(p.terms) < maxTerms {
			p.terms = append(p.terms, parsedTerm{phrase: phrase, from: phraseFrom, to: pos})
		}
		phrase = nil
	}
	for i, t := range toks {
		if !t.sep {
			if len(p.terms) >= maxTerms {
				break
			}
			pos++
			switch {
			case inPhrase:
				if len(phrase) == 0 {
					phraseFrom = pos
				}
				phrase = append(phrase, t.text)
			case negNext:
				p.neg = append(p.neg, t.text)
				negNext = false
			default:
				p.terms = append(p.terms, parsedTerm{word: t.text, prefix: i == len(toks)-1, from: pos, to: pos})
			}
			white = false
			continue
		}
		if t.hard {
			pos += 7
			if inPhrase {
				neg := negPhrase
				closePhrase()
				inPhrase, negPhrase = true, neg
			}
		}
		if quotes := strings.Count(t.text, `"`); quotes > 0 {
			if inPhrase {
				quotes--
				closePhrase()
				negPhrase = false
			}
			if quotes%2 == 1 {
				inPhrase, negPhrase, phrase = true, negNext, nil
			}
		}
		negNext = !inPhrase && t.text == "-" && white
		r, _ := utf8.DecodeLastRuneInString(t.text)
		white = unicode.IsSpace(r)
	}
	closePhrase()
	return p
}

// Query returns q compiled against the vocabulary's current words,
// compiling it at most once per query and vocabulary size. The caller
// must not add words concurrently (see Vocabulary).
func (v *Vocabulary) Query(q string) *Query {
	v.mu.Lock()
	c, ok := v.queries[q]
	v.mu.Unlock()
	if ok && c.size == len(v.words) {
		return c
	}
	c = v.compile(parse(q))
	v.mu.Lock()
	if len(v.queries) >= maxCachedQueries {
		clear(v.queries)
	}
	v.queries[q] = c
	v.mu.Unlock()
	return c
}

// maxCachedQueries bounds the compiled queries a vocabulary keeps.
const maxCachedQueries = 512

func (v *Vocabulary) compile(p parsed) *Query {
	c := &Query{size: len(v.words), n: len(p.terms)}
	for _, w := range p.neg {
		if id, ok := v.ids[w]; ok {
			c.neg = append(c.neg, id)
		}
	}
	for _, ph := range p.negPhrases {
		if ids, ok := v.phraseIDs(ph); ok {
			c.negPhrases = append(c.negPhrases, ids)
		}
	}
	for i, t := range p.terms {
		if t.phrase != nil {
			ids, ok := v.phraseIDs(t.phrase)
			c.units = append(c.units, unit{from: i, n: 1, t: &term{phrase: ids, none: !ok}})
			continue
		}
		c.units = append(c.units, unit{from: i, n: 1, t: v.wordTerm(t.word, t.prefix, typos(t.word), nil)})
		// Neighbour groups ending at this word.
		for n := 2; n <= maxNgram && i-n+1 >= 0; n++ {
			group := p.terms[i-n+1 : i+1]
			words, ok := make([]string, 0, n), true
			for j, g := range group {
				ok = ok && g.phrase == nil && (j == 0 || group[j-1].to == g.from-1)
				words = append(words, g.word)
			}
			joined := strings.Join(words, "")
			if !ok || len(joined) > maxWordBytes {
				continue
			}
			c.units = append(c.units, unit{from: i - n + 1, n: n, t: v.wordTerm(joined, t.prefix, max(0, typos(joined)-(n-1)), words)})
		}
	}
	return c
}

// phraseIDs numbers a phrase's words; ok is false when one is not in the
// vocabulary (the phrase then appears nowhere).
func (v *Vocabulary) phraseIDs(words []string) ([]uint32, bool) {
	ids := make([]uint32, len(words))
	for i, w := range words {
		id, ok := v.ids[w]
		if !ok {
			return nil, false
		}
		ids[i] = id
	}
	return ids, true
}

// typos is how many typos a query word of w's length allows; none for a
// number.
func typos(w string) int {
	n := utf8.RuneCountInString(w)
	number := true
	for _, r := range w {
		number = number && unicode.IsDigit(r)
	}
	switch {
	case number || n < oneTypoFrom:
		return 0
	case n < twoTyposFrom:
		return 1
	}
	return 2
}

// wordTerm compiles a query word, or a neighbour group's concatenation
// (group is then its words): the vocabulary words it stands for, and the
// pairs of words it splits into.
func (v *Vocabulary) wordTerm(w string, prefix bool, maxTypos int, group []string) *term {
	t := &term{orig: newBitset(len(v.words)), derived: newBitset(len(v.words))}
	if len(w) > maxWordBytes {
		t.none = true
		return t
	}
	zero := t.orig
	if group != nil {
		zero = t.derived // a group's words are derived, never in code attributes
	}
	if id, ok := v.ids[w]; ok {
		zero.set(id)
	}
	q := []rune(w)
	var first rune
	if len(q) > 0 {
		first = q[0]
	}
	buf := make([]rune, 0, 32)
	for id, word := range v.words {
		if prefix && strings.HasPrefix(word, w) {
			zero.set(uint32(id))
			continue
		}
		if maxTypos == 0 {
			continue
		}
		// A typo on the first letter counts as two: a word that begins
		// otherwise is at most one edit away, and only where two typos
		// are allowed.
		k := maxTypos
		if v.first[id] != first {
			if maxTypos < 2 {
				continue
			}
			k = 1
		}
		buf = append(buf[:0], []rune(word)...)
		if within(q, buf, k, prefix) {
			t.derived.set(uint32(id))
		}
	}
	t.splits = v.splits(w, group)
	t.none = t.orig.empty() && t.derived.empty() && len(t.splits) == 0
	return t
}

// splits returns the pairs of vocabulary words w is the concatenation of,
// but not the group's own two words.
func (v *Vocabulary) splits(w string, group []string) map[[2]uint32]struct{} {
	var out map[[2]uint32]struct{}
	for i := range w {
		if i == 0 {
			continue
		}
		l, okL := v.ids[w[:i]]
		r, okR := v.ids[w[i:]]
		if !okL || !okR || len(group) == 2 && group[0] == w[:i] && group[1] == w[i:] {
			continue
		}
		if out == nil {
			out = map[[2]uint32]struct{}{}
		}
		out[[2]uint32{l, r}] = struct{}{}
	}
	return out
}

// Match reports whether d matches the query: every term (or a neighbour
// group standing for it) matches some word of d, and nothing negated
// appears. A nil Doc (a record the index does not hold) matches nothing;
// a query with no word matches every other Doc without a negated word.
func (q *Query) Match(d Doc) bool {
	if d == nil {
		return false
	}
	for _, w := range d {
		for _, n := range q.neg {
			if w>>flagBits == n {
				return false
			}
		}
	}
	for _, ph := range q.negPhrases {
		if hasPhrase(d, ph) {
			return false
		}
	}
	var covered [maxTerms + 1]bool
	covered[0] = true
	for _, u := range q.units {
		if covered[u.from] && !covered[u.from+u.n] && u.t.match(d) {
			covered[u.from+u.n] = true
		}
	}
	return covered[q.n]
}

// Units are listed by the term they end at, so every unit starting at a
// term comes after every unit ending there: one pass covers the terms.

func (t *term) match(d Doc) bool {
	switch {
	case t.none:
		return false
	case t.phrase != nil:
		return hasPhrase(d, t.phrase)
	}
	for k, w := range d {
		id := w >> flagBits
		if t.orig.has(id) || w&flagExact == 0 && t.derived.has(id) {
			return true
		}
		if t.splits != nil && k > 0 && w&flagAdjacent != 0 {
			if _, ok := t.splits[[2]uint32{d[k-1] >> flagBits, id}]; ok {
				return true
			}
		}
	}
	return false
}

// hasPhrase reports whether the words ph appear side by side in d.
func hasPhrase(d Doc, ph []uint32) bool {
next:
	for k := 0; k+len(ph) <= len(d); k++ {
		for j, id := range ph {
			w := d[k+j]
			if w>>flagBits != id || j > 0 && w&flagAdjacent == 0 {
				continue next
			}
		}
		return true
	}
	return false
}

// bitset is a set of word IDs below its size.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (b bitset) set(i uint32) { b[i/64] |= 1 << (i % 64) }

func (b bitset) has(i uint32) bool { return int(i/64) < len(b) && b[i/64]&(1<<(i%64)) != 0 }

func (b bitset) empty() bool {
	for _, w := range b {
		if w != 0 {
			return false
		}
	}
	return true
}
