package api

import (
	"context"
	"strings"
	"testing"
)

// TestEveryContactRevealIsAudited sends each write whose answer carries a
// clinician's contact details, as an admin and as the clinician: the
// admin's answers each add an audit entry for that clinician, the
// clinician's own do not, and an answer that holds the email always has
// an entry (or is the clinician's own).
func TestEveryContactRevealIsAudited(t *testing.T) {
	f := newFixture(t)
	entries := func(subject string) int {
		var n int
		if err := f.pool.QueryRow(context.Background(),
			`SELECT count(*) FROM audit_log WHERE subject_id = $1 AND action = 'contact.read'`, subject).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	prof := "/v1/profiles/" + f.prof1.ID
	// The version is read from Postgres: a GET as the admin would itself
	// be an audited read.
	version := func() string {
		var v int
		if err := f.pool.QueryRow(context.Background(), `SELECT version FROM profiles WHERE id = $1`, f.prof1.ID).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return etag(v)
	}
	cases := []struct {
		name, key string
		send      func(key string) (status int, body string)
		audited   bool
	}{
		{"admin PATCH", f.admin, func(key string) (int, string) {
			rec := f.do(t, key, "PATCH", prof, map[string]any{"years_experience": 9}, "If-Match", version())
			return rec.Code, rec.Body.String()
		}, true},
		{"admin PUT consent", f.admin, func(key string) (int, string) {
			rec := f.do(t, key, "PUT", prof+"/consent", map[string]any{"visible_to_recruiters": true})
			return rec.Code, rec.Body.String()
		}, true},
		{"admin POST", f.admin, func(key string) (int, string) {
			rec := f.do(t, key, "POST", "/v1/profiles", f.profilePayload("Gus", true))
			return rec.Code, rec.Body.String()
		}, true},
		{"clinician PATCH", f.clin1, func(key string) (int, string) {
			rec := f.do(t, key, "PATCH", prof, map[string]any{"years_experience": 10}, "If-Match", version())
			return rec.Code, rec.Body.String()
		}, false},
		{"clinician PUT consent", f.clin1, func(key string) (int, string) {
			rec := f.do(t, key, "PUT", prof+"/consent", map[string]any{"visible_to_recruiters": true})
			return rec.Code, rec.Body.String()
		}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := entries(f.prof1.ID)
			status, body := tc.send(tc.key)
			if status >= 300 {
				t.Fatalf("got %d: %s", status, body)
			}
			subject := f.prof1.ID
			if !strings.Contains(body, subject) {
				subject = decodeID(t, body)
				before = 0
			}
			if !strings.Contains(body, `"email"`) {
				t.Fatalf("the answer holds no contact details, so the case tests nothing: %s", body)
			}
			got := entries(subject) - before
			if tc.audited && got != 1 {
				t.Errorf("%d audit entries for the reveal, want 1", got)
			}
			if !tc.audited && got != 0 {
				t.Errorf("the clinician's own write added %d audit entries, want 0", got)
			}
		})
	}
}

func decodeID(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `"id":"`)
	if i < 0 {
		t.Fatalf("no id in %s", body)
	}
	return body[i+6 : i+6+36]
}
