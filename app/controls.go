package app

import (
	"context"
	"strconv"
	"time"

	"carefit/access"
	"carefit/internal/kit/errs"
	"carefit/intro"
)

// The clinician's controls: the organizations they block, who read their
// profile and contact details (the access log, from the audit log), their
// consent record, and an export of everything stored about them. Each use
// case acts on the caller's own profile only; the routes admit clinicians.

// Records reads what the access records keep about a clinician
// (accessdb.Store): the audit log's entries about them, their consent
// record and their API keys.
type Records interface {
	AccessLog(ctx context.Context, profileID string, before int64, limit int) ([]access.AccessEntry, error)
	Consents(ctx context.Context, profileID string) ([]access.ConsentEvent, error)
	KeysOf(ctx context.Context, profileID string) ([]access.Key, error)
}

// own checks that who is a clinician, the only role with controls of
// their own.
func own(who Caller, op string) error {
	if who.Role != access.Clinician || who.ProfileID == "" {
		return errs.E(op, errs.Forbidden, "these are a clinician's own controls")
	}
	return nil
}

// BlockedOrganizations returns the organizations the calling clinician
// blocks.
func (s *Service) BlockedOrganizations(ctx context.Context, who Caller) ([]intro.Block, error) {
	if err := own(who, "app.BlockedOrganizations"); err != nil {
		return nil, err
	}
	if err := s.introsHere(); err != nil {
		return nil, err
	}
	return s.Intros.Blocked(ctx, who.ProfileID)
}

// SetBlockedOrganizations makes orgIDs the organizations the calling
// clinician blocks: from then on they never see the clinician, and their
// accepted or open introductions are revoked (introdb.Store.SetBlocked).
// It returns Invalid naming each unknown or malformed ID.
func (s *Service) SetBlockedOrganizations(ctx context.Context, who Caller, orgIDs []string) ([]intro.Block, error) {
	if err := own(who, "app.SetBlockedOrganizations"); err != nil {
		return nil, err
	}
	if err := s.introsHere(); err != nil {
		return nil, err
	}
	return s.Intros.SetBlocked(ctx, who.ProfileID, orgIDs, who.KeyID)
}

// AccessLog is who read the calling clinician's profile or contact
// details, when and for which position: the audit log's entries about
// them, newest first, naming each reader's organization (or carefit's
// operators) but not their key.
type AccessLog struct {
	Items      []access.AccessEntry `json:"items"`
	NextBefore string               `json:"next_before"`
}

// AccessLog returns a page of the calling clinician's access log: limit
// entries (100 when 0) with an ID below before (0: the newest).
func (s *Service) AccessLog(ctx context.Context, who Caller, before int64, limit int) (AccessLog, error) {
	if err := own(who, "app.AccessLog"); err != nil {
		return AccessLog{}, err
	}
	if s.Records == nil {
		return AccessLog{}, errs.E("app.AccessLog", errs.Unavailable, "the access log is not available in this process")
	}
	if limit == 0 {
		limit = 100
	}
	items, err := s.Records.AccessLog(ctx, who.ProfileID, before, limit)
	if err != nil {
		return AccessLog{}, err
	}
	out := AccessLog{Items: items}
	if len(items) == limit {
		out.NextBefore = strconv.FormatInt(items[len(items)-1].ID, 10)
	}
	return out, nil
}

// ConsentRecord is a clinician's consent as it stands and every change of
// it, oldest first, each with its time and the key that made it.
type ConsentRecord struct {
	VisibleToRecruiters  bool                  `json:"visible_to_recruiters"`
	ConsentUpdatedAt     *time.Time            `json:"consent_updated_at"`
	BlockedOrganizations []intro.Block         `json:"blocked_organizations"`
	Events               []access.ConsentEvent `json:"events"`
}

// ConsentRecord returns the calling clinician's consent record.
func (s *Service) ConsentRecord(ctx context.Context, who Caller) (ConsentRecord, error) {
	if err := own(who, "app.ConsentRecord"); err != nil {
		return ConsentRecord{}, err
	}
	if s.Records == nil || s.Intros == nil {
		return ConsentRecord{}, errs.E("app.ConsentRecord", errs.Unavailable, "the consent record is not available in this process")
	}
	p, err := s.Profiles.GetProfile(ctx, who.ProfileID)
	if err != nil {
		return ConsentRecord{}, err
	}
	blocks, err := s.Intros.Blocked(ctx, who.ProfileID)
	if err != nil {
		return ConsentRecord{}, err
	}
	events, err := s.Records.Consents(ctx, who.ProfileID)
	if err != nil {
		return ConsentRecord{}, err
	}
	return ConsentRecord{VisibleToRecruiters: p.VisibleToRecruiters, ConsentUpdatedAt: p.ConsentUpdatedAt,
		BlockedOrganizations: blocks, Events: events}, nil
}

// Export is everything carefit stores about one clinician, for them.
type Export struct {
	ExportedAt time.Time `json:"exported_at"`
	// Profile is the whole profile, contact details included.
	Profile ClinicianView `json:"profile"`
	// APIKeys are the clinician's keys, without secrets (never stored).
	APIKeys       []access.Key            `json:"api_keys"`
	ConsentRecord []access.ConsentEvent   `json:"consent_record"`
	Blocked       []intro.Block           `json:"blocked_organizations"`
	Introductions []ClinicianIntroduction `json:"introductions"`
	// Pipeline is what recruiters recorded about the clinician, notes and
	// history included; StoredMatches their place in positions' top K.
	Pipeline      []intro.PipelineRecord `json:"pipeline"`
	StoredMatches []intro.MatchRecord    `json:"stored_matches"`
	// AccessLog is every read of the profile or contact details by staff.
	AccessLog []access.AccessEntry `json:"access_log"`
}

// exportLogPage is how many access log entries an export reads at a time.
const exportLogPage = 500

// Export returns everything stored about the calling clinician.
func (s *Service) Export(ctx context.Context, who Caller) (Export, error) {
	if err := own(who, "app.Export"); err != nil {
		return Export{}, err
	}
	if s.Records == nil || s.Intros == nil {
		return Export{}, errs.E("app.Export", errs.Unavailable, "the export is not available in this process")
	}
	p, err := s.Profiles.GetProfile(ctx, who.ProfileID)
	if err != nil {
		return Export{}, err
	}
	out := Export{ExportedAt: s.now().UTC()}
	out.Profile, _ = ProfileFor(who.Principal, p, Reading{Single: true})
	if out.APIKeys, err = s.Records.KeysOf(ctx, p.ID); err != nil {
		return Export{}, err
	}
	if out.ConsentRecord, err = s.Records.Consents(ctx, p.ID); err != nil {
		return Export{}, err
	}
	if out.AccessLog, err = s.wholeAccessLog(ctx, p.ID); err != nil {
		return Export{}, err
	}
	held, err := s.Intros.Held(ctx, p.ID)
	if err != nil {
		return Export{}, err
	}
	out.Blocked, out.Pipeline, out.StoredMatches = held.Blocks, held.Pipeline, held.Matches
	out.Introductions, err = s.clinicianIntros(ctx, who, held.Introductions)
	return out, err
}

// wholeAccessLog reads every access log entry about profileID, newest
// first, a page at a time.
func (s *Service) wholeAccessLog(ctx context.Context, profileID string) ([]access.AccessEntry, error) {
	out := []access.AccessEntry{}
	var before int64
	for {
		items, err := s.Records.AccessLog(ctx, profileID, before, exportLogPage)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
		if len(items) < exportLogPage {
			return out, nil
		}
		before = items[len(items)-1].ID
	}
}
