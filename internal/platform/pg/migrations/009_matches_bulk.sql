-- Stored matches are written a million rows a night: per-row foreign-key
-- checks (two RI triggers a row) dominated the rematch's writes. The write
-- already joins positions and profiles, so the keys go; deleting a
-- position or a profile removes its rows by statement-level triggers
-- instead of ON DELETE CASCADE. Alerts read matches by position or profile,
-- never by first_seen_at alone, so that index goes too.
ALTER TABLE matches DROP CONSTRAINT matches_position_id_fkey;
ALTER TABLE matches DROP CONSTRAINT matches_profile_id_fkey;
DROP INDEX matches_first_seen;

CREATE FUNCTION matches_positions_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM matches m USING gone g WHERE m.position_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER positions_deleted AFTER DELETE ON positions
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION matches_positions_deleted();

CREATE FUNCTION matches_profiles_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM matches m USING gone g WHERE m.profile_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER profiles_deleted AFTER DELETE ON profiles
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION matches_profiles_deleted();
