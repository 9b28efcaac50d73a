package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// pair is an eligible (position, clinician) pair a recruiter can see.
type pair struct {
	Key, Position, Clinician string
}

// catalog is what the targeter draws from: the plan, and pairs found by
// asking the server for a few candidates of each position before the load.
type catalog struct {
	plan      Plan
	positions []pair // Clinician empty: the recruiter's positions
	pairs     []pair // for explains and writes
	fresh     []pair // for the freshness probe, clinicians not in pairs
}

// prepare lists up to 5 candidates of up to 300 positions and keeps their
// pairs: every fourth clinician is set aside for the freshness probe (its
// edits make them ineligible, so no other request may use them).
func prepare(ctx context.Context, client *http.Client, p Plan) (*catalog, error) {
	c := &catalog{plan: p}
	for _, r := range p.Recruiters {
		for _, pos := range r.Positions {
			c.positions = append(c.positions, pair{Key: r.Key, Position: pos})
		}
	}
	if len(c.positions) == 0 {
		return nil, fmt.Errorf("loadgen: the plan's recruiters have no positions")
	}
	setAside := map[string]bool{}
	for i, pos := range c.positions {
		if i == 300 {
			break
		}
		var page struct {
			Items []struct {
				Clinician struct {
					ID string `json:"id"`
				} `json:"clinician"`
			} `json:"items"`
		}
		if err := getJSON(ctx, client, p.BaseURL+"/v1/positions/"+pos.Position+"/candidates?limit=5", pos.Key, &page); err != nil {
			return nil, err
		}
		for _, it := range page.Items {
			id := it.Clinician.ID
			pr := pair{pos.Key, pos.Position, id}
			switch seen, ok := setAside[id]; {
			case ok && seen:
				continue // a freshness clinician: edited during the load
			case ok:
				c.pairs = append(c.pairs, pr)
			case len(setAside)%4 == 3:
				setAside[id] = true
				c.fresh = append(c.fresh, pr)
			default:
				setAside[id] = false
				c.pairs = append(c.pairs, pr)
			}
		}
	}
	if len(c.pairs) == 0 {
		return nil, fmt.Errorf("loadgen: no position of the plan has an eligible candidate")
	}
	return c, nil
}

// getJSON GETs url with key and decodes a 200 answer into v.
func getJSON(ctx context.Context, client *http.Client, url, key string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("loadgen: GET %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("loadgen: GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// targeter returns a vegeta.Targeter that walks the scenario's schedule;
// request n draws its records from the catalog by a hash of n, so calls
// from many goroutines need no lock.
func (c *catalog) targeter(s Scenario) vegeta.Targeter {
	sched := s.schedule()
	var n atomic.Uint64
	base := c.plan.BaseURL
	return func(t *vegeta.Target) error {
		i := n.Add(1) - 1
		h := mix64(i)
		kind := sched[i%uint64(len(sched))]
		t.Method, t.Body, t.Header = http.MethodGet, nil, http.Header{}
		var key string
		switch kind {
		case Candidates, CandidatesText:
			p := c.positions[h%uint64(len(c.positions))]
			key, t.URL = p.Key, base+"/v1/positions/"+p.Position+"/candidates?limit=20"
			if kind == CandidatesText {
				q := c.plan.Queries[(h>>32)%uint64(len(c.plan.Queries))]
				t.URL += "&q=" + url.QueryEscape(q)
			}
		case Roles:
			key, t.URL = c.plan.ClinicianKeys[h%uint64(len(c.plan.ClinicianKeys))], base+"/v1/me/roles?limit=20"
		case Explain:
			p := c.pairs[h%uint64(len(c.pairs))]
			key, t.URL = p.Key, base+"/v1/positions/"+p.Position+"/candidates/"+p.Clinician
		case Write:
			p := c.pairs[h%uint64(len(c.pairs))]
			key, t.Method = p.Key, http.MethodPut
			t.URL = base + "/v1/positions/" + p.Position + "/pipeline/" + p.Clinician
			t.Body = fmt.Appendf(nil, `{"state":"shortlisted","note":"load %d at %s"}`, i, time.Now().UTC().Format(time.RFC3339Nano))
			t.Header.Set("Content-Type", "application/json")
		}
		t.Header.Set("Authorization", "Bearer "+key)
		return nil
	}
}

// mix64 is splitmix64's finaliser: a cheap, well-spread hash of n.
func mix64(n uint64) uint64 {
	n += 0x9e3779b97f4a7c15
	n = (n ^ (n >> 30)) * 0xbf58476d1ce4e5b9
	n = (n ^ (n >> 27)) * 0x94d049bb133111eb
	return n ^ (n >> 31)
}

// kindOf names the kind of request a result answered, from its method and
// URL as the targeter builds them.
func kindOf(r *vegeta.Result) Kind {
	u, err := url.Parse(r.URL)
	switch {
	case r.Method == http.MethodPut:
		return Write
	case err != nil:
		return Candidates
	case strings.HasSuffix(u.Path, "/v1/me/roles"): // after base_url's own path, if any
		return Roles
	case u.Query().Has("q"):
		return CandidatesText
	case len(u.Path) > len("/candidates") && u.Path[len(u.Path)-len("/candidates"):] != "/candidates":
		return Explain
	}
	return Candidates
}
