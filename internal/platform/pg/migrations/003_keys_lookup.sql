-- Keys are looked up by their hash on every request, and a replayed POST
-- returns the stored response's headers (Location, ETag) too.
CREATE UNIQUE INDEX api_keys_hash ON api_keys (hash);
ALTER TABLE idempotency_keys ADD COLUMN headers jsonb NOT NULL DEFAULT '{}';
