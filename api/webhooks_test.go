package api

import (
	"net/http"
	"strings"
	"testing"

	"carefit/webhook"
)

// mustWebhook registers a webhook for organization A and returns its path.
func (f *fixture) mustWebhook(t *testing.T) string {
	t.Helper()
	rec := f.do(t, f.recA, "POST", "/v1/organizations/"+f.orgA.ID+"/webhooks", map[string]any{"url": "https://hooks.example.org/a"})
	wantStatus(t, rec, http.StatusCreated)
	return rec.Header().Get("Location")
}

// TestWebhookRegistration registers, lists and deletes an organization's
// webhooks: the secret is shown once, URLs that could reach carefit's own
// network are refused naming the field, another organization's recruiter
// finds nothing, and a malformed ID is 404.
func TestWebhookRegistration(t *testing.T) {
	f := newFixture(t)
	base := "/v1/organizations/" + f.orgA.ID + "/webhooks"
	rec := f.do(t, f.recA, "POST", base, map[string]any{"url": "https://hooks.example.org/a"})
	wantStatus(t, rec, http.StatusCreated)
	created := decode[struct {
		Webhook webhook.Webhook
		Secret  string
	}](t, rec)
	if !strings.HasPrefix(created.Secret, "whsec_") || created.Webhook.OrgID != f.orgA.ID {
		t.Fatalf("created: %+v", created)
	}
	list := f.do(t, f.recA, "GET", base, nil)
	wantStatus(t, list, http.StatusOK)
	if strings.Contains(list.Body.String(), created.Secret) || !strings.Contains(list.Body.String(), created.Webhook.ID) {
		t.Errorf("the list shows the secret or lacks the webhook: %s", list.Body)
	}
	for _, bad := range []string{"http://hooks.example.org/a", "https://127.0.0.1/x", "https://10.0.0.7/x", "https://[::1]/x",
		"https://169.254.169.254/latest", "https://user:pw@hooks.example.org/", "ftp://hooks.example.org/", "hooks.example.org/a",
		"https://hooks.example.org/" + strings.Repeat("a", 2000)} {
		rec := f.do(t, f.recA, "POST", base, map[string]any{"url": bad})
		if rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest {
			t.Errorf("url %.60q: got %d, want 400 or 422: %s", bad, rec.Code, rec.Body)
			continue
		}
		wantProblem(t, rec, rec.Code, "url")
	}
	wantProblem(t, f.do(t, f.recB, "GET", base, nil), http.StatusNotFound, "")
	wantProblem(t, f.do(t, f.recA, "GET", base+"/not-a-uuid/deliveries", nil), http.StatusNotFound, "")
	wantProblem(t, f.do(t, f.recB, "DELETE", base+"/"+created.Webhook.ID, nil), http.StatusNotFound, "")
	wantStatus(t, f.do(t, f.recA, "DELETE", base+"/"+created.Webhook.ID, nil), http.StatusNoContent)
	wantProblem(t, f.do(t, f.recA, "DELETE", base+"/"+created.Webhook.ID, nil), http.StatusNotFound, "")
}
