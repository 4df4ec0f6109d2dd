package jobs_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/jobs"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// TestReplicasRunEachJobOnce runs two workers, each on its own connection
// pool to the same PostgreSQL schema (two app replicas), over one queue.
// Every job must run exactly once. With CI set and no PostgreSQL, it fails.
func TestReplicasRunEachJobOnce(t *testing.T) {
	dsn := storetest.PostgresDSN(t)
	if dsn == "" {
		t.Skip("PostgreSQL only: set RENKEI_TEST_POSTGRES")
	}
	dbA := storetest.Open(t, dsn)
	dbB := storetest.Open(t, dsn) // its Migrate is a no-op
	ctx := context.Background()

	const n = 50
	want := map[string]bool{}
	for i := range n {
		j := &renkei.Job{Kind: "replica", Key: fmt.Sprintf("job-%02d", i)}
		if added, err := dbA.Enqueue(ctx, j); err != nil || !added {
			t.Fatalf("enqueue %d: %v %v", i, added, err)
		}
		want[j.ID] = true
	}

	var runs sync.Map // job ID → *atomic.Int32
	var total atomic.Int32
	perWorker := map[string]*atomic.Int32{"replica-a": {}, "replica-b": {}}
	handler := func(name string) jobs.Handler {
		return func(ctx context.Context, j *renkei.Job) error {
			c, _ := runs.LoadOrStore(j.ID, new(atomic.Int32))
			c.(*atomic.Int32).Add(1)
			perWorker[name].Add(1)
			total.Add(1)
			return nil
		}
	}
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for name, db := range map[string]renkei.JobQueue{"replica-a": dbA, "replica-b": dbB} {
		w := jobs.New(db, jobs.Options{ID: name, Logger: testLogger(t), Concurrency: 4, Poll: 5 * time.Millisecond})
		w.Register("replica", handler(name))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.Run(runCtx); err != nil {
				t.Errorf("%s: %v", name, err)
			}
		}()
	}
	waitUntil(t, func() bool {
		c, err := dbA.JobCounts(ctx)
		return err == nil && c[renkei.JobDone] == n
	})
	cancel()
	wg.Wait()

	if got := total.Load(); got != n {
		t.Errorf("handlers ran %d times for %d jobs", got, n)
	}
	for id := range want {
		c, ok := runs.Load(id)
		if !ok {
			t.Errorf("job %s never ran", id)
			continue
		}
		if k := c.(*atomic.Int32).Load(); k != 1 {
			t.Errorf("job %s ran %d times", id, k)
		}
	}
	counts, err := dbB.JobCounts(ctx)
	if err != nil || counts[renkei.JobDone] != n || counts[renkei.JobAvailable]+counts[renkei.JobRunning]+counts[renkei.JobFailed] != 0 {
		t.Fatalf("counts %v %v", counts, err)
	}
	t.Logf("replica-a ran %d, replica-b ran %d", perWorker["replica-a"].Load(), perWorker["replica-b"].Load())
}
