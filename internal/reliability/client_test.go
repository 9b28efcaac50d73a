package reliability

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// requestTimeout bounds every request the test makes; a request that
// reaches it counts as a hang.
const requestTimeout = 10 * time.Second

// client calls the API and counts requests, errors and hangs.
type client struct {
	base string
	http *http.Client

	requests, netErrors, hangs atomic.Int64
	mu                         sync.Mutex
	hung                       []string // the first hung requests, for the report
}

func newClient(base string) *client {
	tr := &http.Transport{DialContext: (&net.Dialer{Timeout: 2 * time.Second}).DialContext,
		MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}
	return &client{base: base, http: &http.Client{Timeout: requestTimeout, Transport: tr}}
}

// reply is an answer, or the error that took its place.
type reply struct {
	status int
	header http.Header
	body   []byte
	err    error
	took   time.Duration
}

func (r reply) ok() bool { return r.err == nil && r.status >= 200 && r.status < 300 }

func (r reply) String() string {
	if r.err != nil {
		return r.err.Error()
	}
	b := r.body
	if len(b) > 300 {
		b = b[:300]
	}
	return fmt.Sprintf("%d %s", r.status, b)
}

// decode reads the body into v.
func (r reply) decode(v any) error {
	if err := json.Unmarshal(r.body, v); err != nil {
		return fmt.Errorf("decode %T from %q: %w", v, r.body, err)
	}
	return nil
}

// do sends one request with the API key and extra headers (name, value
// pairs). It returns within requestTimeout.
func (c *client) do(method, path, key string, body []byte, headers ...string) reply {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, rd)
	if err != nil {
		return reply{err: err}
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	c.requests.Add(1)
	start := time.Now()
	resp, err := c.http.Do(req)
	if err == nil {
		var b []byte
		b, err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil {
			return reply{status: resp.StatusCode, header: resp.Header, body: b, took: time.Since(start)}
		}
	}
	c.netErrors.Add(1)
	if isTimeout(err) {
		c.hangs.Add(1)
		c.mu.Lock()
		if len(c.hung) < 10 {
			c.hung = append(c.hung, fmt.Sprintf("%s %s after %s", method, path, time.Since(start).Round(time.Millisecond)))
		}
		c.mu.Unlock()
	}
	return reply{err: err, took: time.Since(start)}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// get reads path as key and decodes a 200 answer into v.
func (c *client) get(path, key string, v any) error {
	r := c.do(http.MethodGet, path, key, nil)
	if r.err != nil || r.status != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, r)
	}
	return r.decode(v)
}

// hungRequests lists the first requests that hung.
func (c *client) hungRequests() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.hung...)
}

// page is one page of a cursor-paged list.
type page[T any] struct {
	Items      []T    `json:"items"`
	Total      int    `json:"total"`
	NextCursor string `json:"next_cursor"`
}

// eachPage reads every page of a cursor-paged list at path (which has a
// query string) and calls fn with each page's items.
func eachPage[T any](c *client, path, key string, fn func([]T)) error {
	cursor := ""
	for n := 0; n < 10_000; n++ {
		p := path
		if cursor != "" {
			p += "&cursor=" + cursor
		}
		var pg page[T]
		if err := c.get(p, key, &pg); err != nil {
			return err
		}
		fn(pg.Items)
		if pg.NextCursor == "" {
			return nil
		}
		cursor = pg.NextCursor
	}
	return fmt.Errorf("%s: more than 10,000 pages", path)
}

// searchPage is one page of a free search.
type searchPage[T any] struct {
	Hits []T `json:"hits"`
}

// eachHit reads every hit of a search at path (which has a query string)
// with offset paging, calling fn with each page's hits. It reads until a
// page is short rather than trusting the total, which is an estimate.
func eachHit[T any](c *client, path, key string, fn func([]T)) error {
	const limit = 100
	for offset := 0; offset+limit <= 10_000+limit; offset += limit {
		var sp searchPage[T]
		if err := c.get(fmt.Sprintf("%s&limit=%d&offset=%d", path, limit, offset), key, &sp); err != nil {
			return err
		}
		fn(sp.Hits)
		if len(sp.Hits) < limit {
			return nil
		}
	}
	return fmt.Errorf("%s: more hits than offset paging reaches", path)
}

// eventually calls cond every interval until it holds or timeout passes,
// and reports whether it held. Waits in the test are on conditions with
// deadlines like this one; the interval keeps polls of the API from
// taking the CPU the servers need.
func eventually(timeout, interval time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(interval)
	}
}
