package tasks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"github.com/hibiken/asynq"

	"carefit/webhook"
	"carefit/webhook/webhookdb"
)

// Webhook task types.
const (
	// TypeWebhookDigest prepares a finished run's digests, one delivery per
	// webhook, and enqueues them.
	TypeWebhookDigest = "webhook:digest"
	// TypeWebhookDeliver sends one delivery, retried with backoff.
	TypeWebhookDeliver = "webhook:deliver"
)

// deliverRetries is how many times a delivery is retried, with asynq's
// backoff (about 10 minutes to a day between the last tries), before it is
// marked failed.
const deliverRetries = 8

// NewWebhookDigestTask returns the task preparing run's digests; its ID
// holds the run, so the shards that see the run end enqueue it once.
func NewWebhookDigestTask(runID int64) *asynq.Task {
	b, _ := json.Marshal(RunPayload{RunID: runID})
	return asynq.NewTask(TypeWebhookDigest, b, asynq.Queue(QueueDefault), asynq.MaxRetry(10), asynq.Timeout(2*time.Minute),
		asynq.TaskID("webhook:digest:"+strconv.FormatInt(runID, 10)), asynq.Retention(runRetention))
}

// DeliveryPayload names one delivery.
type DeliveryPayload struct {
	ID int64 `json:"id"`
}

// NewWebhookDeliverTask returns the task sending delivery id.
func NewWebhookDeliverTask(id int64) *asynq.Task {
	b, _ := json.Marshal(DeliveryPayload{ID: id})
	return asynq.NewTask(TypeWebhookDeliver, b, asynq.Queue(QueueDefault), asynq.MaxRetry(deliverRetries),
		asynq.Timeout(time.Minute), asynq.TaskID("webhook:deliver:"+strconv.FormatInt(id, 10)))
}

// Webhooks is what the webhook tasks need.
type Webhooks struct {
	Store  *webhookdb.Store
	Queue  *asynq.Client
	Client *http.Client
	Now    func() time.Time
}

func (h *Handlers) registerWebhooks(mux *asynq.ServeMux) {
	if h.Webhooks == nil {
		return
	}
	mux.HandleFunc(TypeWebhookDigest, h.Webhooks.digest)
	mux.HandleFunc(TypeWebhookDeliver, h.Webhooks.deliver)
}

func (w *Webhooks) digest(ctx context.Context, t *asynq.Task) error {
	p, err := decode[RunPayload](t)
	if err != nil {
		return err
	}
	ids, err := w.Store.PrepareDigests(ctx, p.RunID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := Enqueue(ctx, w.Queue, NewWebhookDeliverTask(id)); err != nil {
			return err
		}
	}
	return nil
}

// deliver POSTs one digest, signed at the time of this attempt, and logs
// the attempt; a receiver that does not answer 2xx gets the same body
// again later, and the delivery is failed after the last retry.
func (w *Webhooks) deliver(ctx context.Context, t *asynq.Task) error {
	p, err := decode[DeliveryPayload](t)
	if err != nil {
		return err
	}
	out, err := w.Store.Outgoing(ctx, p.ID)
	if errors.Is(err, webhookdb.ErrNotFound) {
		return nil // the webhook was deleted
	}
	if err != nil {
		return err
	}
	if out.Delivery.Status != webhook.Pending {
		return nil
	}
	code, sendErr := w.send(ctx, out)
	status := webhook.Delivered
	msg := ""
	if sendErr != nil {
		status, msg = webhook.Pending, sendErr.Error()
		if isLastTry(ctx) {
			status = webhook.Failed
		}
	}
	if err := w.Store.RecordAttempt(context.WithoutCancel(ctx), p.ID, code, msg, status); err != nil {
		return err
	}
	return sendErr
}

// send makes one attempt and returns the receiver's status code. Its
// error is in carefit's words (it is shown in the delivery log).
func (w *Webhooks) send(ctx context.Context, out webhookdb.Outgoing) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, out.URL, bytes.NewReader(out.Body))
	if err != nil {
		return 0, errors.New("the URL cannot be requested")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "carefit-webhook/1")
	req.Header.Set(webhook.SignatureHeader, webhook.Sign(out.Secret, w.Now(), out.Body))
	req.Header.Set("Carefit-Delivery", strconv.FormatInt(out.Delivery.ID, 10))
	resp, err := w.Client.Do(req)
	if err != nil {
		if errors.Is(err, errBlockedAddress) {
			return 0, errors.New("the receiver's address is not public")
		}
		return 0, errors.New("the receiver could not be reached or did not answer in time")
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return resp.StatusCode, fmt.Errorf("the receiver answered %d", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

var errBlockedAddress = errors.New("webhook: address not allowed")

// WebhookClient is the HTTP client deliveries use: a 10 s limit, no
// redirects, and, unless allowPrivate, connections only to public
// addresses, checked after name resolution so a receiver's DNS cannot
// point a delivery at carefit's own services.
func WebhookClient(allowPrivate bool) *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, Control: func(_, address string, _ syscall.RawConn) error {
		host, _, err := net.SplitHostPort(address)
		if err != nil {
			return errBlockedAddress
		}
		if ip := net.ParseIP(host); ip == nil || (!allowPrivate && !webhook.Public(ip)) {
			return errBlockedAddress
		}
		return nil
	}}
	tr := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second, MaxIdleConns: 10, IdleConnTimeout: 30 * time.Second, Proxy: nil}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
