package api

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"carefit/access"
	"carefit/jobs"
)

// role is a kind of caller in the authorization matrix.
type role string

const (
	roleNone      role = "no key"
	roleBad       role = "bad key"
	roleAdmin     role = "admin"
	roleRecOwn    role = "recruiter own org"
	roleRecOther  role = "recruiter other org"
	roleClinOwn   role = "clinician own profile"
	roleClinOther role = "clinician other profile"
)

var roles = []role{roleNone, roleBad, roleAdmin, roleRecOwn, roleRecOther, roleClinOwn, roleClinOther}

// target is one request of the matrix: the objects it touches belong to
// organization A and profile 1 (the "own" tenant) unless setup says
// otherwise.
type target struct {
	path    string
	body    any
	headers []string
	// clinOwn, when set, is the key of the clinician owning the target
	// profile (for routes that destroy it, which get a fresh profile).
	clinOwn string
}

// key returns the secret the role uses against tg.
func (f *fixture) key(r role, tg target) string {
	switch r {
	case roleBad:
		return "cf_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	case roleAdmin:
		return f.admin
	case roleRecOwn:
		return f.recA
	case roleRecOther:
		return f.recB
	case roleClinOwn:
		if tg.clinOwn != "" {
			return tg.clinOwn
		}
		return f.clin1
	case roleClinOther:
		return f.clin2
	}
	return ""
}

// expect builds the expected statuses; no key and a bad key are always 401.
func expect(admin, recOwn, recOther, clinOwn, clinOther int) map[role]int {
	return map[role]int{roleNone: 401, roleBad: 401, roleAdmin: admin, roleRecOwn: recOwn, roleRecOther: recOther,
		roleClinOwn: clinOwn, roleClinOther: clinOther}
}

