package reliability

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// durability reads every organization, position and profile back through
// the API as the admin and counts the acknowledged writes it does not
// find: a missing record, or a position whose title is not the last one
// acknowledged.
func (ld *load) durability(e expected) (lost int, examples []string, err error) {
	api := ld.c.api
	orgs, profiles, titles := map[string]bool{}, map[string]bool{}, map[string]string{}
	type rec struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	if err := eachPage(api, "/v1/organizations?limit=200", ld.admin, func(rs []rec) {
		for _, r := range rs {
			orgs[r.ID] = true
		}
	}); err != nil {
		return 0, nil, err
	}
	if err := eachPage(api, "/v1/profiles?limit=200", ld.admin, func(rs []rec) {
		for _, r := range rs {
			profiles[r.ID] = true
		}
	}); err != nil {
		return 0, nil, err
	}
	if err := eachPage(api, "/v1/positions?limit=200", ld.admin, func(rs []rec) {
		for _, r := range rs {
			titles[r.ID] = r.Title
		}
	}); err != nil {
		return 0, nil, err
	}
	miss := func(what string) {
		lost++
		if len(examples) < 5 {
			examples = append(examples, what)
		}
	}
	for id := range e.orgs {
		if !orgs[id] {
			miss("organization " + id)
		}
	}
	for id := range e.profiles {
		if !profiles[id] {
			miss("profile " + id)
		}
	}
	for id, p := range e.positions {
		if got, ok := titles[id]; !ok || got != p.title {
			miss(fmt.Sprintf("position %s: title %q, want %q", id, got, p.title))
		}
	}
	return lost, examples, nil
}

// storedMarkers counts the rows of each marker in Postgres: one logical
// create must be one row.
func (ld *load) storedMarkers(ctx context.Context) (map[string]int, error) {
	conn, err := pgx.Connect(ctx, ld.c.dbURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	prefix := "rl" + ld.run + "-"
	counts := map[string]int{}
	for _, q := range []string{
		`SELECT substr(name, length('Reliability Health ') + 1) FROM organizations WHERE name LIKE 'Reliability Health ' || $1 || '%'`,
		`SELECT split_part(substr(description, length('Reliability load ') + 1), ' ', 1) FROM positions WHERE description LIKE 'Reliability load ' || $1 || '%'`,
		`SELECT split_part(contact->>'email', '@', 1) FROM profiles WHERE contact->>'email' LIKE $1 || '%'`,
	} {
		rows, err := conn.Query(ctx, q, prefix)
		if err != nil {
			return nil, err
		}
		markers, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, err
		}
		for _, m := range markers {
			counts[m]++
		}
	}
	return counts, nil
}

// duplicates counts the extra rows of logical creates stored more than
// once, and the orphans: rows of creates that were never acknowledged.
// counts are the rows of each marker.
func duplicates(e expected, counts map[string]int) (dups, orphans int, examples []string) {
	for m, n := range counts {
		w := e.markers[m]
		switch {
		case n > 1:
			dups += n - 1
			examples = append(examples, fmt.Sprintf("%s stored %d times", m, n))
		case w == nil:
			examples = append(examples, m+" stored but never sent")
			dups++
		case !w.done():
			orphans++
		}
	}
	return dups, orphans, examples
}

// rankedCounts are the totals of the two ranked lists the load fills,
// and the rows Postgres holds for them.
type rankedCounts struct {
	roles, wantRoles int // the anchor clinician's roles in WI: load positions and the anchor position
	cands, wantCands int // the anchor position's candidates living in WI: load profiles
}

func (r rankedCounts) match() bool { return r.roles == r.wantRoles && r.cands == r.wantCands }

func (r rankedCounts) String() string {
	return fmt.Sprintf("roles total %d for %d positions in Postgres, candidates total %d for %d profiles", r.roles, r.wantRoles, r.cands, r.wantCands)
}

// rankedTotals reads the totals of the ranked lists; counts are the rows
// of each marker in Postgres.
func (ld *load) rankedTotals(e expected, counts map[string]int) (rankedCounts, error) {
	var r rankedCounts
	for m, n := range counts {
		switch w := e.markers[m]; {
		case w == nil:
		case w.kind == "position" || w.kind == "anchor-position":
			r.wantRoles += n
		case w.kind == "profile":
			r.wantCands += n
		}
	}
	var pg page[struct{}]
	if err := ld.c.api.get("/v1/me/roles?state=WI&limit=1", ld.anchors.clinKey, &pg); err != nil {
		return r, err
	}
	r.roles = pg.Total
	if err := ld.c.api.get("/v1/positions/"+ld.anchors.positionID+"/candidates?state=WI&limit=1", ld.admin, &pg); err != nil {
		return r, err
	}
	r.cands = pg.Total
	return r, nil
}

