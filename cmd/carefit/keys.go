package main

import (
	"context"
	"fmt"
	"time"

	"carefit/access"
	"carefit/access/accessdb"
	"carefit/internal/platform/pg"
)

func runKeys(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "keys", "create -role admin|recruiter|clinician [-org ID] [-profile ID] [-label TEXT]",
		"Create an API key on CAREFIT_DATABASE_URL and print it. The key is shown this once; only its hash is stored.")
	if len(args) == 0 || args[0] != "create" {
		fs.Usage()
		return usageError{"want: keys create -role ROLE"}
	}
	role := fs.String("role", "", "admin, recruiter (needs -org) or clinician (needs -profile)")
	org := fs.String("org", "", "organization ID of a recruiter key")
	profile := fs.String("profile", "", "profile ID of a clinician key")
	label := fs.String("label", "", "a note saying whose key this is")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	req := access.NewKey{Role: access.Role(*role), OrgID: *org, ProfileID: *profile, Label: *label}
	if err := req.Check(); err != nil {
		return usageError{err.Error()}
	}
	cfg, _, err := loadConfig(e, "text")
	if err != nil {
		return err
	}
	pool, err := pg.Open(ctx, cfg.DatabaseURL, 2)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := checkKeyOwner(ctx, pool, req); err != nil {
		return err
	}
	k, secret, err := (&accessdb.Store{DB: pool, Now: time.Now}).Create(ctx, req)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, secret)
	fmt.Fprintf(e.stderr, "created %s key %s (id %s); store it now, it is not shown again\n", k.Role, k.Prefix, k.ID)
	return nil
}

// checkKeyOwner makes sure a recruiter's organization or a clinician's
// profile exists before a key is bound to it.
func checkKeyOwner(ctx context.Context, db pg.DBTX, req access.NewKey) error {
	var table, id string
	switch req.Role {
	case access.Recruiter:
		table, id = "organizations", req.OrgID
	case access.Clinician:
		table, id = "profiles", req.ProfileID
	default:
		return nil
	}
	var ok bool
	if err := db.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = $1)", id).Scan(&ok); err != nil {
		return err
	}
	if !ok {
		return usageError{fmt.Sprintf("no %s with id %s", table[:len(table)-1], id)}
	}
	return nil
}
