package introdb

import (
	"testing"

	"carefit/internal/platform/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
