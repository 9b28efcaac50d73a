package search

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"carefit/internal/market"
	"carefit/search/textmatch"
)

// textMarket is a generated market with some names, titles and
// descriptions that exercise the tokenizer: apostrophes, hyphens,
// accents, ligatures, numbers with separators, hard separators.
func textMarket(now time.Time) market.Market {
	mk := market.Generate(21, market.Size{Organizations: 8, Positions: 400, Profiles: 1500}, now)
	names := [][2]string{{"Siobhan", "O'Brien"}, {"José", "Núñez"}, {"Anne-Marie", "St. John"}, {"Ian", "McDonald"},
		{"Zoë", "Æsir"}, {"Łukasz", "Øster"}, {"Rosa", "D'Angelo-Smith"}, {"Mary Ann", "O’Neil"}, {"Chloé", "Straße"}, {"Ana", "De la Cruz"}}
	for i, n := range names {
		p := &mk.Profiles[i]
		p.Name.Given, p.Name.Family, p.VisibleToRecruiters = n[0], n[1], true
	}
	titles := []string{"Primary Care Physician, New York", "Ob/Gyn Hospitalist (nights) — 3.5 days", "Nurse Practitioner; Urgent Care!",
		"Family Medicine: full-scope", "Pediatrics/Adolescent Medicine", "Telehealth-only Psychiatry"}
	descs := []string{"Pay is $270,000 a year; panel 1,800 patients. Call 1:6, 24/7 nurse line.",
		"Co-op model, e-mail inbox ≤ 40/week. Spanish-speaking families; Epic EHR.", "Zoë's team: MAs ×2, scribe (yes). Start 2nd quarter."}
	for i := range mk.Positions[:len(titles)] {
		mk.Positions[i].Title = titles[i]
		mk.Positions[i].Description = descs[i%len(descs)]
	}
	return mk
}

// TestTextIsTheSearchableAttributes: the text matched outside the index
// is each document's searchable attributes, with typos disabled where the
// index's settings disable them.
func TestTextIsTheSearchableAttributes(t *testing.T) {
	now := time.Now()
	mk := textMarket(now)
	orgs := map[string]int{}
	for i, o := range mk.Organizations {
		orgs[o.ID] = i
	}
	check := func(kind Kind, doc any, got []textmatch.Attribute) {
		t.Helper()
		b, _ := json.Marshal(doc)
		var fields map[string]any
		_ = json.Unmarshal(b, &fields)
		s := Settings(kind)
		var want []textmatch.Attribute
		for _, attr := range s.SearchableAttributes {
			var vals []string
			switch v := fields[attr].(type) {
			case string:
				if v != "" {
					vals = []string{v}
				}
			case []any:
				for _, x := range v {
					vals = append(vals, x.(string))
				}
			}
			want = append(want, textmatch.Attribute{Values: vals, Exact: slices.Contains(s.TypoTolerance.DisableOnAttributes, attr)})
		}
		nonEmpty := func(as []textmatch.Attribute) []textmatch.Attribute {
			out := make([]textmatch.Attribute, len(as))
			for i, a := range as {
				out[i] = textmatch.Attribute{Exact: a.Exact}
				for _, v := range a.Values {
					if v != "" {
						out[i].Values = append(out[i].Values, v)
					}
				}
			}
			return out
		}
		if d := cmp.Diff(nonEmpty(want), nonEmpty(got)); d != "" {
			t.Fatalf("%s text differs from the document's searchable attributes (-document +text):\n%s", kind, d)
		}
	}
	for _, p := range mk.Profiles[:200] {
		d, err := NewProfileDoc(p)
		if err != nil {
			t.Fatal(err)
		}
		check(KindProfiles, d, ProfileText(p))
	}
	for _, p := range mk.Positions[:200] {
		org := mk.Organizations[orgs[p.OrgID]]
		d, err := NewPositionDoc(p, PlaceOf(p, org), now)
		if err != nil {
			t.Fatal(err)
		}
		check(KindPositions, d, PositionText(p, org))
	}
}

