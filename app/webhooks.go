package app

import (
	"context"

	"github.com/google/uuid"

	"carefit/access"
	"carefit/internal/kit/errs"
	"carefit/webhook"
)

// Webhooks stores organizations' webhooks and their delivery logs
// (webhookdb.Store).
type Webhooks interface {
	Create(ctx context.Context, orgID, url string) (webhook.Webhook, string, error)
	List(ctx context.Context, orgID string) ([]webhook.Webhook, error)
	Delete(ctx context.Context, orgID, id string) error
	Deliveries(ctx context.Context, orgID, id string, limit int) ([]webhook.Delivery, error)
}

// CreatedWebhook is a new webhook with its signing secret, shown this once.
type CreatedWebhook struct {
	Webhook webhook.Webhook `json:"webhook"`
	Secret  string          `json:"secret"`
}

// orgOf checks that who may manage orgID's webhooks: its own recruiters
// and admins. Another organization's answers NotFound, as if absent.
func (s *Service) orgOf(who Caller, orgID string, ids ...string) error {
	if s.Webhooks == nil {
		return errs.E("app.webhooks", errs.Unavailable, "webhooks are not available in this process")
	}
	if who.Role == access.Recruiter && who.OrgID != orgID {
		return errs.E("app.webhooks", errs.NotFound, "")
	}
	for _, id := range append(ids, orgID) {
		if _, err := uuid.Parse(id); err != nil {
			return errs.E("app.webhooks", errs.NotFound, "") // a malformed ID names nothing
		}
	}
	return nil
}

// CreateWebhook registers url to receive orgID's digest of each rematch
// run. The URL must be https to a public address (see webhook.CheckURL).
func (s *Service) CreateWebhook(ctx context.Context, who Caller, orgID, url string) (CreatedWebhook, error) {
	if err := s.orgOf(who, orgID); err != nil {
		return CreatedWebhook{}, err
	}
	if err := webhook.CheckURL(url, s.Rematch.WebhookAllowPrivate); err != nil {
		return CreatedWebhook{}, err
	}
	w, secret, err := s.Webhooks.Create(ctx, orgID, url)
	if err != nil {
		return CreatedWebhook{}, err
	}
	return CreatedWebhook{Webhook: w, Secret: secret}, nil
}

// ListWebhooks returns orgID's webhooks (without their secrets).
func (s *Service) ListWebhooks(ctx context.Context, who Caller, orgID string) ([]webhook.Webhook, error) {
	if err := s.orgOf(who, orgID); err != nil {
		return nil, err
	}
	return s.Webhooks.List(ctx, orgID)
}

// DeleteWebhook removes one of orgID's webhooks.
func (s *Service) DeleteWebhook(ctx context.Context, who Caller, orgID, id string) error {
	if err := s.orgOf(who, orgID, id); err != nil {
		return err
	}
	return s.Webhooks.Delete(ctx, orgID, id)
}

// WebhookDeliveries returns the latest deliveries of one of orgID's
// webhooks: each attempt's count, the receiver's last status and error.
func (s *Service) WebhookDeliveries(ctx context.Context, who Caller, orgID, id string, limit int) ([]webhook.Delivery, error) {
	if err := s.orgOf(who, orgID, id); err != nil {
		return nil, err
	}
	return s.Webhooks.Deliveries(ctx, orgID, id, limit)
}
