package candidates

import (
	"testing"

	"carefit/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
