package api

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"carefit/jobs"
)

// raw is a JSON value sent verbatim, for numbers encoding/json cannot
// produce.
func raw(s string) json.RawMessage { return json.RawMessage(s) }

// Hostile strings.
const (
	sqlDrop   = `'; DROP TABLE positions;--`
	sqlOr     = `" OR 1=1`
	backslash = `\`
	brackets  = `[]{}()<>`
	nul       = "A\u0000B"
	bell      = "A\u0007B"
	rlo       = "Clinic \u202Eevil\u202C" // right-to-left override
	zwsp      = "Ana\u200BMaria"          // zero-width space
	isolate   = "\u2067Ana\u2069"         // right-to-left isolate
)

// deep is n nested JSON arrays.
func deep(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

var segmentRE = regexp.MustCompile(`^([a-z_]+)(?:\[(\d+)\])?$`)

// set puts v at a path like "locations[0].lat" in a payload built from
// maps and slices.
func set(t *testing.T, m map[string]any, path string, v any) map[string]any {
	t.Helper()
	var cur any = m
	parts := strings.Split(path, ".")
	for i, p := range parts {
		sm := segmentRE.FindStringSubmatch(p)
		if sm == nil {
			t.Fatalf("bad path %q", path)
		}
		obj, ok := cur.(map[string]any)
		if !ok {
			t.Fatalf("path %q: %s is not an object", path, p)
		}
		last := i == len(parts)-1
		if sm[2] == "" {
			if last {
				obj[sm[1]] = v
				return m
			}
			cur = obj[sm[1]]
			continue
		}
		idx, _ := strconv.Atoi(sm[2])
		list, ok := obj[sm[1]].([]any)
		if !ok || idx >= len(list) {
			t.Fatalf("path %q: %s is not a long enough list", path, p)
		}
		if last {
			list[idx] = v
			return m
		}
		cur = list[idx]
	}
	return m
}

// fieldAttack is a hostile value for one field of a valid body, and the
// field the problem must name.
type fieldAttack struct {
	name, path string
	value      any
	field      string
}

// writeRoute is a JSON write route with a valid body to corrupt.
type writeRoute struct {
	method string
	path   func(t *testing.T, f *fixture) string
	// ifMatch, when set, is the record whose ETag the request sends (and
	// which must keep it when the request fails).
	ifMatch func(f *fixture) string
	valid   func(f *fixture) map[string]any
	attacks []fieldAttack
}

// textAttacks are single-line text attacks on field.
func textAttacks(path, field string) []fieldAttack {
	return []fieldAttack{
		{path + " number", path, 42, field},
		{path + " object", path, map[string]any{"$gt": ""}, field},
		{path + " NUL", path, nul, field},
		{path + " BEL", path, bell, field},
		{path + " RLO", path, rlo, field},
		{path + " ZWSP", path, zwsp, field},
		{path + " isolate", path, isolate, field},
		{path + " null", path, nil, field},
	}
}

func writeRoutes() []writeRoute {
	orgPath := func(t *testing.T, f *fixture) string { return "/v1/organizations/" + f.orgA.ID }
	posPath := func(t *testing.T, f *fixture) string { return "/v1/positions/" + f.posA.ID }
	profPath := func(t *testing.T, f *fixture) string { return "/v1/profiles/" + f.prof1.ID }
	static := func(p string) func(t *testing.T, f *fixture) string {
		return func(*testing.T, *fixture) string { return p }
	}
	return []writeRoute{
		{method: "POST", path: static("/v1/organizations"),
			valid: func(f *fixture) map[string]any { return orgPayload("Northwoods Clinic", "WI") },
			attacks: append(textAttacks("name", "name"),
				fieldAttack{"kind SQL", "kind", sqlDrop, "kind"},
				fieldAttack{"kind OR", "kind", sqlOr, "kind"},
				fieldAttack{"kind backslash", "kind", backslash, "kind"},
				fieldAttack{"locations string", "locations", "[]", "locations"},
				fieldAttack{"lat 1e309", "locations[0].lat", raw("1e309"), "lat"},
				fieldAttack{"lat 1e20", "locations[0].lat", raw("99999999999999999999"), "lat"},
				fieldAttack{"lat string", "locations[0].lat", "43.04", "lat"},
				fieldAttack{"state SQL", "locations[0].state", "WI' OR '1'='1", "state"},
				fieldAttack{"state brackets", "locations[0].state", brackets, "state"},
				fieldAttack{"time zone path", "locations[0].time_zone", "../../../etc/passwd", "time_zone"},
				fieldAttack{"time zone NUL", "locations[0].time_zone", "America/Chicago\u0000", "time_zone"},
				fieldAttack{"location name NUL", "locations[0].name", nul, "name"},
				fieldAttack{"city BEL", "locations[0].city", bell, "city"},
				fieldAttack{"location id SQL", "locations[0].id", sqlDrop, "id"},
				fieldAttack{"weight 1e309", "weight_overrides", map[string]any{"pay": raw("1e309")}, "weight_overrides"},
				fieldAttack{"weight key SQL", "weight_overrides", map[string]any{sqlDrop: 1}, "weight_overrides"},
			)},
		{method: "PATCH", path: orgPath, ifMatch: func(f *fixture) string { return "/v1/organizations/" + f.orgA.ID },
			valid: func(f *fixture) map[string]any { return map[string]any{"name": "Lakeshore Health"} },
			attacks: append(textAttacks("name", "name"),
				fieldAttack{"kind null", "kind", nil, "kind"},
				fieldAttack{"kind SQL", "kind", sqlDrop, "kind"},
				fieldAttack{"weight huge", "weight_overrides", map[string]any{"pay": raw("99999999999999999999")}, "weight_overrides"},
				fieldAttack{"locations object", "locations", map[string]any{}, "locations"},
				fieldAttack{"version", "version", 7, "version"},
			)},
		{method: "POST", path: static("/v1/positions"),
			valid: func(f *fixture) map[string]any { return f.positionPayload(f.orgA, jobs.StatusDraft) },
			attacks: append(textAttacks("title", "title"),
				fieldAttack{"description NUL", "description", nul, "description"},
				fieldAttack{"description BEL", "description", bell, "description"},
				fieldAttack{"description RLO", "description", "Great team.\n" + rlo, "description"},
				fieldAttack{"headcount string", "headcount", "three", "headcount"},
				fieldAttack{"headcount huge", "headcount", raw("99999999999999999999"), "headcount"},
				fieldAttack{"headcount 1e309", "headcount", raw("1e309"), "headcount"},
				fieldAttack{"headcount fraction", "headcount", 1.5, "headcount"},
				fieldAttack{"headcount null", "headcount", nil, "headcount"},
				fieldAttack{"pay min 1e309", "pay.min", raw("1e309"), "min"},
				fieldAttack{"fte huge", "schedule.fte", raw("99999999999999999999"), "fte"},
				fieldAttack{"panel huge", "environment.panel_size", raw("99999999999999999999"), "panel_size"},
				fieldAttack{"org SQL", "org_id", sqlDrop, "org_id"},
				fieldAttack{"location OR", "location_id", sqlOr, "location_id"},
				fieldAttack{"credential SQL", "credentials", []string{"MD'; --"}, "credentials[0]"},
				fieldAttack{"taxonomy OR", "taxonomies", []string{"207Q00000X' OR '1'='1"}, "taxonomies[0]"},
				fieldAttack{"licence state backslash", "licence_states", []string{backslash}, "licence_states[0]"},
				fieldAttack{"start date garbage", "start_date", "2026-13-45", "start_date"},
				fieldAttack{"start date number", "start_date", 20260901, "start_date"},
				fieldAttack{"expires garbage", "expires_at", "soon", "expires_at"},
				fieldAttack{"status SQL", "status", sqlDrop, "status"},
				fieldAttack{"ehr brackets", "environment.ehr", brackets, "ehr"},
			)},
		{method: "PATCH", path: posPath, ifMatch: func(f *fixture) string { return "/v1/positions/" + f.posA.ID },
			valid: func(f *fixture) map[string]any { return map[string]any{"headcount": 2} },
			attacks: append(textAttacks("title", "title"),
				fieldAttack{"headcount string", "headcount", "two", "headcount"},
				fieldAttack{"headcount huge", "headcount", raw("99999999999999999999"), "headcount"},
				fieldAttack{"headcount 1e309", "headcount", raw("1e309"), "headcount"},
				fieldAttack{"headcount null", "headcount", nil, "headcount"},
				fieldAttack{"schedule null", "schedule", nil, "schedule"},
				fieldAttack{"pay min null", "pay", map[string]any{"min": nil}, "min"},
				fieldAttack{"panel 1e309", "environment", map[string]any{"panel_size": raw("1e309")}, "panel_size"},
				fieldAttack{"environment unknown", "environment", map[string]any{"panel": 3}, "panel"},
				fieldAttack{"status", "status", "open", "status"},
				fieldAttack{"expires garbage", "expires_at", "yesterday", "expires_at"},
				fieldAttack{"start date Feb 30", "start_date", "2026-02-30T00:00:00Z", "start_date"},
				fieldAttack{"location SQL", "location_id", sqlDrop, "location_id"},
			)},
		{method: "POST", path: func(t *testing.T, f *fixture) string { return "/v1/positions/" + f.posA.ID + "/status" },
			ifMatch: func(f *fixture) string { return "/v1/positions/" + f.posA.ID },
			valid:   func(f *fixture) map[string]any { return map[string]any{"status": "closed"} },
			attacks: []fieldAttack{
				{"status number", "status", 5, "status"},
				{"status null", "status", nil, "status"},
				{"status SQL", "status", sqlDrop, "status"},
				{"status upper", "status", "CLOSED", "status"},
				{"status NUL", "status", "closed\u0000", "status"},
			}},
		{method: "POST", path: static("/v1/profiles"),
			valid: func(f *fixture) map[string]any { return f.profilePayload("Cleo", true) },
			attacks: append(textAttacks("name.given", "given"),
				fieldAttack{"family NUL", "name.family", nul, "family"},
				fieldAttack{"npi check digit", "npi", "1234567890", "npi"},
				fieldAttack{"npi SQL", "npi", "1' OR 1=1 --", "npi"},
				fieldAttack{"npi number", "npi", 1234567893, "npi"},
				fieldAttack{"email SQL", "contact.email", sqlDrop, "email"},
				fieldAttack{"email NUL", "contact.email", "ana\u0000@example.org", "email"},
				fieldAttack{"phone brackets", "contact.phone", brackets, "phone"},
				fieldAttack{"years huge", "years_experience", raw("99999999999999999999"), "years_experience"},
				fieldAttack{"years 1e309", "years_experience", raw("1e309"), "years_experience"},
				fieldAttack{"home lat 1e309", "home.lat", raw("1e309"), "lat"},
				fieldAttack{"home lat -1e20", "home.lat", raw("-99999999999999999999"), "lat"},
				fieldAttack{"licence number SQL", "licences[0].number", "12345'; --", "number"},
				fieldAttack{"board NUL", "board_certifications[0].board", nul, "board"},
				fieldAttack{"credential null", "credential", nil, "credential"},
				fieldAttack{"taxonomy backslash", "taxonomies", []string{backslash}, "taxonomies[0]"},
				fieldAttack{"available garbage", "available_from", "soon", "available_from"},
				fieldAttack{"licence expires garbage", "licences[0].expires", "2029-02-30", "licences[0].expires"},
				fieldAttack{"board expires number", "board_certifications[0].expires", 2030, "board_certifications[0].expires"},
				fieldAttack{"consent time garbage", "consent_updated_at", "now", "consent_updated_at"},
				fieldAttack{"consent string", "visible_to_recruiters", "yes", "visible_to_recruiters"},
			)},
		{method: "PATCH", path: profPath, ifMatch: func(f *fixture) string { return "/v1/profiles/" + f.prof1.ID },
			valid: func(f *fixture) map[string]any { return map[string]any{"years_experience": 8} },
			attacks: []fieldAttack{
				{"given null", "name", map[string]any{"given": nil}, "given"},
				{"given NUL", "name", map[string]any{"given": nul}, "given"},
				{"given RLO", "name", map[string]any{"given": rlo}, "given"},
				{"family ZWSP", "name", map[string]any{"family": zwsp}, "family"},
				{"given number", "name", map[string]any{"given": 7}, "given"},
				{"years string", "years_experience", "eight", "years_experience"},
				{"years huge", "years_experience", raw("99999999999999999999"), "years_experience"},
				{"npi SQL", "npi", sqlOr, "npi"},
				{"email null", "contact", map[string]any{"email": nil}, "email"},
				{"home lat 1e309", "home", map[string]any{"lat": raw("1e309")}, "lat"},
				{"consent string", "visible_to_recruiters", "yes", "visible_to_recruiters"},
				{"id", "id", "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a9f", "id"},
				{"available garbage", "available_from", "tomorrow", "available_from"},
				{"licence expires garbage", "licences", []any{
					map[string]any{"state": "WI", "number": "1-20", "expires": "2029-10-31T00:00:00Z"},
					map[string]any{"state": "MN", "number": "2-20", "expires": "never"}}, "licences[1].expires"},
			}},
		{method: "PUT", path: func(t *testing.T, f *fixture) string { return "/v1/profiles/" + f.prof1.ID + "/consent" },
			valid: func(f *fixture) map[string]any { return map[string]any{"visible_to_recruiters": false} },
			attacks: []fieldAttack{
				{"null", "visible_to_recruiters", nil, "visible_to_recruiters"},
				{"string", "visible_to_recruiters", "false", "visible_to_recruiters"},
				{"number", "visible_to_recruiters", 0, "visible_to_recruiters"},
				{"SQL", "visible_to_recruiters", sqlDrop, "visible_to_recruiters"},
			}},
		{method: "POST", path: static("/v1/keys"),
			valid: func(f *fixture) map[string]any {
				return map[string]any{"role": "recruiter", "org_id": f.orgA.ID, "label": "new recruiter"}
			},
			attacks: []fieldAttack{
				{"role unknown", "role", "root", "role"},
				{"role SQL", "role", "admin' --", "role"},
				{"role number", "role", 5, "role"},
				{"role null", "role", nil, "role"},
				{"org SQL", "org_id", sqlDrop, "org_id"},
				{"org unknown", "org_id", "00000000-0000-4000-8000-000000000000", "org_id"},
				{"label NUL", "label", nul, "label"},
				{"label BEL", "label", bell, "label"},
				{"label RLO", "label", rlo, "label"},
				{"label ZWSP", "label", zwsp, "label"},
				{"label BOM", "label", "\uFEFFops", "label"},
				{"label long", "label", strings.Repeat("x", 201), "label"},
				{"profile for recruiter", "profile_id", "00000000-0000-4000-8000-000000000000", "profile_id"},
			}},
	}
}

// repeatReader yields n copies of b.
type repeatReader struct {
	b byte
	n int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > r.n {
		p = p[:r.n]
	}
	for i := range p {
		p[i] = r.b
	}
	r.n -= int64(len(p))
	return len(p), nil
}

// hugeBody is a JSON object with one string member of about n bytes.
func hugeBody(n int64) io.Reader {
	return io.MultiReader(strings.NewReader(`{"name":"`), &repeatReader{'a', n}, strings.NewReader(`"}`))
}

// bodyAttack is a whole-body attack.
type bodyAttack struct {
	name    string
	body    func(valid map[string]any) any
	headers []string
	status  int    // 0 means any 4xx
	field   string // the errors[] entry required, if any
	// length is the Content-Length to declare for a streamed body: -1
	// for none (chunked).
	length int64
}

func bodyAttacks() []bodyAttack {
	withField := func(k string, v any) func(map[string]any) any {
		return func(m map[string]any) any { m[k] = v; return m }
	}
	const tenMB = 10 << 20
	return []bodyAttack{
		{name: "malformed JSON", body: func(map[string]any) any { return `{"name": "x",` }, status: 400, field: "body"},
		{name: "syntax error", body: func(map[string]any) any { return `{"name" "x"}` }, status: 400, field: "body"},
		{name: "empty body", body: func(map[string]any) any { return "" }, status: 400, field: "body"},
		{name: "JSON null", body: func(map[string]any) any { return "null" }, status: 0},
		{name: "array", body: func(map[string]any) any { return "[]" }, status: 400, field: "body"},
		{name: "string", body: func(map[string]any) any { return `"hello"` }, status: 400, field: "body"},
		{name: "two values", body: func(m map[string]any) any { b, _ := json.Marshal(m); return string(b) + " {}" }, status: 400, field: "body"},
		{name: "invalid UTF-8", body: func(map[string]any) any { return []byte("{\"name\": \"\xff\xfe\"}") }, status: 400, field: "body"},
		{name: "unknown field", body: withField("is_admin", true), status: 400, field: "is_admin"},
		{name: "unknown SQL field", body: withField(sqlDrop, 1), status: 400, field: sqlDrop},
		{name: "deep nesting", body: func(map[string]any) any { return deep(20000) }, status: 400, field: "body"},
		{name: "deep value", body: func(m map[string]any) any {
			m["deep_marker"] = 0
			b, _ := json.Marshal(m)
			return strings.Replace(string(b), `"deep_marker":0`, `"deep_marker":`+deep(20000), 1)
		}, status: 400, field: "body"},
		{name: "deep objects", body: func(map[string]any) any {
			return strings.Repeat(`{"a":`, 20000) + "1" + strings.Repeat("}", 20000)
		}, status: 400},
		{name: "text/plain", body: func(m map[string]any) any { return m }, headers: []string{"Content-Type", "text/plain"}, status: 415},
		{name: "form", body: func(m map[string]any) any { return "name=x" }, headers: []string{"Content-Type", "application/x-www-form-urlencoded"}, status: 415},
		{name: "no content type", body: func(m map[string]any) any { return m }, headers: []string{"Content-Type", ""}, status: 415},
		{name: "bad content type", body: func(m map[string]any) any { return m }, headers: []string{"Content-Type", "application/json; charset"}, status: 415},
		{name: "10 MB with length", body: func(map[string]any) any { return hugeBody(tenMB) }, status: 413, length: tenMB + 11},
		{name: "10 MB chunked", body: func(map[string]any) any { return hugeBody(tenMB) }, status: 413, length: -1},
	}
}

// TestHostileWrites sends broken and hostile bodies to every JSON write
// route: each gets a 4xx problem naming the field at fault, never a 5xx,
// and leaves no row behind.
func TestHostileWrites(t *testing.T) {
	for _, rt := range writeRoutes() {
		t.Run(rt.method+" "+strings.TrimPrefix(rt.path(t, &fixture{}), "/v1/"), func(t *testing.T) {
			f := newFixture(t)
			path := rt.path(t, f)
			// ifMatch is the current ETag of the record the route changes.
			ifMatch := func(t *testing.T) []string {
				if rt.ifMatch == nil {
					return nil
				}
				return []string{"If-Match", f.etagOf(t, rt.ifMatch(f))}
			}
			check := func(t *testing.T, req *http.Request, status int, field string) {
				t.Helper()
				headers := ifMatch(t)
				before := f.counts(t)
				rec := f.send(t, req)
				wantProblem(t, rec, status, field)
				if diff := cmp.Diff(before, f.counts(t)); diff != "" {
					t.Errorf("rows changed (-before +after):\n%s", diff)
				}
				if rt.ifMatch != nil {
					if got := f.etagOf(t, rt.ifMatch(f)); got != headers[1] {
						t.Errorf("ETag after a failed write: got %s, want %s", got, headers[1])
					}
				}
			}
			for _, a := range rt.attacks {
				t.Run(a.name, func(t *testing.T) {
					body := set(t, rt.valid(f), a.path, a.value)
					check(t, newRequest(t, f.admin, rt.method, path, body, ifMatch(t)...), 0, a.field)
				})
			}
			for _, a := range bodyAttacks() {
				t.Run(a.name, func(t *testing.T) {
					req := newRequest(t, f.admin, rt.method, path, a.body(rt.valid(f)), append(ifMatch(t), a.headers...)...)
					if a.length != 0 {
						req.ContentLength = a.length
					}
					check(t, req, a.status, a.field)
				})
			}
		})
	}
}

// TestHostileImports sends hostile NDJSON: lines that cannot be profiles
// are reported by line number and field and store nothing; a wrong
// content type is 415 and an oversized body 413.
func TestHostileImports(t *testing.T) {
	f := newFixture(t)
	lines := []struct {
		name  string
		line  func() any
		field string
	}{
		{"malformed", func() any { return `{"name": {"given": "x"},` }, ""},
		{"not an object", func() any { return `[1, 2]` }, ""},
		{"unknown field", func() any { return set(t, f.profilePayload("Fay", false), "is_admin", true) }, "is_admin"},
		{"wrong type", func() any { return set(t, f.profilePayload("Fay", false), "years_experience", "seven") }, "years_experience"},
		{"huge number", func() any {
			return set(t, f.profilePayload("Fay", false), "years_experience", raw("99999999999999999999"))
		}, "years_experience"},
		{"1e309", func() any { return set(t, f.profilePayload("Fay", false), "home.lat", raw("1e309")) }, "lat"},
		{"null name", func() any { return set(t, f.profilePayload("Fay", false), "name", nil) }, "name.given"},
		{"NUL", func() any { return set(t, f.profilePayload("Fay", false), "name.family", nul) }, "name.family"},
		{"BEL", func() any { return set(t, f.profilePayload("Fay", false), "name.given", bell) }, "name.given"},
		{"SQL NPI", func() any { return set(t, f.profilePayload("Fay", false), "npi", sqlDrop) }, "npi"},
		{"SQL id", func() any { return set(t, f.profilePayload("Fay", false), "id", sqlOr) }, "id"},
		{"deep nesting", func() any { return deep(20000) }, ""},
	}
	for _, tc := range lines {
		t.Run(tc.name, func(t *testing.T) {
			before := f.counts(t)
			rec := f.do(t, f.admin, "POST", "/v1/import/profiles", ndjson(t, tc.line()), "Content-Type", "application/x-ndjson")
			wantStatus(t, rec, http.StatusOK)
			rep := decode[importReport](t, rec)
			if rep.Imported != 0 || rep.Rejected != 1 || len(rep.Errors) == 0 {
				t.Fatalf("report: got %+v, want 1 rejected, 0 imported", rep)
			}
			if rep.Errors[0].Line != 1 {
				t.Errorf("error line: got %d, want 1", rep.Errors[0].Line)
			}
			if tc.field != "" && !strings.Contains(rep.Errors[0].Field, tc.field) {
				t.Errorf("error field: got %q, want %q", rep.Errors[0].Field, tc.field)
			}
			if diff := cmp.Diff(before, f.counts(t)); diff != "" {
				t.Errorf("rows changed (-before +after):\n%s", diff)
			}
		})
	}

	const over = 64<<20 + 1 // the import limit is 64 times the 1M body limit
	for _, route := range []string{"/v1/import/profiles", "/v1/import/positions?org_id=" + f.orgA.ID} {
		t.Run(route, func(t *testing.T) {
			tests := []struct {
				name    string
				req     func() *http.Request
				status  int
				onlyRow bool
			}{
				{"text/plain", func() *http.Request {
					return newRequest(t, f.admin, "POST", route, "{}\n", "Content-Type", "text/plain")
				}, 415, false},
				{"application/json", func() *http.Request { return newRequest(t, f.admin, "POST", route, "{}\n") }, 415, false},
				{"atomic=yes", func() *http.Request {
					return newRequest(t, f.admin, "POST", route+sep(route)+"atomic=yes", "{}\n", "Content-Type", "application/x-ndjson")
				}, 400, false},
				{"oversized with length", func() *http.Request {
					r := newRequest(t, f.admin, "POST", route, &repeatReader{'a', over}, "Content-Type", "application/x-ndjson")
					r.ContentLength = over
					return r
				}, 413, false},
				{"oversized chunked", func() *http.Request {
					r := newRequest(t, f.admin, "POST", route, &repeatReader{'a', over}, "Content-Type", "application/x-ndjson")
					r.ContentLength = -1
					return r
				}, 413, false},
			}
			for _, tc := range tests {
				t.Run(tc.name, func(t *testing.T) {
					before := f.counts(t)
					wantProblem(t, f.send(t, tc.req()), tc.status, "")
					if diff := cmp.Diff(before, f.counts(t)); diff != "" {
						t.Errorf("rows changed (-before +after):\n%s", diff)
					}
				})
			}
		})
	}
}

func sep(path string) string {
	if strings.Contains(path, "?") {
		return "&"
	}
	return "?"
}

// importReport is the answer of an import route.
type importReport struct {
	Lines    int `json:"lines"`
	Imported int `json:"imported"`
	Rejected int `json:"rejected"`
	Errors   []struct {
		Line    int    `json:"line"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

// TestHostileButValidText checks that text with SQL and filter
// metacharacters, emoji (with zero-width joiners), combining marks and
// right-to-left scripts, which is valid, is stored and returned literally.
// Bidi overrides and other invisible formatting characters are rejected
// (see the RLO, ZWSP and isolate attacks in writeRoutes).
func TestHostileButValidText(t *testing.T) {
	f := newFixture(t)
	texts := []string{
		`O'Brien "quoted" clinic`,
		sqlDrop,
		sqlOr + ` -- ` + backslash + ` ` + brackets + ` % _ * ? : "`,
		"Dr. 🩺 Ana — Family Medicine 👩🏽‍⚕️",
		"Jose\u0301 Nin\u0303o", // combining marks
		"عيادة الشفاء",          // right-to-left script without overrides
		"Clinic می\u200cخواهم",  // zero-width non-joiner, needed in Persian
		"Meilisearch filter: title = 'x' OR id EXISTS",
	}
	for i, text := range texts {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			org := f.mustCreate(t, "/v1/organizations", orgPayload(text, "WI")).org(t)
			if got := decode[jobs.Organization](t, f.do(t, f.admin, "GET", "/v1/organizations/"+org.ID, nil)).Name; got != text {
				t.Errorf("organization name: got %q, want %q", got, text)
			}
			pp := f.positionPayload(org, jobs.StatusDraft)
			pp["title"], pp["description"] = text, text+"\n\t"+text
			pos := f.mustCreate(t, "/v1/positions", pp).position(t)
			got := decode[jobs.Position](t, f.do(t, f.admin, "GET", "/v1/positions/"+pos.ID, nil))
			if got.Title != text || got.Description != text+"\n\t"+text {
				t.Errorf("position: got %q / %q, want %q", got.Title, got.Description, text)
			}
			prof := f.profilePayload("Gus", true)
			set(t, prof, "name.family", text)
			p := f.mustCreate(t, "/v1/profiles", prof).profile(t)
			rec := f.do(t, f.admin, "GET", "/v1/profiles/"+p.ID, nil)
			if got := decode[struct {
				Name struct{ Family string }
			}](t, rec).Name.Family; got != text {
				t.Errorf("family name: got %q, want %q", got, text)
			}
		})
	}
}

// TestHostileQueries sends metacharacters in query parameters and path
// IDs: they filter nothing in, and never fail the server.
func TestHostileQueries(t *testing.T) {
	f := newFixture(t)
	q := url.QueryEscape
	tests := []struct {
		path   string
		status int
	}{
		{"/v1/positions?state=" + q(sqlDrop), 200},
		{"/v1/positions?state=" + q("WI' OR '1'='1"), 200},
		{"/v1/positions?taxonomy=" + q(sqlOr), 200},
		{"/v1/positions?taxonomy=" + q("207Q00000X'] OR ['x"), 200},
		{"/v1/positions?credential=" + q(sqlOr), 0},
		{"/v1/positions?org_id=" + q(sqlDrop), 0},
		{"/v1/positions?status=" + q(sqlDrop), 0},
		{"/v1/positions?cursor=" + q(sqlDrop), 0},
		{"/v1/positions?limit=99999999999999999999", 400},
		{"/v1/positions?limit=-1", 400},
		{"/v1/positions?" + q("state[]") + "=WI", 400},
		{"/v1/positions?filter=" + q("title = 'x'"), 400},
		{"/v1/profiles?licensed_in=" + q(sqlDrop), 0},
		{"/v1/profiles?taxonomy=" + q(backslash), 200},
		{"/v1/profiles?credential=" + q(sqlOr), 0},
		{"/v1/profiles?visible_only=" + q(sqlOr), 400},
		{"/v1/audit?subject_id=" + q(sqlDrop), 400},
		{"/v1/audit?key_id=" + q(sqlOr), 400},
		{"/v1/audit?subject_id=not-a-uuid", 400},
		{"/v1/audit?before=" + q(sqlOr), 400},
		{"/v1/organizations?cursor=" + q(brackets), 0},
		// A raw semicolon makes net/url drop the parameter: the filter must
		// not silently vanish.
		{"/v1/positions?state=WI;x", 400},
		{"/v1/audit?subject_id=" + url.PathEscape(sqlDrop), 400},
		{"/v1/profiles?licensed_in=WI;DROP", 400},
		{"/v1/positions/" + url.PathEscape(sqlOr), 404},
		{"/v1/positions/" + url.PathEscape(sqlDrop) + "/versions", 404},
		{"/v1/organizations/%00", 400}, // a NUL in a path parameter is refused by name
		{"/v1/profiles/" + url.PathEscape(backslash), 404},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			before := f.counts(t)
			rec := f.do(t, f.admin, "GET", tc.path, nil)
			switch {
			case tc.status == 0:
				wantProblem(t, rec, 0, "")
			case tc.status >= 400:
				wantProblem(t, rec, tc.status, "")
			default:
				wantStatus(t, rec, tc.status)
				if items := decode[struct{ Items []json.RawMessage }](t, rec).Items; len(items) != 0 {
					t.Errorf("items: got %d, want none", len(items))
				}
			}
			if diff := cmp.Diff(before, f.counts(t)); diff != "" {
				t.Errorf("rows changed (-before +after):\n%s", diff)
			}
		})
	}
}

var _ = httptest.NewRecorder

// TestAuditBadIDs checks that an ID filter of the audit log that is not a
// UUID is a 400 naming the parameter, not a 422 about the key request.
func TestAuditBadIDs(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"subject_id", "key_id"} {
		for _, v := range []string{"not-a-uuid", sqlDrop, "123e4567e89b12d3a456426614174000"} {
			t.Run(name+"="+v, func(t *testing.T) {
				rec := f.do(t, f.admin, "GET", "/v1/audit?"+name+"="+url.QueryEscape(v), nil)
				p := wantProblem(t, rec, http.StatusBadRequest, name)
				if len(p.Errors) != 1 || p.Errors[0].Path != name {
					t.Errorf("errors: got %+v, want one naming %s", p.Errors, name)
				}
			})
		}
	}
}
