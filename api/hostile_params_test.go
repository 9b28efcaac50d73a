package api

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// hostileValues are what a hostile or broken client puts into parameters.
var hostileValues = map[string]string{
	"NUL":            "a\x00b",
	"invalid UTF-8":  "a\xff\xfeb",
	"control":        "a\x07b",
	"bidi override":  "a\u202eb",
	"10,000 runes":   strings.Repeat("a", 10_000),
	"quote and glob": `"' OR 1=1 --*`,
}

// TestHostileParametersNeverAnswer5xx generates requests from the spec:
// every query, path and header parameter of every operation gets each
// hostile value (and query parameters are also repeated), sent by a key of
// every role. No answer may be a 5xx, so a parameter or route added to the
// spec later is covered.
func TestHostileParametersNeverAnswer5xx(t *testing.T) {
	f := newFixture(t)
	sp := mustLoadSpec(t)
	keys := []string{f.admin, f.recA, f.clin1}
	sent := 0
	for path, item := range sp.doc.Paths.Map() {
		for method, op := range item.Operations() {
			params := append(item.Parameters, op.Parameters...)
			for _, pr := range params {
				p := pr.Value
				if p == nil {
					continue
				}
				for vname, v := range hostileValues {
					for _, key := range keys {
						target := fillPath(path, f.posA.ID)
						var headers []string
						switch p.In {
						case "query":
							target += "?" + url.Values{p.Name: {v}}.Encode()
						case "path":
							target = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(v))
							target = fillPath(target, f.posA.ID)
						case "header":
							if strings.ContainsAny(v, "\x00\n\r") {
								continue // net/http refuses such header values itself
							}
							headers = []string{p.Name, v}
						default:
							continue
						}
						sent++
						rec := hostileDo(t, f, key, method, target, headers)
						if rec.Code >= 500 {
							t.Errorf("%s %s (%s %s = %s): %d: %.300s", method, path, p.In, p.Name, vname, rec.Code, rec.Body)
						}
					}
				}
				if p.In == "query" {
					target := fillPath(path, f.posA.ID) + "?" + url.Values{p.Name: {"1", "2"}}.Encode()
					if rec := hostileDo(t, f, f.admin, method, target, nil); rec.Code >= 500 {
						t.Errorf("%s %s with %s repeated: %d: %.300s", method, path, p.Name, rec.Code, rec.Body)
					}
				}
			}
		}
	}
	if sent < 500 {
		t.Fatalf("only %d hostile requests generated: is the spec walk broken?", sent)
	}
}

// TestHostileQueryValuesAre400 checks the class's answer where it used to
// reach SQL: a 400 naming the parameter.
func TestHostileQueryValuesAre400(t *testing.T) {
	f := newFixture(t)
	for _, path := range []string{"/v1/positions?taxonomy=%00", "/v1/positions?state=%00", "/v1/profiles?taxonomy=%00",
		"/v1/profiles?taxonomy=%FF", "/v1/positions?state=TX&state=WI"} {
		rec := f.do(t, f.admin, "GET", path, nil)
		u, _ := url.Parse(path)
		var name string
		for n := range u.Query() {
			name = n
		}
		wantProblem(t, rec, http.StatusBadRequest, name)
	}
}

// fillPath puts a real ID into every remaining path parameter.
func fillPath(path, id string) string {
	for {
		i := strings.Index(path, "{")
		if i < 0 {
			return path
		}
		j := strings.Index(path[i:], "}")
		path = path[:i] + id + path[i+j+1:]
	}
}

func hostileDo(t *testing.T, f *fixture, key, method, target string, headers []string) *httptest.ResponseRecorder {
	t.Helper()
	var body any
	if method == http.MethodPost || method == http.MethodPatch || method == http.MethodPut {
		body = map[string]any{}
	}
	return f.do(t, key, method, target, body, headers...)
}
