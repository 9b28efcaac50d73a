package pipeline

import (
	"strings"
	"testing"

	"carefit/internal/kit/errs"
)

func TestChangeValidate(t *testing.T) {
	tests := []struct {
		name   string
		c      Change
		fields []string
	}{
		{"every state", Change{State: Withdrawn}, nil},
		{"multiline note", Change{State: Shortlisted, Note: "Spanish speaker.\n\tAsk about call."}, nil},
		{"longest note, in characters", Change{State: Placed, Note: strings.Repeat("é", MaxNote)}, nil},
		{"unknown state", Change{State: "hired"}, []string{"state"}},
		{"no state", Change{}, []string{"state"}},
		{"note too long", Change{State: Offered, Note: strings.Repeat("a", MaxNote+1)}, []string{"note"}},
		{"control character", Change{State: Offered, Note: "a\x00b"}, []string{"note"}},
		{"invisible formatting", Change{State: Offered, Note: "a\u200Bb"}, []string{"note"}},
		{"both", Change{State: "Shortlisted", Note: "a\x1bb"}, []string{"state", "note"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate()
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("got %v, want nil", err)
				}
				return
			}
			if errs.KindOf(err) != errs.Invalid {
				t.Fatalf("got %v, want Invalid", err)
			}
			for _, f := range tc.fields {
				if !errs.HasField(err, f) {
					t.Errorf("got %v, want a problem with %s", err, f)
				}
			}
		})
	}
	for _, s := range States() {
		if !s.Valid() {
			t.Errorf("%s: not valid", s)
		}
	}
}

func TestAtOrPast(t *testing.T) {
	tests := []struct {
		s, t State
		want bool
	}{
		{Shortlisted, Contacted, false},
		{Contacted, Contacted, true},
		{Interviewing, Contacted, true},
		{Placed, Contacted, true},
		{Rejected, Contacted, false},
		{Withdrawn, Contacted, false},
		{Contacted, Rejected, false},
		{"", Contacted, false},
	}
	for _, tc := range tests {
		if got := tc.s.AtOrPast(tc.t); got != tc.want {
			t.Errorf("%q.AtOrPast(%q): got %v, want %v", tc.s, tc.t, got, tc.want)
		}
	}
}
