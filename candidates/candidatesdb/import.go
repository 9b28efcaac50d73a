package candidatesdb

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"time"

	gojson "github.com/goccy/go-json"
	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/candidates"
	"carefit/internal/kit/ndjson"
	"carefit/internal/kit/taxonomy"
	"carefit/internal/platform/outbox"
	"carefit/internal/platform/pg"
)

// ImportProfiles loads clinician profiles from NDJSON, one profile per
// line in the API's JSON shape. Each line is decoded strictly (unknown
// fields are errors) and validated; IDs are assigned when absent, version
// is 1 and timestamps come from opts.Now. Good rows are loaded in chunks
// with COPY; a row whose ID or NPI is already stored is rejected, and each
// stored profile is queued for search sync. Blank lines are skipped.
//
// The import runs in one transaction (a savepoint when db is a pgx.Tx):
// other sessions see all of it or none. With opts.Atomic, any rejected
// line means nothing is stored, and loading stops at the first rejected
// line (later lines are still checked, but a clash with a stored ID or NPI
// is found only by loading, so it is not reported). The returned error is
// an *errs.Error for an I/O or database failure, after which nothing is
// stored; rejected lines are in the report.
func ImportProfiles(ctx context.Context, db DB, r io.Reader, opts candidates.ImportOptions) (candidates.ImportReport, error) {
	const op = "candidates.ImportProfiles"
	rep := candidates.ImportReport{Errors: []candidates.LineError{}}
	now, chunk := opts.Start(), opts.ChunkSize()
	tx, err := db.Begin(ctx)
	if err != nil {
		return rep, classify(op, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	// Parsing and validating (Go CPU) overlap with loading (Postgres CPU):
	// a goroutine turns lines into batches while the previous batch loads.
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan *profileBatch, 1)
	go parseProfiles(pctx, r, chunk, now, batches)

	for b := range batches {
		if b.err != nil {
			return candidates.ImportReport{}, classify(op, b.err)
		}
		rep.Lines = b.lastLine
		for _, rj := range b.rejects {
			rep.Reject(rj.line, rj.errs...)
		}
		if len(b.rows) > 0 && !(opts.Atomic && rep.Rejected > 0) {
			if err := loadProfiles(ctx, tx, &rep, b, now); err != nil {
				return candidates.ImportReport{}, classify(op, fmt.Errorf("chunk ending at line %d: %w", b.lastLine, err))
			}
		}
		if opts.Progress != nil {
			opts.Progress(b.lastLine, b.bytes)
		}
	}
	if opts.Atomic && rep.Rejected > 0 {
		rep.Imported = 0
		return rep, nil // the deferred rollback discards every chunk
	}
	if err := tx.Commit(ctx); err != nil {
		return candidates.ImportReport{}, classify(op, err)
	}
	return rep, nil
}

// profileBatch is a chunk of parsed lines: good rows ready for COPY and
// rejected lines in line order.
type profileBatch struct {
	rows     [][]byte // binary COPY tuples
	lines    []int    // line number of each row
	ids      []string
	npis     []string
	rejects  []rejection
	lastLine int
	bytes    int64
	err      error
}

type rejection struct {
	line int
	errs []candidates.LineError
}

// parseJob is a run of consecutive lines that one worker decodes and
// validates; done is closed when results is filled.
type parseJob struct {
	lines    [][]byte // copies; the reader reuses its buffer
	nums     []int    // line number of each line
	tooLong  []bool
	results  []lineResult
	lastLine int // lines read, blank ones included, when the job was cut
	bytes    int64
	err      error // a read error after the job's lines
	done     chan struct{}
}

// lineResult is a decoded and validated line: a binary COPY tuple, or
// errors.
type lineResult struct {
	row     []byte
	id, npi string
	errs    []candidates.LineError
}

// parseJobLines is how many lines a worker takes at a time: enough to make
// the channel traffic negligible, few enough to keep both cores busy.
const parseJobLines = 256

// parseJobBytes caps a job's lines by size too, so the jobs in flight hold
// a few MiB however long the lines are: memory stays bounded by the
// pipeline, never by the body.
const parseJobBytes = 256 << 10

// parseProfiles reads lines, has parseWorkers goroutines decode and
// validate them, and sends the results in line order in batches of up to
// chunk good rows; it closes out when done, after sending a batch with err
// set on a read error. Duplicate IDs and NPIs within the file are found
// here, in line order, so the reported line numbers do not depend on the
// workers' timing.
func parseProfiles(ctx context.Context, r io.Reader, chunk int, now time.Time, out chan<- *profileBatch) {
	defer close(out)
	workers := max(1, runtime.GOMAXPROCS(0))
	work := make(chan *parseJob, workers)
	ordered := make(chan *parseJob, 2*workers+2)
	go readJobs(ctx, r, work, ordered)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range work {
				j.results = make([]lineResult, len(j.lines))
				for i, line := range j.lines {
					j.results[i] = parseProfileLine(line, j.tooLong[i], now)
				}
				close(j.done)
			}
		}()
	}
	defer wg.Wait()

	seenNPI := map[string]int{}
	seenID := map[string]int{}
	b := &profileBatch{rows: make([][]byte, 0, chunk)}
	send := func() bool {
		select {
		case out <- b:
			b = &profileBatch{rows: make([][]byte, 0, chunk)}
			return true
		case <-ctx.Done():
			return false
		}
	}
	for j := range ordered {
		select {
		case <-j.done:
		case <-ctx.Done():
			return
		}
		for i, res := range j.results {
			n := j.nums[i]
			switch first, dupID := seenID[res.id]; {
			case res.errs != nil:
				b.rejects = append(b.rejects, rejection{n, res.errs})
				continue
			case dupID:
				b.rejects = append(b.rejects, rejection{n, []candidates.LineError{{Field: "id", Message: "duplicates line " + strconv.Itoa(first)}}})
				continue
			}
			if first, dup := seenNPI[res.npi]; dup && res.npi != "" {
				b.rejects = append(b.rejects, rejection{n, []candidates.LineError{{Field: "npi", Message: "duplicates line " + strconv.Itoa(first)}}})
				continue
			}
			seenID[res.id] = n
			if res.npi != "" {
				seenNPI[res.npi] = n
			}
			b.rows = append(b.rows, res.row)
			b.lines = append(b.lines, n)
			b.ids = append(b.ids, res.id)
			b.npis = append(b.npis, res.npi)
			if len(b.rows) >= chunk {
				// Lines up to this one are accounted for.
				b.lastLine, b.bytes = n, j.bytes
				if !send() {
					return
				}
			}
		}
		b.lastLine, b.bytes, b.err = j.lastLine, j.bytes, j.err
		if j.err != nil {
			send()
			return
		}
	}
	send()
}