// searchMissing counts the acknowledged records of the given phases that
// a free search for each phase's word does not find as acknowledged:
// every profile, and every open position with its last acknowledged title
// or a later one (the load may have patched it since e was taken).
func (ld *load) searchMissing(e expected, phases []int) (int, string, error) {
	type hit struct {
		ID    string `json:"id"`
		Title string `json:"title"`
	}
	missing, example := 0, ""
	for _, phase := range phases {
		titles, profiles := map[string]string{}, map[string]bool{}
		q := "?q=" + phaseWord(phase)
		if err := eachHit(ld.c.api, "/v1/search/positions"+q, ld.admin, func(hs []hit) {
			for _, h := range hs {
				titles[h.ID] = h.Title
			}
		}); err != nil {
			return 0, "", err
		}
		if err := eachHit(ld.c.api, "/v1/search/profiles"+q, ld.admin, func(hs []hit) {
			for _, h := range hs {
				profiles[h.ID] = true
			}
		}); err != nil {
			return 0, "", err
		}
		for id, p := range e.positions {
			if got, ok := titles[id]; p.phase == phase && (!ok || titleRev(p.marker, got) < p.rev) {
				missing++
				example = fmt.Sprintf("position %s: indexed title %q, want %q or later", id, got, p.title)
			}
		}
		for id, p := range e.profiles {
			if p.phase == phase && !profiles[id] {
				missing++
				example = "profile " + id
			}
		}
	}
	return missing, example, nil
}

// titleRev is the revision of a position title written by positionTitle,
// or -1 if it is not one of marker's.
func titleRev(marker, title string) int {
	rest, ok := strings.CutPrefix(title, positionTitle(marker, 0))
	if !ok {
		return -1
	}
	if rest == "" {
		return 0
	}
	rev, err := strconv.Atoi(strings.TrimPrefix(rest, " r"))
	if err != nil || !strings.HasPrefix(rest, " r") {
		return -1
	}
	return rev
}

// awaitSearch reads the search, at most once a second, until it finds
// every record of e written in phases, or until limit after since has
// passed with some slack, and returns how long after since it converged
// (-1: never) with what was missing last.
func (ld *load) awaitSearch(e expected, phases []int, since time.Time, limit time.Duration) (time.Duration, string) {
	last, converged := "", time.Duration(-1)
	eventually(time.Until(since.Add(limit+30*time.Second)), time.Second, func() bool {
		n, example, err := ld.searchMissing(e, phases)
		switch {
		case err != nil:
			last = err.Error()
		case n > 0:
			last = fmt.Sprintf("%d not found as acknowledged, e.g. %s", n, example)
		default:
			converged = time.Since(since)
			return true
		}
		return false
	})
	return converged, last
}

// rankedMissing reads the whole of both ranked lists and counts the
// acknowledged records missing: load positions (and the anchor position)
// from the anchor clinician's roles in WI, and load profiles from the
// anchor position's candidates living in WI.
func (ld *load) rankedMissing(e expected) (int, string, error) {
	a := ld.anchors
	type role struct {
		Position struct {
			ID string `json:"id"`
		} `json:"position"`
	}
	type cand struct {
		Clinician struct {
			ID string `json:"id"`
		} `json:"clinician"`
	}
	roles, cands := map[string]bool{}, map[string]bool{}
	if err := eachPage(ld.c.api, "/v1/me/roles?state=WI&limit=100", a.clinKey, func(rs []role) {
		for _, r := range rs {
			roles[r.Position.ID] = true
		}
	}); err != nil {
		return 0, "", err
	}
	path := "/v1/positions/" + a.positionID + "/candidates?state=WI&limit=100"
	if err := eachPage(ld.c.api, path, ld.admin, func(cs []cand) {
		for _, c := range cs {
			cands[c.Clinician.ID] = true
		}
	}); err != nil {
		return 0, "", err
	}
	var missing []string
	for id, p := range e.positions {
		if (p.kind == "position" || p.kind == "anchor-position") && !roles[id] {
			missing = append(missing, "position "+id)
		}
	}
	for id, p := range e.profiles {
		if p.kind == "profile" && !cands[id] {
			missing = append(missing, "profile "+id)
		}
	}
	if len(missing) > 0 {
		return len(missing), strings.Join(missing[:min(3, len(missing))], ", "), nil
	}
	return 0, "", nil
}
