package match

import (
	"math"
	"slices"
)

// The spatial block. A clinician is eligible for a position that is not
// telehealth-only in one of two ways: their home is within their commute
// of it, or they would move to its state. Most of a bucket's clinicians
// pass neither, so scanning the whole bucket spends most of its time on
// rows that fail on distance. Each bucket therefore also keeps:
//
//   - a grid of its clinicians with a known home and a commute of at most
//     gridMaxMiles, by cells of cellDeg degrees of latitude and longitude,
//     in tiers by commute (up to 15, 30, 60 and 100 miles); a position
//     scans only each tier's cells within that tier's longest commute of
//     it, so a clinician who commutes 10 miles is not visited for every
//     position 60 miles away;
//   - far: the clinicians with a longer commute, scanned whole;
//   - per state, the clinicians (grid or homeless, not far) who would move
//     there; a position scans its state's list and skips the rows within
//     commute, which its cells already visit.
//
// Every row that can pass is visited exactly once per bucket, so the
// ranking and the eligible count equal the whole bucket's scan; a
// telehealth-only position, or one accepting every taxonomy, still scans
// whole buckets. The cells a position scans are found from the bucket's
// longest gridded commute with a margin, computed on the sphere, so float32
// rounding of the rows' unit vectors cannot leave an eligible row out.

const (
	// cellDeg is a grid cell's side in degrees: about 17 miles of
	// latitude, so a 15-mile commute reads 2 to 3 cells a side.
	cellDeg = 0.25
	// gridMaxMiles is the longest commute kept in the grid; a row with a
	// longer one is in its bucket's far list.
	gridMaxMiles = 100
	// cellCols is the number of cells a band of latitude holds; a cell's
	// key is band*colStride + column.
	cellCols  = 1440
	colStride = 2048
	// coverMargin widens the cells' search radius, in radians (about
	// 0.7 miles), beyond any rounding of the rows' float32 coordinates.
	coverMargin = 1e-4
)

// cellSpan is one cell of a grid: its key and where its rows start in
// grid.rows (they end where the next cell's start).
type cellSpan struct {
	key uint32
	lo  uint32
}

// tierMiles are the longest commutes of a grid's tiers.
var tierMiles = [...]float64{15, 30, 60, gridMaxMiles}

// tierChord2 are tierMiles as squared chords, the rows' unit.
var tierChord2 = func() (out [len(tierMiles)]float32) {
	for i, mi := range tierMiles {
		out[i] = float32(chordOfMiles(mi) * chordOfMiles(mi))
	}
	return out
}()

// tier is the gridded rows of one commute tier of a bucket, sorted by cell
// and then row number so a cell's rows stream through memory, and the
// longest commute among them as an angle. Rows upserted since the cells
// were built wait in tail, scanned whole, until the tier is rebuilt.
type tier struct {
	rows  []uint32
	cells []cellSpan
	tail  []uint32
	// reach is the angle, in radians, of the tier's longest commute.
	reach float64
}

// grid is one bucket's spatial block: its gridded rows by tier and its
// far rows.
type grid struct {
	tiers [len(tierMiles)]tier
	far   []uint32
}

// cellOf returns the cell of a unit vector.
func cellOf(x, y, z float32) uint32 {
	lat, lng := latLng(x, y, z)
	return cellKey(int(math.Floor((lat+90)/cellDeg)), int(math.Floor((lng+180)/cellDeg)))
}

func cellKey(band, col int) uint32 {
	band = min(max(band, 0), 180/cellDeg)
	col = ((col % cellCols) + cellCols) % cellCols
	return uint32(band*colStride + col)
}

// latLng returns a unit vector's latitude and longitude in degrees.
func latLng(x, y, z float32) (lat, lng float64) {
	const deg = 180 / math.Pi
	return math.Asin(math.Max(-1, math.Min(1, float64(z)))) * deg, math.Atan2(float64(y), float64(x)) * deg
}

// commuteAngle is the angle of a squared chord.
func commuteAngle(chord2 float32) float64 {
	return 2 * math.Asin(math.Min(1, math.Sqrt(float64(chord2))/2))
}

// placeRow files row s of bucket k in the spatial block: its grid cell or
// far list, and the willing lists of the states it would move to.
func (ix *Index) placeRow(k uint64, s uint32) {
	h := &ix.hot[s]
	g := ix.grids[k]
	if g == nil {
		g = &grid{}
		ix.grids[k] = g
	}
	gridded := h.commute2 >= 0 && h.commute2 <= tierChord2[len(tierChord2)-1]
	switch {
	case gridded:
		i := 0
		for h.commute2 > tierChord2[i] {
			i++
		}
		t := &g.tiers[i]
		t.tail = append(t.tail, s)
		t.reach = max(t.reach, commuteAngle(h.commute2))
		if !ix.bulk && len(t.tail) > max(64, len(t.rows)/8) {
			ix.buildCells(t)
		}
	case h.commute2 >= 0:
		g.far = append(g.far, s)
		return // far rows are scanned whole: no willing list
	}
	for st := range 64 {
		if h.willing&(1<<st) != 0 {
			wk := k<<8 | uint64(st)
			ix.willing[wk] = append(ix.willing[wk], s)
		}
	}
}

