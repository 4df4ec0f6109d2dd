package sqlstore_test

import (
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func TestMemberIsScopedToTheOrganization(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := storetest.System()
		a, b := storetest.Org(t, db, "甲社"), storetest.Org(t, db, "乙社")
		u := &renkei.User{Email: "member@example.jp", Name: "山田"}
		if err := db.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := db.AddMember(ctx, &renkei.Membership{OrgID: a.ID, UserID: u.ID, Role: renkei.RoleLegal}); err != nil {
			t.Fatal(err)
		}
		m, err := db.Member(ctx, a.ID, u.ID)
		if err != nil || m.ID != u.ID || m.Email != u.Email || m.Role != renkei.RoleLegal {
			t.Fatalf("member in own org: %+v, %v", m, err)
		}
		if m, err := db.Member(ctx, b.ID, u.ID); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("member seen from another org: %+v, %v", m, err)
		}
		if m, err := db.Member(ctx, a.ID, sqlstore.NewID()); renkei.ErrorCode(err) != renkei.ENOTFOUND {
			t.Fatalf("unknown user: %+v, %v", m, err)
		}
	})
}
