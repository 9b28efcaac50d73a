package search

import "context"

// A caller that may see only some profiles (a recruiter: the clinicians
// their organization may see) searches with ProfileQuery.IDs, a filter
// built on the server. One filter names at most MaxFilterIDs profiles;
// past that, the caller lists every match in search order
// (ProfileIDsFor) and cuts its page, total and facets from its own
// subset.

// Validate returns the error SearchProfiles would return for q's values
// (ErrInvalidQuery naming the parameter), without searching: a caller
// that knows the answer is empty still refuses a bad query.
func (q ProfileQuery) Validate() error {
	if err := CheckText(q.Q); err != nil {
		return err
	}
	if _, err := checkPage(q.Offset, q.Limit); err != nil {
		return err
	}
	_, _, err := q.expr()
	return err
}

// ProfileIDsFor returns the ID of every profile q matches, up to
// MaxTotalHits, in the order SearchProfiles would list them (relevance,
// nearest first with Near), ignoring q's page. A caller that may see
// more profiles than an IDs filter holds pages and counts its own subset
// of them. Errors as for SearchProfiles.
func (c *Client) ProfileIDsFor(ctx context.Context, q ProfileQuery) ([]string, error) {
	if err := CheckText(q.Q); err != nil {
		return nil, err
	}
	expr, sort, err := q.expr()
	if err != nil {
		return nil, err
	}
	return c.ids(ctx, KindProfiles, q.Q, expr, MaxTotalHits, sort...)
}
