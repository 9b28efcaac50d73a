// Package peers holds what an engineer might build instead of carefit's
// fit engine, so make bench can measure the engine against it in the same
// run: eligibility and fit as one SQL statement over the same tables, and
// a brute-force Go loop over every pair (peers_bench_test.go, which also
// times Meilisearch alone as the search peer). Nothing here serves
// requests.
package peers

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"carefit/internal/kit/geo"
)

// Ranked is one clinician in a position's SQL top K.
type Ranked struct {
	Position, Clinician string
	Score               float64
}

// topKSQL is the SQL peer: the engine's eligibility as WHERE clauses and
// its fit as expressions over the same facts, the K best per position by
// a window function. Where it differs from match (docs/benchmarks.md):
// the fit counts the factors that need no lookup table — panel, both visit
// lengths, patients a day, continuity rate, inbox, pay and commute on the
// clinician's side, experience and board certification on the employer's
// — at their default weights, without the clinician's importance or the
// organization's overrides; a missing fact fits 0.5 and an unstated wish
// drops its factor, as in match. Eligibility is the engine's except that
// distance is the haversine (match uses the chord on the sphere: the same
// distance to well under a mile at commute range), and must-haves are not
// implemented. A telehealth-only position has no location rule and no
// commute factor, as in match. sql_test.go checks the eligible pairs
// against the engine's.
const topKSQL = `
WITH pos AS (
  SELECT id, state, lat, lng, credentials, taxonomies, licence_states, employment_type,
         greatest(start_date, $2::date) AS start_on, pay_min, pay_max, pay_period, environment AS env, wants
  FROM positions
  WHERE id = ANY($1) AND status = 'open' AND (expires_at IS NULL OR expires_at > $3)
), pairs AS (
  SELECT pos.id AS position_id, pr.id AS profile_id, pr.wishes::jsonb AS w, pr.pay_floor::jsonb AS pf,
         pos.env, pos.wants, pos.pay_min, pos.pay_max, pos.pay_period, pr.years_experience,
         json_array_length(pr.board_certifications) > 0 AS board,
         3958.7613 * 2 * asin(sqrt(power(sin(radians(pos.lat - pr.home_lat) / 2), 2)
           + cos(radians(pr.home_lat)) * cos(radians(pos.lat)) * power(sin(radians(pos.lng - pr.home_lng) / 2), 2))) AS miles,
         coalesce(nullif(pr.max_commute_miles, 0), 30)::float8 AS commute,
         pos.state = ANY(pr.willing_to_move_states) AS willing,
         pos.env->>'setting' = 'telehealth_only' AS remote
  FROM pos JOIN profiles pr
    ON pr.credential = ANY(pos.credentials)
   AND pr.taxonomies && pos.taxonomies
   AND pr.available_from <= pos.start_on + $4::int
   AND pos.employment_type = ANY(pr.employment_types)
   AND NOT EXISTS (
     SELECT 1 FROM unnest(pos.licence_states) AS need(state)
     WHERE NOT EXISTS (
       SELECT 1 FROM json_array_elements(pr.licences) AS l
       WHERE (l->>'state' = need.state
              OR (pr.credential = 'RN' AND (l->>'multistate')::boolean
                  AND l->>'state' = ANY($5) AND need.state = ANY($5)))
         AND (l->>'expires' < '0002' OR (l->>'expires')::date >= pos.start_on)))
), eligible AS (
  SELECT * FROM pairs WHERE remote OR willing OR miles <= commute
), factors AS (
  SELECT position_id, profile_id,
    -- clinician side: (weight, fit) per stated wish
    ARRAY[
      pg_temp.f_at_most(env->>'panel_size', w->>'panel_max', 400, 1.0),
      pg_temp.f_at_least(env->>'visit_minutes_new', w->>'visit_min_new', 10, 1.0),
      pg_temp.f_at_least(env->>'visit_minutes_follow_up', w->>'visit_min_follow_up', 5, 1.0),
      pg_temp.f_at_most(env->>'patients_per_day', w->>'patients_per_day_max', 4, 0.8),
      pg_temp.f_at_least(env->>'continuity_rate', w->>'continuity_min', 15, 0.6),
      pg_temp.f_at_most(env->>'inbox_messages_per_week', w->>'inbox_max', 50, 0.6),
      pg_temp.f_pay(pay_min, pay_max, pay_period, pf),
      CASE WHEN NOT remote THEN
      point(0.6, CASE WHEN willing AND miles > commute THEN 0.7
                      WHEN miles <= commute / 2 THEN 1
                      ELSE 1 / (1 + power((miles - commute / 2) / commute, 2)) END) END
    ] AS cside,
    ARRAY[
      pg_temp.f_at_least(years_experience::text, wants->>'min_years', 2, 1.0),
      CASE WHEN (wants->>'board_cert_required')::boolean THEN point(1.0, CASE WHEN board THEN 1 ELSE 0.2 END) END
    ] AS eside
  FROM eligible
), scored AS (
  SELECT position_id, profile_id, 100 * sqrt(pg_temp.side(cside)) * sqrt(pg_temp.side(eside)) AS score FROM factors
)
SELECT position_id, profile_id, score FROM (
  SELECT *, row_number() OVER (PARTITION BY position_id ORDER BY score DESC, profile_id) AS rank FROM scored
) ranked WHERE rank <= $6
ORDER BY position_id, rank`

