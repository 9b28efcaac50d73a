package jobs

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/ndjson"
)

// Import limits.
const (
	// MaxImportLineBytes is the longest NDJSON line accepted.
	MaxImportLineBytes = ndjson.MaxLineBytes
	// MaxImportErrors is how many line errors a report lists.
	MaxImportErrors = ndjson.MaxErrors
	// DefaultImportChunk is how many rows are loaded per COPY.
	DefaultImportChunk = 5000
)

// ImportOptions control a bulk import.
type ImportOptions struct {
	// Atomic imports nothing when any line is rejected.
	Atomic bool
	// Now stamps created_at and updated_at and is the time positions are
	// validated at; nil means time.Now.
	Now func() time.Time
	// Progress, when set, is called after each chunk with the lines and
	// bytes read so far.
	Progress func(lines int, bytes int64)
	// Chunk is the number of rows per COPY; 0 means DefaultImportChunk.
	Chunk int
	// KeyID is the API key running the import, recorded in each
	// position's first version; empty for system imports.
	KeyID string
}

// LineError and ImportReport are the shared import types (package ndjson).
type (
	LineError    = ndjson.LineError
	ImportReport = ndjson.Report
)

func fieldErrors(err error) []LineError {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return []LineError{{Message: err.Error()}}
	}
	out := make([]LineError, len(ve.Errors))
	for i, fe := range ve.Errors {
		out[i] = LineError{Field: fe.Field, Message: fe.Message}
	}
	return out
}

var importPositionCols = append(strings.Fields(strings.ReplaceAll(positionCols, ",", " ")), "state", "lat", "lng")

