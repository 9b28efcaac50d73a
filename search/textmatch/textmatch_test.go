package textmatch

import (
	"slices"
	"strings"
	"testing"
)

func words(s string) (out []string) {
	tokenize(s, func(t token) {
		if !t.sep {
			out = append(out, t.text)
		}
	})
	return out
}

func TestWordsAreCutAndNormalizedAsMeilisearchDoes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"O'Brien", []string{"o", "brien"}},
		{"Nurse Practitioner, Family", []string{"nurse", "practitioner", "family"}},
		{"Chinese (Mandarin)", []string{"chinese", "mandarin"}},
		{"eClinicalWorks", []string{"eclinicalworks"}},
		{"José Núñez", []string{"jose", "nunez"}},
		{"Pay is $270,000; panel 1,800", []string{"pay", "is", "$270", "000", "panel", "1", "800"}},
		{"co-op Ob/Gyn A&E snake_case", []string{"co", "op", "ob", "gyn", "a", "e", "snake", "case"}},
		{"Straße Zoë Æsir Łukasz Øster œuvre ﬁne", []string{"straße", "zoe", "aesir", "łukasz", "øster", "oeuvre", "fine"}},
		{"kilo=lima €50 5°c alpha+beta x`y", []string{"kilo=lima", "€50", "5°c", "alpha", "beta", "x", "y"}},
		{"tab\tnew\nline 3.5 2nd", []string{"tab", "new", "line", "3", "5", "2nd"}},
		{"inbox ≤ 40/week $", []string{"inbox", "40", "week"}},
	} {
		if got := words(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("%q: got %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		q, w   string
		k      int
		prefix bool
		want   bool
	}{
		{"pediatrics", "pediatrics", 0, false, true},
		{"pediatrcs", "pediatrics", 1, false, true},
		{"pedaitrics", "pediatrics", 1, false, true}, // a swap is one edit
		{"pediatricsx", "pediatrics", 1, false, true},
		{"pdiatrcs", "pediatrics", 1, false, false},
		{"pdiatrcs", "pediatrics", 2, false, true},
		{"physican", "physician", 1, true, true},
		{"physic", "physician", 0, true, true},
		{"phisic", "physician", 1, true, true},
		{"phisic", "physician", 0, true, false},
		{"abc", "ab", 0, true, false},
		{"abc", "ab", 1, true, true},
	} {
		if got := within([]rune(tc.q), []rune(tc.w), tc.k, tc.prefix); got != tc.want {
			t.Errorf("within(%q, %q, %d, prefix=%v) = %v, want %v", tc.q, tc.w, tc.k, tc.prefix, got, tc.want)
		}
	}
}

// probeDocs are documents whose matches were read from Meilisearch 1.21
// with the settings of package search (see TestMatchesWhatMeilisearchMatched).
var probeDocs = map[int][]Attribute{
	1:  {{Values: []string{"O'Brien"}}},
	2:  {{Values: []string{"Nurse Practitioner, Family"}}},
	7:  {{Values: []string{"San Diego"}}},
	13: {{Values: []string{"x"}}, {Values: []string{"athenahealth", "epic"}, Exact: true}},
	14: {{Values: []string{"Family Medicine", "Physician"}}},
	15: {{Values: []string{"newyork"}}},
	24: {{Values: []string{"$money dollar$ 50$"}}},
	41: {{Values: []string{"primary care physician"}}, {Values: []string{"epic"}, Exact: true}},
	42: {{Values: []string{"primarycare"}}},
	43: {{Values: []string{"family medicine"}}, {Values: []string{"cerner"}, Exact: true}},
	44: {{Values: []string{"internal medicine physician"}}},
	45: {{Values: []string{"2024 2025 12345"}}},
	47: {{Values: []string{"hello", "world"}}},
	48: {{Values: []string{"hello. world"}}},
	49: {{Values: []string{"hello world"}}},
	50: {{Values: []string{"one two three four five six seven eight nine ten eleven twelve"}}},
	51: {{Values: []string{"pediatrics pediatric pediatrician"}}},
}

// TestMatchesWhatMeilisearchMatched: queries whose answers were read from
// Meilisearch over probeDocs give the same documents here.
func TestMatchesWhatMeilisearchMatched(t *testing.T) {
	v := NewVocabulary()
	docs := map[int]Doc{}
	for id, attrs := range probeDocs {
		docs[id] = v.Doc(attrs)
	}
	for _, tc := range []struct {
		q    string
		want []int
	}{
		{"brien", []int{1}}, {"obrien", []int{1}}, {"o'brien", []int{1}},
		{"practitioner family", []int{2}},
		{"sandiego", []int{7}}, {"san diego", []int{7}}, {"diego san", []int{7}},
		{"new york", []int{15}},
		{"athenahealth", []int{13}}, {"athenahelth", nil}, {"athena", []int{13}},
		{"epic", []int{13, 41}}, {"epi", []int{13, 41}}, {"cerner", []int{43}}, {"cernr", nil},
		{"medicine physician", []int{14, 44}}, {"family physician", []int{14}},
		{"money", nil}, {"$money", []int{24}}, {"dollar", []int{24}}, {"50", []int{24}},
		{"primary care", []int{41, 42}}, {"primarycare", []int{41, 42}}, {"primary care physician", []int{41}},
		{"primarycarephysician", nil}, {"primarycar", []int{42}}, {"primary -care", nil}, {"primary -physician", nil},
		{`"care physician"`, []int{41}}, {`"physician care"`, nil}, {`medicine -"family medicine"`, []int{44}},
		{"helloworld", []int{49}}, {"hello world", []int{47, 48, 49}}, {`"hello world"`, []int{49}},
		{"2025", []int{45}}, {"2026", nil}, {"12346", nil},
		{"one two three four five six seven eight nine ten zzz", []int{50}},
		{"one two three four five six seven eight nine zzz", nil},
		{"pediatrics", []int{51}}, {"pediatrcs", []int{51}}, {"pedaitrics", []int{51}}, {"pediatricsx", []int{51}}, {"oediatrics", []int{51}},
		{"famly medicine", []int{14, 43}}, {"physican", []int{14, 41, 44}}, {"phyisician", []int{14, 41, 44}}, {"internl", []int{44}},
	} {
		q := v.Query(tc.q)
		var got []int
		for id, d := range docs {
			if q.Match(d) {
				got = append(got, id)
			}
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("q=%q: got %v, want %v", tc.q, got, tc.want)
		}
	}
}

func TestQueryIsCompiledOncePerVocabulary(t *testing.T) {
	v := NewVocabulary()
	d := v.Doc([]Attribute{{Values: []string{"Spanish"}}})
	q := v.Query("spanish")
	if v.Query("spanish") != q || !q.Match(d) {
		t.Fatal("the same query on the same vocabulary was compiled again, or does not match")
	}
	d2 := v.Doc([]Attribute{{Values: []string{"Spanglish"}}})
	q2 := v.Query("span")
	if !q2.Match(d) || !q2.Match(d2) {
		t.Fatal("a query compiled after new words were added misses them")
	}
	if v.Query("spanish") == q {
		t.Fatal("a query compiled before new words were added was kept")
	}
	if (&Query{}).Match(nil) || v.Query("").Match(nil) {
		t.Fatal("a nil document (not in the index) matched")
	}
	if !v.Query(strings.Repeat(" ", 3)).Match(d) {
		t.Fatal("a query with no word does not match every document")
	}
}
