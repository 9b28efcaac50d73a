-- Foundation: API keys, the audit log, and idempotent request records.
-- Everything else derives from the domain tables added by later migrations.

CREATE TABLE api_keys (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    prefix      text NOT NULL UNIQUE,          -- first characters, shown to identify a key
    hash        bytea NOT NULL,                -- SHA-256 of the whole key; the key itself is never stored
    role        text NOT NULL CHECK (role IN ('admin', 'recruiter', 'clinician')),
    org_id      uuid,                          -- recruiters: their organization
    profile_id  uuid,                          -- clinicians: their profile
    label       text NOT NULL DEFAULT '' CHECK (length(label) <= 200),
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz,
    last_used_at timestamptz,
    CHECK (role <> 'recruiter' OR org_id IS NOT NULL),
    CHECK (role <> 'clinician' OR profile_id IS NOT NULL)
);

CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    key_id      uuid REFERENCES api_keys (id),
    role        text NOT NULL,
    action      text NOT NULL,                 -- e.g. contact.read
    subject_id  uuid,                          -- whose data was read
    route       text NOT NULL,
    request_id  text NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_subject ON audit_log (subject_id, at);

CREATE TABLE idempotency_keys (
    key_id      uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    idem_key    text NOT NULL CHECK (length(idem_key) BETWEEN 1 AND 200),
    route       text NOT NULL,
    request_hash bytea NOT NULL,
    status      int NOT NULL,
    body        bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (key_id, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
