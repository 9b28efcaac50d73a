// Package search keeps carefit's Meilisearch indexes and queries them: one
// index of positions and one of clinician profiles, named
// <prefix>_positions and <prefix>_profiles. Postgres is the source of
// truth; the indexes are derived from it by the outbox relay and rebuilt
// whole (searchsync.Sync and searchsync.Reindex, which read Postgres; this
// package imports no database driver). Documents carry only what is
// searched, filtered, sorted or shown in a result list: never contact
// details, licence numbers or NPIs, and a clinician's name only with their
// consent.
//
// Filters are built from typed, validated values only (see filter.go);
// callers never pass filter strings.
package search

import (
	"fmt"
	"math"
	"slices"
	"time"
	"unicode/utf8"

	"carefit/candidates"
	"carefit/internal/kit/errs"
	"carefit/internal/kit/geo"
	"carefit/internal/kit/taxonomy"
	"carefit/jobs"
)

// Kind names one of carefit's indexes.
type Kind string

// Index kinds.
const (
	KindPositions Kind = "positions"
	KindProfiles  Kind = "profiles"
)

// Kinds returns every Kind.
func Kinds() []Kind { return []Kind{KindPositions, KindProfiles} }

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool { return k == KindPositions || k == KindProfiles }

// MaxDescription is how many characters of a position's description are
// indexed: enough for search words, small enough to keep documents light.
const MaxDescription = 2000

// Geo is a document's location in Meilisearch's _geo form.
type Geo struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// ErrBadGeo matches the error for a document whose coordinates
// Meilisearch would reject; one such document fails the whole batch it is
// sent in.
var ErrBadGeo = errs.E(opGeo, errs.Invalid, badGeoMsg)

const (
	opGeo     = "search.geo"
	badGeoMsg = "the coordinates are not a location"
)

// badGeo is the error of a document of kind with id at lat, lng; the
// coordinates are kept for logs.
func badGeo(kind, id string, lat, lng float64) error {
	return errs.Wrap(opGeo, errs.Invalid, fmt.Errorf("%s %s at %v,%v", kind, id, lat, lng), badGeoMsg)
}

// Valid reports whether g is a finite coordinate in range and not 0,0
// (which means missing, never a US location).
func (g Geo) Valid() bool {
	finite := !math.IsNaN(g.Lat) && !math.IsInf(g.Lat, 0) && !math.IsNaN(g.Lng) && !math.IsInf(g.Lng, 0)
	return finite && g.Lat >= -90 && g.Lat <= 90 && g.Lng >= -180 && g.Lng <= 180 && (g.Lat != 0 || g.Lng != 0)
}

// PositionDoc is a position as indexed. Times are Unix seconds so they can
// be filtered and sorted numerically.
type PositionDoc struct {
	ID             string   `json:"id"`
	OrgID          string   `json:"org_id"`
	OrgName        string   `json:"org_name"`
	Title          string   `json:"title"`
	Description    string   `json:"description"`
	Status         string   `json:"status"`
	Credentials    []string `json:"credentials"`
	Taxonomies     []string `json:"taxonomies"`
	TaxonomyNames  []string `json:"taxonomy_names"`
	LicenceStates  []string `json:"licence_states"`
	State          string   `json:"state"`
	City           string   `json:"city"`
	EmploymentType string   `json:"employment_type"`
	// Setting, Population and EHR are "" when the employer did not say.
	Setting         string   `json:"setting"`
	Population      string   `json:"population"`
	EHR             string   `json:"ehr"`
	LanguagesNeeded []string `json:"languages_needed"`
	LanguageNames   []string `json:"language_names"`
	PayMin          float64  `json:"pay_min"`
	PayMax          float64  `json:"pay_max"`
	PayPeriod       string   `json:"pay_period"`
	StartDate       int64    `json:"start_date"`
	// ExpiresAt is 0 when the position has no expiry (drafts).
	ExpiresAt int64 `json:"expires_at"`
	// Listed is true for an open position that had not expired when the
	// document was written. Expiry passes without a write, so queries for
	// listed positions also filter expires_at > now.
	Listed    bool  `json:"listed"`
	Geo       Geo   `json:"_geo"`
	UpdatedAt int64 `json:"updated_at"`
}

// ProfileDoc is a clinician profile as indexed. It has no contact
// details, licence numbers or NPI; Name is empty unless the clinician
// consented to recruiters seeing them.
type ProfileDoc struct {
	ID            string   `json:"id"`
	Name          string   `json:"name,omitempty"`
	Credential    string   `json:"credential"`
	Taxonomies    []string `json:"taxonomies"`
	TaxonomyNames []string `json:"taxonomy_names"`
	// LicenceStates are the states where the clinician holds a licence,
	// including every Nurse Licensure Compact state for an RN with a
	// multistate licence from a compact state. Expiry is not applied:
	// eligibility checks it against a position's start date.
	LicenceStates       []string `json:"licence_states"`
	HomeState           string   `json:"home_state"`
	Languages           []string `json:"languages"`
	LanguageNames       []string `json:"language_names"`
	EHRsUsed            []string `json:"ehrs_used"`
	BoardCertifications []string `json:"board_certifications"`
	YearsExperience     int      `json:"years_experience"`
	AvailableFrom       int64    `json:"available_from"`
	EmploymentTypes     []string `json:"employment_types"`
	VisibleToRecruiters bool     `json:"visible_to_recruiters"`
	Geo                 Geo      `json:"_geo"`
	UpdatedAt           int64    `json:"updated_at"`
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}