// TestTextMatchesAsMeilisearch indexes a generated market in Meilisearch
// and asks it, and package textmatch over the same documents, hundreds of
// queries built from the market's own words: whole words, prefixes,
// typos of every kind, neighbouring words apart, joined and quoted,
// negations and punctuation. Both must find the same documents.
func TestTextMatchesAsMeilisearch(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t)
	now := time.Now()
	mk := textMarket(now)
	orgs := map[string]int{}
	for i, o := range mk.Organizations {
		orgs[o.ID] = i
	}
	type corpus struct {
		kind  Kind
		vocab *textmatch.Vocabulary
		docs  map[string]textmatch.Doc
		texts [][]textmatch.Attribute
	}
	profiles := corpus{kind: KindProfiles, vocab: textmatch.NewVocabulary(), docs: map[string]textmatch.Doc{}}
	var pdocs []ProfileDoc
	for _, p := range mk.Profiles {
		d, err := NewProfileDoc(p)
		if err != nil {
			continue
		}
		pdocs = append(pdocs, d)
		text := ProfileText(p)
		profiles.docs[p.ID] = profiles.vocab.Doc(text)
		profiles.texts = append(profiles.texts, text)
	}
	positions := corpus{kind: KindPositions, vocab: textmatch.NewVocabulary(), docs: map[string]textmatch.Doc{}}
	var qdocs []PositionDoc
	for _, p := range mk.Positions {
		org := mk.Organizations[orgs[p.OrgID]]
		d, err := NewPositionDoc(p, PlaceOf(p, org), now)
		if err != nil {
			continue
		}
		qdocs = append(qdocs, d)
		text := PositionText(p, org)
		positions.docs[p.ID] = positions.vocab.Doc(text)
		positions.texts = append(positions.texts, text)
	}
	if err := c.UpsertProfiles(ctx, pdocs); err != nil {
		t.Fatal(err)
	}
	if err := c.UpsertPositions(ctx, qdocs); err != nil {
		t.Fatal(err)
	}
	for _, cp := range []corpus{profiles, positions} {
		queries := textQueries(cp.texts)
		// Meilisearch answers four queries at once; the comparison is
		// made in order below.
		answers := make([][]string, len(queries))
		errs := make([]error, len(queries))
		var wg sync.WaitGroup
		next := make(chan int)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range next {
					answers[i], errs[i] = c.ids(ctx, cp.kind, queries[i], "", MaxTotalHits)
				}
			}()
		}
		for i := range queries {
			next <- i
		}
		close(next)
		wg.Wait()
		failed := 0
		for i, q := range queries {
			want := answers[i]
			if errs[i] != nil {
				t.Fatalf("%s q=%q: %v", cp.kind, q, errs[i])
			}
			slices.Sort(want)
			compiled := cp.vocab.Query(q)
			var got []string
			for id, d := range cp.docs {
				if compiled.Match(d) {
					got = append(got, id)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				failed++
				if failed <= 20 {
					t.Errorf("%s q=%q: textmatch finds %d documents, Meilisearch %d: %s", cp.kind, q, len(got), len(want), setDiff(got, want))
				}
			}
		}
		t.Logf("%s: %d queries, %d differ", cp.kind, len(queries), failed)
	}
}

// setDiff says which IDs only one side has (the first few).
func setDiff(got, want []string) string {
	var onlyGot, onlyWant []string
	for _, id := range got {
		if _, ok := slices.BinarySearch(want, id); !ok {
			onlyGot = append(onlyGot, id)
		}
	}
	for _, id := range want {
		if _, ok := slices.BinarySearch(got, id); !ok {
			onlyWant = append(onlyWant, id)
		}
	}
	return fmt.Sprintf("only textmatch %d %v, only Meilisearch %d %v", len(onlyGot), head(onlyGot), len(onlyWant), head(onlyWant))
}

