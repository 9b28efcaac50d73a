-- A night's rematch of an unchanged market read every stored row back
-- (some fifteen million on a national market) to find that nothing had
-- changed. Each position's stored rows now carry a digest of what was last
-- written for it; a write whose rows hash to the same digest skips the
-- position without reading its rows. Any other removal of stored rows (a
-- clinician withdrawing consent, a position leaving, a deletion or a
-- truncation by hand) drops the digests of the positions it touched, so
-- the next write compares those positions row by row.
CREATE TABLE match_digests (
    position_id uuid PRIMARY KEY,
    digest      bytea NOT NULL
);

CREATE FUNCTION match_digests_rows_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM match_digests d USING (SELECT DISTINCT position_id FROM gone) g WHERE d.position_id = g.position_id;
    RETURN NULL;
END $$;
CREATE TRIGGER matches_rows_deleted AFTER DELETE ON matches
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION match_digests_rows_deleted();

CREATE FUNCTION match_digests_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM match_digests;
    RETURN NULL;
END $$;
CREATE TRIGGER matches_truncated AFTER TRUNCATE ON matches
    FOR EACH STATEMENT EXECUTE FUNCTION match_digests_truncated();
