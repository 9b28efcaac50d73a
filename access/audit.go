package access

import (
	"time"
)

// Audit actions.
const (
	// ActionContactRead is a read of a clinician's contact details or
	// licence numbers by someone other than the clinician.
	ActionContactRead = "contact.read"
	// ActionProfileRead is a single read of a clinician's profile by
	// staff (a recruiter or an admin) that showed no contact details: the
	// clinician's access log lists it as who looked at them.
	ActionProfileRead = "profile.read"
)

// Read is one read of clinicians' data to record in the audit log.
type Read struct {
	// Action is ActionContactRead or ActionProfileRead.
	Action string
	// Route and RequestID say where the read came from.
	Route, RequestID string
	// PositionID is the position the read was for (a ranked pair, an
	// introduction), empty when none.
	PositionID string
	// Subjects are the profiles read.
	Subjects []string
}

// Entry is one audit record: who read whose data, when, by which route,
// and for which position.
type Entry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	KeyID     string    `json:"key_id"`
	Role      Role      `json:"role"`
	Action    string    `json:"action"`
	SubjectID string    `json:"subject_id"`
	Route     string    `json:"route"`
	RequestID string    `json:"request_id"`
	// OrgID is the reading recruiter's organization; empty for admins.
	OrgID string `json:"org_id"`
	// PositionID is the position the read was for; empty when none.
	PositionID string `json:"position_id"`
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	SubjectID string
	KeyID     string
	Before    int64 // entries with an ID below this; 0 for the newest
	Limit     int
}

// AccessEntry is one line of a clinician's access log: who read their
// profile or contact details, when, and for which position. It names the
// reader's organization, never the key.
type AccessEntry struct {
	ID     int64     `json:"id"`
	At     time.Time `json:"at"`
	Action string    `json:"action"`
	// Role is the reader's: recruiter, or admin (carefit's operators).
	Role Role `json:"role"`
	// OrgID and OrgName are the recruiter's organization; empty for
	// admins and for an organization deleted since.
	OrgID      string `json:"org_id"`
	OrgName    string `json:"org_name"`
	PositionID string `json:"position_id"`
	Route      string `json:"route"`
}
