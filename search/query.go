package search

import (
	"context"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/meilisearch/meilisearch-go"

	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

// Query limits.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	// MaxQueryLen is the longest text query, in characters.
	MaxQueryLen = 200
	// MaxRadiusMiles is the widest geo radius accepted.
	MaxRadiusMiles = 3000
)

// Facets requested on each index: the attributes its queries filter on.
var (
	positionFacets = []string{"state", "credentials", "taxonomies", "employment_type", "setting", "pay_period"}
	profileFacets  = []string{"credential", "taxonomies", "licence_states", "languages", "ehrs_used"}
)

// ProfileFilter narrows ProfileIDs. Within a field any value matches;
// fields are combined with AND; empty fields do not filter.
type ProfileFilter struct {
	Credentials []taxonomy.Credential
	Taxonomies  []string
	// LicenceStates keeps clinicians licensed in any of these states
	// (compact states included for multistate RNs).
	LicenceStates []string
	Languages     []taxonomy.Language
	EHRs          []taxonomy.EHR
	// IDs keeps only these profiles (UUIDs, at most MaxFilterIDs), so
	// Meilisearch matches text among those documents only.
	IDs []string
}

// PositionFilter narrows PositionIDs, like ProfileFilter.
type PositionFilter struct {
	Credentials []taxonomy.Credential
	Taxonomies  []string
	// States are the states of the positions' locations.
	States          []string
	LicenceStates   []string
	EmploymentTypes []taxonomy.EmploymentType
	// IDs keeps only these positions; see ProfileFilter.IDs.
	IDs []string
}

// Near keeps documents within Miles of a point.
type Near struct {
	Lat, Lng float64
	Miles    float64
}

// PositionQuery is a free search of listed positions. Empty fields do not
// filter.
type PositionQuery struct {
	// Q is the text searched, typo-tolerant; empty lists everything.
	Q              string
	State          string
	Credential     taxonomy.Credential
	Taxonomy       string
	EmploymentType taxonomy.EmploymentType
	Setting        taxonomy.Setting
	// MinPay keeps positions whose pay range reaches MinPay per
	// PayPeriod (pay_max >= MinPay); it needs PayPeriod, since annual
	// and hourly amounts do not compare.
	MinPay    float64
	PayPeriod jobs.PayPeriod
	Near      *Near
	// Offset and Limit page through the hits; Limit 0 means DefaultLimit.
	Offset, Limit int
}

// ProfileQuery is a free search of clinician profiles. Empty fields do
// not filter.
type ProfileQuery struct {
	Q          string
	Credential taxonomy.Credential
	Taxonomy   string
	// LicensedIn keeps clinicians licensed in this state.
	LicensedIn string
	Language   taxonomy.Language
	EHR        taxonomy.EHR
	// AvailableBefore keeps clinicians available on or before this day.
	AvailableBefore time.Time
	Near            *Near
	Offset, Limit   int
	// IDs, when set, keeps only these profiles (UUIDs, at most
	// MaxFilterIDs): the clinicians the caller may see. Within, when set,
	// narrows the same way with a broader filter (a recruiter's
	// organization's credentials and specialties). Both come from the
	// server, never from the request.
	IDs    []string
	Within ProfileFilter
}

// Result is one page of a free search.
type Result[T any] struct {
	Hits []T `json:"hits"`
	// Total is Meilisearch's estimate of all matching documents, at most
	// MaxTotalHits.
	Total int `json:"total"`
	// Facets counts matching documents per value of each filter
	// attribute: Facets["state"]["WI"].
	Facets map[string]map[string]int `json:"facets"`
	Offset int                       `json:"offset"`
	Limit  int                       `json:"limit"`
}

// CheckText returns the error of a search for the text q: not valid
// UTF-8, or longer than MaxQueryLen characters, as a Malformed error
// naming q (ErrInvalidQuery); nil for text any search accepts.
func CheckText(q string) error {
	if !utf8.ValidString(q) {
		return invalid("q", "is not valid UTF-8")
	}
	if utf8.RuneCountInString(q) > MaxQueryLen {
		return invalid("q", "must be at most %d characters", MaxQueryLen)
	}
	return nil
}

