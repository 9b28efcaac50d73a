package peers

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"carefit/internal/kit/geo"
	"carefit/internal/platform/testenv"
	"carefit/match"
	"carefit/search"
	"carefit/search/searchsync"
)

// meiliFilter is one position's eligibility as far as Meilisearch can
// state it over stored attributes: credential, specialty, a licence in
// the work state, availability, employment type, and a fixed 30-mile
// radius (the default commute; a clinician's own commute and the states
// they would move to are per-document wishes a filter cannot compare).
func meiliFilter(p match.Position, now time.Time) string {
	quote := func(xs []string) string {
		q := make([]string, len(xs))
		for i, x := range xs {
			q[i] = fmt.Sprintf("%q", x)
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	creds := make([]string, len(p.Credentials))
	for i, c := range p.Credentials {
		creds[i] = string(c)
	}
	start := p.StartDate
	if start.Before(now) {
		start = now
	}
	f := []string{"credential IN " + quote(creds), "taxonomies IN " + quote(p.Taxonomies),
		fmt.Sprintf("licence_states = %q", p.State), fmt.Sprintf("available_from <= %d", start.Unix()),
		fmt.Sprintf("employment_types = %q", string(p.EmploymentType))}
	if p.Location != nil {
		f = append(f, fmt.Sprintf("_geoRadius(%f, %f, %.0f)", p.Location.Lat, p.Location.Lng, geo.MilesToMeters(match.DefaultCommuteMiles)))
	}
	return strings.Join(f, " AND ")
}

// BenchmarkPeersMeilisearch asks Meilisearch alone for one position's
// candidates: eligibility as filters, nearest first, 50 hits, no per-pair
// fit (Meilisearch cannot rank on one). Its median is the latency floor a
// search-only design starts from; the engine figure is the same
// positions ranked in full by the index.
func BenchmarkPeersMeilisearch(b *testing.B) {
	f := setup(b)
	ctx := context.Background()
	m := testenv.MeiliSearch(onceT{b})
	sc := search.New(meilisearch.New(m.URL, meilisearch.WithAPIKey(m.Key), meilisearch.WithCustomClient(search.HTTPClient(time.Minute))), m.Prefix)
	sc.TaskTimeout = 15 * time.Minute
	t0 := time.Now()
	if err := searchsync.Reindex(ctx, f.db, sc, search.KindProfiles, nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("profiles indexed in %v", time.Since(t0).Round(time.Millisecond))
	idx := m.Client.Index(sc.IndexName(search.KindProfiles))
	ps := f.sample(size("CAREFIT_BENCH_PEER_POSITIONS", 40))
	for b.Loop() {
		hits := 0
		meili := median(ps, func(p match.Position) {
			req := &meilisearch.SearchRequest{Filter: meiliFilter(p, f.now), Limit: k}
			if p.Location != nil {
				req.Sort = []string{fmt.Sprintf("_geoPoint(%f, %f):asc", p.Location.Lat, p.Location.Lng)}
			}
			res, err := idx.Search(ctx, "", req)
			if err != nil {
				b.Fatal(err)
			}
			hits += len(res.Hits)
		})
		engine := median(ps, func(p match.Position) { f.ix.TopClinicians(p, f.ix.Len(), f.now, match.Options{}, nil) })
		b.ReportMetric(meili, "meili-ms")
		b.ReportMetric(engine, "engine-ms")
		b.ReportMetric(meili/engine, "x-vs-meili")
		b.ReportMetric(float64(hits)/float64(len(ps)), "meili-hits/op")
	}
}
