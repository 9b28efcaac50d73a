package taxonomy

import "sort"

// Language is a spoken language as an ISO 639-1 two-letter code in lower
// case, e.g. "es". Sign languages have no ISO 639-1 code and are not
// supported yet.
type Language string

// languages are the ISO 639-1 codes carefit accepts: the languages most
// spoken at home in the US (Census ACS table C16001) and a few more common
// among patients in US safety-net clinics. Extend by adding the code and its
// English name.
var languages = map[Language]string{
	"am": "Amharic", "ar": "Arabic", "bn": "Bengali", "de": "German",
	"el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian",
	"fr": "French", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi",
	"ht": "Haitian Creole", "hy": "Armenian", "it": "Italian", "ja": "Japanese",
	"km": "Khmer", "ko": "Korean", "lo": "Lao", "ne": "Nepali",
	"pa": "Punjabi", "pl": "Polish", "pt": "Portuguese", "ru": "Russian",
	"so": "Somali", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
	"th": "Thai", "tl": "Tagalog", "uk": "Ukrainian", "ur": "Urdu",
	"vi": "Vietnamese", "yi": "Yiddish", "zh": "Chinese",
}

// Languages returns every supported language code, sorted.
func Languages() []Language {
	out := make([]Language, 0, len(languages))
	for l := range languages {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Valid reports whether l is a supported ISO 639-1 code.
func (l Language) Valid() bool {
	_, ok := languages[l]
	return ok
}

// Name returns the language's English name, or "" when l is unsupported.
func (l Language) Name() string { return languages[l] }
