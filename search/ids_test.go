package search

import (
	"context"
	"errors"
	"strings"
	"sync"
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

func TestChunkedIDsSplitsAndJoins(t *testing.T) {
	ids := make([]string, 2*idChunk+17)
	for i := range ids {
		ids[i] = uuid.NewString()
	}
	var calls int
	var mu sync.Mutex
	got, err := chunkedIDs(context.Background(), ids, func(_ context.Context, part []string) ([]string, error) {
		mu.Lock()
		calls++
		mu.Unlock()
		if len(part) > idChunk {
			t.Errorf("a chunk of %d IDs, want at most %d", len(part), idChunk)
		}
		return part[:1], nil // the first of each chunk "matches"
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 3 || len(got) != 3 {
		t.Fatalf("got %d calls and %d matches, want 3 and 3", calls, len(got))
	}
	if _, err := chunkedIDs(context.Background(), make([]string, MaxFilterIDs+1), nil); !errors.Is(err, ErrInvalidQuery) {
		t.Fatalf("got %v for too many IDs, want ErrInvalidQuery", err)
	}
}
