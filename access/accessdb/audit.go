package accessdb

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"carefit/access"
	"carefit/internal/kit/check"
	"carefit/internal/kit/errs"
	"carefit/internal/platform/pg"
)

// Record writes one audit entry per subject of r, read by p, with p's
// organization and r's position. Call it in the transaction, or before
// the response, that shows the data, so nothing is shown without a record.
// It returns an *errs.Error for a database failure.
func (s *Store) Record(ctx context.Context, p access.Principal, r access.Read) error {
	if len(r.Subjects) == 0 {
		return nil
	}
	_, err := s.DB.Exec(ctx, `INSERT INTO audit_log (at, key_id, role, action, subject_id, route, request_id, org_id, position_id)
		SELECT $1, NULLIF($2, '')::uuid, $3, $4, s::uuid, $5, $6, $8, $9 FROM unnest($7::text[]) AS s`,
		s.Now(), p.KeyID, p.Role, r.Action, r.Route, r.RequestID, r.Subjects, uuidArg(p.OrgID), uuidArg(r.PositionID))
	if err != nil {
		return pg.Classify("access.Record", err)
	}
	return nil
}

// uuidArg is a nullable uuid argument: NULL for anything but a UUID.
func uuidArg(id string) any {
	if !check.UUID(id) {
		return nil
	}
	return id
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
	rows, err := s.DB.Query(ctx, `SELECT id, at, coalesce(key_id::text, ''), role, action, coalesce(subject_id::text, ''), route, request_id,
			coalesce(org_id::text, ''), coalesce(position_id::text, '')
		FROM audit_log
		WHERE ($1 = '' OR subject_id = NULLIF($1, '')::uuid) AND ($2 = '' OR key_id = NULLIF($2, '')::uuid)
		  AND ($3 = 0 OR id < $3)
		ORDER BY id DESC LIMIT $4`, f.SubjectID, f.KeyID, f.Before, f.Limit)
	if err != nil {
		return nil, pg.Classify("access.Audit", err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (access.Entry, error) {
		var e access.Entry
		err := r.Scan(&e.ID, &e.At, &e.KeyID, &e.Role, &e.Action, &e.SubjectID, &e.Route, &e.RequestID, &e.OrgID, &e.PositionID)
		return e, err
	})
	return entries, pg.Classify("access.Audit", err)
}

// AccessLog returns the audit entries about the profile profileID as its
// clinician reads them, newest first: up to limit (1 to 500; 100 when 0)
// entries with an ID below before (0: from the newest), each naming the
// reader's organization but not the key. An ID that is not a UUID has no
// entries. It returns an *errs.Error for a database failure.
func (s *Store) AccessLog(ctx context.Context, profileID string, before int64, limit int) ([]access.AccessEntry, error) {
	const op = "access.AccessLog"
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	if !check.UUID(profileID) {
		return []access.AccessEntry{}, nil
	}
	rows, err := s.DB.Query(ctx, `SELECT a.id, a.at, a.action, a.role, coalesce(o.id::text, ''), coalesce(o.name, ''),
			coalesce(a.position_id::text, ''), a.route
		FROM audit_log a LEFT JOIN organizations o ON o.id = a.org_id
		WHERE a.subject_id = $1 AND ($2 = 0 OR a.id < $2)
		ORDER BY a.id DESC LIMIT $3`, profileID, before, limit)
	if err != nil {
		return nil, pg.Classify(op, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (access.AccessEntry, error) {
		var e access.AccessEntry
		err := r.Scan(&e.ID, &e.At, &e.Action, &e.Role, &e.OrgID, &e.OrgName, &e.PositionID, &e.Route)
		e.At = e.At.UTC()
		return e, err
	})
	if err != nil {
		return nil, pg.Classify(op, err)
	}
	return out, nil
}
