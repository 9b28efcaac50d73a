package ranking

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"carefit/candidates"
	"carefit/jobs"
	"carefit/match"
	"carefit/search/textmatch"
)

// positionFacts are what the clinician's list filters and facets need.
type positionFacts struct {
	State          string
	EmploymentType string
	Setting        string
	PayMax         float64
	PayPeriod      string
	Point          *match.Point
	// text is the position's searchable text over Store.positionWords.
	text textmatch.Doc
}

// Store is the in-memory feature store: every clinician in a match.Index
// and every position as a match.Position, with the facts lists filter on.
// It is loaded from its Sources (Postgres, in a serving process) and then
// follows their changes, so edits reach rankings within about a poll
// interval. Safe for concurrent use.
type Store struct {
	// src is where the records are read and how their changes arrive.
	src Sources
	log *slog.Logger
	// opts tunes eligibility for every list and explanation; set once by
	// Load, never changed.
	opts match.Options

	mu sync.RWMutex
	// version counts the batches of changes applied (under mu held for
	// writing): a list ranked at one version holds until the next.
	version uint64
	ix      *match.Index
	// cl holds every clinician of ix, with what lists filter on
	// (clinicians.go).
	cl *clinicianTable
	// codes number the credentials, home states and specialties of the
	// clinicians held; codes only grow.
	codes facetCodes
	// profileWords and positionWords number the words of the records'
	// searchable text (Sources.Text), which free text matches.
	profileWords, positionWords *textmatch.Vocabulary
	// strs keeps one copy of each code string of the clinicians held
	// (intern.go).
	strs interner
	// hidden holds the clinicians who do not consent to be seen: a small
	// set the rematch's filter asks once per clinician and shard, cheaper
	// than the large clinician map.
	hidden    map[string]struct{}
	positions map[string]match.Position
	// gates holds the gate of each open position, built when the position
	// is loaded (see gate.go); open is the same gates as a slice, refilled
	// whenever positions change, so a clinician's roles scan bit masks in
	// a slice instead of the whole map.
	gates            map[string]gate
	open             []gate
	credBits, taxBit bits
	posFacts         map[string]positionFacts

	// mask is the consenting clinicians of ix as a match.Mask, computed by
	// the first shard after a change (visibleMask); maskMu guards it, as
	// shards read under s.mu's read lock.
	maskMu sync.Mutex
	mask   *match.Mask

	// onChange, when set, hears the IDs of every batch Refresh applied.
	onChange func(profiles, positions []string)

	// lists keeps recently ranked lists for the version they were ranked
	// at (cache.go).
	lists *listCache

	// caughtUp is when (Unix nanoseconds) the store last started a read of
	// the changes feed that returned everything committed: it holds every
	// change committed before then.
	caughtUp atomic.Int64
}

// Load reads every clinician and position from src, then follows
// src.Changes (see Refresh). opts tunes eligibility for every list and
// explanation the store computes (see DefaultOptions). It returns the
// first error of src.
func Load(ctx context.Context, src Sources, log *slog.Logger, opts match.Options) (*Store, error) {
	s := &Store{src: src, log: log, opts: opts,
		cl: newClinicianTable(), hidden: map[string]struct{}{}, positions: map[string]match.Position{}, posFacts: map[string]positionFacts{},
		gates: map[string]gate{}, credBits: bits{}, taxBit: bits{}, codes: newFacetCodes(), lists: newListCache(listCacheTTL, listCacheSize, listCacheBytes),
		profileWords: textmatch.NewVocabulary(), positionWords: textmatch.NewVocabulary(), strs: interner{}}
	s.caughtUp.Store(time.Now().UnixNano())
	blocks, err := s.blocksOf(ctx, nil)
	if err != nil {
		return nil, err
	}
	err = s.src.Profiles.EachProfile(ctx, nil, func(p candidates.Profile) error {
		s.setClinician(p, blocks[p.ID])
		return nil
	})
	if err != nil {
		return nil, err
	}
	// The index is built from the table, one decoded clinician at a time,
	// so the whole market is never held as match.Clinician values.
	rows := make([]uint32, 0, s.cl.len())
	for _, r := range s.cl.row {
		rows = append(rows, r)
	}
	slices.Sort(rows)
	s.cl.trim()
	s.ix = match.NewIndexOf(len(rows), func(i int) (match.Clinician, uint32) { return s.cl.clinician(rows[i]), rows[i] })
	if err := s.loadPositions(ctx, nil); err != nil {
		return nil, err
	}
	return s, nil
}

