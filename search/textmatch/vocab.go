package textmatch

import (
	"strings"
	"sync"
	"unicode/utf8"
)

// Attribute is one searchable attribute of a document: its values (one
// for a text, several for a list, each its own run of words) and whether
// Meilisearch disables typos on it (code attributes such as credential).
type Attribute struct {
	Values []string
	Exact  bool
}

// Doc is a document's words as a Vocabulary numbers them, in order, each
// with flags: whether it comes from an Exact attribute and whether it
// directly follows the previous word (same value, no hard separator
// between). A nil Doc has no words and matches no query.
type Doc []uint32

const (
	flagExact    = 1
	flagAdjacent = 2
	flagBits     = 2
)

// Vocabulary numbers the words of the documents of one index and compiles
// queries against them. Words are added by Doc, which must not run
// concurrently with anything else on the Vocabulary (the feature store
// calls it under its write lock); Query and Match may run concurrently
// with each other. Words are never removed: a vocabulary grows with the
// distinct words ever indexed (names, mostly), not with documents.
type Vocabulary struct {
	ids   map[string]uint32
	words []string
	first []rune // each word's first letter

	mu      sync.Mutex
	queries map[string]*Query
}

// NewVocabulary returns an empty vocabulary.
func NewVocabulary() *Vocabulary {
	return &Vocabulary{ids: map[string]uint32{}, queries: map[string]*Query{}}
}

// Len returns how many distinct words the vocabulary holds.
func (v *Vocabulary) Len() int { return len(v.words) }

func (v *Vocabulary) add(w string) uint32 {
	if id, ok := v.ids[w]; ok {
		return id
	}
	w = strings.Clone(w) // w may point into a long description
	id := uint32(len(v.words))
	v.ids[w] = id
	v.words = append(v.words, w)
	r, _ := utf8.DecodeRuneInString(w)
	v.first = append(v.first, r)
	return id
}

// Doc numbers the words of attrs, adding new ones to the vocabulary.
func (v *Vocabulary) Doc(attrs []Attribute) Doc {
	var d Doc
	for _, a := range attrs {
		for _, val := range a.Values {
			adjacent := false
			tokenize(val, func(t token) {
				switch {
				case t.sep:
					adjacent = adjacent && !t.hard
				case len(t.text) > maxWordBytes:
					adjacent = false // not indexed: its neighbours are not neighbours
				default:
					w := v.add(t.text) << flagBits
					if a.Exact {
						w |= flagExact
					}
					if adjacent {
						w |= flagAdjacent
					}
					d = append(d, w)
					adjacent = true
				}
			})
		}
	}
	return d
}
