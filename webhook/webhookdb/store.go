// Package webhookdb stores organizations' webhooks and their deliveries in
// Postgres (migration 008).
package webhookdb

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/errs"
	"carefit/internal/platform/pg"
	"carefit/webhook"
)

// ErrNotFound is a webhook or delivery that does not exist in scope.
var ErrNotFound = errs.E("webhook", errs.NotFound, "")

// MaxPerOrg bounds an organization's webhooks.
const MaxPerOrg = 10

// Store keeps webhooks and deliveries.
type Store struct {
	db pg.DB
	// Now is the clock.
	Now func() time.Time
}

// New returns a store on db.
func New(db pg.DB) *Store { return &Store{db: db, Now: time.Now} }

const hookCols = `id::text, org_id::text, url, created_at`

func scanHook(row pgx.Row) (webhook.Webhook, error) {
	var w webhook.Webhook
	err := row.Scan(&w.ID, &w.OrgID, &w.URL, &w.CreatedAt)
	return w, err
}

// Create registers url for orgID and returns the webhook and its signing
// secret, which is not shown again. It returns a Conflict when the
// organization has MaxPerOrg webhooks already; orgID must exist.
func (s *Store) Create(ctx context.Context, orgID, url string) (webhook.Webhook, string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return webhook.Webhook{}, "", errs.Internalf("webhook.Create", err)
	}
	secret := "whsec_" + base64.RawURLEncoding.EncodeToString(buf)
	var w webhook.Webhook
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		// The organization's row is locked first, and the count taken
		// by the next statement, which sees what the create before it
		// committed: two creates cannot both count nine and make eleven.
		var n int
		err := tx.QueryRow(ctx, `SELECT 1 FROM organizations WHERE id = $1 FOR NO KEY UPDATE`, orgID).Scan(&n)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM webhooks WHERE org_id = $1`, orgID).Scan(&n); err != nil {
			return err
		}
		if n >= MaxPerOrg {
			return errs.E("webhook.Create", errs.Conflict, "an organization has at most 10 webhooks: delete one first")
		}
		w, err = scanHook(tx.QueryRow(ctx, `INSERT INTO webhooks (org_id, url, secret, created_at) VALUES ($1, $2, $3, $4)
			RETURNING `+hookCols, orgID, url, secret, pg.Time(s.Now())))
		return err
	})
	if _, ok := pg.FKViolation(err); ok || errors.Is(err, ErrNotFound) {
		return webhook.Webhook{}, "", ErrNotFound // no such organization
	}
	if err != nil {
		return webhook.Webhook{}, "", pg.Classify("webhook.Create", err)
	}
	return w, secret, nil
}

// List returns the organization's webhooks, oldest first.
func (s *Store) List(ctx context.Context, orgID string) ([]webhook.Webhook, error) {
	out := []webhook.Webhook{}
	err := pg.Each(ctx, s.db, "webhook.List", `SELECT `+hookCols+` FROM webhooks WHERE org_id = $1 ORDER BY created_at, id`,
		[]any{orgID}, scanHook, func(w webhook.Webhook) error { out = append(out, w); return nil })
	return out, err
}

// Delete removes the organization's webhook id and its deliveries; another
// organization's answers ErrNotFound.
func (s *Store) Delete(ctx context.Context, orgID, id string) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM webhooks WHERE id = $1::uuid AND org_id = $2`, id, orgID)
	if err != nil {
		return pg.Classify("webhook.Delete", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

const deliveryCols = `id, webhook_id::text, run_id, status, attempts, last_status_code, last_error, created_at, delivered_at`

func scanDelivery(row pgx.Row) (webhook.Delivery, error) {
	var d webhook.Delivery
	err := row.Scan(&d.ID, &d.WebhookID, &d.RunID, &d.Status, &d.Attempts, &d.LastStatus, &d.LastError, &d.CreatedAt, &d.DeliveredAt)
	return d, err
}

// Deliveries returns up to limit of the organization's webhook's
// deliveries, newest first; a webhook of another organization answers
// ErrNotFound.
func (s *Store) Deliveries(ctx context.Context, orgID, id string, limit int) ([]webhook.Delivery, error) {
	var owner string
	err := s.db.QueryRow(ctx, `SELECT org_id::text FROM webhooks WHERE id = $1::uuid`, id).Scan(&owner)
	if errors.Is(err, pgx.ErrNoRows) || (err == nil && owner != orgID) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, pg.Classify("webhook.Deliveries", err)
	}
	out := []webhook.Delivery{}
	err = pg.Each(ctx, s.db, "webhook.Deliveries", `SELECT `+deliveryCols+` FROM webhook_deliveries
		WHERE webhook_id = $1 ORDER BY id DESC LIMIT $2`, []any{id, limit}, scanDelivery,
		func(d webhook.Delivery) error { out = append(out, d); return nil })
	return out, err
}

// PrepareDigests records, once per run, a pending delivery of the run's
// digest to every webhook whose organization has open positions the run
// ranked, and returns the IDs of the run's deliveries still pending.
func (s *Store) PrepareDigests(ctx context.Context, runID int64) ([]int64, error) {
	const op = "webhook.PrepareDigests"
	var ids []int64
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var finished *time.Time
		if err := tx.QueryRow(ctx, `SELECT finished_at FROM rematch_runs WHERE id = $1 AND status = 'done'`, runID).Scan(&finished); err != nil {
			return err
		}
		digests, err := buildDigests(ctx, tx, runID, *finished)
		if err != nil {
			return err
		}
		for orgID, d := range digests {
			body, err := json.Marshal(d)
			if err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (webhook_id, run_id, body, created_at)
				SELECT id, $2, $3, $4 FROM webhooks WHERE org_id = $1
				ON CONFLICT (webhook_id, run_id) DO NOTHING`, orgID, runID, body, pg.Time(s.Now())); err != nil {
				return err
			}
		}
		return pg.Each(ctx, tx, op, `SELECT id FROM webhook_deliveries WHERE run_id = $1 AND status = 'pending' ORDER BY id`,
			[]any{runID}, func(row pgx.Row) (int64, error) { var id int64; return id, row.Scan(&id) },
			func(id int64) error { ids = append(ids, id); return nil })
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil // not done (yet): nothing to send
	}
	return ids, pg.Classify(op, err)
}

// buildDigests gathers the run's changes per organization that has a
// webhook.
func buildDigests(ctx context.Context, tx pgx.Tx, runID int64, finished time.Time) (map[string]*webhook.Digest, error) {
	out := map[string]*webhook.Digest{}
	rows, err := tx.Query(ctx, `
		SELECT p.org_id::text, c.position_id::text, p.title, c.eligible, c.new_matches, c.improved, c.worse, c.dropped
		FROM rematch_changes c JOIN positions p ON p.id = c.position_id
		WHERE c.run_id = $1 AND p.org_id IN (SELECT org_id FROM webhooks)
		ORDER BY p.org_id, c.position_id`, runID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var org string
		var pd webhook.PositionDigest
		c := &pd.Changes
		if err := rows.Scan(&org, &pd.PositionID, &pd.Title, &pd.Eligible, &c.New, &c.Improved, &c.Worse, &c.Dropped); err != nil {
			return nil, err
		}
		d := out[org]
		if d == nil {
			d = &webhook.Digest{Event: "rematch.completed", RunID: runID, OrganizationID: org, FinishedAt: finished,
				Positions: []webhook.PositionDigest{}}
			out[org] = d
		}
		d.Positions = append(d.Positions, pd)
		d.Changes.Add(pd.Changes)
	}
	return out, rows.Err()
}

// Outgoing is a delivery ready to send: where, with which secret, and the
// body fixed when the delivery was prepared.
type Outgoing struct {
	Delivery webhook.Delivery
	URL      string
	Secret   string
	Body     []byte
}

// Outgoing returns delivery id with its webhook's URL and secret; a
// delivery whose webhook was deleted answers ErrNotFound.
func (s *Store) Outgoing(ctx context.Context, id int64) (Outgoing, error) {
	var o Outgoing
	d := &o.Delivery
	err := s.db.QueryRow(ctx, `SELECT d.id, d.webhook_id::text, d.run_id, d.status, d.attempts, d.last_status_code,
			d.last_error, d.created_at, d.delivered_at, w.url, w.secret, d.body
		FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = $1`, id).
		Scan(&d.ID, &d.WebhookID, &d.RunID, &d.Status, &d.Attempts, &d.LastStatus, &d.LastError, &d.CreatedAt, &d.DeliveredAt,
			&o.URL, &o.Secret, &o.Body)
	if errors.Is(err, pgx.ErrNoRows) {
		return o, ErrNotFound
	}
	return o, pg.Classify("webhook.Outgoing", err)
}

// RecordAttempt logs one attempt of delivery id: the receiver's status
// (0 when none) and error text of our own words; status is the delivery's
// state after it.
func (s *Store) RecordAttempt(ctx context.Context, id int64, code int, msg, status string) error {
	_, err := s.db.Exec(ctx, `UPDATE webhook_deliveries SET attempts = attempts + 1, last_status_code = $2,
			last_error = left($3, 500), status = $4, delivered_at = CASE WHEN $4 = 'delivered' THEN $5::timestamptz END
		WHERE id = $1`, id, code, msg, status, pg.Time(s.Now()))
	return pg.Classify("webhook.RecordAttempt", err)
}