// functionsSQL defines the helpers topKSQL calls, as a DBA would: a
// factor is point(weight, fit) or NULL when the wish is not stated.
const functionsSQL = `
CREATE OR REPLACE FUNCTION pg_temp.falloff(d float8, w float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS
  'SELECT 1 / (1 + power(greatest(d, 0) / w, 2))';
CREATE OR REPLACE FUNCTION pg_temp.f_at_most(fact text, wish text, w float8, weight float8) RETURNS point LANGUAGE sql IMMUTABLE AS
  'SELECT CASE WHEN wish IS NULL THEN NULL WHEN fact IS NULL THEN point(weight, 0.5)
               ELSE point(weight, pg_temp.falloff(fact::float8 - wish::float8, w)) END';
CREATE OR REPLACE FUNCTION pg_temp.f_at_least(fact text, wish text, w float8, weight float8) RETURNS point LANGUAGE sql IMMUTABLE AS
  'SELECT CASE WHEN wish IS NULL THEN NULL WHEN fact IS NULL THEN point(weight, 0.5)
               ELSE point(weight, pg_temp.falloff(wish::float8 - fact::float8, w)) END';
CREATE OR REPLACE FUNCTION pg_temp.f_pay(pmin float8, pmax float8, period text, pf jsonb) RETURNS point LANGUAGE sql IMMUTABLE AS
  'SELECT CASE WHEN floor IS NULL THEN NULL ELSE point(1.0, pg_temp.falloff(floor - top, 0.1 * floor)) END
   FROM (SELECT coalesce(nullif(pmax, 0), pmin) AS top,
                CASE WHEN period = ''hourly'' THEN coalesce((pf->>''hourly'')::float8, (pf->>''annual'')::float8 / 2080)
                     ELSE coalesce((pf->>''annual'')::float8, (pf->>''hourly'')::float8 * 2080) END AS floor) x';
CREATE OR REPLACE FUNCTION pg_temp.side(fs point[]) RETURNS float8 LANGUAGE sql IMMUTABLE AS
  'SELECT coalesce(0.05 + 0.95 * sum(f[0] * f[1]) / nullif(sum(f[0]), 0), 1) FROM unnest(fs) AS f';
`

// TopK runs the SQL peer for positionIDs on one connection and returns
// each position's K best eligible clinicians, best first, position by
// position. It returns an error if the helpers cannot be created or the
// query fails.
func TopK(ctx context.Context, db *pgxpool.Pool, positionIDs []string, k int, now time.Time, slackDays int) ([]Ranked, error) {
	conn, err := db.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("peers: acquire: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, functionsSQL); err != nil {
		return nil, fmt.Errorf("peers: create functions: %w", err)
	}
	rows, err := conn.Query(ctx, topKSQL, positionIDs, now.UTC().Format(time.DateOnly), now, slackDays, geo.NLCMembers(), k)
	if err != nil {
		return nil, fmt.Errorf("peers: top K: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Ranked, error) {
		var x Ranked
		err := r.Scan(&x.Position, &x.Clinician, &x.Score)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("peers: top K: %w", err)
	}
	return out, nil
}
