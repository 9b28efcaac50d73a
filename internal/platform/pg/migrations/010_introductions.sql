-- Contact by introduction: clinicians decide who may reach them.
--
-- An introduction is a double opt-in between one organization and one
-- clinician about one position: a recruiter's request that the clinician
-- answers, or the clinician's interest that a recruiter answers. Only an
-- accepted introduction that the clinician has not revoked shows that
-- organization the clinician's contact details. A request is open while
-- pending and before expires_at: expiry is read at query time, so a
-- pending row past its expiry is simply not open; a new request on the
-- same pair marks it 'expired' so the unique index below can hold.
CREATE TABLE introductions (
    id               uuid PRIMARY KEY,
    org_id           uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    position_id      uuid NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    profile_id       uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    initiator        text NOT NULL CHECK (initiator IN ('recruiter', 'clinician')),
    requested_by_key uuid,
    message          text NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    status           text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'revoked', 'expired')),
    reply            text NOT NULL DEFAULT '' CHECK (length(reply) <= 2000),
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL CHECK (expires_at > created_at),
    answered_at      timestamptz,
    answered_by_key  uuid,
    revoked_at       timestamptz,
    revoked_by_key   uuid
);
-- One pending request per clinician and organization, whatever races.
CREATE UNIQUE INDEX introductions_one_pending ON introductions (org_id, profile_id) WHERE status = 'pending';
CREATE INDEX introductions_org ON introductions (org_id, created_at, id);
CREATE INDEX introductions_profile ON introductions (profile_id, created_at, id);
-- A recruiter key's requests of the last day, for the daily limit.
CREATE INDEX introductions_key_day ON introductions (requested_by_key, created_at) WHERE initiator = 'recruiter';

-- Organizations a clinician blocked: they never see the clinician.
CREATE TABLE profile_blocks (
    profile_id  uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    org_id      uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (profile_id, org_id)
);
CREATE INDEX profile_blocks_org ON profile_blocks (org_id);

-- The consent record: every change of visible_to_recruiters, every block
-- and unblock, every introduction asked for by the clinician, accepted,
-- declined or revoked, with its time and the API key that made it. Rows
-- are never updated.
CREATE TABLE consent_events (
    id              bigserial PRIMARY KEY,
    profile_id      uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    at              timestamptz NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('visible_to_recruiters.granted', 'visible_to_recruiters.withdrawn',
                        'organization.blocked', 'organization.unblocked', 'introduction.requested',
                        'introduction.accepted', 'introduction.declined', 'introduction.revoked')),
    key_id          uuid,
    org_id          uuid,
    position_id     uuid,
    introduction_id uuid
);
CREATE INDEX consent_events_profile ON consent_events (profile_id, id);

-- The audit log names the reader's organization and the position a read
-- was for, so a clinician's access log can say who looked and why.
ALTER TABLE audit_log ADD COLUMN org_id uuid, ADD COLUMN position_id uuid;
