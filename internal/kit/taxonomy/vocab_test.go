package taxonomy

import "testing"

func TestCredentialValid(t *testing.T) {
	tests := []struct {
		c    Credential
		want bool
	}{
		{MD, true}, {DO, true}, {NP, true}, {PA, true}, {RN, true},
		{"md", false}, {"LPN", false}, {"", false},
	}
	for _, tc := range tests {
		t.Run(string(tc.c), func(t *testing.T) {
			if got := tc.c.Valid(); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestEnumsValid(t *testing.T) {
	tests := []struct {
		name string
		got  bool
		want bool
	}{
		{"ehr epic", EHREpic.Valid(), true},
		{"ehr cerner", EHR("cerner").Valid(), false},
		{"setting fqhc", SettingFQHC.Valid(), true},
		{"setting home", Setting("home").Valid(), false},
		{"population all", PopulationAll.Valid(), true},
		{"population teen", Population("teen").Valid(), false},
		{"shift night", ShiftNight.Valid(), true},
		{"shift Night", Shift("Night").Valid(), false},
		{"employment travel", EmploymentTravel.Valid(), true},
		{"employment contract", EmploymentType("contract").Valid(), false},
		{"continuity team", ContinuityTeamBased.Valid(), true},
		{"continuity empty", ContinuityModel("").Valid(), false},
		{"language es", Language("es").Valid(), true},
		{"language ES", Language("ES").Valid(), false},
		{"language spa", Language("spa").Valid(), false},
		{"travel temporary", EmploymentTravel.Temporary(), true},
		{"per diem temporary", EmploymentPerDiem.Temporary(), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.got != tc.want {
				t.Errorf("got %v, want %v", tc.got, tc.want)
			}
		})
	}
}

func TestLanguagesSortedAndNamed(t *testing.T) {
	ls := Languages()
	for i, l := range ls {
		if len(l) != 2 || l.Name() == "" {
			t.Errorf("got %q named %q, want a two-letter code with a name", l, l.Name())
		}
		if i > 0 && ls[i-1] >= l {
			t.Errorf("got %q after %q, want sorted", l, ls[i-1])
		}
	}
}
