package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"carefit/internal/kit/errs"
)

// DefaultTaskTimeout bounds the wait for one Meilisearch task when the
// caller's context has no earlier deadline.
const DefaultTaskTimeout = 2 * time.Minute

// upsertChunk is how many documents one AddDocuments call carries:
// Meilisearch indexes large batches far faster than many small ones.
const upsertChunk = 10_000

// Client reads and writes carefit's two indexes on one Meilisearch
// server. It is safe for concurrent use.
type Client struct {
	ms     meilisearch.ServiceManager
	prefix string
	// Now is the clock deciding which positions are still listed; New
	// sets it to time.Now.
	Now func() time.Time
	// TaskTimeout bounds each wait for a Meilisearch task when the
	// context has no deadline; New sets DefaultTaskTimeout.
	TaskTimeout time.Duration
	ensured     atomic.Bool
}

// New returns a Client for the indexes <prefix>_positions and
// <prefix>_profiles on ms.
func New(ms meilisearch.ServiceManager, prefix string) *Client {
	return &Client{ms: ms, prefix: prefix, Now: time.Now, TaskTimeout: DefaultTaskTimeout}
}

// IndexName returns the name of the live index of kind k.
func (c *Client) IndexName(k Kind) string { return c.prefix + "_" + string(k) }

// Service returns the underlying Meilisearch client.
func (c *Client) Service() meilisearch.ServiceManager { return c.ms }

// TaskError is a Meilisearch task that ended in another status than
// succeeded (the client's wait returns such a task with a nil error).
type TaskError struct {
	UID     int64
	Type    string
	Status  string
	Code    string
	Message string
}

func (e *TaskError) Error() string {
	return fmt.Sprintf("search: meilisearch task %d (%s) %s: %s: %s", e.UID, e.Type, e.Status, e.Code, e.Message)
}

// wait waits for the task of info and returns a *TaskError unless it
// succeeded. Without a deadline on ctx, the wait is bounded by TaskTimeout.
func (c *Client) wait(ctx context.Context, info *meilisearch.TaskInfo) error {
	if info == nil {
		return errors.New("search: no task returned")
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.TaskTimeout)
		defer cancel()
	}
	t, err := c.ms.WaitForTask(ctx, info.TaskUID, 50*time.Millisecond)
	if err != nil {
		return fmt.Errorf("search: wait for task %d: %w", info.TaskUID, err)
	}
	if t.Status != meilisearch.TaskStatusSucceeded {
		return &TaskError{UID: info.TaskUID, Type: string(t.Type), Status: string(t.Status),
			Code: string(t.Error.Code), Message: t.Error.Message}
	}
	return nil
}

// waitAll waits for every task in infos, returning the first failure.
func (c *Client) waitAll(ctx context.Context, infos []*meilisearch.TaskInfo) error {
	for _, info := range infos {
		if err := c.wait(ctx, info); err != nil {
			return err
		}
	}
	return nil
}

func isNotFound(err error) bool {
	var me *meilisearch.Error
	return errors.As(err, &me) && (me.StatusCode == http.StatusNotFound || me.APIError.Code == "index_not_found")
}

// indexExists reports whether the index name exists.
func (c *Client) indexExists(ctx context.Context, name string) (bool, error) {
	_, err := c.ms.GetIndex(ctx, name)
	switch {
	case err == nil:
		return true, nil
	case isNotFound(err):
		return false, nil
	}
	return false, fmt.Errorf("search: get index %s: %w", name, err)
}