func checkPage(offset, limit int) (int, error) {
	if limit == 0 {
		limit = DefaultLimit
	}
	if limit < 1 || limit > MaxLimit {
		return 0, invalid("limit", "must be between 1 and %d, got %d", MaxLimit, limit)
	}
	if offset < 0 || offset+limit > MaxTotalHits {
		return 0, invalid("offset", "must be between 0 and %d, got %d", MaxTotalHits-limit, offset)
	}
	return limit, nil
}

// The add* helpers validate a value against its vocabulary and add it to
// f; unknown values are query errors, so nothing unvalidated reaches a
// filter.
func addCredentials(f *filter, attr string, cs ...taxonomy.Credential) {
	var vs []string
	for _, c := range cs {
		if c == "" {
			continue
		}
		if !c.Valid() {
			f.fail(invalid("credential", "unknown credential %q", c))
			return
		}
		vs = append(vs, string(c))
	}
	f.in(attr, vs)
}

// MaxFilterIDs is the most IDs one IDs filter may hold.
const MaxFilterIDs = 5000

func addIDs(f *filter, ids []string) {
	if len(ids) == 0 {
		return
	}
	if len(ids) > MaxFilterIDs {
		f.fail(invalid("ids", "at most %d IDs", MaxFilterIDs))
		return
	}
	for _, id := range ids {
		if _, err := uuid.Parse(id); err != nil || len(id) != 36 {
			f.fail(invalid("ids", "%q is not a UUID", id))
			return
		}
	}
	f.in("id", ids)
}

func addTaxonomies(f *filter, codes ...string) {
	var vs []string
	for _, c := range codes {
		if c == "" {
			continue
		}
		if _, ok := taxonomy.Lookup(c); !ok {
			f.fail(invalid("taxonomy", "unsupported taxonomy code %q", c))
			return
		}
		vs = append(vs, c)
	}
	f.in("taxonomies", vs)
}

func addStates(f *filter, field, attr string, states ...string) {
	var vs []string
	for _, s := range states {
		if s == "" {
			continue
		}
		if !geo.IsState(s) {
			f.fail(invalid(field, "must be a two-letter US state or territory code, got %q", s))
			return
		}
		vs = append(vs, s)
	}
	f.in(attr, vs)
}

func addLanguages(f *filter, attr string, ls ...taxonomy.Language) {
	var vs []string
	for _, l := range ls {
		if l == "" {
			continue
		}
		if !l.Valid() {
			f.fail(invalid("language", "unsupported language %q", l))
			return
		}
		vs = append(vs, string(l))
	}
	f.in(attr, vs)
}

func addEHRs(f *filter, attr string, es ...taxonomy.EHR) {
	var vs []string
	for _, e := range es {
		if e == "" {
			continue
		}
		if !e.Valid() {
			f.fail(invalid("ehr", "unknown EHR %q", e))
			return
		}
		vs = append(vs, string(e))
	}
	f.in(attr, vs)
}

func addEmploymentTypes(f *filter, ts ...taxonomy.EmploymentType) {
	var vs []string
	for _, t := range ts {
		if t == "" {
			continue
		}
		if !t.Valid() {
			f.fail(invalid("employment_type", "unknown employment type %q", t))
			return
		}
		vs = append(vs, string(t))
	}
	f.in("employment_type", vs)
}

// addNear adds the radius filter and returns the geo sort, nearest first.
func addNear(f *filter, n *Near) []string {
	if n == nil {
		return nil
	}
	if !(Geo{n.Lat, n.Lng}).Valid() {
		f.fail(invalid("near", "coordinates %v,%v are not a location", n.Lat, n.Lng))
		return nil
	}
	if !(n.Miles > 0 && n.Miles <= MaxRadiusMiles) {
		f.fail(invalid("near", "radius must be more than 0 and at most %d miles, got %v", MaxRadiusMiles, n.Miles))
		return nil
	}
	f.geoRadius(n.Lat, n.Lng, geo.MilesToMeters(n.Miles))
	ff := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	return []string{"_geoPoint(" + ff(n.Lat) + ", " + ff(n.Lng) + "):asc"}
}

