package factor

import (
	"regexp"
	"testing"
)

func TestAllNamesUniqueAndSnakeCase(t *testing.T) {
	snake := regexp.MustCompile(`^[a-z]+(_[a-z]+)*$`)
	seen := map[Name]bool{}
	for _, f := range All() {
		if seen[f.Name] {
			t.Errorf("got duplicate %q, want unique names", f.Name)
		}
		seen[f.Name] = true
		if !snake.MatchString(string(f.Name)) {
			t.Errorf("got name %q, want snake_case", f.Name)
		}
		if f.Side != Clinician && f.Side != Employer {
			t.Errorf("%s: got side %q, want clinician or employer", f.Name, f.Side)
		}
		if f.Description == "" {
			t.Errorf("%s: got empty description, want one", f.Name)
		}
	}
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name     Name
		wantOK   bool
		wantSide Side
	}{
		{PanelSize, true, Clinician},
		{Experience, true, Employer},
		{"bogus", false, ""},
		{"", false, ""},
	}
	for _, tc := range tests {
		t.Run(string(tc.name), func(t *testing.T) {
			if got := tc.name.Valid(); got != tc.wantOK {
				t.Errorf("Valid: got %v, want %v", got, tc.wantOK)
			}
			if got := tc.name.SideOf(); got != tc.wantSide {
				t.Errorf("SideOf: got %v, want %v", got, tc.wantSide)
			}
		})
	}
}

func TestNamesPartition(t *testing.T) {
	if got, want := len(Names(Clinician))+len(Names(Employer)), len(All()); got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}
