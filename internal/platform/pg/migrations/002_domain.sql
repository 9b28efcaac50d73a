-- Domain: organisations and their locations, positions with their version
-- history, clinician profiles, and the outbox that feeds search sync.
--
-- Columns that lists filter or sort on are scalar; nested objects that are
-- only read whole (a position's environment and wants, a profile's wishes)
-- are JSONB, where a JSON null member means "unknown". CHECK constraints
-- mirror the key ranges of the Go validation as a safety net: the Go code
-- is the source of the user-facing messages.

CREATE TABLE organizations (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name             text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind             text NOT NULL CHECK (kind IN ('health_system', 'group_practice', 'fqhc', 'hospital', 'urgent_care', 'telehealth')),
    weight_overrides jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(weight_overrides) = 'object'),
    version          int NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX organizations_page ON organizations (created_at, id);

CREATE TABLE locations (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id       uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    ordinal      int NOT NULL,                 -- order within the organisation's list
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    address_line text NOT NULL DEFAULT '',
    city         text NOT NULL DEFAULT '',
    postal_code  text NOT NULL DEFAULT '' CHECK (postal_code = '' OR postal_code ~ '^[0-9]{5}(-[0-9]{4})?$'),
    state        text NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
    lat          double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lng          double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
    time_zone    text NOT NULL CHECK (time_zone <> ''),
    UNIQUE (org_id, id)                        -- target of positions' (org_id, location_id) key
);

CREATE TABLE positions (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id          uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    location_id     uuid NOT NULL,
    title           text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
    description     text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
    credentials     text[] NOT NULL CHECK (cardinality(credentials) BETWEEN 1 AND 5
                        AND credentials <@ ARRAY['MD', 'DO', 'NP', 'PA', 'RN']),
    taxonomies      text[] NOT NULL CHECK (cardinality(taxonomies) BETWEEN 1 AND 20),
    licence_states  text[] NOT NULL CHECK (cardinality(licence_states) BETWEEN 1 AND 56),
    employment_type text NOT NULL CHECK (employment_type IN ('permanent', 'locum_tenens', 'travel', 'per_diem')),
    start_date      date NOT NULL CHECK (start_date >= DATE '2000-01-01'),
    duration_weeks  int CHECK (duration_weeks BETWEEN 1 AND 260),
    schedule        jsonb NOT NULL CHECK (jsonb_typeof(schedule) = 'object'),
    pay_min         double precision NOT NULL CHECK (pay_min >= 0),
    pay_max         double precision NOT NULL,
    pay_period      text NOT NULL CHECK (pay_period IN ('annual', 'hourly')),
    pay_currency    text NOT NULL DEFAULT 'USD' CHECK (pay_currency = 'USD'),
    headcount       int NOT NULL CHECK (headcount BETWEEN 1 AND 1000),
    status          text NOT NULL CHECK (status IN ('draft', 'open', 'filled', 'closed')),
    expires_at      timestamptz,
    environment     jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(environment) = 'object'),
    wants           jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(wants) = 'object'),
    -- Copied from the location so that lists and search filter without a join;
    -- the store rewrites them when the location changes.
    state           text NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
    lat             double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lng             double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
    version         int NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (pay_min <= pay_max),
    CHECK (pay_max <= CASE pay_period WHEN 'hourly' THEN 1000 ELSE 5000000 END),
    CHECK (status <> 'open' OR expires_at IS NOT NULL),
    CONSTRAINT positions_location_fk FOREIGN KEY (org_id, location_id) REFERENCES locations (org_id, id)
);
CREATE INDEX positions_org ON positions (org_id, created_at, id);
CREATE INDEX positions_status ON positions (status, created_at, id);
CREATE INDEX positions_listed ON positions (status, expires_at);
CREATE INDEX positions_location ON positions (location_id);
CREATE INDEX positions_page ON positions (created_at, id);
CREATE INDEX positions_taxonomies ON positions USING gin (taxonomies);
CREATE INDEX positions_credentials ON positions USING gin (credentials);

