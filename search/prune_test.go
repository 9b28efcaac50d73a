package search

import (
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

func TestPruneTasksDeletesOnlyThisClientsFinishedTasks(t *testing.T) {
	ctx := testCtx(t)
	c := newClient(t)
	other := newClient(t) // another prefix: its tasks must survive
	count := func(cl *Client) int64 {
		t.Helper()
		res, err := cl.ms.GetTasks(ctx, &meilisearch.TasksQuery{
			IndexUIDS: []string{cl.IndexName(KindPositions), cl.IndexName(KindProfiles)}, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if count(c) == 0 || count(other) == 0 {
		t.Fatal("creating the indexes left no tasks to prune")
	}
	if err := c.PruneTasks(ctx, time.Now().Add(time.Second)); err != nil {
		t.Fatal(err)
	}
	if n := count(c); n != 0 {
		t.Fatalf("%d finished tasks left after pruning, want 0", n)
	}
	if count(other) == 0 {
		t.Fatal("pruning deleted another prefix's tasks")
	}
}
