-- A profile's nested objects (name, contact, board certifications,
-- licences, schedule, pay floor, wishes, importance) are only ever read
-- whole: no query looks inside them, and the filterable parts are scalar
-- or array columns. jsonb decomposes every value on write, which was a
-- third of Postgres's work in a bulk import; json only checks the syntax.
-- Go writes these values from typed structs, so the text is canonical.
--
-- profiles_credential goes too: five values make it useless to the list,
-- which pages in (created_at, id) order and filters as it reads.
ALTER TABLE profiles
    DROP CONSTRAINT profiles_board_certifications_check,
    DROP CONSTRAINT profiles_licences_check,
    DROP CONSTRAINT profiles_schedule_check,
    DROP CONSTRAINT profiles_pay_floor_check,
    DROP CONSTRAINT profiles_wishes_check,
    DROP CONSTRAINT profiles_importance_check;
ALTER TABLE profiles
    ALTER COLUMN name TYPE json USING name::json,
    ALTER COLUMN contact TYPE json USING contact::json,
    ALTER COLUMN board_certifications TYPE json USING board_certifications::json,
    ALTER COLUMN licences TYPE json USING licences::json,
    ALTER COLUMN schedule TYPE json USING schedule::json,
    ALTER COLUMN pay_floor TYPE json USING pay_floor::json,
    ALTER COLUMN wishes TYPE json USING wishes::json,
    ALTER COLUMN importance TYPE json USING importance::json,
    ADD CONSTRAINT profiles_board_certifications_check CHECK (json_typeof(board_certifications) = 'array'),
    ADD CONSTRAINT profiles_licences_check CHECK (json_typeof(licences) = 'array'),
    ADD CONSTRAINT profiles_schedule_check CHECK (json_typeof(schedule) = 'object'),
    ADD CONSTRAINT profiles_pay_floor_check CHECK (json_typeof(pay_floor) = 'object'),
    ADD CONSTRAINT profiles_wishes_check CHECK (json_typeof(wishes) = 'object'),
    ADD CONSTRAINT profiles_importance_check CHECK (json_typeof(importance) = 'object');
DROP INDEX profiles_credential;