// readJobs splits r into jobs of up to parseJobLines non-blank lines or
// parseJobBytes, whichever comes first, and hands each to the workers
// (work) and, in order, to the collector (ordered). The last job carries
// the final line count and any read error.
func readJobs(ctx context.Context, r io.Reader, work, ordered chan<- *parseJob) {
	defer close(work)
	defer close(ordered)
	lr := ndjson.NewReader(r)
	newJob := func() *parseJob { return &parseJob{done: make(chan struct{})} }
	j, size := newJob(), 0
	emit := func() bool {
		size = 0
		j.lastLine, j.bytes = lr.Line(), lr.Bytes()
		for _, ch := range []chan<- *parseJob{work, ordered} {
			select {
			case ch <- j:
			case <-ctx.Done():
				if ch == ordered {
					return false
				}
				close(j.done) // not handed to a worker; nobody waits on it
				return false
			}
		}
		j = newJob()
		return true
	}
	for {
		line, tooLong, err := lr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			j.err = fmt.Errorf("read line %d: %w", lr.Line()+1, err)
			emit()
			return
		}
		if !tooLong && len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		j.lines = append(j.lines, bytes.Clone(line))
		j.nums = append(j.nums, lr.Line())
		j.tooLong = append(j.tooLong, tooLong)
		size += len(line)
		if (len(j.lines) >= parseJobLines || size >= parseJobBytes) && !emit() {
			return
		}
	}
	emit()
}

// parseProfileLine decodes and validates one line and builds its COPY
// row. It is called from several goroutines at once.
func parseProfileLine(line []byte, tooLong bool, now time.Time) lineResult {
	if tooLong {
		return lineResult{errs: []candidates.LineError{ndjson.TooLong()}}
	}
	var p candidates.Profile
	if le := candidates.DecodeLine(line, &p); le != nil {
		return lineResult{errs: []candidates.LineError{*le}}
	}
	if le := ndjson.ReadOnly(line, "specialties", taxonomy.SpecialtiesReadOnly); le != nil {
		return lineResult{errs: []candidates.LineError{*le}}
	}
	if err := prepareNew(&p, now); err != nil {
		return lineResult{errs: ndjson.FieldErrors(err)}
	}
	row, err := copyRow(p)
	if err != nil {
		return lineResult{errs: []candidates.LineError{{Message: "could not be encoded for storage"}}}
	}
	return lineResult{row: row, id: p.ID, npi: p.NPI}
}

