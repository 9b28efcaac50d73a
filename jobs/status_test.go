package jobs_test

import (
	"errors"
	"testing"

	"carefit/jobs"
	"carefit/jobs/jobstest"
)

func TestCanTransition(t *testing.T) {
	tests := []struct {
		from, to jobs.Status
		want     bool
	}{
		{jobs.StatusDraft, jobs.StatusOpen, true},
		{jobs.StatusDraft, jobs.StatusClosed, true},
		{jobs.StatusDraft, jobs.StatusFilled, false},
		{jobs.StatusDraft, jobs.StatusDraft, false},
		{jobs.StatusOpen, jobs.StatusFilled, true},
		{jobs.StatusOpen, jobs.StatusClosed, true},
		{jobs.StatusOpen, jobs.StatusDraft, false},
		{jobs.StatusOpen, jobs.StatusOpen, false},
		{jobs.StatusClosed, jobs.StatusOpen, true},
		{jobs.StatusClosed, jobs.StatusFilled, false},
		{jobs.StatusClosed, jobs.StatusDraft, false},
		{jobs.StatusFilled, jobs.StatusOpen, false},
		{jobs.StatusFilled, jobs.StatusClosed, false},
		{jobs.StatusFilled, jobs.StatusDraft, false},
		{"bogus", jobs.StatusOpen, false},
	}
	for _, tc := range tests {
		t.Run(string(tc.from)+"→"+string(tc.to), func(t *testing.T) {
			if got := jobs.CanTransition(tc.from, tc.to); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTransition(t *testing.T) {
	tests := []struct {
		name      string
		from      jobs.Status
		to        jobs.Status
		mutate    func(p *jobs.Position)
		wantErr   error // sentinel, or nil
		wantField string
	}{
		{"open a draft", jobs.StatusDraft, jobs.StatusOpen, func(p *jobs.Position) {}, nil, ""},
		{"open without expiry", jobs.StatusDraft, jobs.StatusOpen, func(p *jobs.Position) { p.ExpiresAt = nil }, nil, "expires_at"},
		{"open expired", jobs.StatusClosed, jobs.StatusOpen, func(p *jobs.Position) { p.ExpiresAt = ptr(jobstest.Now.AddDate(0, 0, -1)) }, nil, "expires_at"},
		{"reopen closed", jobs.StatusClosed, jobs.StatusOpen, func(p *jobs.Position) {}, nil, ""},
		{"fill", jobs.StatusOpen, jobs.StatusFilled, func(p *jobs.Position) {}, nil, ""},
		{"fill invalid position still allowed", jobs.StatusOpen, jobs.StatusFilled, func(p *jobs.Position) { p.ExpiresAt = nil }, nil, ""},
		{"reopen filled", jobs.StatusFilled, jobs.StatusOpen, func(p *jobs.Position) {}, jobs.ErrInvalidTransition, ""},
		{"unknown target", jobs.StatusOpen, "paused", func(p *jobs.Position) {}, jobs.ErrInvalidTransition, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := jobstest.Position()
			p.Status = tc.from
			tc.mutate(&p)
			err := p.Transition(tc.to, jobstest.Now)
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
		mutate func(p *jobs.Position)
		want   bool
	}{
		{"open future expiry", func(p *jobs.Position) {}, true},
		{"open expired", func(p *jobs.Position) { p.ExpiresAt = ptr(jobstest.Now) }, false},
		{"open no expiry", func(p *jobs.Position) { p.ExpiresAt = nil }, false},
		{"filled", func(p *jobs.Position) { p.Status = jobs.StatusFilled }, false},
		{"closed", func(p *jobs.Position) { p.Status = jobs.StatusClosed }, false},
		{"draft", func(p *jobs.Position) { p.Status = jobs.StatusDraft }, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := jobstest.Position()
			tc.mutate(&p)
			if got := p.Listed(jobstest.Now); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
