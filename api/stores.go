package api

import (
	"context"

	"carefit/access"
	"carefit/candidates"
	"carefit/jobs"
)

// The record routes (create, patch, delete, keys, audit) and
// authentication call a store directly; these are the methods they use.
// cmd/carefit passes the Postgres stores (packages jobsdb, candidatesdb,
// accessdb), so this package imports no database driver.

// Jobs writes and reads organizations and positions (jobsdb.Store).
type Jobs interface {
	CreateOrganization(ctx context.Context, o jobs.Organization) (jobs.Organization, error)
	GetOrganization(ctx context.Context, id string, sc jobs.Scope) (jobs.Organization, error)
	ListOrganizations(ctx context.Context, f jobs.OrgFilter, sc jobs.Scope) (jobs.Page[jobs.Organization], error)
	UpdateOrganization(ctx context.Context, id string, version int, sc jobs.Scope, apply func(*jobs.Organization) error) (jobs.Organization, error)
	DeleteOrganization(ctx context.Context, id string, sc jobs.Scope) error
	CreatePosition(ctx context.Context, p jobs.Position, sc jobs.Scope) (jobs.Position, error)
	PatchPosition(ctx context.Context, id string, version int, sc jobs.Scope, pp jobs.PositionPatch) (jobs.Position, error)
	SetStatus(ctx context.Context, id string, version int, to jobs.Status, sc jobs.Scope) (jobs.Position, error)
	DeletePosition(ctx context.Context, id string, sc jobs.Scope) error
}

// Candidates writes and reads clinician profiles (candidatesdb.Store).
type Candidates interface {
	CreateProfile(ctx context.Context, p candidates.Profile) (candidates.Profile, error)
	GetProfile(ctx context.Context, id string) (candidates.Profile, error)
	PatchProfile(ctx context.Context, id string, version int, pp candidates.ProfilePatch) (candidates.Profile, error)
	SetConsent(ctx context.Context, id string, visible bool) (candidates.Profile, error)
	DeleteProfile(ctx context.Context, id string) error
}

// Keys authenticates API keys, manages them and reads the audit log
// (accessdb.Store).
type Keys interface {
	Authenticate(ctx context.Context, secret string) (access.Principal, error)
	Create(ctx context.Context, n access.NewKey) (access.Key, string, error)
	Revoke(ctx context.Context, id string) error
	List(ctx context.Context) ([]access.Key, error)
	Audit(ctx context.Context, f access.AuditFilter) ([]access.Entry, error)
}
