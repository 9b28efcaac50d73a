package api

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// webhookBody is the body of POST /v1/organizations/{id}/webhooks.
type webhookBody struct {
	URL string `json:"url"`
}

func (s *Server) createWebhook(c echo.Context) error {
	if err := queryParams(c); err != nil {
		return err
	}
	var b webhookBody
	if err := decodeJSON(c, &b); err != nil {
		return err
	}
	out, err := s.app.CreateWebhook(c.Request().Context(), caller(c), c.Param("id"), b.URL)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/organizations/"+out.Webhook.OrgID+"/webhooks/"+out.Webhook.ID)
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) listWebhooks(c echo.Context) error {
	if err := queryParams(c); err != nil {
		return err
	}
	hooks, err := s.app.ListWebhooks(c.Request().Context(), caller(c), c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": hooks})
}

func (s *Server) deleteWebhook(c echo.Context) error {
	if err := queryParams(c); err != nil {
		return err
	}
	if err := s.app.DeleteWebhook(c.Request().Context(), caller(c), c.Param("id"), c.Param("webhook_id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) webhookDeliveries(c echo.Context) error {
	if err := queryParams(c, "limit"); err != nil {
		return err
	}
	limit, err := limitParam(c, 50)
	if err != nil {
		return err
	}
	ds, err := s.app.WebhookDeliveries(c.Request().Context(), caller(c), c.Param("id"), c.Param("webhook_id"), limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"items": ds})
}