// buildCells moves a tier's tail into its rows, sorts them by cell and
// indexes the cells.
func (ix *Index) buildCells(g *tier) {
	g.rows, g.tail = append(g.rows, g.tail...), g.tail[:0]
	// Each row's cell is computed once (two inverse trigonometric calls),
	// then cell and row sort together as one word.
	words := make([]uint64, len(g.rows))
	for i, s := range g.rows {
		h := &ix.hot[s]
		words[i] = uint64(cellOf(h.x, h.y, h.z))<<32 | uint64(s)
	}
	slices.Sort(words)
	g.cells = g.cells[:0]
	for i, w := range words {
		g.rows[i] = uint32(w)
		if c := uint32(w >> 32); len(g.cells) == 0 || g.cells[len(g.cells)-1].key != c {
			g.cells = append(g.cells, cellSpan{key: c, lo: uint32(i)})
		}
	}
}

// settle builds the cells of every tier with a tail: after a bulk build.
func (ix *Index) settle() {
	for _, g := range ix.grids {
		for i := range g.tiers {
			if len(g.tiers[i].tail) > 0 {
				ix.buildCells(&g.tiers[i])
			}
		}
	}
}

// span is a run of a grid's cells in one band: the columns lo to hi.
type span struct{ lo, hi int }

// cellRanges calls fn with the rows of each of g's cells that can hold a
// home within g's longest commute of the point at (lat, lng) degrees.
func (g *tier) cellRanges(lat, lng float64, fn func(rows []uint32)) {
	if len(g.cells) == 0 {
		return
	}
	const rad = math.Pi / 180
	reach := g.reach + coverMargin
	dLat := reach / rad
	bandLo := int(math.Floor((lat - dLat + 90) / cellDeg))
	bandHi := int(math.Floor((lat + dLat + 90) / cellDeg))
	bandLo, bandHi = max(bandLo, 0), min(bandHi, 180/cellDeg)
	var spans [2]span
	n := 0
	phi := lat * rad
	if math.Abs(phi)+reach >= math.Pi/2 {
		spans[0], n = span{0, cellCols - 1}, 1 // the cap holds a pole
	} else {
		dLng := math.Asin(math.Min(1, math.Sin(reach)/math.Cos(phi))) / rad
		lo := int(math.Floor((lng - dLng + 180) / cellDeg))
		hi := int(math.Floor((lng + dLng + 180) / cellDeg))
		switch {
		case hi-lo+1 >= cellCols:
			spans[0], n = span{0, cellCols - 1}, 1
		case lo < 0:
			spans[0], spans[1], n = span{0, hi}, span{lo + cellCols, cellCols - 1}, 2
		case hi >= cellCols:
			spans[0], spans[1], n = span{lo, cellCols - 1}, span{0, hi - cellCols}, 2
		default:
			spans[0], n = span{lo, hi}, 1
		}
	}
	for band := bandLo; band <= bandHi; band++ {
		for _, sp := range spans[:n] {
			first, last := uint32(band*colStride+sp.lo), uint32(band*colStride+sp.hi)
			i, _ := slices.BinarySearchFunc(g.cells, first, func(c cellSpan, k uint32) int { return int(int64(c.key) - int64(k)) })
			for ; i < len(g.cells) && g.cells[i].key <= last; i++ {
				end := uint32(len(g.rows))
				if i+1 < len(g.cells) {
					end = g.cells[i+1].lo
				}
				fn(g.rows[g.cells[i].lo:end])
			}
		}
	}
}

// spatialScan scans bucket k for pl by its spatial block: the cells near
// the position, the far rows and the rows willing to move to its state.
// It returns the eligible rows, as scanning the whole bucket would.
func (ix *Index) spatialScan(pl *plan, t *topK, k uint64, seen []uint32, epoch uint32, filter *keep) int {
	g := ix.grids[k]
	if g == nil {
		return 0
	}
	n := 0
	if pl.pf.hasLoc {
		lat, lng := latLng(pl.px, pl.py, pl.pz)
		for i := range g.tiers {
			tr := &g.tiers[i]
			tr.cellRanges(lat, lng, func(rows []uint32) { n += ix.scan(pl, t, rows, 0, seen, epoch, filter, viaCommute) })
			n += ix.scan(pl, t, tr.tail, 0, seen, epoch, filter, viaCommute)
		}
	}
	// Far rows are in no willing list, so they are scanned for every
	// position, with a place or not.
	n += ix.scan(pl, t, g.far, 0, seen, epoch, filter, viaAny)
	if pl.pf.stateBit != 0 {
		if l := ix.willing[k<<8|uint64(pl.pf.state)]; len(l) > 0 {
			n += ix.scan(pl, t, l, 0, seen, epoch, filter, viaMove)
		}
	}
	return n
}

// spatialVisits returns how many rows spatialScan visits for pf in bucket
// k: a planner's estimate of a position's work.
func (ix *Index) spatialVisits(pf *posFacts, k uint64) int64 {
	g := ix.grids[k]
	if g == nil {
		return 0
	}
	var n int64
	if pf.hasLoc {
		lat, lng := latLng(pf.px, pf.py, pf.pz)
		for i := range g.tiers {
			tr := &g.tiers[i]
			tr.cellRanges(lat, lng, func(rows []uint32) { n += int64(len(rows)) })
			n += int64(len(tr.tail))
		}
	}
	n += int64(len(g.far))
	if pf.stateBit != 0 {
		n += int64(len(ix.willing[k<<8|uint64(pf.state)]))
	}
	return n
}
