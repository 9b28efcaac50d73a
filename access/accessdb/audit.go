package accessdb

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"carefit/access"
	"carefit/internal/kit/errs"
	"carefit/internal/platform/pg"
)

// Record writes audit entries for one principal's reads of subjects' data.
// Call it in the transaction, or before the response, that reveals the
// data, so nothing is shown without a record.
func (s *Store) Record(ctx context.Context, p access.Principal, action, route, requestID string, subjects ...string) error {
	if len(subjects) == 0 {
		return nil
	}
	_, err := s.DB.Exec(ctx, `INSERT INTO audit_log (at, key_id, role, action, subject_id, route, request_id)
		SELECT $1, NULLIF($2, '')::uuid, $3, $4, s::uuid, $5, $6 FROM unnest($7::text[]) AS s`,
		s.Now(), p.KeyID, p.Role, action, route, requestID, subjects)
	if err != nil {
		return pg.Classify("access.Record", err)
	}
	return nil
}

// Audit returns audit entries matching f. It returns an Invalid
// *errs.Error (matching access.ErrInvalid) naming the field when an ID
// in f is not a UUID, or an *errs.Error for a database failure.
func (s *Store) Audit(ctx context.Context, f access.AuditFilter) ([]access.Entry, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 100
	}
	for _, id := range []struct{ field, v string }{{"subject_id", f.SubjectID}, {"key_id", f.KeyID}} {
		if id.v != "" {
			if _, err := uuid.Parse(id.v); err != nil {
				return nil, errs.Invalidf("access.Audit", id.field, "must be a UUID")
			}
		}
	}
	rows, err := s.DB.Query(ctx, `SELECT id, at, coalesce(key_id::text, ''), role, action, coalesce(subject_id::text, ''), route, request_id
		FROM audit_log
		WHERE ($1 = '' OR subject_id = NULLIF($1, '')::uuid) AND ($2 = '' OR key_id = NULLIF($2, '')::uuid)
		  AND ($3 = 0 OR id < $3)
		ORDER BY id DESC LIMIT $4`, f.SubjectID, f.KeyID, f.Before, f.Limit)
	if err != nil {
		return nil, pg.Classify("access.Audit", err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (access.Entry, error) {
		var e access.Entry
		err := r.Scan(&e.ID, &e.At, &e.KeyID, &e.Role, &e.Action, &e.SubjectID, &e.Route, &e.RequestID)
		return e, err
	})
	return entries, pg.Classify("access.Audit", err)
}
