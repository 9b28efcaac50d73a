package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"testing"
)

func TestContextAttrsReachEveryLine(t *testing.T) {
	var buf bytes.Buffer
	log := NewLogger(&buf, "json", slog.LevelInfo)
	ctx := WithAttrs(context.Background(), slog.String("request_id", "r-1"))
	log.InfoContext(ctx, "hello", "n", 1)
	var rec map[string]any
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatal(err)
	}
	if rec["request_id"] != "r-1" || rec["msg"] != "hello" {
		t.Fatalf("got %v, want request_id r-1 on the record", rec)
	}
	if got := RequestID(ctx); got != "r-1" {
		t.Fatalf("RequestID = %q, want r-1", got)
	}
	buf.Reset()
	log.Debug("hidden")
	if buf.Len() != 0 {
		t.Fatal("debug line written at info level")
	}
}
