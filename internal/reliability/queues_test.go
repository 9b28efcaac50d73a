package reliability

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"

	"carefit/tasks"
)

// backlog samples how many tasks wait in the worker's queues while a phase
// runs: the search relay's wake-ups queue behind whatever else the
// workers run, so a growing backlog explains a slow search.
//
// It reads the length of each queue's pending list in Redis rather than
// asking asynq's Inspector, which lists only queues registered in Redis:
// a client registers a queue once per process, so after Redis restarts
// empty the Inspector no longer sees queues that still fill.
type backlog struct {
	rdb  *redis.Client
	stop chan struct{}
	done chan struct{}
	once sync.Once

	mu   sync.Mutex
	max  map[string]int // the most tasks pending at once, by queue
	last map[string]int
}

// workerQueues are the queues a carefit worker serves.
var workerQueues = []string{tasks.QueueCritical, tasks.QueueRescore, tasks.QueueDefault, tasks.QueueRematch, tasks.QueueMaintenance}

// pendingKey is asynq's list of a queue's pending tasks (asynq v0.26).
func pendingKey(queue string) string { return fmt.Sprintf("asynq:{%s}:pending", queue) }

// watchQueues samples the queues every half second until stopped.
func (c *cluster) watchQueues() *backlog {
	b := &backlog{stop: make(chan struct{}), done: make(chan struct{}), max: map[string]int{}, last: map[string]int{}}
	opt, err := redis.ParseURL(c.stack.Redis.URL)
	if err != nil {
		close(b.done)
		return b
	}
	b.rdb = redis.NewClient(opt)
	go func() {
		defer close(b.done)
		tick := time.NewTicker(500 * time.Millisecond)
		defer tick.Stop()
		for {
			b.sample()
			select {
			case <-b.stop:
				return
			case <-tick.C:
			}
		}
	}()
	return b
}

func (b *backlog) sample() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	for _, q := range workerQueues {
		n, err := b.rdb.LLen(ctx, pendingKey(q)).Result()
		if err != nil {
			return // Redis is down
		}
		b.mu.Lock()
		b.last[q] = int(n)
		b.max[q] = max(b.max[q], int(n))
		b.mu.Unlock()
	}
}

// end stops sampling and returns the largest and the last number of
// tasks pending in each queue. Calling it again returns the same.
func (b *backlog) end() (most, last map[string]int) {
	b.once.Do(func() {
		close(b.stop)
		<-b.done
		if b.rdb != nil {
			_ = b.rdb.Close()
		}
	})
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.max, b.last
}
