package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/meilisearch/meilisearch-go"
)

// serverMeiliKey returns the API key the carefit server uses with the
// private Meilisearch of `carefit dev`. The master key only mints keys:
// the server gets a key limited to its own indexes and the actions it
// needs, created once and found again by a UID kept in the state dir.
func serverMeiliKey(ctx context.Context, url, master, prefix, stateDir string) (string, error) {
	uidFile := filepath.Join(stateDir, "meili-server-key.uid")
	uid := ""
	if b, err := os.ReadFile(uidFile); err == nil {
		uid = strings.TrimSpace(string(b))
	}
	if _, err := uuid.Parse(uid); err != nil {
		uid = uuid.NewString()
		if err := os.WriteFile(uidFile, []byte(uid+"\n"), 0o600); err != nil {
			return "", err
		}
	}
	ms := meilisearch.New(url, meilisearch.WithAPIKey(master), meilisearch.WithCustomClient(&http.Client{Timeout: 10 * time.Second}))
	if k, err := ms.GetKey(ctx, uid); err == nil {
		return k.Key, nil
	}
	k, err := ms.CreateKey(ctx, &meilisearch.Key{
		UID: uid, Name: "carefit server", Description: "created by carefit dev for the API and worker",
		Actions: []string{"search", "documents.*", "indexes.*", "settings.*", "tasks.*", "stats.*", "version"},
		Indexes: []string{prefix + "_*"},
	})
	if err != nil {
		return "", fmt.Errorf("meilisearch: create the server's key: %w", err)
	}
	return k.Key, nil
}