-- position_versions keeps every stored state of a position, so a change to
-- pay or schedule after a clinician accepted is visible and attributable.
CREATE TABLE position_versions (
    position_id    uuid NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    version        int NOT NULL CHECK (version >= 1),
    snapshot       jsonb NOT NULL,
    changed_at     timestamptz NOT NULL DEFAULT now(),
    changed_by_key uuid,                       -- API key that made the change; NULL for system changes
    PRIMARY KEY (position_id, version)
);

CREATE TABLE profiles (
    id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name                   jsonb NOT NULL,                 -- display only
    contact                jsonb NOT NULL,                 -- private: shown with consent only
    credential             text NOT NULL CHECK (credential IN ('MD', 'DO', 'NP', 'PA', 'RN')),
    npi                    text NOT NULL DEFAULT '' CHECK (npi = '' OR npi ~ '^[12][0-9]{9}$'),
    taxonomies             text[] NOT NULL CHECK (cardinality(taxonomies) BETWEEN 1 AND 20),
    board_certifications   jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(board_certifications) = 'array'),
    licences               jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(licences) = 'array'), -- private: numbers
    -- Derived from licences for filtering: issuing states, and whether any
    -- licence is a multistate (Nurse Licensure Compact) one.
    licence_states         text[] NOT NULL DEFAULT '{}',
    multistate             boolean NOT NULL DEFAULT false,
    years_experience       int NOT NULL CHECK (years_experience BETWEEN 0 AND 60),
    languages              text[] NOT NULL DEFAULT '{}',
    ehrs_used              text[] NOT NULL DEFAULT '{}',
    ehrs_avoid             text[] NOT NULL DEFAULT '{}',
    home_state             text NOT NULL CHECK (home_state ~ '^[A-Z]{2}$'),
    home_lat               double precision NOT NULL CHECK (home_lat BETWEEN -90 AND 90),
    home_lng               double precision NOT NULL CHECK (home_lng BETWEEN -180 AND 180),
    home_postal_code       text NOT NULL DEFAULT '',
    max_commute_miles      int NOT NULL CHECK (max_commute_miles BETWEEN 0 AND 500),
    willing_to_move_states text[] NOT NULL DEFAULT '{}',
    available_from         date NOT NULL CHECK (available_from BETWEEN DATE '2000-01-01' AND DATE '2099-12-31'),
    employment_types       text[] NOT NULL CHECK (cardinality(employment_types) >= 1),
    schedule               jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(schedule) = 'object'),
    pay_floor              jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(pay_floor) = 'object'),
    wishes                 jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(wishes) = 'object'),
    importance             jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(importance) = 'object'),
    visible_to_recruiters  boolean NOT NULL DEFAULT false,
    consent_updated_at     timestamptz,
    version                int NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now(),
    CHECK (credential = 'RN' OR npi <> '')
);
CREATE UNIQUE INDEX profiles_npi ON profiles (npi) WHERE npi <> '';
CREATE INDEX profiles_credential ON profiles (credential);
CREATE INDEX profiles_taxonomies ON profiles USING gin (taxonomies);
CREATE INDEX profiles_licence_states ON profiles USING gin (licence_states);
CREATE INDEX profiles_page ON profiles (created_at, id);

-- outbox lists entities whose search documents must be rewritten; rows are
-- written in the same transaction as the change and marked done by the
-- sync worker, so search never misses a committed change.
CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    entity     text NOT NULL CHECK (entity IN ('position', 'profile')),
    entity_id  uuid NOT NULL,
    op         text NOT NULL CHECK (op IN ('upsert', 'delete')),
    created_at timestamptz NOT NULL DEFAULT now(),
    done_at    timestamptz
);
CREATE INDEX outbox_pending ON outbox (id) WHERE done_at IS NULL;
