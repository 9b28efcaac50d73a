package candidatesdb

import (
	"context"
	"encoding/binary"
	"io"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"carefit/candidates"
)

// Bulk imports send profiles in Postgres's binary COPY format, encoded on
// the parsing goroutines. pgx's CopyFrom looks an encode plan up for every
// value of every row, which cost as much CPU as decoding the JSON; a
// profile's 31 columns have fixed types, so encoding them directly is a
// few appends. The column order is insertCols; TestImportedProfilesReadBack
// reads imported profiles back to check the encoding.

// copyProfilesSQL loads insertCols in binary format. Only constant column
// names are spliced in.
var copyProfilesSQL = "COPY profiles (" + strings.Join(insertCols, ", ") + ") FROM STDIN (FORMAT binary)"

// copyHeader is the binary COPY signature, flags and header extension
// length; copyTrailer ends the data.
var (
	copyHeader  = []byte("PGCOPY\n\xff\r\n\x00" + "\x00\x00\x00\x00" + "\x00\x00\x00\x00")
	copyTrailer = []byte{0xff, 0xff}
)

// pgEpoch is Postgres's epoch for dates and timestamps.
var pgEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

const textOID = 25

// tuple appends the binary COPY fields of one row.
type tuple struct{ b []byte }

func (t *tuple) field(p []byte) {
	t.b = binary.BigEndian.AppendUint32(t.b, uint32(len(p)))
	t.b = append(t.b, p...)
}

func (t *tuple) text(s string) {
	t.b = binary.BigEndian.AppendUint32(t.b, uint32(len(s)))
	t.b = append(t.b, s...)
}

func (t *tuple) null() { t.b = binary.BigEndian.AppendUint32(t.b, math.MaxUint32) }

func (t *tuple) int4(v int) {
	t.b = binary.BigEndian.AppendUint32(t.b, 4)
	t.b = binary.BigEndian.AppendUint32(t.b, uint32(int32(v)))
}

func (t *tuple) float8(v float64) {
	t.b = binary.BigEndian.AppendUint32(t.b, 8)
	t.b = binary.BigEndian.AppendUint64(t.b, math.Float64bits(v))
}

func (t *tuple) bool(v bool) {
	t.b = binary.BigEndian.AppendUint32(t.b, 1)
	if v {
		t.b = append(t.b, 1)
	} else {
		t.b = append(t.b, 0)
	}
}

// date appends a date: days since 2000-01-01.
func (t *tuple) date(d time.Time) {
	y, m, day := d.Date()
	days := (time.Date(y, m, day, 0, 0, 0, 0, time.UTC).Unix() - pgEpoch.Unix()) / 86400
	t.b = binary.BigEndian.AppendUint32(t.b, 4)
	t.b = binary.BigEndian.AppendUint32(t.b, uint32(int32(days)))
}

// timestamptz appends an instant: microseconds since 2000-01-01 UTC.
func (t *tuple) timestamptz(at time.Time) {
	us := at.Sub(pgEpoch).Microseconds()
	t.b = binary.BigEndian.AppendUint32(t.b, 8)
	t.b = binary.BigEndian.AppendUint64(t.b, uint64(us))
}

// textArray appends a one-dimensional text[] (an empty one has no
// dimensions).
func textArray[T ~string](t *tuple, vs []T) {
	size := 12
	if len(vs) > 0 {
		size += 8
	}
	for _, v := range vs {
		size += 4 + len(v)
	}
	t.b = binary.BigEndian.AppendUint32(t.b, uint32(size))
	dims := uint32(0)
	if len(vs) > 0 {
		dims = 1
	}
	t.b = binary.BigEndian.AppendUint32(t.b, dims)
	t.b = binary.BigEndian.AppendUint32(t.b, 0) // no nulls
	t.b = binary.BigEndian.AppendUint32(t.b, textOID)
	if len(vs) > 0 {
		t.b = binary.BigEndian.AppendUint32(t.b, uint32(len(vs)))
		t.b = binary.BigEndian.AppendUint32(t.b, 1) // lower bound
	}
	for _, v := range vs {
		t.text(string(v))
	}
}

// encodeProfileRow returns p's binary COPY tuple in insertCols order; js
// are the JSON columns' values in that order (see jsonCols).
func encodeProfileRow(p candidates.Profile, id uuid.UUID, js [8][]byte) []byte {
	size := 1024 // the fixed-size fields, the lists and the short strings
	for _, b := range js {
		size += len(b)
	}
	t := tuple{b: make([]byte, 0, size)}
	t.b = binary.BigEndian.AppendUint16(t.b, uint16(len(insertCols)))
	t.field(id[:])
	t.field(js[0]) // name
	t.field(js[1]) // contact
	t.text(string(p.Credential))
	t.text(p.NPI)
	textArray(&t, p.Taxonomies)
	t.field(js[2]) // board_certifications
	t.field(js[3]) // licences
	t.int4(p.YearsExperience)
	textArray(&t, p.Languages)
	textArray(&t, p.EHRsUsed)
	textArray(&t, p.EHRsAvoid)
	t.text(p.Home.State)
	t.float8(p.Home.Lat)
	t.float8(p.Home.Lng)
	t.text(p.Home.PostalCode)
	t.int4(p.MaxCommuteMiles)
	textArray(&t, p.WillingToMoveStates)
	t.date(p.AvailableFrom)
	textArray(&t, p.EmploymentTypes)
	t.field(js[4]) // schedule
	t.field(js[5]) // pay_floor
	t.field(js[6]) // wishes
	t.field(js[7]) // importance
	t.bool(p.VisibleToRecruiters)
	if p.ConsentUpdatedAt == nil {
		t.null()
	} else {
		t.timestamptz(*p.ConsentUpdatedAt)
	}
	t.int4(p.Version)
	t.timestamptz(p.CreatedAt)
	t.timestamptz(p.UpdatedAt)
	states, multistate := licenceStates(p)
	textArray(&t, states)
	t.bool(multistate)
	return t.b
}

// copyProfiles COPYs encoded tuples into profiles on tx's connection.
func copyProfiles(ctx context.Context, tx pgx.Tx, rows [][]byte) error {
	_, err := tx.Conn().PgConn().CopyFrom(ctx, &tupleReader{rows: rows}, copyProfilesSQL)
	return err
}

// tupleReader reads the binary COPY header, the tuples and the trailer
// without first joining them into one buffer.
type tupleReader struct {
	rows [][]byte
	part int    // the next part: 0 the header, 1..len(rows) a row, then the trailer
	cur  []byte // what is left of the part being read
}

// Read implements io.Reader.
func (r *tupleReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if len(r.cur) == 0 {
			switch {
			case r.part == 0:
				r.cur = copyHeader
			case r.part <= len(r.rows):
				r.cur = r.rows[r.part-1]
			case r.part == len(r.rows)+1:
				r.cur = copyTrailer
			default:
				if n == 0 {
					return 0, io.EOF
				}
				return n, nil
			}
			r.part++
		}
		c := copy(p[n:], r.cur)
		r.cur = r.cur[c:]
		n += c
	}
	return n, nil
}