// listed restricts f to positions open and not expired at now.
func listed(f *filter, now time.Time) {
	f.boolean("listed", true)
	f.num("expires_at", ">", float64(now.Unix()))
}

func (f ProfileFilter) expr() (string, error) {
	var fl filter
	addCredentials(&fl, "credential", f.Credentials...)
	addTaxonomies(&fl, f.Taxonomies...)
	addStates(&fl, "licence_states", "licence_states", f.LicenceStates...)
	addLanguages(&fl, "languages", f.Languages...)
	addEHRs(&fl, "ehrs_used", f.EHRs...)
	addIDs(&fl, f.IDs)
	return fl.build()
}

func (c *Client) positionFilter(f PositionFilter) (string, error) {
	var fl filter
	listed(&fl, c.Now())
	addCredentials(&fl, "credentials", f.Credentials...)
	addTaxonomies(&fl, f.Taxonomies...)
	addStates(&fl, "states", "state", f.States...)
	addStates(&fl, "licence_states", "licence_states", f.LicenceStates...)
	addEmploymentTypes(&fl, f.EmploymentTypes...)
	addIDs(&fl, f.IDs)
	return fl.build()
}

// ProfileIDs returns the ID of every profile matching the text q
// (typo-tolerant; empty matches all) and f, up to MaxTotalHits, most
// relevant first. It retrieves the id attribute only. It returns an error
// matching ErrInvalidQuery for a bad q or filter value, or the
// Meilisearch error.
func (c *Client) ProfileIDs(ctx context.Context, q string, f ProfileFilter) ([]string, error) {
	if err := CheckText(q); err != nil {
		return nil, err
	}
	return chunkedIDs(ctx, f.IDs, func(ctx context.Context, ids []string) ([]string, error) {
		g := f
		g.IDs = ids
		expr, err := g.expr()
		if err != nil {
			return nil, err
		}
		// Among named IDs no more can match than were named; a smaller
		// limit spares Meilisearch sizing its answer for MaxTotalHits.
		return c.ids(ctx, KindProfiles, q, expr, len(ids))
	})
}

// idChunk is how many IDs one Meilisearch request filters on: parsing
// an IN list costs about 5 ms a thousand values, so long lists are split
// into requests that Meilisearch answers side by side.
const idChunk = 1000

// chunkedIDs runs search over ids in chunks of idChunk concurrently and
// concatenates the matches (callers use them as a set); with no ids it
// runs once unnarrowed. It returns the first error.
func chunkedIDs(ctx context.Context, ids []string, search func(context.Context, []string) ([]string, error)) ([]string, error) {
	if len(ids) <= idChunk {
		return search(ctx, ids)
	}
	if len(ids) > MaxFilterIDs {
		return nil, invalid("ids", "at most %d IDs", MaxFilterIDs)
	}
	n := (len(ids) + idChunk - 1) / idChunk
	results := make([][]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			results[i], errs[i] = search(ctx, ids[i*idChunk:min((i+1)*idChunk, len(ids))])
		}(i)
	}
	wg.Wait()
	var out []string
	for i := range results {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, results[i]...)
	}
	return out, nil
}

// PositionIDs returns the ID of every listed position matching q and f;
// see ProfileIDs.
func (c *Client) PositionIDs(ctx context.Context, q string, f PositionFilter) ([]string, error) {
	if err := CheckText(q); err != nil {
		return nil, err
	}
	return chunkedIDs(ctx, f.IDs, func(ctx context.Context, ids []string) ([]string, error) {
		g := f
		g.IDs = ids
		expr, err := c.positionFilter(g)
		if err != nil {
			return nil, err
		}
		return c.ids(ctx, KindPositions, q, expr, len(ids))
	})
}

