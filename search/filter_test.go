package search

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/uuid"
	"github.com/meilisearch/meilisearch-go"

	"carefit/internal/kit/taxonomy"
)

// hostile are values that would change a filter's meaning if they were
// pasted into it unescaped.
var hostile = []string{
	`plain`,
	`a" OR id EXISTS OR v = "b`,
	`x" OR "1" = "1`,
	`OR`,
	`v = 1`,
	`[1, 2]`,
	`"]`,
	`back\slash`,
	`ends with backslash\`,
	`\" OR v EXISTS OR "`,
	`two\\backslashes`,
	"new\nline OR v EXISTS",
	`'single' quotes`,
	`_geoRadius(0, 0, 1)`,
	`NOT v IN ["plain"]`,
	`(v = "plain")`,
	`ümlaut "quoted" \\" mixed`,
}

func TestQuote(t *testing.T) {
	tests := []struct{ in, want string }{
		{`plain`, `"plain"`},
		{`a"b`, `"a\"b"`},
		{`a\b`, `"a\\b"`},
		{`\"`, `"\\\""`},
		{`OR = [ ]`, `"OR = [ ]"`},
		{"line\nbreak", "\"line\nbreak\""},
	}
	for _, tc := range tests {
		if got := quote(tc.in); got != tc.want {
			t.Errorf("quote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestFilterBuilder(t *testing.T) {
	var f filter
	f.eq("state", `WI" OR state = "TX`)
	f.in("taxonomies", []string{"a", `b"]`})
	f.num("pay_max", ">=", 1e6)
	f.boolean("listed", true)
	f.geoRadius(43.07, -89.4, 1609.344)
	got, err := f.build()
	want := `state = "WI\" OR state = \"TX" AND taxonomies IN ["a", "b\"]"] AND pay_max >= 1000000 AND listed = true AND _geoRadius(43.07, -89.4, 1609)`
	if err != nil || got != want {
		t.Fatalf("got %s, %v\nwant %s", got, err, want)
	}
	for _, bad := range []string{"\xff", "nul\x00"} {
		var f filter
		f.eq("state", bad)
		if _, err := f.build(); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%q: got %v, want ErrInvalidQuery", bad, err)
		}
	}
}

func TestQueriesRejectUnknownValues(t *testing.T) {
	c := New(nil, "unused")
	ctx := testCtx(t)
	pq := []PositionQuery{
		{State: `WI" OR state = "TX`},
		{Credential: `MD" OR "1"="1`},
		{Taxonomy: `207Q00000X"]`},
		{EmploymentType: "permanent OR listed = false"},
		{Setting: "fqhc\n"},
		{MinPay: 100, PayPeriod: `annual" OR "`},
		{MinPay: 100},
		{Near: &Near{Lat: 100, Lng: 0, Miles: 10}},
		{Near: &Near{Lat: 43, Lng: -89, Miles: 0}},
		{Limit: MaxLimit + 1},
		{Offset: -1},
		{Q: string(make([]rune, MaxQueryLen+1))},
	}
	for _, q := range pq {
		if _, err := c.SearchPositions(ctx, q); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%+v: got %v, want ErrInvalidQuery", q, err)
		}
	}
	rq := []ProfileQuery{
		{LicensedIn: "wi"}, {Language: `es" OR "`}, {EHR: "epic]"}, {Credential: "md"},
	}
	for _, q := range rq {
		if _, err := c.SearchProfiles(ctx, q); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("%+v: got %v, want ErrInvalidQuery", q, err)
		}
	}
	if _, err := c.ProfileIDs(ctx, "", ProfileFilter{LicenceStates: []string{`WI" OR "`}}); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("ProfileIDs: got %v", err)
	}
	if _, err := c.PositionIDs(ctx, "", PositionFilter{Credentials: []taxonomy.Credential{"XX"}}); !errors.Is(err, ErrInvalidQuery) {
		t.Errorf("PositionIDs: got %v", err)
	}
}

// TestQuotedValuesMatchLiterally stores documents whose field holds each
// hostile value and checks, on the real server, that an exact filter on
// the value finds that document and no other, alone and inside IN.
func TestQuotedValuesMatchLiterally(t *testing.T) {
	c := newClient(t)
	ctx := testCtx(t)
	name := c.prefix + "_literal"
	info, err := c.ms.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: name, PrimaryKey: "id"})
	if err == nil {
		err = c.wait(ctx, info)
	}
	if err != nil {
		t.Fatal(err)
	}
	ix := c.ms.Index(name)
	info, err = ix.UpdateSettings(ctx, &meilisearch.Settings{FilterableAttributes: []string{"v"}})
	if err == nil {
		err = c.wait(ctx, info)
	}
	if err != nil {
		t.Fatal(err)
	}
	type doc struct {
		ID string `json:"id"`
		V  string `json:"v"`
	}
	docs := make([]doc, len(hostile))
	want := map[string]string{}
	for i, v := range hostile {
		docs[i] = doc{uuid.NewString(), v}
		want[v] = docs[i].ID
	}
	info, err = ix.AddDocuments(ctx, &docs, nil)
	if err == nil {
		err = c.wait(ctx, info)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range hostile {
		t.Run(fmt.Sprintf("%q", v), func(t *testing.T) {
			for _, build := range []func(f *filter){
				func(f *filter) { f.eq("v", v) },
				func(f *filter) { f.in("v", []string{v, "no such value"}) },
			} {
				var f filter
				build(&f)
				expr, err := f.build()
				if err != nil {
					t.Fatal(err)
				}
				res, err := searchRaw[doc](ctx, ix, "", &meilisearch.SearchRequest{Filter: expr, Limit: 100})
				if err != nil {
					t.Fatalf("filter %s: %v", expr, err)
				}
				if len(res.Hits) != 1 || res.Hits[0].ID != want[v] || res.Hits[0].V != v {
					t.Errorf("filter %s: got %+v, want only %s", expr, res.Hits, want[v])
				}
			}
		})
	}
}
