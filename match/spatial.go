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
//     gridMaxMiles, by cells of cellDeg degrees of latitude and longitude;
//     a position scans only the cells within the bucket's longest commute
//     of it;
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
	// cellDeg is a grid cell's side in degrees: about 35 miles of
	// latitude, so a 30-mile commute reads 3 to 4 cells a side.
	cellDeg = 0.5
	// gridMaxMiles is the longest commute kept in the grid; a row with a
	// longer one is in its bucket's far list.
	gridMaxMiles = 100
	// cellCols is the number of cells a band of latitude holds.
	cellCols = 720
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

// grid is one bucket's gridded rows, sorted by cell and then row number
// so a cell's rows stream through memory, its far rows, and the longest
// commute of its gridded rows as an angle. Rows upserted since the cells
// were built wait in tail, scanned whole, until the grid is rebuilt.
type grid struct {
	rows  []uint32
	cells []cellSpan
	tail  []uint32
	far   []uint32
	// reach is the angle, in radians, of the longest gridded commute.
	reach float64
}

// cellOf returns the cell of a unit vector.
func cellOf(x, y, z float32) uint32 {
	lat, lng := latLng(x, y, z)
	return cellKey(int(math.Floor((lat+90)/cellDeg)), int(math.Floor((lng+180)/cellDeg)))
}

func cellKey(band, col int) uint32 {
	band = min(max(band, 0), 360/cellDeg)
	col = ((col % cellCols) + cellCols) % cellCols
	return uint32(band*1024 + col)
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

var gridMaxChord2 = float32(chordOfMiles(gridMaxMiles) * chordOfMiles(gridMaxMiles))

// placeRow files row s of bucket k in the spatial block: its grid cell or
// far list, and the willing lists of the states it would move to.
func (ix *Index) placeRow(k uint64, s uint32) {
	h := &ix.hot[s]
	g := ix.grids[k]
	if g == nil {
		g = &grid{}
		ix.grids[k] = g
	}
	gridded := h.commute2 >= 0 && h.commute2 <= gridMaxChord2
	switch {
	case gridded:
		g.tail = append(g.tail, s)
		g.reach = max(g.reach, commuteAngle(h.commute2))
		if !ix.bulk && len(g.tail) > max(64, len(g.rows)/8) {
			ix.buildCells(g)
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

// buildCells moves a grid's tail into its rows, sorts them by cell and
// indexes the cells.
func (ix *Index) buildCells(g *grid) {
	g.rows, g.tail = append(g.rows, g.tail...), g.tail[:0]
	cell := func(s uint32) uint32 { h := &ix.hot[s]; return cellOf(h.x, h.y, h.z) }
	slices.SortFunc(g.rows, func(a, b uint32) int {
		ca, cb := cell(a), cell(b)
		if ca != cb {
			return int(int64(ca) - int64(cb))
		}
		return int(int64(a) - int64(b))
	})
	g.cells = g.cells[:0]
	for i, s := range g.rows {
		if c := cell(s); len(g.cells) == 0 || g.cells[len(g.cells)-1].key != c {
			g.cells = append(g.cells, cellSpan{key: c, lo: uint32(i)})
		}
	}
}

// settle builds the cells of every grid with a tail: after a bulk build.
func (ix *Index) settle() {
	for _, g := range ix.grids {
		if len(g.tail) > 0 {
			ix.buildCells(g)
		}
	}
}

// span is a run of a grid's cells in one band: the columns lo to hi.
type span struct{ lo, hi int }

// cellRanges calls fn with the rows of each of g's cells that can hold a
// home within g's longest commute of the point at (lat, lng) degrees.
func (g *grid) cellRanges(lat, lng float64, fn func(rows []uint32)) {
	if len(g.cells) == 0 {
		return
	}
	const rad = math.Pi / 180
	reach := g.reach + coverMargin
	dLat := reach / rad
	bandLo := int(math.Floor((lat - dLat + 90) / cellDeg))
	bandHi := int(math.Floor((lat + dLat + 90) / cellDeg))
	bandLo, bandHi = max(bandLo, 0), min(bandHi, 360/cellDeg)
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
			first, last := uint32(band*1024+sp.lo), uint32(band*1024+sp.hi)
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
		g.cellRanges(lat, lng, func(rows []uint32) { n += ix.scan(pl, t, rows, 0, seen, epoch, filter, viaCommute) })
		n += ix.scan(pl, t, g.tail, 0, seen, epoch, filter, viaCommute)
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
		g.cellRanges(lat, lng, func(rows []uint32) { n += int64(len(rows)) })
		n += int64(len(g.tail))
	}
	n += int64(len(g.far))
	if pf.stateBit != 0 {
		n += int64(len(ix.willing[k<<8|uint64(pf.state)]))
	}
	return n
}