// createIndex creates name with primary key id and applies the settings of
// kind k, waiting for both. An index that already exists just gets the
// settings.
func (c *Client) createIndex(ctx context.Context, name string, k Kind) error {
	ok, err := c.indexExists(ctx, name)
	if err != nil {
		return err
	}
	if !ok {
		info, err := c.ms.CreateIndex(ctx, &meilisearch.IndexConfig{Uid: name, PrimaryKey: "id"})
		if err != nil {
			return fmt.Errorf("search: create index %s: %w", name, err)
		}
		var te *TaskError
		if err := c.wait(ctx, info); err != nil && !(errors.As(err, &te) && te.Code == "index_already_exists") {
			return fmt.Errorf("search: create index %s: %w", name, err)
		}
	}
	info, err := c.ms.Index(name).UpdateSettings(ctx, Settings(k))
	if err != nil {
		return fmt.Errorf("search: settings of %s: %w", name, err)
	}
	if err := c.wait(ctx, info); err != nil {
		return fmt.Errorf("search: settings of %s: %w", name, err)
	}
	return nil
}

// EnsureIndexes creates the live indexes that do not exist and applies
// the settings declared in this package to both, waiting until
// Meilisearch has applied them; run it at start, before documents are
// added. Settings that did not change cost nothing. It returns the
// Meilisearch error, or a *TaskError when a task failed.
func (c *Client) EnsureIndexes(ctx context.Context) error {
	for _, k := range Kinds() {
		if err := c.createIndex(ctx, c.IndexName(k), k); err != nil {
			return err
		}
	}
	c.ensured.Store(true)
	return nil
}

// Ensure is EnsureIndexes until a call of it succeeds on c, then nothing:
// writers call it before their first write. It returns the error of
// EnsureIndexes.
func (c *Client) Ensure(ctx context.Context) error {
	if c.ensured.Load() {
		return nil
	}
	return c.EnsureIndexes(ctx)
}

// addDocuments sends docs to index name in chunks without waiting and
// returns the tasks.
func addDocuments[T any](ctx context.Context, ix meilisearch.IndexManager, docs []T) ([]*meilisearch.TaskInfo, error) {
	pk := "id"
	var infos []*meilisearch.TaskInfo
	for start := 0; start < len(docs); start += upsertChunk {
		chunk := docs[start:min(start+upsertChunk, len(docs))]
		info, err := ix.AddDocuments(ctx, &chunk, &meilisearch.DocumentOptions{PrimaryKey: &pk})
		if err != nil {
			return infos, fmt.Errorf("search: add documents: %w", err)
		}
		infos = append(infos, info)
	}
	return infos, nil
}

// UpsertPositions adds or replaces the documents of positions (by id) and
// waits until they are searchable. Replaying the same documents is
// harmless. It returns an error matching ErrBadGeo for a document with
// bad coordinates (before sending anything), the Meilisearch error, or a
// *TaskError.
func (c *Client) UpsertPositions(ctx context.Context, docs []PositionDoc) error {
	for _, d := range docs {
		if !d.Geo.Valid() {
			return badGeo("position", d.ID, d.Geo.Lat, d.Geo.Lng)
		}
	}
	return upsert(ctx, c, KindPositions, docs)
}

// UpsertProfiles adds or replaces the documents of profiles; see
// UpsertPositions for the errors.
func (c *Client) UpsertProfiles(ctx context.Context, docs []ProfileDoc) error {
	for _, d := range docs {
		if !d.Geo.Valid() {
			return badGeo("profile", d.ID, d.Geo.Lat, d.Geo.Lng)
		}
	}
	return upsert(ctx, c, KindProfiles, docs)
}

func upsert[T any](ctx context.Context, c *Client, k Kind, docs []T) error {
	if len(docs) == 0 {
		return nil
	}
	if err := c.Ensure(ctx); err != nil {
		return err
	}
	infos, err := addDocuments(ctx, c.ms.Index(c.IndexName(k)), docs)
	if err != nil {
		return err
	}
	return c.waitAll(ctx, infos)
}

// Delete removes the documents with ids from the index of kind k and
// waits until they are gone; ids without a document are ignored. It
// returns the Meilisearch error or a *TaskError.
func (c *Client) Delete(ctx context.Context, k Kind, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	if !k.Valid() {
		return fmt.Errorf("search: unknown kind %q", k)
	}
	if err := c.Ensure(ctx); err != nil {
		return err
	}
	info, err := c.ms.Index(c.IndexName(k)).DeleteDocuments(ctx, ids, nil)
	if err != nil {
		return fmt.Errorf("search: delete %s: %w", k, err)
	}
	return c.wait(ctx, info)
}

