-- An Idempotency-Key's record is now written in the same transaction as
-- the request's writes, so a committed record always holds an answer.
-- Reservations left by the earlier scheme (status 0, written before the
-- request ran) belong to requests that never finished: free their keys.
DELETE FROM idempotency_keys WHERE status = 0;
