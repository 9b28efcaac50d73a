package search

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/uuid"
)

func TestIDsFilter(t *testing.T) {
	good := []string{uuid.NewString(), uuid.NewString()}
	expr, err := ProfileFilter{IDs: good}.expr()
	if err != nil {
		t.Fatal(err)
	}
	if want := `id IN ["` + good[0] + `", "` + good[1] + `"]`; expr != want {
		t.Fatalf("got %q, want %q", expr, want)
	}
	tests := []struct {
		name string
		ids  []string
	}{
		{"not a uuid", []string{`" OR credential = "MD`}},
		{"quote inside", []string{good[0][:35] + `"`}},
		{"too many", make([]string, MaxFilterIDs+1)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.ids {
				if tc.ids[i] == "" {
					tc.ids[i] = uuid.NewString()
				}
			}
			_, err := ProfileFilter{IDs: tc.ids}.expr()
			if !errors.Is(err, ErrInvalidQuery) || !strings.Contains(err.Error(), "ids") {
				t.Fatalf("got %v, want an invalid-query error naming ids", err)
			}
		})
	}
}
