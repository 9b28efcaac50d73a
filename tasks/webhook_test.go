package tasks

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"carefit/internal/platform/testenv"
	"carefit/webhook"
	"carefit/webhook/webhookdb"
)

// TestWebhookGetsOneSignedDigestPerRun registers a receiver for an
// organization that fails its first delivery (503), runs a rematch, and
// checks that the receiver gets the run's digest once more after the
// failure, correctly signed, that the log shows both attempts, and that a
// second run makes a second delivery.
func TestWebhookGetsOneSignedDigestPerRun(t *testing.T) {
	e := newRematchEnv(t, 10)
	e.r.Digests = true
	var mu sync.Mutex
	var bodies [][]byte
	var sigs []string
	calls := 0
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		calls++
		if calls == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		bodies, sigs = append(bodies, b), append(sigs, r.Header.Get(webhook.SignatureHeader))
	}))
	defer recv.Close()
	hooks := webhookdb.New(e.pool)
	orgID := e.mk.Organizations[0].ID
	ctx := context.Background()
	hook, secret, err := hooks.Create(ctx, orgID, recv.URL+"/digest")
	if err != nil {
		t.Fatal(err)
	}
	e.serveWith(t, nil, &Webhooks{Store: hooks, Queue: e.r.Queue, Client: WebhookClient(true), Now: time.Now})

	first := e.runAt(t, e.now)
	delivered := func(n int) bool {
		mu.Lock()
		defer mu.Unlock()
		return len(bodies) == n
	}
	testenv.WaitFor(t, 30*time.Second, "the digest is delivered after the receiver's failure", func() bool { return delivered(1) })
	var d webhook.Digest
	if err := json.Unmarshal(bodies[0], &d); err != nil {
		t.Fatal(err)
	}
	if d.Event != "rematch.completed" || d.RunID != first.ID || d.OrganizationID != orgID || len(d.Positions) == 0 {
		t.Errorf("digest: %+v", d)
	}
	if !webhook.Verify(secret, sigs[0], bodies[0], time.Now(), 5*time.Minute) {
		t.Errorf("signature %q does not verify", sigs[0])
	}
	if webhook.Verify("whsec_other", sigs[0], bodies[0], time.Now(), 5*time.Minute) {
		t.Error("the signature verifies with another secret")
	}
	// The receiver holds the body before the worker records the attempt:
	// wait for the record, then for the queue to hold no webhook task, so
	// that a duplicate, if any, has arrived.
	settled := func(what string, runs int) []webhook.Delivery {
		t.Helper()
		var log []webhook.Delivery
		var err error
		testenv.WaitFor(t, 30*time.Second, what, func() bool {
			log, err = hooks.Deliveries(ctx, orgID, hook.ID, 10)
			if err != nil || len(log) < runs {
				return false
			}
			for _, dl := range log {
				if dl.Status == webhook.Pending {
					return false
				}
			}
			return queueDrained(t, e, QueueDefault)
		})
		return log
	}
	log := settled("the first delivery is recorded and no webhook task is left", 1)
	if len(log) != 1 || log[0].Status != webhook.Delivered || log[0].Attempts != 2 || log[0].LastStatus != 200 {
		t.Fatalf("delivery log: %+v, want one delivered after 2 attempts", log)
	}
	if !delivered(1) {
		t.Fatalf("%d digests for 1 run", len(bodies))
	}

	second := e.runAt(t, e.now.Add(time.Hour))
	testenv.WaitFor(t, 30*time.Second, "the second run's digest is delivered", func() bool { return delivered(2) })
	if err := json.Unmarshal(bodies[1], &d); err != nil || d.RunID != second.ID {
		t.Errorf("second digest: run %d (%v), want %d", d.RunID, err, second.ID)
	}
	log = settled("the second delivery is recorded and no webhook task is left", 2)
	if !delivered(2) {
		t.Errorf("%d digests for 2 runs", len(bodies))
	}
	if len(log) != 2 || log[0].Status != webhook.Delivered || log[1].Status != webhook.Delivered {
		t.Errorf("delivery log: %+v, want both runs delivered once", log)
	}
}

// queueDrained reports whether queue holds no task waiting, running,
// scheduled or due for a retry.
func queueDrained(t *testing.T, e *rematchEnv, queue string) bool {
	t.Helper()
	insp := asynq.NewInspector(e.redis)
	defer insp.Close()
	q, err := insp.GetQueueInfo(queue)
	if err != nil {
		return errors.Is(err, asynq.ErrQueueNotFound)
	}
	return q.Pending+q.Active+q.Scheduled+q.Retry+q.Aggregating == 0
}

// TestWebhookClientRefusesPrivateAddresses checks the delivery client's
// own guard, after name resolution: a receiver that resolves to loopback
// is not connected to unless private addresses are allowed.
func TestWebhookClientRefusesPrivateAddresses(t *testing.T) {
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer recv.Close()
	url := "http://localhost:" + recv.URL[len("http://127.0.0.1:"):] + "/x"
	if resp, err := WebhookClient(false).Get(url); err == nil {
		resp.Body.Close()
		t.Fatalf("the public-only client reached %s", url)
	}
	resp, err := WebhookClient(true).Get(url)
	if err != nil {
		t.Fatalf("the private-allowed client: %v", err)
	}
	resp.Body.Close()
}
