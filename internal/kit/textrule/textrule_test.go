package textrule

import "testing"

func TestCheck(t *testing.T) {
	tests := []struct {
		name                string
		s                   string
		max                 int
		required, multiline bool
		want                string
	}{
		{"ok", "Dr. O'Brien", 50, true, false, ""},
		{"empty optional", "", 5, false, false, ""},
		{"empty required", "", 5, true, false, "is required"},
		{"blank required", "  \t", 5, true, true, "must not be blank"},
		{"too long", "abcdef", 5, false, false, "must be at most 5 characters, got 6"},
		{"runes not bytes", "ééééé", 5, false, false, ""},
		{"bad utf8", "a\xffb", 5, false, false, "must be valid UTF-8"},
		{"newline in one line", "a\nb", 5, false, false, "must not contain control characters"},
		{"newline in free text", "a\nb", 5, false, true, ""},
		{"NUL in free text", "a\x00b", 5, false, true, "must not contain control characters other than newline and tab"},
		{"RLO", "ab\u202Ec", 9, false, false, "must not contain invisible formatting characters such as U+202E"},
		{"zero-width space", "a\u200Bb", 9, false, true, "must not contain invisible formatting characters such as U+200B"},
		{"emoji with joiner", "👩\u200D⚕️", 9, true, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Check(tc.s, tc.max, tc.required, tc.multiline); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
}
