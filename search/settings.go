package search

import "github.com/meilisearch/meilisearch-go"

// MaxTotalHits is the most hits one query can reach on either index: a
// recruiter's search among more clinicians than a filter names lists
// every match (ProfileIDsFor), not Meilisearch's default of 1,000.
const MaxTotalHits = 250_000

// typoTolerance is shared by both indexes. The word sizes are
// Meilisearch's defaults, stated because the Go type would otherwise send
// zeros (typos on every word); codes are not typo-tolerant, so "207Q00000X"
// never matches a neighbouring code.
func typoTolerance(codeAttrs ...string) *meilisearch.TypoTolerance {
	return &meilisearch.TypoTolerance{
		Enabled:             true,
		MinWordSizeForTypos: meilisearch.MinWordSizeForTypos{OneTypo: 5, TwoTypos: 9},
		DisableOnWords:      []string{},
		DisableOnAttributes: append([]string{}, codeAttrs...),
		DisableOnNumbers:    true,
	}
}

// rankingRules are Meilisearch's defaults with freshness as the last
// tie-break, so equal matches list the most recently changed first.
var rankingRules = []string{"words", "typo", "proximity", "attribute", "sort", "exactness", "updated_at:desc"}

// PositionSettings returns the settings of the positions index.
// Searchable attributes are in order of importance (the attribute rule).
func PositionSettings() *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: []string{"title", "taxonomy_names", "org_name", "city", "credentials", "language_names", "description"},
		FilterableAttributes: []string{"id", "org_id", "status", "listed", "credentials", "taxonomies", "licence_states", "state",
			"employment_type", "setting", "population", "ehr", "languages_needed", "pay_min", "pay_max", "pay_period",
			"start_date", "expires_at", "updated_at", "_geo"},
		SortableAttributes: []string{"pay_min", "pay_max", "start_date", "expires_at", "updated_at", "_geo"},
		RankingRules:       rankingRules,
		TypoTolerance:      typoTolerance("credentials"),
		Pagination:         &meilisearch.Pagination{MaxTotalHits: MaxTotalHits},
		Faceting: &meilisearch.Faceting{MaxValuesPerFacet: 100,
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount}},
	}
}

// ProfileSettings returns the settings of the profiles index.
func ProfileSettings() *meilisearch.Settings {
	return &meilisearch.Settings{
		SearchableAttributes: []string{"name", "taxonomy_names", "board_certifications", "credential", "language_names", "ehrs_used"},
		FilterableAttributes: []string{"id", "credential", "taxonomies", "licence_states", "home_state", "languages", "ehrs_used",
			"employment_types", "available_from", "years_experience", "visible_to_recruiters", "updated_at", "_geo"},
		SortableAttributes: []string{"years_experience", "available_from", "updated_at", "_geo"},
		RankingRules:       rankingRules,
		TypoTolerance:      typoTolerance("credential", "ehrs_used"),
		Pagination:         &meilisearch.Pagination{MaxTotalHits: MaxTotalHits},
		Faceting: &meilisearch.Faceting{MaxValuesPerFacet: 100,
			SortFacetValuesBy: map[string]meilisearch.SortFacetType{"*": meilisearch.SortFacetTypeCount}},
	}
}

// Settings returns the settings of the index of kind k.
func Settings(k Kind) *meilisearch.Settings {
	if k == KindProfiles {
		return ProfileSettings()
	}
	return PositionSettings()
}