// loadPositions (re)loads the positions with ids (all when nil) and their
// organizations; ids that no longer exist are removed.
func (s *Store) loadPositions(ctx context.Context, ids []string) error {
	var ps []jobs.Position
	if err := s.src.Positions.EachPosition(ctx, ids, func(p jobs.Position) error { ps = append(ps, p); return nil }); err != nil {
		return err
	}
	var orgIDs []string
	for _, p := range ps {
		if !slices.Contains(orgIDs, p.OrgID) {
			orgIDs = append(orgIDs, p.OrgID)
		}
	}
	orgs := map[string]jobs.Organization{}
	if len(orgIDs) > 0 {
		var err error
		if orgs, err = s.src.Positions.Organizations(ctx, orgIDs); err != nil {
			return err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version++
	for _, id := range ids {
		delete(s.positions, id)
		delete(s.posFacts, id)
		delete(s.gates, id)
	}
	for _, p := range ps {
		org := orgs[p.OrgID]
		mp := FromPosition(p, org)
		s.positions[p.ID] = mp
		pf := positionFacts{State: mp.State, EmploymentType: string(p.EmploymentType), PayMax: p.Pay.Max,
			PayPeriod: string(p.Pay.Period), Point: mp.Location}
		if s.src.Text.Position != nil {
			pf.text = s.positionWords.Doc(s.src.Text.Position(p, org))
		}
		if p.Environment.Setting != nil {
			pf.Setting = string(*p.Environment.Setting)
		}
		s.posFacts[p.ID] = pf
		if mp.Status == match.StatusOpen {
			s.gates[p.ID] = newGate(&mp, s.credBits, s.taxBit)
		}
	}
	s.open = s.open[:0]
	for _, g := range s.gates {
		s.open = append(s.open, g)
	}
	return nil
}

// refreshBatch is how many changes one Refresh applies at most.
const refreshBatch = 20000

// Refresh applies the changes fed since the last call (up to
// refreshBatch of them) and returns how many records it reloaded. It
// returns the error of the sources; the changes are then applied by the
// next call.
func (s *Store) Refresh(ctx context.Context) (int, error) {
	started := time.Now().UnixNano()
	cs, err := s.src.Changes.Next(ctx, refreshBatch)
	if err != nil {
		return 0, err
	}
	if len(cs) == 0 {
		s.caughtUp.Store(started)
		return 0, nil
	}
	profIDs, posIDs := changed(cs)
	if len(profIDs) > 0 {
		if err := s.loadProfiles(ctx, profIDs); err != nil {
			return 0, err
		}
	}
	if len(posIDs) > 0 {
		if err := s.loadPositions(ctx, posIDs); err != nil {
			return 0, err
		}
	}
	if err := s.src.Changes.Ack(ctx); err != nil {
		return 0, err
	}
	if len(cs) < refreshBatch {
		s.caughtUp.Store(started)
	}
	if s.onChange != nil {
		s.onChange(profIDs, posIDs)
	}
	return len(profIDs) + len(posIDs), nil
}

// OnChange makes Refresh call fn with the IDs of the profiles and positions
// of every batch it applied, after applying it (a worker rescores them).
// Set it before Follow starts; fn must not block.
func (s *Store) OnChange(fn func(profiles, positions []string)) { s.onChange = fn }

// Freshness is how far behind Postgres the store may be.
type Freshness struct {
	// Lag is the time since the store last held every committed change: a
	// poll interval or less while it follows, and growing while the
	// database cannot be read or the store works through a backlog.
	Lag time.Duration `json:"-"`
	// LagSeconds is Lag in seconds, for /readyz.
	LagSeconds float64 `json:"lag_seconds"`
	// Held counts changes applied past the feed's cursor because an older
	// transaction is still open (see outbox.Reader.Lag); it grows while a
	// long transaction runs but never delays the changes themselves.
	Held int `json:"held_changes"`
	// Clinicians and Positions are how many records the store holds.
	Clinicians int `json:"clinicians"`
	Positions  int `json:"positions"`
}

// Freshness reports the store's lag behind Postgres and its size.
func (s *Store) Freshness() Freshness {
	lag := time.Since(time.Unix(0, s.caughtUp.Load()))
	f := Freshness{Lag: lag, LagSeconds: lag.Round(time.Millisecond).Seconds()}
	if h, ok := s.src.Changes.(interface{ Held() int }); ok {
		f.Held = h.Held()
	}
	f.Clinicians, f.Positions = s.Len()
	return f
}

// blocksOf reads the organizations each clinician of ids (all when nil)
// blocked; none without a Blocks source.
func (s *Store) blocksOf(ctx context.Context, ids []string) (map[string][]string, error) {
	if s.src.Blocks == nil {
		return nil, nil
	}
	return s.src.Blocks.BlocksOf(ctx, ids)
}

// loadProfiles reloads the profiles with ids; missing ones are removed.
func (s *Store) loadProfiles(ctx context.Context, ids []string) error {
	var ps []candidates.Profile
	if err := s.src.Profiles.EachProfile(ctx, ids, func(p candidates.Profile) error { ps = append(ps, p); return nil }); err != nil {
		return err
	}
	blocks, err := s.blocksOf(ctx, ids)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.version++
	for _, id := range ids {
		s.ix.Remove(id)
		s.cl.remove(id)
		delete(s.hidden, id)
	}
	for _, p := range ps {
		r := s.setClinician(p, blocks[p.ID])
		s.ix.UpsertTagged(s.cl.clinician(r), r)
	}
	return nil
}

// setClinician records p, who blocked the organizations blocks, and
// returns their row; it adds p's codes and words to the store's tables, so
// the caller holds s.mu for writing (or s is not shared).
func (s *Store) setClinician(p candidates.Profile, blocks []string) uint32 {
	s.strs.codesOf(&p)
	internAll(s.strs, blocks)
	c := FromProfile(p)
	row := clinicianRow{features: &c, visible: p.VisibleToRecruiters, blocks: blocks,
		cred: s.codes.cred.code(string(p.Credential)), home: s.codes.home.code(p.Home.State),
		taxa: make([]uint32, len(p.Taxonomies))}
	for i, t := range p.Taxonomies {
		row.taxa[i] = s.codes.taxa.code(t)
	}
	if s.src.Text.Profile != nil {
		row.text = s.profileWords.Doc(s.src.Text.Profile(p))
	}
	if p.VisibleToRecruiters {
		delete(s.hidden, p.ID)
	} else {
		s.hidden[p.ID] = struct{}{}
	}
	return s.cl.set(row)
}

// Follow refreshes every interval until ctx ends, logging failures.
func (s *Store) Follow(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("refreshing the feature store", "err", err)
			}
		}
	}
}

// Len returns the number of clinicians and positions held.
func (s *Store) Len() (clinicians, positions int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.Len(), len(s.positions)
}
