-- The last foreign key of matches, to the run that computed a row, cost a
-- referential-integrity check on every row the rematch copies in (some
-- fifteen million on a national market's first night). Runs are never
-- deleted by carefit; should an operator delete one, a statement-level
-- trigger clears the rows' reference as ON DELETE SET NULL did.
ALTER TABLE matches DROP CONSTRAINT matches_run_id_fkey;

CREATE FUNCTION matches_runs_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE matches m SET run_id = NULL FROM gone g WHERE m.run_id = g.id;
    RETURN NULL;
END $$;
CREATE TRIGGER rematch_runs_deleted AFTER DELETE ON rematch_runs
    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION matches_runs_deleted();
