package textmatch

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxWordBytes is Meilisearch's longest indexed word: a longer one is not
// indexed, and a longer query word matches nothing.
const maxWordBytes = 250

// token is a word of a text, or a run of one separator.
type token struct {
	text string // the normalized word, or the separator as written
	sep  bool
	hard bool // a separator that ends a sentence or clause: ". ", "; ", "!"
}

// isSeparator reports whether r cuts words: punctuation, spaces (not the
// no-break ones, which stay inside a word) and a few mathematical signs,
// as Meilisearch's tokenizer has them.
func isSeparator(r rune) bool {
	switch r {
	case '\u00a0', '\u2007', '\u202f', '\ufeff':
		return false
	case '+', '`', '×', '÷', '±':
		return true
	}
	return unicode.IsPunct(r) || unicode.IsSpace(r)
}

func isAlphanumeric(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }

// isHard reports whether the separator r alone ends a sentence or clause.
func isHard(r rune) bool {
	switch r {
	case '!', ';', '?', '§', '¶', '¿', '¡', '…', '‼', '‽', '⁇', '⁈', '⁉', '。', '、', '！', '？', '；', '｡', '､':
		return true
	}
	return false
}

// tokenize cuts s into words and separators. A period or comma followed
// by a space is one hard separator; alone it is soft ("3.5", "1,800").
func tokenize(s string, fn func(token)) {
	start := -1 // start of the current word, or -1
	flush := func(end int) {
		if start >= 0 {
			// A run of symbols alone ("≤", "$") is no word: Meilisearch
			// neither indexes nor searches it.
			if w := normalize(s[start:end]); strings.IndexFunc(w, isAlphanumeric) >= 0 {
				fn(token{text: w})
			}
			start = -1
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isSeparator(r) {
			if start < 0 {
				start = i
			}
			i += size
			continue
		}
		flush(i)
		if (r == '.' || r == ',') && i+size < len(s) && s[i+size] == ' ' {
			fn(token{text: s[i : i+size+1], sep: true, hard: true})
			i += size + 1
			continue
		}
		fn(token{text: s[i : i+size], sep: true, hard: isHard(r)})
		i += size
	}
	flush(len(s))
}

// normalize lower-cases w, decomposes it (compatibility forms, such as
// ligatures, too), drops its combining marks and control characters and
// writes æ and œ as ae and oe. Full-width forms are left as they are,
// as Meilisearch leaves them.
func normalize(w string) string {
	simple := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' || c < ' ' || c == 0x7f {
			simple = false
			break
		}
	}
	if simple {
		return w
	}
	var b strings.Builder
	b.Grow(len(w))
	for _, r := range w {
		if r >= 0xff00 && r <= 0xffef {
			b.WriteRune(r)
			continue
		}
		for _, d := range norm.NFKD.String(string(r)) {
			switch {
			case unicode.Is(unicode.Mn, d), unicode.IsControl(d):
			default:
				switch d = unicode.ToLower(d); d {
				case 'æ':
					b.WriteString("ae")
				case 'œ':
					b.WriteString("oe")
				default:
					b.WriteRune(d)
				}
			}
		}
	}
	return b.String()
}

// Words returns the words of s as Meilisearch indexes them: cut at
// separators, normalized, in order.
func Words(s string) []string {
	var out []string
	tokenize(s, func(t token) {
		if !t.sep && len(t.text) <= maxWordBytes {
			out = append(out, t.text)
		}
	})
	return out
}
