package taxonomy

import (
	"regexp"
	"testing"
)

func TestCodesWellFormed(t *testing.T) {
	re := regexp.MustCompile(`^[0-9A-Z]{9}X$`)
	seen := map[string]bool{}
	for _, c := range Supported() {
		if !re.MatchString(c.Code) {
			t.Errorf("got code %q, want [0-9A-Z]{9}X", c.Code)
		}
		if seen[c.Code] {
			t.Errorf("got duplicate code %s, want unique", c.Code)
		}
		seen[c.Code] = true
		if len(c.Credentials) == 0 {
			t.Errorf("%s: got no credentials, want at least one", c.Code)
		}
		for _, cr := range c.Credentials {
			if !cr.Valid() {
				t.Errorf("%s: got credential %q, want a valid one", c.Code, cr)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		code     string
		wantOK   bool
		wantName string
	}{
		{"207Q00000X", true, "Family Medicine Physician"},
		{"363LF0000X", true, "Family Nurse Practitioner"},
		{"163WP2201X", true, "Ambulatory Care Registered Nurse"},
		{"163WA0400X", false, ""}, // exists in NUCC but is Addiction RN, not supported
		{"207q00000x", false, ""},
		{"", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			c, ok := Lookup(tc.code)
			if ok != tc.wantOK || c.Name != tc.wantName {
				t.Errorf("got (%q, %v), want (%q, %v)", c.Name, ok, tc.wantName, tc.wantOK)
			}
		})
	}
}

func TestLookupReturnsCopy(t *testing.T) {
	c, _ := Lookup("207Q00000X")
	c.Credentials[0] = RN
	if AppliesTo("207Q00000X", RN) {
		t.Errorf("got RN applying after mutating a lookup result, want table unchanged")
	}
}

func TestAppliesTo(t *testing.T) {
	tests := []struct {
		code string
		cred Credential
		want bool
	}{
		{"207Q00000X", MD, true},
		{"207Q00000X", DO, true},
		{"207Q00000X", NP, false},
		{"363LF0000X", NP, true},
		{"363LF0000X", MD, false},
		{"363A00000X", PA, true},
		{"163W00000X", RN, true},
		{"163W00000X", NP, false},
		{"999999999X", MD, false},
		{"207Q00000X", "XX", false},
	}
	for _, tc := range tests {
		t.Run(tc.code+"/"+string(tc.cred), func(t *testing.T) {
			if got := AppliesTo(tc.code, tc.cred); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEveryCredentialHasACode(t *testing.T) {
	for _, cr := range Credentials() {
		found := false
		for _, c := range Supported() {
			if AppliesTo(c.Code, cr) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("%s: got no supported code, want at least one", cr)
		}
	}
}
