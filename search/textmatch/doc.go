// Package textmatch matches free text against documents as carefit's
// Meilisearch indexes do, without asking them: the ranked lists narrow by
// text on every request, over thousands of clinicians, and asking the
// index cost a filter naming each of them (see docs/architecture.md). The
// feature store keeps each record's searchable text as a Doc over a
// Vocabulary it owns, and a compiled Query tells which Docs match.
//
// What matches is what Meilisearch 1.21 matches with the settings of
// package search (matching strategy "all", typo tolerance with one typo
// from five characters and two from nine, typos disabled on code
// attributes and on numbers, no stop words or synonyms):
//
//   - Text is cut into words at punctuation and spaces, as Meilisearch's
//     tokenizer cuts Latin script (symbols such as $, =, € stay in the
//     word); words are lower-cased, decomposed (é is e, ﬁ is fi, æ is ae)
//     and lose their accents.
//   - Every word of the query must match a word of the document, in any
//     attribute and any order; only the first ten words count. The last
//     word, unless the query ends in a separator, also matches the words
//     it begins. A word of five to eight characters also matches words one
//     typo away (a letter inserted, deleted, replaced, or two swapped), and
//     of nine or more two typos away; a typo on the first letter counts as
//     two. Words in code attributes and numbers match only exactly (or as
//     the query's last word, by prefix).
//   - Two or three neighbouring query words also match as one word
//     ("new york" matches "newyork"), and a query word matches two
//     neighbouring words it is the concatenation of ("sandiego" matches
//     "San Diego"); neighbours are words with only soft separators between
//     them (a space, a hyphen, an apostrophe), not ". " or "; ".
//   - "quoted words" must appear in that order, side by side, exactly; a
//     word or quoted phrase preceded by a minus after a space must not
//     appear.
//
// Meilisearch also caps how many words one query word may stand for (50
// completions of a prefix it has no prefix table for, 150 words one typo
// away, 50 two typos away) and splits a word only at its most frequent
// pair; this package does neither, so a short prefix or a split word may
// match a few documents more here than in the index, never fewer. Scripts
// that Meilisearch segments with a dictionary (Chinese, Japanese, Thai,
// Khmer) are cut at punctuation and spaces only. The conformance test in
// package search checks this package against the real Meilisearch.
package textmatch
