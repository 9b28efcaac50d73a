-- Readers that follow the outbox (the in-memory feature store) need an
-- order in which no row can appear behind one already read. Row ids are
-- taken when inserted but committed in any order, so a slow transaction's
-- rows can become visible after a later id was read. Recording the writing
-- transaction's id lets a reader take only rows whose transaction is older
-- than every transaction still running (pg_snapshot_xmin), in (txid, id)
-- order: nothing can ever commit behind that point.
ALTER TABLE outbox ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX outbox_txid ON outbox (txid, id);
