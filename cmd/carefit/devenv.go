package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"carefit/internal/platform/config"
)

// devEnvFile is where `carefit dev` writes the settings that reach its
// stack, for a second shell: `. .carefit/env`.
const devEnvFile = "env"

// writeDevEnv writes the CAREFIT_* settings of the running stack, with the
// scoped Meilisearch key (never the master key), as shell exports. The
// file is readable by its owner only: it holds a key and the database URL.
// It returns the file's path.
func writeDevEnv(stateDir string, cfg config.Config, base string) (string, error) {
	vars := [][2]string{
		{"CAREFIT_DATABASE_URL", cfg.DatabaseURL},
		{"CAREFIT_REDIS_URL", cfg.RedisURL},
		{"CAREFIT_MEILI_URL", cfg.MeiliURL},
		{"CAREFIT_MEILI_KEY", cfg.MeiliKey},
		{"CAREFIT_MEILI_INDEX_PREFIX", cfg.MeiliIndexPrefix},
		{"CAREFIT_URL", base},
	}
	var b strings.Builder
	b.WriteString("# The private stack `carefit dev` is running. In another shell:\n")
	b.WriteString("#   . " + filepath.Join(stateDir, devEnvFile) + "\n")
	b.WriteString("#   carefit import -kind profiles FILE; carefit reindex; psql \"$CAREFIT_DATABASE_URL\"\n")
	for _, v := range vars {
		fmt.Fprintf(&b, "export %s=%s\n", v[0], shellQuote(v[1]))
	}
	path := filepath.Join(stateDir, devEnvFile)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		return "", err
	}
	return path, os.Chmod(path, 0o600) // WriteFile keeps an older file's mode
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