// Count returns the number of documents in the index of kind k.
func (c *Client) Count(ctx context.Context, k Kind) (int64, error) {
	st, err := c.ms.Index(c.IndexName(k)).GetStats(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("search: stats of %s: %w", k, err)
	}
	return st.NumberOfDocuments, nil
}

// rawResult is a search response decoded straight into typed hits.
type rawResult[T any] struct {
	Hits               []T                       `json:"hits"`
	EstimatedTotalHits int                       `json:"estimatedTotalHits"`
	FacetDistribution  map[string]map[string]int `json:"facetDistribution"`
}

func searchRaw[T any](ctx context.Context, ix meilisearch.IndexManager, q string, req *meilisearch.SearchRequest) (rawResult[T], error) {
	var out rawResult[T]
	raw, err := ix.SearchRaw(ctx, q, req)
	if err != nil {
		return out, searchFailed(err)
	}
	if err := json.Unmarshal(*raw, &out); err != nil {
		return out, fmt.Errorf("search: decode response: %w", err)
	}
	return out, nil
}

// searchFailed classifies a failed search. Meilisearch unreachable, timing
// out, overloaded or failing (no answer, 408, 429, 5xx) is Unavailable:
// the request may succeed later and the client reads that text search is
// unavailable. Any other answer means this package sent a request
// Meilisearch refused, which is a fault of the server (Internal).
func searchFailed(err error) error {
	var me *meilisearch.Error
	if errors.As(err, &me) && me.StatusCode >= 400 && me.StatusCode < 500 &&
		me.StatusCode != http.StatusRequestTimeout && me.StatusCode != http.StatusTooManyRequests {
		return errs.Internalf("search.Search", err)
	}
	return errs.Wrap("search.Search", errs.Unavailable, err, "text search is unavailable: retry shortly")
}

// matchEveryWord is the matching strategy of every query: a document must
// match each word of the text. Meilisearch's default drops words from the
// end until something matches, so "san diego" narrowed a clinician's roles
// to every place called San anything and ranked San Francisco first. The
// ranked lists match text the same way outside the index (textmatch).
const matchEveryWord = meilisearch.All

type idHit struct {
	ID string `json:"id"`
}

// ids returns the id of every document matching q and expr, up to
// MaxTotalHits, in relevance order (with sort, as a search sorts).
func (c *Client) ids(ctx context.Context, k Kind, q, expr string, limit int, sort ...string) ([]string, error) {
	if limit <= 0 || limit > MaxTotalHits {
		limit = MaxTotalHits
	}
	req := &meilisearch.SearchRequest{Limit: int64(limit), AttributesToRetrieve: []string{"id"}, Filter: nilIfEmpty(expr), Sort: sort,
		MatchingStrategy: matchEveryWord}
	res, err := searchRaw[idHit](ctx, c.ms.Index(c.IndexName(k)), q, req)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out, nil
}

func nilIfEmpty(expr string) any {
	if expr == "" {
		return nil
	}
	return expr
}

// PruneTasks deletes Meilisearch's record of the tasks of this client's
// indexes that finished (succeeded, failed or canceled) before before, and
// waits for the deletion. It returns the Meilisearch error or a
// *TaskError.
func (c *Client) PruneTasks(ctx context.Context, before time.Time) error {
	info, err := c.ms.DeleteTasks(ctx, &meilisearch.DeleteTasksQuery{
		IndexUIDS:        []string{c.IndexName(KindPositions), c.IndexName(KindProfiles)},
		Statuses:         []meilisearch.TaskStatus{meilisearch.TaskStatusSucceeded, meilisearch.TaskStatusFailed, meilisearch.TaskStatusCanceled},
		BeforeFinishedAt: before,
	})
	if err != nil {
		return fmt.Errorf("search: prune tasks: %w", err)
	}
	return c.wait(ctx, info)
}
