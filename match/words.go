package match

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
)

// Values in words: numbers with separators and plurals, names of
// languages, EHRs, settings, populations, shifts and states, never codes.

// num formats v without trailing zeros and with thousands separators,
// rounded to two decimals. It writes into buffers on the stack and
// allocates only the string it returns: every explained row formats
// dozens of numbers.
func num(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "unknown"
	}
	neg := v < 0
	v = math.Abs(v)
	if r := math.Round(v*100) / 100; r != v {
		v = r
	}
	var digits [40]byte
	d := strconv.AppendFloat(digits[:0], v, 'f', -1, 64)
	intLen := len(d)
	for i, ch := range d {
		if ch == '.' {
			intLen = i
			break
		}
	}
	var out [64]byte
	o := out[:0]
	if neg {
		o = append(o, '-')
	}
	for i := 0; i < intLen; i++ {
		if i > 0 && (intLen-i)%3 == 0 {
			o = append(o, ',')
		}
		o = append(o, d[i])
	}
	o = append(o, d[intLen:]...)
	return string(o)
}

func numi(v *int) string {
	if v == nil {
		return "unknown"
	}
	return num(float64(*v))
}

func numf(v *float64) string {
	if v == nil {
		return "unknown"
	}
	return num(*v)
}

func words(s string) string { return strings.ReplaceAll(s, "_", " ") }

// join lists items as "a", "a or b", "a, b or c" (conj "or" or "and").
func join(items []string, conj string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + conj + " " + items[len(items)-1]
}

// mapJoin names every item with name and joins the names.
func mapJoin[T any](xs []T, name func(T) string, conj string) string {
	s := make([]string, 0, len(xs))
	for _, x := range xs {
		if n := name(x); n != "" && !slices.Contains(s, n) {
			s = append(s, n)
		}
	}
	return join(s, conj)
}

// plural writes "1 year", "2 years", "1.5 years".
func plural(v float64, one, many string) string {
	if v == 1 {
		return "1 " + one
	}
	return num(v) + " " + many
}

func pluralp[T int | float64](v *T, one, many string) string {
	if v == nil {
		return "an unknown number of " + many
	}
	return plural(float64(*v), one, many)
}

// ehrName is the product name recruiters and clinicians know, with the
// former name in brackets where the product was renamed.
func ehrName(e EHR) string {
	switch e {
	case Epic:
		return "Epic"
	case OracleHealth:
		return "Oracle Health (Cerner)"
	case Athenahealth:
		return "athenahealth"
	case EClinicalWorks:
		return "eClinicalWorks"
	case NextGen:
		return "NextGen"
	case Meditech:
		return "MEDITECH"
	case Veradigm:
		return "Veradigm (Allscripts)"
	}
	return "another EHR"
}

// langName is a language's English name: ISO 639-1 codes ("ru") are
// named ("Russian"); other names are shown as given, capitalised.
func langName(l string) string {
	l = strings.TrimSpace(l)
	if n := taxonomy.Language(normLang(l)).Name(); n != "" {
		return n
	}
	if l == "" {
		return ""
	}
	return strings.ToUpper(l[:1]) + l[1:]
}

func settingName(s Setting) string {
	switch s {
	case OutpatientClinic:
		return "an outpatient clinic"
	case FQHC:
		return "a community health center (FQHC)"
	case Hospital:
		return "a hospital"
	case UrgentCare:
		return "an urgent care center"
	case TelehealthOnly:
		return "telehealth only"
	}
	return words(string(s))
}

func populationName(p Population) string {
	switch p {
	case Pediatric:
		return "children"
	case Adult:
		return "adults"
	case Geriatric:
		return "older adults"
	case PopulationAll:
		return "patients of all ages"
	}
	return words(string(p))
}

func shiftName(s Shift) string {
	if s == "" {
		return ""
	}
	return words(string(s))
}

func continuityName(m ContinuityModel) string {
	switch m {
	case AssignedPanel:
		return "assigned panels"
	case TeamBased:
		return "team-based continuity"
	case NoContinuity:
		return "no continuity model"
	}
	return words(string(m))
}

// stateName is a state's name ("Texas"), or the code as given.
func stateName(code string) string {
	if n := geo.StateName(code); n != "" {
		return n
	}
	if code == "" {
		return "the position's state"
	}
	return code
}

func money(v float64, period int) string {
	if period == 1 {
		return "$" + num(math.Round(v*100)/100) + " an hour"
	}
	return "$" + num(math.Round(v)) + " a year"
}
