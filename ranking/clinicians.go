package ranking

import (
	"slices"
	"time"

	"carefit/match"
	"carefit/search/textmatch"
)

// clinicianTable holds what the store keeps of every clinician in columns
// indexed by a row number: the codes and values lists filter and count
// on, and the engine's view of the clinician encoded (packed.go). Variable
// parts (specialties, searchable words, the encoded view) live in two
// shared slices, so a clinician costs no object of its own beyond its ID:
// a national market's table is a handful of large pointer-free slices the
// collector does not scan. Used under the store's lock.
type clinicianTable struct {
	row map[string]uint32
	// ids is each row's clinician ID, "" for a free row (listed in free).
	ids []string
	// cred and home are the facet codes (Store.codes) of the credential
	// and home state.
	cred, home []uint32
	// availSec and availNsec are AvailableFrom in Unix time.
	availSec  []int64
	availNsec []int32
	at        []match.Point // home
	visible   []bool
	// taxa and text are each row's specialty codes and searchable words,
	// in words.
	taxa, text []span
	words      []uint32
	// features is each row's encoded engine view, in bytes.
	features []span
	bytes    []byte
	dict     *dictionary
	// blocks are the organizations a clinician blocked, for the few who
	// did.
	blocks map[uint32][]string
	free   []uint32
	// deadWords and deadBytes count what rows replaced or removed left in
	// words and bytes; the slices are compacted when it passes what is
	// live.
	deadWords, deadBytes int
}

// span is a run of a shared slice.
type span struct{ off, n uint32 }

func newClinicianTable() *clinicianTable {
	return &clinicianTable{row: map[string]uint32{}, dict: newDictionary(), blocks: map[uint32][]string{}}
}

// clinicianRow is what set records of one clinician.
type clinicianRow struct {
	features   *match.Clinician
	cred, home uint32
	taxa       []uint32
	text       textmatch.Doc
	visible    bool
	blocks     []string
}

// len is the number of clinicians held.
func (t *clinicianTable) len() int { return len(t.row) }

// lookup returns the row of clinician id.
func (t *clinicianTable) lookup(id string) (uint32, bool) {
	r, ok := t.row[id]
	return r, ok
}

// set records c, replacing what was held of the same ID, and returns its
// row.
func (t *clinicianTable) set(c clinicianRow) uint32 {
	id := c.features.ID
	r, ok := t.row[id]
	if ok {
		t.release(r)
	} else if n := len(t.free); n > 0 {
		r, t.free = t.free[n-1], t.free[:n-1]
	} else {
		r = uint32(len(t.ids))
		t.ids = append(t.ids, "")
		t.cred = append(t.cred, 0)
		t.home = append(t.home, 0)
		t.availSec = append(t.availSec, 0)
		t.availNsec = append(t.availNsec, 0)
		t.at = append(t.at, match.Point{})
		t.visible = append(t.visible, false)
		t.taxa = append(t.taxa, span{})
		t.text = append(t.text, span{})
		t.features = append(t.features, span{})
	}
	t.row[id] = r
	t.ids[r] = id
	t.cred[r], t.home[r], t.visible[r] = c.cred, c.home, c.visible
	t.availSec[r], t.availNsec[r] = c.features.AvailableFrom.Unix(), int32(c.features.AvailableFrom.Nanosecond())
	if c.features.AvailableFrom.IsZero() {
		t.availSec[r], t.availNsec[r] = minSec, 0
	}
	t.at[r] = match.Point{}
	if h := c.features.Home; h != nil {
		t.at[r] = *h
	}
	t.taxa[r] = t.appendWords(c.taxa)
	t.text[r] = t.appendWords(c.text)
	off := len(t.bytes)
	t.bytes = encodeClinician(t.bytes, t.dict, c.features)
	t.features[r] = span{uint32(off), uint32(len(t.bytes) - off)}
	if len(c.blocks) > 0 {
		t.blocks[r] = c.blocks
	}
	t.maybeCompact()
	return r
}

