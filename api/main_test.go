package api

import (
	"testing"

	"carefit/internal/platform/testenv"
)

// TestMain starts the real services (Postgres) the behaviour tests use.
func TestMain(m *testing.M) { testenv.Main(m) }