func (q PositionQuery) expr(now time.Time) (string, []string, error) {
	var f filter
	listed(&f, now)
	addStates(&f, "state", "state", q.State)
	addCredentials(&f, "credentials", q.Credential)
	addTaxonomies(&f, q.Taxonomy)
	addEmploymentTypes(&f, q.EmploymentType)
	if q.Setting != "" {
		if !q.Setting.Valid() {
			f.fail(invalid("setting", "unknown setting %q", q.Setting))
		}
		f.eq("setting", string(q.Setting))
	}
	if q.MinPay != 0 || q.PayPeriod != "" {
		if !q.PayPeriod.Valid() {
			f.fail(invalid("pay_period", "must be annual or hourly with min_pay, got %q", q.PayPeriod))
		}
		if q.MinPay < 0 {
			f.fail(invalid("min_pay", "must not be negative"))
		}
		f.eq("pay_period", string(q.PayPeriod))
		f.num("pay_max", ">=", q.MinPay)
	}
	sort := addNear(&f, q.Near)
	expr, err := f.build()
	return expr, sort, err
}

// SearchPositions searches listed positions (open and not expired) by
// text, filters and distance, with facet counts for the filter
// attributes; with Near, hits of equal relevance are nearest first. It
// returns an error matching ErrInvalidQuery for a bad value, or the
// Meilisearch error.
func (c *Client) SearchPositions(ctx context.Context, q PositionQuery) (Result[PositionDoc], error) {
	if err := CheckText(q.Q); err != nil {
		return Result[PositionDoc]{}, err
	}
	limit, err := checkPage(q.Offset, q.Limit)
	if err != nil {
		return Result[PositionDoc]{}, err
	}
	expr, sort, err := q.expr(c.Now())
	if err != nil {
		return Result[PositionDoc]{}, err
	}
	return search[PositionDoc](ctx, c.ms.Index(c.IndexName(KindPositions)), q.Q, expr, sort, positionFacets, q.Offset, limit)
}

func (q ProfileQuery) expr() (string, []string, error) {
	var f filter
	addCredentials(&f, "credential", q.Credential)
	addTaxonomies(&f, q.Taxonomy)
	addStates(&f, "licensed_in", "licence_states", q.LicensedIn)
	addLanguages(&f, "languages", q.Language)
	addEHRs(&f, "ehrs_used", q.EHR)
	if !q.AvailableBefore.IsZero() {
		f.num("available_from", "<=", float64(q.AvailableBefore.Unix()))
	}
	addIDs(&f, q.IDs)
	addCredentials(&f, "credential", q.Within.Credentials...)
	addTaxonomies(&f, q.Within.Taxonomies...)
	sort := addNear(&f, q.Near)
	expr, err := f.build()
	return expr, sort, err
}

// SearchProfiles searches clinician profiles; see SearchPositions.
func (c *Client) SearchProfiles(ctx context.Context, q ProfileQuery) (Result[ProfileDoc], error) {
	if err := CheckText(q.Q); err != nil {
		return Result[ProfileDoc]{}, err
	}
	limit, err := checkPage(q.Offset, q.Limit)
	if err != nil {
		return Result[ProfileDoc]{}, err
	}
	expr, sort, err := q.expr()
	if err != nil {
		return Result[ProfileDoc]{}, err
	}
	return search[ProfileDoc](ctx, c.ms.Index(c.IndexName(KindProfiles)), q.Q, expr, sort, profileFacets, q.Offset, limit)
}

func search[T any](ctx context.Context, ix meilisearch.IndexManager, q, expr string, sort, facets []string, offset, limit int) (Result[T], error) {
	req := &meilisearch.SearchRequest{Offset: int64(offset), Limit: int64(limit), Filter: nilIfEmpty(expr), Sort: sort, Facets: facets,
		MatchingStrategy: matchEveryWord}
	res, err := searchRaw[T](ctx, ix, q, req)
	if err != nil {
		return Result[T]{}, err
	}
	out := Result[T]{Hits: res.Hits, Total: res.EstimatedTotalHits, Facets: res.FacetDistribution, Offset: offset, Limit: limit}
	if out.Hits == nil {
		out.Hits = []T{}
	}
	if out.Facets == nil {
		out.Facets = map[string]map[string]int{}
	}
	return out, nil
}
