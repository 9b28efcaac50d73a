-- Organizations' webhooks: one digest of each rematch run, signed, with a
-- log of every delivery.
CREATE TABLE webhooks (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    url         text NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    -- The HMAC signing secret: shown once at creation, kept to sign.
    secret      text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX webhooks_org ON webhooks (org_id);

CREATE TABLE webhook_deliveries (
    id                bigserial PRIMARY KEY,
    webhook_id        uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    run_id            bigint NOT NULL REFERENCES rematch_runs (id) ON DELETE CASCADE,
    -- The digest, fixed when the delivery is prepared, so every retry sends
    -- the same body.
    body              bytea NOT NULL,
    status            text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts          int NOT NULL DEFAULT 0,
    last_status_code  int NOT NULL DEFAULT 0,
    last_error        text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL,
    delivered_at      timestamptz,
    UNIQUE (webhook_id, run_id)
);
CREATE INDEX webhook_deliveries_run ON webhook_deliveries (run_id);
