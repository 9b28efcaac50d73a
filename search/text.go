package search

import (
	"time"

	"carefit/candidates"
	"carefit/jobs"
	"carefit/search/textmatch"
)

// What free text matches in each index, for matching it outside the
// index (package textmatch, which the feature store's ranked lists use).
// The attributes are the documents' own, built by NewProfileDoc and
// NewPositionDoc, in the order of the index's searchable attributes, with
// typos disabled where the index disables them
// (TestTextIsTheSearchableAttributes).

// ProfileText returns the searchable attributes of p's document; nil when
// the index would refuse the document (ErrBadGeo), so that it matches
// nothing, as the index holds nothing for it.
func ProfileText(p candidates.Profile) []textmatch.Attribute {
	d, err := NewProfileDoc(p)
	if err != nil {
		return nil
	}
	var name []string
	if d.Name != "" {
		name = []string{d.Name}
	}
	return []textmatch.Attribute{
		{Values: name},
		{Values: d.TaxonomyNames},
		{Values: d.BoardCertifications},
		{Values: []string{d.Credential}, Exact: true},
		{Values: d.LanguageNames},
		{Values: d.EHRsUsed, Exact: true},
	}
}

// PositionText returns the searchable attributes of p's document, with its
// organization's name and its location's city; nil as ProfileText.
// Whether the position is listed does not change its text.
func PositionText(p jobs.Position, org jobs.Organization) []textmatch.Attribute {
	d, err := NewPositionDoc(p, PlaceOf(p, org), time.Time{})
	if err != nil {
		return nil
	}
	return []textmatch.Attribute{
		{Values: []string{d.Title}},
		{Values: d.TaxonomyNames},
		{Values: []string{d.OrgName}},
		{Values: []string{d.City}},
		{Values: d.Credentials, Exact: true},
		{Values: d.LanguageNames},
		{Values: []string{d.Description}},
	}
}

// PlaceOf is where a position's document says it is: its organization's
// name and the location the position names.
func PlaceOf(p jobs.Position, org jobs.Organization) PositionPlace {
	loc, _ := org.Location(p.LocationID)
	return PositionPlace{OrgName: org.Name, City: loc.City, State: loc.State, Lat: loc.Lat, Lng: loc.Lng}
}
