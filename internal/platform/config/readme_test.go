package config

import (
	"os"
	"strings"
	"testing"
)

// TestEveryVariableIsInTheREADME keeps the README's configuration table
// complete: a variable added to Vars fails this test until it is
// documented with its default.
func TestEveryVariableIsInTheREADME(t *testing.T) {
	b, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for _, v := range Vars {
		def := "unset"
		if v.Default != "" {
			def = "`" + v.Default + "`"
		}
		if !strings.Contains(readme, "| `"+v.Name+"` | "+def+" |") {
			t.Errorf("README's configuration table has no row for %s with default %s", v.Name, def)
		}
	}
}
