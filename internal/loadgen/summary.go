package loadgen

import (
	"slices"
	"strings"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Latency is a set of requests' count, errors and exact latency
// percentiles in milliseconds (over every request, failed ones included:
// a timeout is a slow answer).
type Latency struct {
	N      int     `json:"n"`
	Errors int     `json:"errors"`
	P50    float64 `json:"p50_ms"`
	P95    float64 `json:"p95_ms"`
	P99    float64 `json:"p99_ms"`
	Max    float64 `json:"max_ms"`
}

// latencyOf computes Latency from durations, which it sorts.
func latencyOf(d []time.Duration, errors int) Latency {
	if len(d) == 0 {
		return Latency{}
	}
	slices.Sort(d)
	pct := func(p float64) float64 {
		// The nearest-rank percentile: the smallest value with at least p
		// of the values at or below it.
		i := int(p*float64(len(d))+0.999999) - 1
		return ms(d[max(0, min(len(d)-1, i))])
	}
	return Latency{N: len(d), Errors: errors, P50: pct(0.50), P95: pct(0.95), P99: pct(0.99), Max: ms(d[len(d)-1])}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// summarise turns one step's results into a Step; a step passes when its
// p99 is within bound and no request failed.
func summarise(results []*vegeta.Result, rate int, took time.Duration, bound time.Duration) Step {
	st := Step{Rate: rate, Seconds: took.Seconds(), Requests: len(results), Routes: map[Kind]Latency{}}
	all := make([]time.Duration, 0, len(results))
	byKind := map[Kind][]time.Duration{}
	errsByKind := map[Kind]int{}
	for _, r := range results {
		k := kindOf(r)
		all = append(all, r.Latency)
		byKind[k] = append(byKind[k], r.Latency)
		if r.Error != "" {
			st.Errors++
			errsByKind[k]++
			if st.ErrorKinds == nil {
				st.ErrorKinds = map[string]int{}
			}
			st.ErrorKinds[errorClass(r.Error)]++
		}
	}
	st.All = latencyOf(all, st.Errors)
	for k, d := range byKind {
		st.Routes[k] = latencyOf(d, errsByKind[k])
	}
	if took > 0 {
		st.Throughput = float64(len(results)-st.Errors) / took.Seconds()
	}
	st.Passed = len(results) > 0 && st.Errors == 0 && st.All.P99 <= ms(bound)
	return st
}

// errorClass shortens an error to what it is (a status, a timeout, a
// refused connection), so the report counts kinds, not messages.
func errorClass(e string) string {
	switch {
	case strings.Contains(e, "Client.Timeout") || strings.Contains(e, "deadline exceeded"):
		return "timeout"
	case strings.Contains(e, "connection refused"):
		return "connection refused"
	case strings.Contains(e, "connection reset"):
		return "connection reset"
	case len(e) == 3 || (len(e) > 3 && e[3] == ' ' && e[0] >= '1' && e[0] <= '5'):
		return e // an HTTP status such as "503 Service Unavailable"
	}
	if len(e) > 60 {
		e = e[:60]
	}
	return e
}