// authzRoutes is every /v1 route with, for each role, the status it must
// get. setup runs before each role's request and returns a fresh target
// where the request changes or destroys what it touches.
func authzRoutes() []struct {
	method, path string
	setup        func(t *testing.T, f *fixture) target
	want         map[role]int
} {
	orgA := func(t *testing.T, f *fixture) target { return target{path: "/v1/organizations/" + f.orgA.ID} }
	posA := func(t *testing.T, f *fixture) target { return target{path: "/v1/positions/" + f.posA.ID} }
	prof1 := func(t *testing.T, f *fixture) target { return target{path: "/v1/profiles/" + f.prof1.ID} }
	static := func(path string) func(t *testing.T, f *fixture) target {
		return func(t *testing.T, f *fixture) target { return target{path: path} }
	}
	return []struct {
		method, path string
		setup        func(t *testing.T, f *fixture) target
		want         map[role]int
	}{
		{"GET", "/v1/me", static("/v1/me"), expect(200, 200, 200, 200, 200)},

		{"GET", "/v1/positions/:id/candidates", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/positions/" + f.posA.ID + "/candidates"}
		}, expect(200, 200, 404, 403, 403)},
		{"GET", "/v1/positions/:id/candidates/:clinician_id", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/positions/" + f.posA.ID + "/candidates/" + f.prof1.ID}
		}, expect(200, 200, 404, 403, 403)},
		{"GET", "/v1/me/roles", static("/v1/me/roles"), expect(403, 403, 403, 200, 200)},
		{"GET", "/v1/me/roles/:id", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/me/roles/" + f.posA.ID}
		}, expect(403, 403, 403, 200, 200)},
		{"GET", "/v1/search/positions", static("/v1/search/positions"), expect(200, 200, 200, 200, 200)},
		{"GET", "/v1/search/profiles", static("/v1/search/profiles"), expect(200, 200, 200, 403, 403)},

		{"POST", "/v1/organizations", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/organizations", body: orgPayload("Northwoods Clinic", "WI")}
		}, expect(201, 403, 403, 403, 403)},
		{"GET", "/v1/organizations", static("/v1/organizations"), expect(200, 200, 200, 403, 403)},
		{"GET", "/v1/organizations/:id", orgA, expect(200, 200, 404, 403, 403)},
		{"PATCH", "/v1/organizations/:id", func(t *testing.T, f *fixture) target {
			tg := orgA(t, f)
			tg.body = map[string]any{"name": "Lakeshore Community Health Center"}
			tg.headers = []string{"If-Match", f.etagOf(t, tg.path)}
			return tg
		}, expect(200, 200, 404, 403, 403)},
		{"DELETE", "/v1/organizations/:id", func(t *testing.T, f *fixture) target {
			o := f.mustCreate(t, "/v1/organizations", orgPayload("Doomed Clinic", "WI")).org(t)
			return target{path: "/v1/organizations/" + o.ID}
		}, expect(204, 403, 403, 403, 403)},

		{"POST", "/v1/positions", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/positions", body: f.positionPayload(f.orgA, jobs.StatusDraft)}
		}, expect(201, 201, 404, 403, 403)},
		{"GET", "/v1/positions", static("/v1/positions"), expect(200, 200, 200, 200, 200)},
		{"GET", "/v1/positions/:id", posA, expect(200, 200, 404, 200, 200)},
		{"PATCH", "/v1/positions/:id", func(t *testing.T, f *fixture) target {
			tg := posA(t, f)
			tg.body = map[string]any{"headcount": 2}
			tg.headers = []string{"If-Match", f.etagOf(t, tg.path)}
			return tg
		}, expect(200, 200, 404, 403, 403)},
		{"POST", "/v1/positions/:id/status", func(t *testing.T, f *fixture) target {
			p := f.createPosition(t, f.orgA, jobs.StatusOpen)
			return target{path: "/v1/positions/" + p.ID + "/status", body: map[string]any{"status": "closed"},
				headers: []string{"If-Match", etag(p.Version)}}
		}, expect(200, 200, 404, 403, 403)},
		{"DELETE", "/v1/positions/:id", func(t *testing.T, f *fixture) target {
			p := f.createPosition(t, f.orgA, jobs.StatusDraft)
			return target{path: "/v1/positions/" + p.ID}
		}, expect(204, 204, 404, 403, 403)},
		{"GET", "/v1/positions/:id/versions", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/positions/" + f.posA.ID + "/versions"}
		}, expect(200, 200, 404, 200, 200)},
		{"GET", "/v1/positions/:id/pipeline", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/positions/" + f.posA.ID + "/pipeline"}
		}, expect(200, 200, 404, 403, 403)},
		{"GET", "/v1/positions/:id/pipeline/:clinician_id", func(t *testing.T, f *fixture) target {
			p := f.createPosition(t, f.orgA, jobs.StatusOpen)
			wantStatus(t, f.putPipeline(t, f.admin, p.ID, f.prof1.ID, "shortlisted", ""), http.StatusCreated)
			return target{path: pipelinePath(p.ID, f.prof1.ID)}
		}, expect(200, 200, 404, 403, 403)},
		{"PUT", "/v1/positions/:id/pipeline/:clinician_id", func(t *testing.T, f *fixture) target {
			p := f.createPosition(t, f.orgA, jobs.StatusOpen) // fresh, so each allowed role creates the entry
			return target{path: pipelinePath(p.ID, f.prof1.ID), body: map[string]any{"state": "shortlisted", "note": "Call back."}}
		}, expect(201, 201, 404, 403, 403)},

		{"POST", "/v1/profiles", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/profiles", body: f.profilePayload("Cleo", false)}
		}, expect(201, 403, 403, 403, 403)},
		{"GET", "/v1/profiles", static("/v1/profiles"), expect(200, 200, 200, 403, 403)},
		// A recruiter reads only clinicians eligible for one of their
		// organization's open positions (B has none) or related to it.
		{"GET", "/v1/profiles/:id", prof1, expect(200, 200, 404, 200, 404)},
		{"PATCH", "/v1/profiles/:id", func(t *testing.T, f *fixture) target {
			tg := prof1(t, f)
			tg.body = map[string]any{"years_experience": 8}
			tg.headers = []string{"If-Match", f.etagOf(t, tg.path)}
			return tg
		}, expect(200, 403, 403, 200, 404)},
		{"PUT", "/v1/profiles/:id/consent", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/profiles/" + f.prof1.ID + "/consent", body: map[string]any{"visible_to_recruiters": true}}
		}, expect(200, 403, 403, 200, 404)},
		{"DELETE", "/v1/profiles/:id", func(t *testing.T, f *fixture) target {
			p := f.mustCreate(t, "/v1/profiles", f.profilePayload("Dana", true)).profile(t)
			own := f.mustKey(t, access.NewKey{Role: access.Clinician, ProfileID: p.ID})
			return target{path: "/v1/profiles/" + p.ID, clinOwn: own}
		}, expect(204, 403, 403, 204, 404)},

		{"POST", "/v1/introductions", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/introductions", body: introBody(f.posA.ID, f.prof1.ID)}
		}, expect(403, 201, 404, 403, 403)},
		{"GET", "/v1/introductions", static("/v1/introductions"), expect(200, 200, 200, 403, 403)},
		{"GET", "/v1/introductions/:id", func(t *testing.T, f *fixture) target {
			in, _ := f.freshRequest(t)
			return target{path: "/v1/introductions/" + in.ID}
		}, expect(200, 200, 404, 403, 403)},
		{"POST", "/v1/introductions/:id/accept", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/introductions/" + f.freshInterest(t).ID + "/accept", body: map[string]any{"reply": "Welcome."}}
		}, expect(403, 200, 404, 403, 403)},
		{"POST", "/v1/introductions/:id/decline", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/introductions/" + f.freshInterest(t).ID + "/decline"}
		}, expect(403, 200, 404, 403, 403)},
		{"GET", "/v1/me/introductions", static("/v1/me/introductions"), expect(403, 403, 403, 200, 200)},
		{"POST", "/v1/me/introductions", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/me/introductions", body: map[string]any{"position_id": f.posA.ID}}
		}, expect(403, 403, 403, 201, 201)},
		{"POST", "/v1/me/introductions/:id/accept", func(t *testing.T, f *fixture) target {
			in, own := f.freshRequest(t)
			return target{path: "/v1/me/introductions/" + in.ID + "/accept", clinOwn: own}
		}, expect(403, 403, 403, 200, 404)},
		{"POST", "/v1/me/introductions/:id/decline", func(t *testing.T, f *fixture) target {
			in, own := f.freshRequest(t)
			return target{path: "/v1/me/introductions/" + in.ID + "/decline", body: map[string]any{"reply": "Not now."}, clinOwn: own}
		}, expect(403, 403, 403, 200, 404)},
		{"POST", "/v1/me/introductions/:id/revoke", func(t *testing.T, f *fixture) target {
			in, own := f.freshRequest(t)
			wantStatus(t, f.do(t, own, "POST", "/v1/me/introductions/"+in.ID+"/accept", nil), http.StatusOK)
			return target{path: "/v1/me/introductions/" + in.ID + "/revoke", clinOwn: own}
		}, expect(403, 403, 403, 200, 404)},
		{"GET", "/v1/me/blocked-organizations", static("/v1/me/blocked-organizations"), expect(403, 403, 403, 200, 200)},
		{"PUT", "/v1/me/blocked-organizations", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/me/blocked-organizations", body: map[string]any{"organization_ids": []string{f.orgB.ID}}}
		}, expect(403, 403, 403, 200, 200)},
		{"GET", "/v1/me/access-log", static("/v1/me/access-log"), expect(403, 403, 403, 200, 200)},
		{"GET", "/v1/me/consents", static("/v1/me/consents"), expect(403, 403, 403, 200, 200)},
		{"GET", "/v1/me/export", static("/v1/me/export"), expect(403, 403, 403, 200, 200)},

		{"POST", "/v1/keys", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/keys", body: map[string]any{"role": "recruiter", "org_id": f.orgA.ID, "label": "new recruiter"}}
		}, expect(201, 403, 403, 403, 403)},
		{"GET", "/v1/keys", static("/v1/keys"), expect(200, 403, 403, 403, 403)},
		{"DELETE", "/v1/keys/:id", func(t *testing.T, f *fixture) target {
			k := f.mustKey(t, access.NewKey{Role: access.Recruiter, OrgID: f.orgA.ID})
			return target{path: "/v1/keys/" + f.keyID(t, k)}
		}, expect(204, 403, 403, 403, 403)},
		{"GET", "/v1/audit", static("/v1/audit"), expect(200, 403, 403, 403, 403)},

		{"POST", "/v1/organizations/:id/webhooks", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/organizations/" + f.orgA.ID + "/webhooks", body: map[string]any{"url": "https://hooks.example.org/carefit"}}
		}, expect(201, 201, 404, 403, 403)},
		{"GET", "/v1/organizations/:id/webhooks", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/organizations/" + f.orgA.ID + "/webhooks"}
		}, expect(200, 200, 404, 403, 403)},
		{"DELETE", "/v1/organizations/:id/webhooks/:webhook_id", func(t *testing.T, f *fixture) target {
			return target{path: f.mustWebhook(t)}
		}, expect(204, 204, 404, 403, 403)},
		{"GET", "/v1/organizations/:id/webhooks/:webhook_id/deliveries", func(t *testing.T, f *fixture) target {
			return target{path: f.mustWebhook(t) + "/deliveries"}
		}, expect(200, 200, 404, 403, 403)},

		{"POST", "/v1/rematch-runs", static("/v1/rematch-runs"), expect(202, 403, 403, 403, 403)},
		{"GET", "/v1/rematch-runs", static("/v1/rematch-runs"), expect(200, 403, 403, 403, 403)},
		{"GET", "/v1/rematch-runs/:id", func(t *testing.T, f *fixture) target {
			rec := f.do(t, f.admin, "POST", "/v1/rematch-runs", nil)
			return target{path: rec.Header().Get("Location")}
		}, expect(200, 403, 403, 403, 403)},
		{"GET", "/v1/alerts", static("/v1/alerts"), expect(403, 200, 200, 200, 200)},
		{"POST", "/v1/alerts/seen", static("/v1/alerts/seen"), expect(403, 204, 204, 204, 204)},

		{"POST", "/v1/import/positions", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/import/positions?org_id=" + f.orgA.ID, body: ndjson(t, f.positionPayload(f.orgA, jobs.StatusDraft)),
				headers: []string{"Content-Type", "application/x-ndjson"}}
		}, expect(200, 200, 404, 403, 403)},
		{"POST", "/v1/import/profiles", func(t *testing.T, f *fixture) target {
			return target{path: "/v1/import/profiles", body: ndjson(t, f.profilePayload("Eli", false)),
				headers: []string{"Content-Type", "application/x-ndjson"}}
		}, expect(200, 403, 403, 403, 403)},
	}
}