// minSec stands for the zero time, which no availability filter excludes.
const minSec = -1 << 62

func (t *clinicianTable) appendWords(ws []uint32) span {
	off := len(t.words)
	t.words = append(t.words, ws...)
	return span{uint32(off), uint32(len(ws))}
}

// remove forgets clinician id; an unknown id is a no-op.
func (t *clinicianTable) remove(id string) {
	r, ok := t.row[id]
	if !ok {
		return
	}
	t.release(r)
	delete(t.row, id)
	t.ids[r] = ""
	t.free = append(t.free, r)
}

// release drops the variable parts of row r.
func (t *clinicianTable) release(r uint32) {
	t.deadWords += int(t.taxa[r].n + t.text[r].n)
	t.deadBytes += int(t.features[r].n)
	t.taxa[r], t.text[r], t.features[r] = span{}, span{}, span{}
	delete(t.blocks, r)
}

// maybeCompact copies the live runs of words and bytes to new slices once
// the dead ones outweigh them, so edits do not grow the table without
// bound.
func (t *clinicianTable) maybeCompact() {
	if t.deadWords > 1<<16 && t.deadWords > len(t.words)/2 {
		words := make([]uint32, 0, len(t.words)-t.deadWords)
		move := func(s *span) {
			off := len(words)
			words = append(words, t.words[s.off:s.off+s.n]...)
			s.off = uint32(off)
		}
		for r := range t.ids {
			move(&t.taxa[r])
			move(&t.text[r])
		}
		t.words, t.deadWords = words, 0
	}
	if t.deadBytes > 1<<20 && t.deadBytes > len(t.bytes)/2 {
		bytes := make([]byte, 0, len(t.bytes)-t.deadBytes)
		for r := range t.ids {
			s := &t.features[r]
			off := len(bytes)
			bytes = append(bytes, t.bytes[s.off:s.off+s.n]...)
			s.off = uint32(off)
		}
		t.bytes, t.deadBytes = bytes, 0
	}
}

// features decodes the engine's view of the clinician in row r.
func (t *clinicianTable) clinician(r uint32) match.Clinician {
	s := t.features[r]
	return decodeClinician(t.bytes[s.off:s.off+s.n], t.dict, t.ids[r])
}

// specialties returns the specialty codes of row r, not to be modified.
func (t *clinicianTable) specialties(r uint32) []uint32 {
	s := t.taxa[r]
	return t.words[s.off : s.off+s.n : s.off+s.n]
}

// doc returns the searchable words of row r.
func (t *clinicianTable) doc(r uint32) textmatch.Doc {
	s := t.text[r]
	if s.n == 0 {
		return nil
	}
	return textmatch.Doc(t.words[s.off : s.off+s.n : s.off+s.n])
}

// availableAfter reports whether row r's availability is after at.
func (t *clinicianTable) availableAfter(r uint32, at time.Time) bool {
	sec, nsec := at.Unix(), int32(at.Nanosecond())
	return t.availSec[r] > sec || (t.availSec[r] == sec && t.availNsec[r] > nsec)
}

// blocked reports whether row r's clinician blocked org.
func (t *clinicianTable) blocked(r uint32, org string) bool {
	return slices.Contains(t.blocks[r], org)
}

// trim copies every column and shared slice to one of its exact length,
// returning what growing them by appends left unused: after Load, whose
// clinicians arrive one at a time, that is up to a fifth of the table.
func (t *clinicianTable) trim() {
	t.ids, t.cred, t.home = slices.Clone(t.ids), slices.Clone(t.cred), slices.Clone(t.home)
	t.availSec, t.availNsec, t.at = slices.Clone(t.availSec), slices.Clone(t.availNsec), slices.Clone(t.at)
	t.visible, t.taxa, t.text, t.features = slices.Clone(t.visible), slices.Clone(t.taxa), slices.Clone(t.text), slices.Clone(t.features)
	t.words, t.bytes = slices.Clone(t.words), slices.Clone(t.bytes)
}