func taxonomyNames(codes []string) []string {
	out := make([]string, 0, len(codes))
	for _, c := range codes {
		if tc, ok := taxonomy.Lookup(c); ok {
			out = append(out, tc.Name)
		}
	}
	return out
}

func languageNames(ls []taxonomy.Language) []string {
	out := make([]string, 0, len(ls))
	for _, l := range ls {
		if n := l.Name(); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func deref[T ~string](p *T) string {
	if p == nil {
		return ""
	}
	return string(*p)
}

func unixOrZero(t *time.Time) int64 {
	if t == nil {
		return 0
	}
	return t.Unix()
}

// truncate cuts s to at most n runes without splitting a character.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// PositionPlace is what a position document needs from the position's
// organisation and location, which the position itself does not carry.
type PositionPlace struct {
	OrgName string
	City    string
	State   string
	Lat     float64
	Lng     float64
}

// NewPositionDoc builds the document of p at place; listed is decided at
// now. It returns an error matching ErrBadGeo when the coordinates are
// not valid.
func NewPositionDoc(p jobs.Position, place PositionPlace, now time.Time) (PositionDoc, error) {
	d := PositionDoc{
		ID: p.ID, OrgID: p.OrgID, OrgName: place.OrgName, Title: p.Title,
		Description: truncate(p.Description, MaxDescription), Status: string(p.Status),
		Credentials: strs(p.Credentials), Taxonomies: strs(p.Taxonomies), TaxonomyNames: taxonomyNames(p.Taxonomies),
		LicenceStates: strs(p.LicenceStates), State: place.State, City: place.City,
		EmploymentType: string(p.EmploymentType), Setting: deref(p.Environment.Setting),
		Population: deref(p.Environment.Population), EHR: deref(p.Environment.EHR),
		LanguagesNeeded: strs(p.Environment.LanguagesNeeded), LanguageNames: languageNames(p.Environment.LanguagesNeeded),
		PayMin: p.Pay.Min, PayMax: p.Pay.Max, PayPeriod: string(p.Pay.Period),
		StartDate: p.StartDate.Unix(), ExpiresAt: unixOrZero(p.ExpiresAt), Listed: p.Listed(now),
		Geo: Geo{place.Lat, place.Lng}, UpdatedAt: p.UpdatedAt.Unix(),
	}
	if !d.Geo.Valid() {
		return PositionDoc{}, badGeo("position", p.ID, place.Lat, place.Lng)
	}
	return d, nil
}

// licenceStates lists the states where p holds a licence, expanding a
// multistate RN licence from a compact state to every compact state.
func licenceStates(p candidates.Profile) []string {
	var set geo.StateSet
	var extra []string // codes StateSet does not know, kept verbatim
	for _, l := range p.Licences {
		if p.Credential == taxonomy.RN && l.Multistate && geo.NLC.Has(l.State) {
			set |= geo.NLC
		}
		if geo.IsState(l.State) {
			set |= geo.NewStateSet(l.State)
		} else if !slices.Contains(extra, l.State) {
			extra = append(extra, l.State)
		}
	}
	return append(append([]string{}, set.Codes()...), extra...)
}

// NewProfileDoc builds the document of p. It returns an error matching
// ErrBadGeo when the home coordinates are not valid.
func NewProfileDoc(p candidates.Profile) (ProfileDoc, error) {
	d := ProfileDoc{
		ID: p.ID, Credential: string(p.Credential),
		Taxonomies: strs(p.Taxonomies), TaxonomyNames: taxonomyNames(p.Taxonomies),
		LicenceStates: licenceStates(p), HomeState: p.Home.State,
		Languages: strs(p.Languages), LanguageNames: languageNames(p.Languages),
		EHRsUsed: strs(p.EHRsUsed), YearsExperience: p.YearsExperience,
		AvailableFrom: p.AvailableFrom.Unix(), EmploymentTypes: strs(p.EmploymentTypes),
		VisibleToRecruiters: p.VisibleToRecruiters, Geo: Geo{p.Home.Lat, p.Home.Lng},
		UpdatedAt: p.UpdatedAt.Unix(), BoardCertifications: []string{},
	}
	for _, bc := range p.BoardCertifications {
		name := bc.Board
		if tc, ok := taxonomy.Lookup(bc.Specialty); ok {
			name += " (" + tc.Name + ")"
		}
		d.BoardCertifications = append(d.BoardCertifications, name)
	}
	if p.VisibleToRecruiters {
		d.Name = joinName(p.Name.Given, p.Name.Family)
	}
	if !d.Geo.Valid() {
		return ProfileDoc{}, badGeo("profile", p.ID, p.Home.Lat, p.Home.Lng)
	}
	return d, nil
}

func joinName(given, family string) string {
	switch {
	case given == "":
		return family
	case family == "":
		return given
	}
	return given + " " + family
}
