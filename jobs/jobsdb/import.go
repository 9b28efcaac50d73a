package jobsdb

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"carefit/internal/kit/ndjson"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/outbox"
	"carefit/internal/platform/pg"
	"carefit/jobs"
)

var importPositionCols = append(strings.Fields(strings.ReplaceAll(positionCols, ",", " ")), "state", "lat", "lng")

var versionCols = []string{"position_id", "version", "snapshot", "changed_at", "changed_by_key"}

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
// stops at the first rejected line. It returns ErrNotFound when the
// organisation does not exist, or an *errs.Error for an I/O or database
// failure, after which nothing is stored; rejected lines are in the
// report.
func ImportPositions(ctx context.Context, db DB, orgID string, r io.Reader, opts jobs.ImportOptions) (jobs.ImportReport, error) {
	const op = "jobs.ImportPositions"
	rep := jobs.ImportReport{Errors: []jobs.LineError{}}
	tx, err := db.Begin(ctx)
	if err != nil {
		return rep, pg.Classify(op, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	org, err := getOrg(ctx, tx, orgID, jobs.Scope{}, false)
	if err != nil {
		return rep, pg.Classify(op, err)
	}
	im := &positionImport{tx: tx, org: org, opts: opts, now: opts.Start(), rep: &rep,
		key: keyArg(jobs.Scope{KeyID: opts.KeyID}), seenID: map[string]int{}}
	lr := ndjson.NewReader(r)
	if err := im.read(ctx, lr); err != nil {
		return jobs.ImportReport{}, pg.Classify(op, err)
	}
	if opts.Atomic && rep.Rejected > 0 {
		rep.Imported = 0
		return rep, nil // the deferred rollback discards every chunk
	}
	if err := tx.Commit(ctx); err != nil {
		return jobs.ImportReport{}, pg.Classify(op, err)
	}
	opts.Progressed(lr)
	return rep, nil
}

// positionImport is the state of one ImportPositions: the chunk of good
// rows not yet loaded, and the IDs seen so far.
type positionImport struct {
	tx   pgx.Tx
	org  jobs.Organization
	opts jobs.ImportOptions
	now  time.Time
	key  any
	rep  *jobs.ImportReport

	rows, versions [][]any
	lines          []int
	ids            []string
	seenID         map[string]int
}

// read takes every line of lr and loads the good ones a chunk at a time.
func (im *positionImport) read(ctx context.Context, lr *ndjson.Reader) error {
	for {
		line, tooLong, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("read line %d: %w", lr.Line()+1, err)
		}
		n := lr.Line()
		im.rep.Lines = n
		if tooLong {
			im.rep.Reject(n, ndjson.TooLong())
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if err := im.add(n, line); err != nil {
			return err
		}
		if len(im.rows) >= im.opts.ChunkSize() {
			if err := im.flush(ctx); err != nil {
				return fmt.Errorf("chunk ending at line %d: %w", n, err)
			}
			im.opts.Progressed(lr)
		}
	}
	if err := im.flush(ctx); err != nil {
		return fmt.Errorf("last chunk: %w", err)
	}
	return nil
}

// add decodes and checks line n and queues it, or rejects it.
func (im *positionImport) add(n int, line []byte) error {
	var p jobs.Position
	if le := ndjson.DecodeLine(line, &p); le != nil {
		im.rep.Reject(n, *le)
		return nil
	}
	if le := ndjson.ReadOnly(line, "specialties", taxonomy.SpecialtiesReadOnly); le != nil {
		im.rep.Reject(n, *le)
		return nil
	}
	preparePosition(&p, im.org.ID, im.now)
	loc, err := p.Check(im.org, true, im.now)
	if err != nil {
		im.rep.Reject(n, ndjson.FieldErrors(err)...)
		return nil
	}
	if first, dup := im.seenID[p.ID]; dup {
		im.rep.Reject(n, jobs.LineError{Field: "id", Message: fmt.Sprintf("duplicates line %d", first)})
		return nil
	}
	im.seenID[p.ID] = n
	snap, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("line %d: %w", n, err)
	}
	im.rows = append(im.rows, positionArgs(p, loc))
	im.versions = append(im.versions, []any{p.ID, 1, snap, im.now, im.key})
	im.lines = append(im.lines, n)
	im.ids = append(im.ids, p.ID)
	return nil
}

// flush loads the queued rows with their versions and outbox rows, unless
// an atomic import has already rejected a line.
func (im *positionImport) flush(ctx context.Context) error {
	defer func() {
		im.rows, im.versions, im.lines, im.ids = im.rows[:0], im.versions[:0], im.lines[:0], im.ids[:0]
	}()
	if len(im.rows) == 0 || (im.opts.Atomic && im.rep.Rejected > 0) {
		return nil
	}
	if rejected, err := im.dropStored(ctx); err != nil || (rejected && im.opts.Atomic) {
		return err
	}
	if _, err := im.tx.CopyFrom(ctx, pgx.Identifier{"positions"}, importPositionCols, pgx.CopyFromRows(im.rows)); err != nil {
		return fkPosition("jobs.ImportPositions", err)
	}
	if _, err := im.tx.CopyFrom(ctx, pgx.Identifier{"position_versions"}, versionCols, pgx.CopyFromRows(im.versions)); err != nil {
		return err
	}
	if err := outbox.Copy(ctx, im.tx, outbox.Position, im.ids, outbox.Upsert, im.now); err != nil {
		return err
	}
	im.rep.Imported += len(im.rows)
	return nil
}

// dropStored rejects the queued rows whose ID is already stored, since
// COPY has no ON CONFLICT, and reports whether there were any.
func (im *positionImport) dropStored(ctx context.Context) (bool, error) {
	res, err := im.tx.Query(ctx, `SELECT id::text FROM positions WHERE id = ANY($1::uuid[])`, im.ids)
	if err != nil {
		return false, err
	}
	taken, err := pgx.CollectRows(res, pgx.RowTo[string])
	if err != nil || len(taken) == 0 {
		return false, err
	}
	isTaken := map[string]bool{}
	for _, id := range taken {
		isTaken[id] = true
	}
	keep := 0
	for i := range im.rows {
		if isTaken[im.ids[i]] {
			im.rep.Reject(im.lines[i], jobs.LineError{Field: "id", Message: "a position with this id is already stored"})
			continue
		}
		im.rows[keep], im.versions[keep], im.lines[keep], im.ids[keep] = im.rows[i], im.versions[i], im.lines[i], im.ids[i]
		keep++
	}
	im.rows, im.versions, im.lines, im.ids = im.rows[:keep], im.versions[:keep], im.lines[:keep], im.ids[:keep]
	return true, nil
}
