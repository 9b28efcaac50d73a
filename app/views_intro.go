package app

import (
	"time"

	"carefit/intro"
)

// Who sees what of an introduction:
//
//   - its organization's recruiters and admins: StaffIntroduction, the
//     introduction as stored, with the API keys that asked, answered and
//     revoked, and its status at the time of the read;
//   - the clinician: ClinicianIntroduction, without keys, with the
//     organization's name, the position as published and the same fit
//     explanation their ranked roles show.
//
// As with profiles, each view copies its fields one by one and
// views_test.go fails until a new field of intro.Introduction is placed.

// IntroductionView is StaffIntroduction or ClinicianIntroduction.
type IntroductionView interface{ introductionView() }

// StaffIntroduction is an introduction as its organization's recruiters
// and admins read it.
type StaffIntroduction struct {
	ID             string     `json:"id"`
	OrgID          string     `json:"org_id"`
	PositionID     string     `json:"position_id"`
	ClinicianID    string     `json:"clinician_id"`
	Initiator      string     `json:"initiator"`
	Status         string     `json:"status"`
	Message        string     `json:"message"`
	Reply          string     `json:"reply"`
	RequestedByKey string     `json:"requested_by_key"`
	CreatedAt      time.Time  `json:"created_at"`
	ExpiresAt      time.Time  `json:"expires_at"`
	AnsweredAt     *time.Time `json:"answered_at"`
	AnsweredByKey  string     `json:"answered_by_key"`
	RevokedAt      *time.Time `json:"revoked_at"`
	RevokedByKey   string     `json:"revoked_by_key"`
}

// OrganizationName names an organization to a clinician.
type OrganizationName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ClinicianIntroduction is an introduction as its clinician reads it.
type ClinicianIntroduction struct {
	ID           string           `json:"id"`
	Organization OrganizationName `json:"organization"`
	PositionID   string           `json:"position_id"`
	Initiator    string           `json:"initiator"`
	Status       string           `json:"status"`
	Message      string           `json:"message"`
	Reply        string           `json:"reply"`
	CreatedAt    time.Time        `json:"created_at"`
	ExpiresAt    time.Time        `json:"expires_at"`
	AnsweredAt   *time.Time       `json:"answered_at"`
	RevokedAt    *time.Time       `json:"revoked_at"`
	// Position is the position as published; null if it is gone.
	Position PositionView `json:"position"`
	// Explanation is the pair's fit as the clinician's roles explain it;
	// null when the position or profile is not in the feature store.
	Explanation *Explanation `json:"explanation"`
}

func (StaffIntroduction) introductionView()     {}
func (ClinicianIntroduction) introductionView() {}

// staffIntroduction copies what staff see of in, its status read at now.
func staffIntroduction(in intro.Introduction, now time.Time) StaffIntroduction {
	return StaffIntroduction{ID: in.ID, OrgID: in.OrgID, PositionID: in.PositionID, ClinicianID: in.ProfileID,
		Initiator: string(in.Initiator), Status: string(in.StatusAt(now)), Message: in.Message, Reply: in.Reply,
		RequestedByKey: in.RequestedByKey, CreatedAt: in.CreatedAt, ExpiresAt: in.ExpiresAt, AnsweredAt: in.AnsweredAt,
		AnsweredByKey: in.AnsweredByKey, RevokedAt: in.RevokedAt, RevokedByKey: in.RevokedByKey}
}

// clinicianIntroduction copies what the clinician sees of in, its status
// read at now, with the organization's name, the position and the fit.
func clinicianIntroduction(in intro.Introduction, now time.Time, orgName string, pos PositionView, ex *Explanation) ClinicianIntroduction {
	return ClinicianIntroduction{ID: in.ID, Organization: OrganizationName{ID: in.OrgID, Name: orgName}, PositionID: in.PositionID,
		Initiator: string(in.Initiator), Status: string(in.StatusAt(now)), Message: in.Message, Reply: in.Reply,
		CreatedAt: in.CreatedAt, ExpiresAt: in.ExpiresAt, AnsweredAt: in.AnsweredAt, RevokedAt: in.RevokedAt,
		Position: pos, Explanation: ex}
}
