package candidates_test

import (
	"strings"
	"testing"

	"carefit/candidates"
)

func TestValidNPI(t *testing.T) {
	tests := []struct {
		npi  string
		want bool
	}{
		{"1234567893", true}, // CMS example
		{"1234567890", false},
		{"1245319599", true},
		{"1003000126", true},
		{"1003000127", false},
		{"3234567893", false}, // must start with 1 or 2
		{"0234567893", false},
		{"123456789", false},
		{"12345678931", false},
		{"12345678a3", false},
		{"", false},
		{"1234567893 ", false},
	}
	for _, tc := range tests {
		t.Run(tc.npi, func(t *testing.T) {
			if got := candidates.ValidNPI(tc.npi); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidEmail(t *testing.T) {
	tests := []struct {
		email string
		want  bool
	}{
		{"ana.lopez@example.org", true},
		{"a+tag@sub.example.co", true},
		{"ana@localhost", false},
		{"Ana <ana@example.org>", false},
		{"ana@example.org ", false},
		{"ana.example.org", false},
		{"ana@.org", false},
		{"ana@example.", false},
		{"", false},
		{strings.Repeat("a", 245) + "@example.org", false},
	}
	for _, tc := range tests {
		t.Run(tc.email, func(t *testing.T) {
			if got := candidates.ValidEmail(tc.email); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidPhone(t *testing.T) {
	tests := []struct {
		phone string
		want  bool
	}{
		{"+14155550123", true},
		{"+447911123456", true},
		{"4155550123", false},
		{"+1 415 555 0123", false},
		{"+0155550123", false},
		{"+1234567", false},
		{"+1234567890123456", false},
		{"", false},
	}
	for _, tc := range tests {
		t.Run(tc.phone, func(t *testing.T) {
			if got := candidates.ValidPhone(tc.phone); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestValidLicenceNumber(t *testing.T) {
	tests := []struct {
		no   string
		want bool
	}{
		{"RN-123456", true},
		{"A12345", true},
		{"", false},
		{"12 34", false},
		{"12/34", false},
		{strings.Repeat("1", 40), true},
		{strings.Repeat("1", 41), false},
	}
	for _, tc := range tests {
		t.Run(tc.no, func(t *testing.T) {
			if got := candidates.ValidLicenceNumber(tc.no); got != tc.want {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
