package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func TestMigrateTwiceIsNoop(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		n, err := db.Migrate(context.Background())
		if err != nil || n != 0 {
			t.Fatalf("second migrate ran %d, err %v", n, err)
		}
		pending, err := db.MigrationsPending(context.Background())
		if err != nil || pending {
			t.Fatalf("pending=%v err=%v", pending, err)
		}
	})
}

func TestOrganizationSlugConflict(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		a := &renkei.Organization{Name: "甲社", Slug: "kou"}
		if err := db.CreateOrganization(ctx, a); err != nil {
			t.Fatal(err)
		}
		b := &renkei.Organization{Name: "乙社", Slug: "kou"}
		if err := db.CreateOrganization(ctx, b); renkei.ErrorCode(err) != renkei.ECONFLICT {
			t.Fatalf("want conflict, got %v", err)
		}
		got, err := db.OrganizationBySlug(ctx, "kou")
		if err != nil || got.Name != "甲社" || got.ID != a.ID {
			t.Fatalf("got %+v, %v", got, err)
		}
		if !got.CreatedAt.Equal(a.CreatedAt) {
			t.Fatalf("created_at round trip: %v != %v", got.CreatedAt, a.CreatedAt)
		}
	})
}

func TestJobsEnqueueIdempotentAndLeaseExpiry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return now }
		added, err := db.Enqueue(ctx, &renkei.Job{Kind: "k", Key: "same"})
		if err != nil || !added {
			t.Fatalf("first enqueue: %v %v", added, err)
		}
		added, err = db.Enqueue(ctx, &renkei.Job{Kind: "k", Key: "same"})
		if err != nil || added {
			t.Fatalf("second enqueue must be a no-op: %v %v", added, err)
		}
		j, err := db.Claim(ctx, "w1", time.Minute)
		if err != nil || j == nil || j.Attempts != 1 {
			t.Fatalf("claim: %+v %v", j, err)
		}
		if j2, err := db.Claim(ctx, "w2", time.Minute); err != nil || j2 != nil {
			t.Fatalf("leased job claimed twice: %+v %v", j2, err)
		}
		now = now.Add(2 * time.Minute) // w1 died; its lease ran out
		j3, err := db.Claim(ctx, "w2", time.Minute)
		if err != nil || j3 == nil || j3.ID != j.ID || j3.Attempts != 2 {
			t.Fatalf("expired lease not reclaimed: %+v %v", j3, err)
		}
		if err := db.Complete(ctx, j.ID, "w1"); err != nil {
			t.Fatal(err)
		}
		counts, _ := db.JobCounts(ctx)
		if counts[renkei.JobRunning] != 1 {
			t.Fatalf("stale worker completed someone else's job: %v", counts)
		}
		if err := db.Complete(ctx, j.ID, "w2"); err != nil {
			t.Fatal(err)
		}
		counts, _ = db.JobCounts(ctx)
		if counts[renkei.JobDone] != 1 {
			t.Fatalf("counts %v", counts)
		}
	})
}

func TestAuditChainVerifies(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "監査")
		ctx := storetest.System()
		for i := 0; i < 5; i++ {
			if err := db.UpdateOrganization(ctx, &renkei.Organization{ID: org.ID, Name: "監査" + string(rune('A'+i)), Slug: org.Slug}); err != nil {
				t.Fatal(err)
			}
		}
		brk, n, err := db.VerifyAudit(ctx)
		if err != nil || brk != nil || n != 6 {
			t.Fatalf("verify: break=%+v n=%d err=%v", brk, n, err)
		}
		if _, err := db.SQL().Exec(db.Rebind(`UPDATE audit_log SET detail = '{"name":"forged"}' WHERE seq = ?`), 3); err != nil {
			t.Fatal(err)
		}
		brk, _, _ = db.VerifyAudit(ctx)
		if brk == nil || brk.Seq != 3 || brk.Reason != "hash" {
			t.Fatalf("altered entry not caught: %+v", brk)
		}
	})
}
