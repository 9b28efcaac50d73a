package ranking

import "testing"

// TestGateMasks checks the pre-filter never drops a position the clinician
// could match: accept-any positions, values past the 63 bits, and a
// clinician whose values no position names.
func TestGateMasks(t *testing.T) {
	b := bits{}
	many := make([]string, 70)
	for i := range many {
		many[i] = string(rune('A'+i/26)) + string(rune('a'+i%26))
	}
	tests := []struct {
		name      string
		position  []string
		clinician []string
		pass      bool
	}{
		{"any accepts a clinician with unseen values", nil, []string{"zz"}, true},
		{"any accepts a clinician with no values", nil, nil, true},
		{"shared value", []string{"MD", "DO"}, []string{"DO"}, true},
		{"no shared value", []string{"MD", "DO"}, []string{"NP"}, false},
		{"unseen clinician value", []string{"MD"}, []string{"RN"}, false},
		{"overflowing position accepts all", many, []string{"nobody"}, true},
		{"interned before the overflow still matches", []string{many[0]}, []string{many[0]}, true},
		{"interned before the overflow still excludes", []string{many[1]}, []string{many[0]}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pm := b.add(tc.position)
			cm := b.lookup(tc.clinician)
			if got := pm&cm != 0; got != tc.pass {
				t.Fatalf("position %v, clinician %v: pass = %v, want %v", tc.position, tc.clinician, got, tc.pass)
			}
		})
	}
	if len(b) > 63 {
		t.Fatalf("%d values interned, want at most 63", len(b))
	}
}
