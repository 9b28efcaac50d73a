-- The stored rematch: runs (nightly, on demand), their shards, each open
-- position's top K eligible clinicians, and what changed per run. Matches
-- are derived data: a run rebuilds them from positions and profiles.

CREATE TABLE rematch_runs (
    id             bigserial PRIMARY KEY,
    trigger        text NOT NULL CHECK (trigger IN ('nightly', 'manual')),
    -- The scheduler's slot (its cron time) for nightly runs: one run a slot.
    slot           timestamptz UNIQUE,
    status         text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'planning', 'running', 'done', 'failed')),
    -- The time the run scores at; every shard (and every retry) uses it, so
    -- a shard run twice writes the same rows.
    as_of          timestamptz NOT NULL,
    k              int NOT NULL CHECK (k BETWEEN 1 AND 1000),
    shards_total   int NOT NULL DEFAULT 0,
    shards_done    int NOT NULL DEFAULT 0,
    positions      int NOT NULL DEFAULT 0,
    pairs_scored   bigint NOT NULL DEFAULT 0,
    new_matches    int NOT NULL DEFAULT 0,
    improved       int NOT NULL DEFAULT 0,
    worse          int NOT NULL DEFAULT 0,
    dropped        int NOT NULL DEFAULT 0,
    error          text NOT NULL DEFAULT '',
    requested_by   uuid,  -- the API key that asked for a manual run
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    finished_at    timestamptz
);
CREATE INDEX rematch_runs_created ON rematch_runs (created_at DESC);

CREATE TABLE rematch_shards (
    run_id        bigint NOT NULL REFERENCES rematch_runs (id) ON DELETE CASCADE,
    shard         int NOT NULL,
    position_ids  text[] NOT NULL,
    estimated     bigint NOT NULL DEFAULT 0,
    done_at       timestamptz,
    pairs_scored  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (run_id, shard)
);

-- What one run changed for one position.
CREATE TABLE rematch_changes (
    run_id       bigint NOT NULL REFERENCES rematch_runs (id) ON DELETE CASCADE,
    position_id  uuid NOT NULL,
    eligible     int NOT NULL,
    new_matches  int NOT NULL,
    improved     int NOT NULL,
    worse        int NOT NULL,
    dropped      int NOT NULL,
    PRIMARY KEY (run_id, position_id)
);

CREATE TABLE matches (
    position_id     uuid NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    profile_id      uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    rank            int NOT NULL,
    score           real NOT NULL,
    clinician_side  real NOT NULL,
    employer_side   real NOT NULL,
    -- Each factor's contribution in hundredths of a point, in the engine's
    -- factor order (match.Factors); they add up to the score.
    contributions   smallint[] NOT NULL,
    run_id          bigint REFERENCES rematch_runs (id) ON DELETE SET NULL,
    computed_at     timestamptz NOT NULL,
    first_seen_at   timestamptz NOT NULL,
    previous_score  real,
    PRIMARY KEY (position_id, profile_id)
);
CREATE INDEX matches_profile ON matches (profile_id);
CREATE INDEX matches_first_seen ON matches (first_seen_at);

-- A closed, filled or deleted position, and a clinician who withdraws
-- consent, leave the stored matches in the same transaction.
CREATE FUNCTION matches_position_left() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM matches WHERE position_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER positions_left_open AFTER UPDATE OF status ON positions
    FOR EACH ROW WHEN (OLD.status = 'open' AND NEW.status <> 'open')
    EXECUTE FUNCTION matches_position_left();

CREATE FUNCTION matches_consent_withdrawn() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM matches WHERE profile_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER profiles_consent_withdrawn AFTER UPDATE OF visible_to_recruiters ON profiles
    FOR EACH ROW WHEN (OLD.visible_to_recruiters AND NOT NEW.visible_to_recruiters)
    EXECUTE FUNCTION matches_consent_withdrawn();

-- The recruiter's pipeline on a pair: it outlives every rematch.
CREATE TABLE pipeline (
    position_id     uuid NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    profile_id      uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    state           text NOT NULL CHECK (state IN ('shortlisted', 'contacted', 'interviewing', 'offered', 'placed', 'rejected', 'withdrawn')),
    note            text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    changed_by_key  uuid,
    changed_at      timestamptz NOT NULL,
    version         int NOT NULL DEFAULT 1,
    PRIMARY KEY (position_id, profile_id)
);
CREATE INDEX pipeline_profile ON pipeline (profile_id);

CREATE TABLE pipeline_history (
    id              bigserial PRIMARY KEY,
    position_id     uuid NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    profile_id      uuid NOT NULL REFERENCES profiles (id) ON DELETE CASCADE,
    state           text NOT NULL,
    note            text NOT NULL,
    changed_by_key  uuid,
    changed_at      timestamptz NOT NULL
);
CREATE INDEX pipeline_history_pair ON pipeline_history (position_id, profile_id, id);

-- When each API key last marked its alerts seen.
CREATE TABLE alerts_seen (
    key_id   uuid PRIMARY KEY REFERENCES api_keys (id) ON DELETE CASCADE,
    seen_at  timestamptz NOT NULL
);