// TestAuthorizationMatrix runs every /v1 route as every role: 401 without
// a valid key, 403 for a role the route does not allow, 404 for another
// tenant's record, 2xx otherwise.
func TestAuthorizationMatrix(t *testing.T) {
	for _, rt := range authzRoutes() {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			f := newFixture(t)
			for _, r := range roles {
				t.Run(string(r), func(t *testing.T) {
					tg := rt.setup(t, f)
					rec := f.do(t, f.key(r, tg), rt.method, tg.path, tg.body, tg.headers...)
					if want := rt.want[r]; rec.Code != want {
						t.Errorf("%s %s as %s: got %d, want %d: %s", rt.method, tg.path, r, rec.Code, want, rec.Body)
					}
				})
			}
		})
	}
}

// TestAuthorizationMatrixCoversRoutes fails when a /v1 route is missing
// from the matrix (or the matrix names a route that no longer exists), so
// a new route cannot skip authorization testing.
func TestAuthorizationMatrixCoversRoutes(t *testing.T) {
	f := newFixture(t)
	table := map[string]bool{}
	for _, rt := range authzRoutes() {
		table[rt.method+" "+rt.path] = true
		for _, r := range roles {
			if _, ok := rt.want[r]; !ok {
				t.Errorf("%s %s: no expectation for %s", rt.method, rt.path, r)
			}
		}
	}
	served := map[string]bool{}
	for _, r := range f.srv.Routes() {
		if !strings.HasPrefix(r.Path, "/v1/") || !isHTTPMethod(r.Method) {
			continue // group catch-alls are registered as RouteNotFound
		}
		k := r.Method + " " + r.Path
		served[k] = true
		if !table[k] {
			t.Errorf("route %s is not in the authorization matrix", k)
		}
	}
	for k := range table {
		if !served[k] {
			t.Errorf("matrix route %s is not served", k)
		}
	}
}

func isHTTPMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

// ndjson encodes values one a line.
func ndjson(t *testing.T, vs ...any) []byte {
	t.Helper()
	var b strings.Builder
	for _, v := range vs {
		s, ok := v.(string)
		if !ok {
			s = fmt.Sprint(mustJSON(t, v))
		}
		b.WriteString(s)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}