func head(s []string) []string { return s[:min(3, len(s))] }

// textQueries builds the queries of the conformance test from the words of
// texts. Prefixes that begin more than 40 words are left out: Meilisearch
// stops at 50 completions of a prefix it has no prefix table for, which
// package textmatch does not (see its documentation).
func textQueries(texts [][]textmatch.Attribute) []string {
	count := map[string]int{}
	var runs [][]string // each value's words, in order
	for _, attrs := range texts {
		for _, a := range attrs {
			for _, v := range a.Values {
				ws := textmatch.Words(v)
				runs = append(runs, ws)
				for _, w := range ws {
					count[w]++
				}
			}
		}
	}
	vocab := make([]string, 0, len(count))
	for w := range count {
		vocab = append(vocab, w)
	}
	slices.Sort(vocab)
	completions := func(p string) int {
		i, _ := slices.BinarySearch(vocab, p)
		n := 0
		for ; i < len(vocab) && strings.HasPrefix(vocab[i], p); i++ {
			n++
		}
		return n
	}
	seen := map[string]bool{}
	var qs []string
	add := func(q string) {
		if !seen[q] && strings.TrimSpace(q) != "" {
			seen[q] = true
			qs = append(qs, q)
		}
	}
	step := max(1, len(vocab)/90)
	for i := 0; i < len(vocab); i += step {
		w := vocab[i]
		r := []rune(w)
		add(w + " ") // the word, not a prefix
		if completions(w) <= 40 {
			add(w)
		}
		if len(r) >= 4 {
			if p := string(r[:3]); completions(p) <= 40 {
				add(p)
			}
		}
		if len(r) >= 5 {
			mid := len(r) / 2
			add(string(r[:mid]) + string(r[mid+1:]) + " ")                         // a letter deleted
			add(string(r[:1]) + string(r[2]) + string(r[1]) + string(r[3:]) + " ") // two swapped
			add(string(r[:len(r)-1]) + "x ")                                       // the last replaced
			add("x" + string(r[1:]) + " ")                                         // the first replaced
			add(string(r[:mid]) + "q" + string(r[mid:]) + " ")                     // one inserted
			add(string(r[:1]) + string(r[2:mid]) + "z" + string(r[mid+1:]) + " ")  // two typos
		}
	}
	for i, ws := range runs {
		if i%17 != 0 || len(ws) < 2 {
			continue
		}
		a, b := ws[0], ws[1]
		add(a + " " + b)
		add(b + " " + a + " ")
		add(a + b)
		add(a + b + " ")
		add(`"` + a + " " + b + `"`)
		add(a + " -" + b)
		add(a + ", " + b)
		add(a + ". " + b + " ")
		if len(ws) >= 3 {
			add(ws[0] + " " + ws[1] + " " + ws[2])
			add(ws[0] + ws[1] + ws[2] + " ")
			add(ws[0] + " " + ws[1] + ws[2])
		}
	}
	for _, q := range []string{"spanish", "epic", "pediatric", "san diego", "new york", "family medicine", "nurse practitioner",
		"o'brien", "obrien", "jose nunez", "núñez", "anne-marie", "annemarie", "mcdonald", "zoe", "aesir", "łukasz", "oster",
		"$270", "270,000", "1800", "1,800", "24/7", "247", "3.5", "35", "co-op", "coop", "ob/gyn", "obgyn", "e-mail", "email",
		"urgent care!", "care!", "\"primary care\"", "-spanish", "family -medicine", "full-scope", "fullscope", "telehealth only",
		"strasse", "straße", "de la cruz", "delacruz", "st john", "st. john", "angelo smith", "dangelo", "oneil", "o’neil"} {
		add(q)
	}
	for i, q := range qs {
		if utf8.RuneCountInString(q) > MaxQueryLen {
			qs[i] = string([]rune(q)[:MaxQueryLen])
		}
	}
	return qs
}
