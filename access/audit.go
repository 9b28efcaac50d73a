package access

import (
	"time"
)

// Audit actions.
const (
	// ActionContactRead is a read of a clinician's contact details or
	// licence numbers by someone other than the clinician.
	ActionContactRead = "contact.read"
)

// Entry is one audit record: who read whose data, when, and by which route.
type Entry struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	KeyID     string    `json:"key_id"`
	Role      Role      `json:"role"`
	Action    string    `json:"action"`
	SubjectID string    `json:"subject_id"`
	Route     string    `json:"route"`
	RequestID string    `json:"request_id"`
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	SubjectID string
	KeyID     string
	Before    int64 // entries with an ID below this; 0 for the newest
	Limit     int
}