// copyRow encodes p as a binary COPY tuple (see copybin.go), on the
// parsing goroutines rather than the one feeding COPY. The JSON columns are
// written by goccy/go-json, a third of encoding/json's cost.
func copyRow(p candidates.Profile) ([]byte, error) {
	var js [8][]byte
	for i, v := range [8]any{p.Name, p.Contact, p.BoardCertifications, p.Licences, p.Schedule, p.PayFloor, p.Wishes, p.Importance} {
		b, err := gojson.Marshal(v)
		if err != nil {
			return nil, err
		}
		js[i] = b
	}
	id, err := uuid.Parse(p.ID)
	if err != nil {
		return nil, err
	}
	return encodeProfileRow(p, id, js), nil
}

// loadProfiles COPYs a batch's rows and their outbox rows. COPY has no
// ON CONFLICT, and looking every ID and NPI up first cost a tenth of an
// import, so the rows are copied optimistically under a savepoint; only
// when that meets a stored ID or NPI is the chunk rolled back, the stored
// ones rejected, and the rest copied again.
func loadProfiles(ctx context.Context, tx pgx.Tx, rep *candidates.ImportReport, b *profileBatch, now time.Time) error {
	sp, err := tx.Begin(ctx)
	if err != nil {
		return err
	}
	err = copyProfiles(ctx, sp, b.rows)
	if err == nil {
		err = sp.Commit(ctx)
	}
	if _, unique := pg.UniqueViolation(err); unique {
		if err := sp.Rollback(ctx); err != nil {
			return err
		}
		if err := dropStored(ctx, tx, rep, b); err != nil {
			return err
		}
		err = copyProfiles(ctx, tx, b.rows)
	}
	if err != nil {
		return err
	}
	if err := outbox.Copy(ctx, tx, outbox.Profile, b.ids, outbox.Upsert, now); err != nil {
		return err
	}
	// Consent given at creation is kept in the consent record, with the
	// importing key: one statement a chunk, reading the rows just copied.
	if err := accessdb.RecordVisibility(ctx, tx, b.ids, access.KeyFrom(ctx), true); err != nil {
		return err
	}
	rep.Imported += len(b.rows)
	return nil
}

// dropStored rejects the rows of a chunk whose ID or NPI is already
// stored, so that COPY, which has no ON CONFLICT, does not fail on them.
// The import's transaction does not lock out a concurrent writer: a
// profile stored between this check and the COPY fails the import with
// ErrConflict.
func dropStored(ctx context.Context, tx pgx.Tx, rep *candidates.ImportReport, b *profileBatch) error {
	npis := make([]string, 0, len(b.npis))
	for _, npi := range b.npis {
		if npi != "" {
			npis = append(npis, npi)
		}
	}
	res, err := tx.Query(ctx, `SELECT id::text, npi FROM profiles WHERE id = ANY($1::uuid[]) OR (npi <> '' AND npi = ANY($2))`, b.ids, npis)
	if err != nil {
		return err
	}
	takenID, takenNPI := map[string]bool{}, map[string]bool{}
	var id, npi string
	if _, err := pgx.ForEachRow(res, []any{&id, &npi}, func() error {
		takenID[id], takenNPI[npi] = true, true
		return nil
	}); err != nil {
		return err
	}
	if len(takenID) == 0 {
		return nil
	}
	keep := 0
	for i := range b.rows {
		switch {
		case takenID[b.ids[i]]:
			rep.Reject(b.lines[i], candidates.LineError{Field: "id", Message: "a profile with this id is already stored"})
		case b.npis[i] != "" && takenNPI[b.npis[i]]:
			rep.Reject(b.lines[i], candidates.LineError{Field: "npi", Message: "is already on a stored profile"})
		default:
			b.rows[keep], b.lines[keep], b.ids[keep], b.npis[keep] = b.rows[i], b.lines[i], b.ids[i], b.npis[i]
			keep++
		}
	}
	b.rows, b.lines, b.ids, b.npis = b.rows[:keep], b.lines[:keep], b.ids[:keep], b.npis[:keep]
	return nil
}
