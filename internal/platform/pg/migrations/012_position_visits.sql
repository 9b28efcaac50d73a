-- When each recruiter key last opened each position's page, so that the
-- positions list counts the strong matches new since that visit.
CREATE TABLE position_visits (
    key_id       uuid NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
    position_id  uuid NOT NULL REFERENCES positions (id) ON DELETE CASCADE,
    visited_at   timestamptz NOT NULL,
    PRIMARY KEY (key_id, position_id)
);
CREATE INDEX position_visits_position ON position_visits (position_id);
