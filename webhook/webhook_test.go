package webhook

import (
	"net"
	"testing"
	"time"
)

func TestCheckURL(t *testing.T) {
	tests := []struct {
		url          string
		allowPrivate bool
		ok           bool
	}{
		{"https://hooks.example.org/carefit", false, true},
		{"https://hooks.example.org:8443/carefit?x=1", false, true},
		{"https://93.184.216.34/x", false, true},
		{"http://hooks.example.org/carefit", false, false},
		{"http://hooks.internal/carefit", true, true},
		{"https://127.0.0.1/x", false, false},
		{"https://127.0.0.1/x", true, true},
		{"https://10.1.2.3/x", false, false},
		{"https://192.168.0.9/x", false, false},
		{"https://169.254.169.254/latest/meta-data", false, false},
		{"https://[::1]:9000/x", false, false},
		{"https://[fd00::1]/x", false, false},
		{"https://0.0.0.0/x", false, false},
		{"https://user:secret@hooks.example.org/", false, false},
		{"https://hooks.example.org/#frag", false, false},
		{"ftp://hooks.example.org/", false, false},
		{"//hooks.example.org/", false, false},
		{"hooks.example.org", false, false},
		{"", false, false},
	}
	for _, tc := range tests {
		if err := CheckURL(tc.url, tc.allowPrivate); (err == nil) != tc.ok {
			t.Errorf("CheckURL(%q, %v): %v, want ok %v", tc.url, tc.allowPrivate, err, tc.ok)
		}
	}
}

func TestSignAndVerify(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	body := []byte(`{"event":"rematch.completed"}`)
	sig := Sign("whsec_a", now, body)
	tests := []struct {
		name   string
		secret string
		body   []byte
		at     time.Time
		ok     bool
	}{
		{"fresh", "whsec_a", body, now.Add(time.Minute), true},
		{"other secret", "whsec_b", body, now, false},
		{"other body", "whsec_a", []byte(`{}`), now, false},
		{"too old", "whsec_a", body, now.Add(10 * time.Minute), false},
	}
	for _, tc := range tests {
		if got := Verify(tc.secret, sig, tc.body, tc.at, 5*time.Minute); got != tc.ok {
			t.Errorf("%s: Verify %v, want %v", tc.name, got, tc.ok)
		}
	}
	if Public(net.ParseIP("8.8.8.8")) != true || Public(net.ParseIP("172.16.0.1")) {
		t.Error("Public misjudges 8.8.8.8 or 172.16.0.1")
	}
}
