package check

import (
	"slices"
	"testing"
)

func TestUUIDsKeepsOnlyCanonicalUUIDs(t *testing.T) {
	const a, b = "0f8fad5b-d9cb-469f-a165-70867728950e", "7c9e6679-7425-40de-944b-e07fc1f90ae7"
	tests := []struct {
		name string
		in   []string
		want []string
	}{
		{"none", nil, []string{}},
		{"all valid, order kept", []string{b, a}, []string{b, a}},
		{"junk dropped", []string{"x", a, "", "0f8fad5bd9cb469fa16570867728950e", "{" + b + "}", b}, []string{a, b}},
		{"nothing valid", []string{"1; DROP TABLE profiles"}, []string{}},
	}
	for _, tc := range tests {
		got := UUIDs(tc.in)
		if got == nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: UUIDs(%q) = %#v, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}
