package jobs

import (
	"errors"
	"testing"
)

func TestCanTransition(t *testing.T) {
	tests := []struct {
		from, to Status
		want     bool
	}{
		{StatusDraft, StatusOpen, true},
		{StatusDraft, StatusClosed, true},
		{StatusDraft, StatusFilled, false},
		{StatusDraft, StatusDraft, false},
		{StatusOpen, StatusFilled, true},
		{StatusOpen, StatusClosed, true},
		{StatusOpen, StatusDraft, false},
		{StatusOpen, StatusOpen, false},
		{StatusClosed, StatusOpen, true},
		{StatusClosed, StatusFilled, false},
		{StatusClosed, StatusDraft, false},
		{StatusFilled, StatusOpen, false},
		{StatusFilled, StatusClosed, false},
		{StatusFilled, StatusDraft, false},
		{"bogus", StatusOpen, false},
	}
	for _, tc := range tests {
		t.Run(string(tc.from)+"→"+string(tc.to), func(t *testing.T) {
			if got := CanTransition(tc.from, tc.to); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTransition(t *testing.T) {
	tests := []struct {
		name      string
		from      Status
		to        Status
		mutate    func(p *Position)
		wantErr   error // sentinel, or nil
		wantField string
	}{
		{"open a draft", StatusDraft, StatusOpen, func(p *Position) {}, nil, ""},
		{"open without expiry", StatusDraft, StatusOpen, func(p *Position) { p.ExpiresAt = nil }, nil, "expires_at"},
		{"open expired", StatusClosed, StatusOpen, func(p *Position) { p.ExpiresAt = ptr(testNow.AddDate(0, 0, -1)) }, nil, "expires_at"},
		{"reopen closed", StatusClosed, StatusOpen, func(p *Position) {}, nil, ""},
		{"fill", StatusOpen, StatusFilled, func(p *Position) {}, nil, ""},
		{"fill invalid position still allowed", StatusOpen, StatusFilled, func(p *Position) { p.ExpiresAt = nil }, nil, ""},
		{"reopen filled", StatusFilled, StatusOpen, func(p *Position) {}, ErrInvalidTransition, ""},
		{"unknown target", StatusOpen, "paused", func(p *Position) {}, ErrInvalidTransition, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := validPosition()
			p.Status = tc.from
			tc.mutate(&p)
			err := p.Transition(tc.to, testNow)
			switch {
			case tc.wantErr != nil:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("got %v, want %v", err, tc.wantErr)
				}
			default:
				assertField(t, err, tc.wantField)
			}
			wantStatus := tc.to
			if err != nil {
				wantStatus = tc.from
			}
			if p.Status != wantStatus {
				t.Errorf("status: got %v, want %v", p.Status, wantStatus)
			}
		})
	}
}

func TestListed(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(p *Position)
		want   bool
	}{
		{"open future expiry", func(p *Position) {}, true},
		{"open expired", func(p *Position) { p.ExpiresAt = ptr(testNow) }, false},
		{"open no expiry", func(p *Position) { p.ExpiresAt = nil }, false},
		{"filled", func(p *Position) { p.Status = StatusFilled }, false},
		{"closed", func(p *Position) { p.Status = StatusClosed }, false},
		{"draft", func(p *Position) { p.Status = StatusDraft }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := validPosition()
			tc.mutate(&p)
			if got := p.Listed(testNow); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
