package loadgen

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"time"
)

// Freshness is how long edits took to show in the ranked lists while the
// load ran: from the edit's answer until the edited clinician's explained
// pair read as ineligible, in milliseconds.
type Freshness struct {
	Samples int     `json:"samples"`
	Missed  int     `json:"missed"` // not seen within 10 s
	P50     float64 `json:"p50_ms"`
	P95     float64 `json:"p95_ms"`
	Max     float64 `json:"max_ms"`
}

// probeFreshness edits the freshness pairs' clinicians one after another
// until ctx ends: each edit moves the clinician's availability past every
// start date, so they leave every candidates list, and the probe polls
// the pair every 20 ms until it is no longer eligible.
func probeFreshness(ctx context.Context, cat *catalog) *Freshness {
	client := &http.Client{Timeout: 10 * time.Second}
	var took []time.Duration
	missed, used := 0, 0
	for _, p := range cat.fresh {
		if ctx.Err() != nil {
			break
		}
		used++
		d, err := editAndWait(ctx, client, cat.plan, p)
		switch {
		case ctx.Err() != nil:
		case err != nil:
			missed++
		default:
			took = append(took, d)
		}
		select {
		case <-ctx.Done():
		case <-time.After(200 * time.Millisecond):
		}
	}
	cat.fresh = cat.fresh[used:] // an edited clinician is used once
	l := latencyOf(took, 0)
	return &Freshness{Samples: len(took), Missed: missed, P50: l.P50, P95: l.P95, Max: l.Max}
}

// editAndWait makes one clinician unavailable and waits until the pair
// p is explained as ineligible; it returns the wait.
func editAndWait(ctx context.Context, client *http.Client, plan Plan, p pair) (time.Duration, error) {
	profile := plan.BaseURL + "/v1/profiles/" + p.Clinician
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, profile, nil)
	req.Header.Set("Authorization", "Bearer "+plan.AdminKey)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	etag := resp.Header.Get("ETag")
	req, _ = http.NewRequestWithContext(ctx, http.MethodPatch, profile, bytes.NewReader([]byte(`{"available_from":"2099-01-01T00:00:00Z"}`)))
	req.Header.Set("Authorization", "Bearer "+plan.AdminKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("If-Match", etag)
	resp, err = client.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("loadgen: PATCH %s: %s", profile, resp.Status)
	}
	edited := time.Now()
	for time.Since(edited) < 10*time.Second && ctx.Err() == nil {
		var ex struct {
			Explanation struct {
				Eligible bool `json:"eligible"`
			} `json:"explanation"`
		}
		err := getJSON(ctx, client, plan.BaseURL+"/v1/positions/"+p.Position+"/candidates/"+p.Clinician, plan.AdminKey, &ex)
		if err == nil && !ex.Explanation.Eligible {
			return time.Since(edited), nil
		}
		time.Sleep(20 * time.Millisecond)
	}
	return 0, fmt.Errorf("loadgen: the edit of %s did not show within 10 s", p.Clinician)
}
