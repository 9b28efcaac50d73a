package intro

import (
	"strings"
	"testing"
	"time"

	"carefit/internal/kit/errs"
)

func TestStatusAt(t *testing.T) {
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	in := Introduction{Status: Pending, CreatedAt: at, ExpiresAt: at.Add(Lifetime)}
	tests := []struct {
		name string
		in   Introduction
		now  time.Time
		want Status
	}{
		{"fresh", in, at.Add(time.Hour), Pending},
		{"last second", in, at.Add(Lifetime - time.Second), Pending},
		{"expired", in, at.Add(Lifetime), Expired},
		{"accepted stays", Introduction{Status: Accepted, ExpiresAt: at}, at.Add(Lifetime), Accepted},
	}
	for _, tc := range tests {
		if got := tc.in.StatusAt(tc.now); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestMessagesAreChecked(t *testing.T) {
	tests := []struct {
		name string
		r    Request
		ok   bool
	}{
		{"recruiter with message", Request{Side: Recruiter, Message: "Hello,\n\twould you talk?"}, true},
		{"recruiter without", Request{Side: Recruiter}, false},
		{"clinician without", Request{Side: Clinician}, true},
		{"longest", Request{Side: Recruiter, Message: strings.Repeat("é", MaxMessage)}, true},
		{"too long", Request{Side: Recruiter, Message: strings.Repeat("é", MaxMessage+1)}, false},
		{"control character", Request{Side: Clinician, Message: "a\x00b"}, false},
	}
	for _, tc := range tests {
		err := tc.r.Validate()
		if (err == nil) != tc.ok || err != nil && !errs.HasField(err, "message") {
			t.Errorf("%s: got %v, want ok=%v naming message", tc.name, err, tc.ok)
		}
	}
	if err := (Answer{Reply: strings.Repeat("x", MaxMessage+1)}).Validate(); !errs.HasField(err, "reply") {
		t.Errorf("a long reply: got %v, want it named", err)
	}
	if Recruiter.Other() != Clinician || Clinician.Other() != Recruiter {
		t.Error("Other does not swap the sides")
	}
}
