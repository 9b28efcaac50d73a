package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestReadOnlyFieldsAreRefused walks the spec: for every operation with a
// JSON body and every read-only property of that body (IDs, versions,
// timestamps, the consent time), a request that sets it answers 400 naming
// the field, so a client never chooses an ID or backdates consent, and a
// property marked read-only later is covered too.
func TestReadOnlyFieldsAreRefused(t *testing.T) {
	f := newFixture(t)
	sp := mustLoadSpec(t)
	ids := map[string]string{"organizations": f.orgA.ID, "positions": f.posA.ID, "profiles": f.prof1.ID}
	tested := 0
	for path, item := range sp.doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			mt := op.RequestBody.Value.Content.Get("application/json")
			if mt == nil || mt.Schema == nil || mt.Schema.Value == nil {
				continue
			}
			url := path
			for coll, id := range ids {
				url = strings.ReplaceAll(url, "/"+coll+"/{id}", "/"+coll+"/"+id)
			}
			for name, prop := range mt.Schema.Value.Properties {
				if prop.Value == nil || !prop.Value.ReadOnly {
					continue
				}
				var v any = "2001-01-01T00:00:00Z"
				if prop.Value.Type.Is("integer") {
					v = 7
				}
				tested++
				t.Run(method+" "+path+" "+name, func(t *testing.T) {
					rec := f.do(t, f.admin, method, url, map[string]any{name: v}, "If-Match", `"v1"`)
					if rec.Code != http.StatusBadRequest {
						t.Fatalf("got %d, want 400: %s", rec.Code, rec.Body)
					}
					p := decode[Problem](t, rec)
					if !slices.ContainsFunc(p.Errors, func(e FieldError) bool { return e.Path == name && strings.Contains(e.Message, "read-only") }) {
						t.Errorf("the problem does not name %s as read-only: %s", name, rec.Body)
					}
				})
			}
		}
	}
	if tested < 10 {
		t.Fatalf("only %d read-only fields found in request bodies: is the walk broken?", tested)
	}
}
