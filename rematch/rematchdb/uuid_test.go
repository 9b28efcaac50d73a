package rematchdb

import "testing"

func TestUUIDText(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"0f8fad5b-d9cb-469f-a165-70867728950e", true},
		{"0F8FAD5B-D9CB-469F-A165-70867728950E", true},
		{"0f8fad5bd9cb469fa16570867728950e", false},
		{"0f8fad5b-d9cb-469f-a165-70867728950", false},
		{"0f8fad5b-d9cb-469f-a165_70867728950e", false},
		{"0f8fad5b-d9cb-469f-a165-70867728950g", false},
		{"", false},
	}
	for _, tc := range tests {
		u, err := uuidOf(tc.in)
		if (err == nil) != tc.ok {
			t.Errorf("uuidOf(%q): %v, want ok=%v", tc.in, err, tc.ok)
			continue
		}
		if tc.ok && uuidString(u) != "0f8fad5b-d9cb-469f-a165-70867728950e" {
			t.Errorf("uuidOf(%q) prints as %s", tc.in, uuidString(u))
		}
	}
}
