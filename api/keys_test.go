package api

import (
	"context"
	"strings"
	"testing"
)

// TestKeySecretIsShownOnceAndNeverStored creates a key with an
// Idempotency-Key and replays the request: the first answer carries the
// secret, the replay the same key without it and says why, and no stored
// idempotency record holds the secret.
func TestKeySecretIsShownOnceAndNeverStored(t *testing.T) {
	f := newFixture(t)
	body := map[string]any{"role": "recruiter", "org_id": f.orgA.ID, "label": "replayed"}
	first := f.do(t, f.admin, "POST", "/v1/keys", body, "Idempotency-Key", "key-once")
	wantStatus(t, first, 201)
	created := decode[createdKey](t, first)
	if created.Secret == "" || created.SecretWithheld != "" {
		t.Fatalf("first answer: %+v, want the secret", created)
	}
	replay := f.do(t, f.admin, "POST", "/v1/keys", body, "Idempotency-Key", "key-once")
	wantStatus(t, replay, 201)
	if replay.Header().Get("Idempotent-Replayed") != "true" {
		t.Fatal("the second request was not a replay")
	}
	again := decode[createdKey](t, replay)
	if again.Secret != "" || strings.Contains(replay.Body.String(), created.Secret) {
		t.Errorf("the replay shows the secret again: %s", replay.Body)
	}
	if again.Key.ID != created.Key.ID || again.SecretWithheld == "" {
		t.Errorf("replay %+v, want key %s and a word on the withheld secret", again, created.Key.ID)
	}
	var stored int
	if err := f.pool.QueryRow(context.Background(),
		`SELECT count(*) FROM idempotency_keys WHERE position($1 in convert_from(body, 'UTF8')) > 0`, created.Secret).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored != 0 {
		t.Errorf("%d idempotency records hold the secret", stored)
	}
	// The secret works, once shown.
	wantStatus(t, f.do(t, created.Secret, "GET", "/v1/me", nil), 200)
}
