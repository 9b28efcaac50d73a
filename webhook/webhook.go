// Package webhook is an organization's subscription to the nightly
// rematch: after each run, one digest of what changed for the
// organization's open positions is POSTed to the URL it registered,
// signed with HMAC-SHA256, and retried with backoff until the receiver
// answers 2xx. Every attempt is logged for the organization to read. This
// package has the types, the URL rules and the signature; webhookdb stores
// them and tasks delivers them.
package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"carefit/internal/kit/errs"
	"carefit/rematch"
)

// Webhook is one registered receiver. Its signing secret is shown once,
// when it is created, and kept only to sign deliveries.
type Webhook struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	URL       string    `json:"url"`
	CreatedAt time.Time `json:"created_at"`
}

// Delivery is one digest sent (or being sent) to one webhook.
type Delivery struct {
	ID          int64      `json:"id"`
	WebhookID   string     `json:"webhook_id"`
	RunID       int64      `json:"run_id"`
	Status      string     `json:"status"` // pending, delivered, failed
	Attempts    int        `json:"attempts"`
	LastStatus  int        `json:"last_status_code"`
	LastError   string     `json:"last_error"`
	CreatedAt   time.Time  `json:"created_at"`
	DeliveredAt *time.Time `json:"delivered_at"`
}

// Delivery states.
const (
	Pending   = "pending"
	Delivered = "delivered"
	Failed    = "failed"
)

// Digest is the body of a delivery: what one run changed for one
// organization's open positions.
type Digest struct {
	Event          string           `json:"event"` // "rematch.completed"
	RunID          int64            `json:"run_id"`
	OrganizationID string           `json:"organization_id"`
	FinishedAt     time.Time        `json:"finished_at"`
	Changes        rematch.Counts   `json:"changes"`
	Positions      []PositionDigest `json:"positions"`
}

// PositionDigest is one position's part of a digest.
type PositionDigest struct {
	PositionID string         `json:"position_id"`
	Title      string         `json:"title"`
	Eligible   int            `json:"eligible"`
	Changes    rematch.Counts `json:"changes"`
}

// maxURL bounds a receiver's URL.
const maxURL = 2000

// CheckURL checks a receiver's URL: absolute https (or http when
// allowPrivate, for receivers on a private network), with a host and no
// credentials. Where the host resolves is checked again at each delivery
// (see Dialer). It returns an Invalid *errs.Error naming "url".
func CheckURL(raw string, allowPrivate bool) error {
	bad := func(msg string) error { return errs.Invalidf("webhook.CheckURL", "url", "%s", msg) }
	if len(raw) > maxURL {
		return bad("at most " + strconv.Itoa(maxURL) + " characters")
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || !u.IsAbs() || u.Host == "" || u.Opaque != "":
		return bad("must be an absolute URL such as https://example.org/carefit")
	case u.User != nil:
		return bad("must not carry credentials; authenticate deliveries by their signature")
	case u.Fragment != "":
		return bad("must not have a fragment")
	case u.Scheme != "https" && !(u.Scheme == "http" && allowPrivate):
		return bad("must use https")
	}
	if ip := net.ParseIP(strings.Trim(u.Hostname(), "[]")); ip != nil && !allowPrivate && !Public(ip) {
		return bad("must reach a public address")
	}
	return nil
}

// Public reports whether ip is an address on the public internet, not a
// loopback, private, link-local, multicast or unspecified one: a receiver
// there cannot be used to reach carefit's own services.
func Public(ip net.IP) bool {
	return !(ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified())
}

// SignatureHeader carries a delivery's signature: "t=<unix seconds>,
// v1=<hex HMAC-SHA256 of "<t>.<body>" with the webhook's secret>". A
// receiver recomputes it and rejects old timestamps to refuse replays.
const SignatureHeader = "Carefit-Signature"

// Sign returns the signature header's value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// Verify reports whether header is a valid signature of body with secret
// made at most maxAge before now.
func Verify(secret, header string, body []byte, now time.Time, maxAge time.Duration) bool {
	var ts string
	for _, part := range strings.Split(header, ",") {
		if v, ok := strings.CutPrefix(part, "t="); ok {
			ts = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return false
	}
	t := time.Unix(sec, 0)
	if now.Sub(t) > maxAge || t.Sub(now) > maxAge {
		return false
	}
	return hmac.Equal([]byte(Sign(secret, t, body)), []byte(header))
}