// ImportPositions loads positions of the organisation orgID from NDJSON,
// one position per line in the API's JSON shape. Each line is decoded
// strictly (unknown fields are errors); org_id may be omitted and must
// otherwise be orgID; the location must be one of the organisation's;
// defaults are applied (ApplyDefaults, status draft when absent) and the
// position is validated at opts.Now. IDs are assigned when absent, and a
// line whose ID is already stored is rejected. Good rows are loaded in
// chunks with COPY, each with its first version-history row and a search
// outbox row.
//
// The import runs in one transaction (a savepoint when db is a pgx.Tx).
// With opts.Atomic, any rejected line means nothing is stored and loading
// stops at the first rejected line. It returns an error wrapping
// ErrNotFound when the organisation does not exist, or an I/O or database
// error, after which nothing is stored; rejected lines are in the report.
func ImportPositions(ctx context.Context, db DB, orgID string, r io.Reader, opts ImportOptions) (ImportReport, error) {
	rep := ImportReport{Errors: []LineError{}}
	nowFn := opts.Now
	if nowFn == nil {
		nowFn = time.Now
	}
	now := normTime(nowFn())
	chunk := opts.Chunk
	if chunk <= 0 {
		chunk = DefaultImportChunk
	}
	tx, err := db.Begin(ctx)
	if err != nil {
		return rep, fmt.Errorf("jobs: import positions: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	org, err := getOrg(ctx, tx, orgID, Scope{}, false)
	if err != nil {
		return rep, fmt.Errorf("jobs: import positions: organization %s: %w", orgID, err)
	}
	key := keyArg(Scope{KeyID: opts.KeyID})

	var rows, versions, outbox [][]any
	var lines []int
	var ids []string
	seenID := map[string]int{}
	flush := func() error {
		defer func() { rows, versions, outbox, lines, ids = rows[:0], versions[:0], outbox[:0], lines[:0], ids[:0] }()
		if len(rows) == 0 || (opts.Atomic && rep.Rejected > 0) {
			return nil
		}
		res, err := tx.Query(ctx, `SELECT id::text FROM positions WHERE id = ANY($1::uuid[])`, ids)
		if err != nil {
			return err
		}
		taken, err := pgx.CollectRows(res, pgx.RowTo[string])
		if err != nil {
			return err
		}
		if len(taken) > 0 {
			isTaken := map[string]bool{}
			for _, id := range taken {
				isTaken[id] = true
			}
			keep := 0
			for i := range rows {
				if isTaken[ids[i]] {
					rep.Reject(lines[i], LineError{Field: "id", Message: "a position with this id is already stored"})
					continue
				}
				rows[keep], versions[keep], outbox[keep], lines[keep], ids[keep] = rows[i], versions[i], outbox[i], lines[i], ids[i]
				keep++
			}
			rows, versions, outbox, lines, ids = rows[:keep], versions[:keep], outbox[:keep], lines[:keep], ids[:keep]
			if opts.Atomic {
				return nil
			}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"positions"}, importPositionCols, pgx.CopyFromRows(rows)); err != nil {
			return fkPosition(err)
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"position_versions"},
			[]string{"position_id", "version", "snapshot", "changed_at", "changed_by_key"}, pgx.CopyFromRows(versions)); err != nil {
			return err
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"outbox"},
			[]string{"entity", "entity_id", "op", "created_at"}, pgx.CopyFromRows(outbox)); err != nil {
			return err
		}
		rep.Imported += len(rows)
		return nil
	}

	lr := ndjson.NewReader(r)
	for {
		line, tooLong, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return ImportReport{}, fmt.Errorf("jobs: import positions: read line %d: %w", lr.Line()+1, err)
		}
		n := lr.Line()
		rep.Lines = n
		if tooLong {
			rep.Reject(n, ndjson.TooLong())
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var p Position
		if le := ndjson.DecodeLine(line, &p); le != nil {
			rep.Reject(n, *le)
			continue
		}
		if p.OrgID == "" {
			p.OrgID = orgID
		}
		if p.ID == "" {
			p.ID = uuid.NewString()
		}
		if p.Status == "" {
			p.Status = StatusDraft
		}
		p.Version, p.CreatedAt, p.UpdatedAt = 1, now, now
		normPosition(&p)
		var ve ValidationError
		ve.Merge("", p.ApplyDefaults(org))
		if err := p.Validate(now); err != nil {
			var vErr *ValidationError
			errors.As(err, &vErr)
			for _, fe := range vErr.Errors {
				if !ve.Has(fe.Field) {
					ve.Errors = append(ve.Errors, fe)
				}
			}
		}
		if err := ve.Err(); err != nil {
			rep.Reject(n, fieldErrors(err)...)
			continue
		}
		if first, dup := seenID[p.ID]; dup {
			rep.Reject(n, LineError{Field: "id", Message: fmt.Sprintf("duplicates line %d", first)})
			continue
		}
		seenID[p.ID] = n
		loc, _ := org.Location(p.LocationID)
		snap, err := json.Marshal(p)
		if err != nil {
			return ImportReport{}, fmt.Errorf("jobs: import positions: line %d: %w", n, err)
		}
		rows = append(rows, positionArgs(p, loc))
		versions = append(versions, []any{p.ID, 1, snap, now, key})
		outbox = append(outbox, []any{"position", p.ID, "upsert", now})
		lines = append(lines, n)
		ids = append(ids, p.ID)
		if len(rows) >= chunk {
			if err := flush(); err != nil {
				return ImportReport{}, fmt.Errorf("jobs: import positions: chunk ending at line %d: %w", n, err)
			}
			if opts.Progress != nil {
				opts.Progress(lr.Line(), lr.Bytes())
			}
		}
	}
	if err := flush(); err != nil {
		return ImportReport{}, fmt.Errorf("jobs: import positions: last chunk: %w", err)
	}
	if opts.Atomic && rep.Rejected > 0 {
		rep.Imported = 0
		return rep, nil // the deferred rollback discards every chunk
	}
	if err := tx.Commit(ctx); err != nil {
		return ImportReport{}, fmt.Errorf("jobs: import positions: commit: %w", err)
	}
	if opts.Progress != nil {
		opts.Progress(lr.Line(), lr.Bytes())
	}
	return rep, nil
}
