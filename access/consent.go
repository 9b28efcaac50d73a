package access

import "time"

// ConsentKind names one kind of entry in a clinician's consent record.
type ConsentKind string

// The kinds of consent record entries. Each is kept with its time and the
// API key that made it.
const (
	// ConsentNamed and ConsentAnonymous are changes of
	// visible_to_recruiters: recruiters see the clinician by name, or
	// anonymously.
	ConsentNamed     ConsentKind = "visible_to_recruiters.granted"
	ConsentAnonymous ConsentKind = "visible_to_recruiters.withdrawn"
	// ConsentBlocked and ConsentUnblocked add an organization to the
	// clinician's blocked list or take it off.
	ConsentBlocked   ConsentKind = "organization.blocked"
	ConsentUnblocked ConsentKind = "organization.unblocked"
	// ConsentInterest is the clinician asking an organization for an
	// introduction (interest in one of its roles).
	ConsentInterest ConsentKind = "introduction.requested"
	// ConsentAccepted, ConsentDeclined and ConsentRevoked are the answers
	// to an introduction (by the clinician to a recruiter's request, or by
	// a recruiter to the clinician's interest) and the clinician's
	// revocation of one.
	ConsentAccepted ConsentKind = "introduction.accepted"
	ConsentDeclined ConsentKind = "introduction.declined"
	ConsentRevoked  ConsentKind = "introduction.revoked"
)

// ConsentKinds returns every ConsentKind.
func ConsentKinds() []ConsentKind {
	return []ConsentKind{ConsentNamed, ConsentAnonymous, ConsentBlocked, ConsentUnblocked,
		ConsentInterest, ConsentAccepted, ConsentDeclined, ConsentRevoked}
}

// ConsentEvent is one entry of a clinician's consent record.
type ConsentEvent struct {
	ID        int64       `json:"id"`
	ProfileID string      `json:"-"`
	At        time.Time   `json:"at"`
	Kind      ConsentKind `json:"kind"`
	// KeyID is the API key that made the change, and ByRole its role;
	// both empty when no key did (an operator's command-line import).
	KeyID  string `json:"key_id"`
	ByRole Role   `json:"by_role"`
	// OrgID and OrgName name the organization concerned (blocks and
	// introductions); PositionID and IntroductionID the introduction's
	// position and the introduction itself. Empty when not concerned.
	OrgID          string `json:"org_id"`
	OrgName        string `json:"org_name"`
	PositionID     string `json:"position_id"`
	IntroductionID string `json:"introduction_id"`
}
