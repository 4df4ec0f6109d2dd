package sqlstore_test

import (
	"reflect"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func ownTemplate(t *testing.T, title string) *renkei.Template {
	t.Helper()
	base, _ := renkei.BuiltinTemplate("self-check-25")
	tpl := base.Clone()
	tpl.Slug, tpl.Kind, tpl.Version = "our-check", renkei.TemplateOrg, 1
	tpl.Title = renkei.Bilingual{JA: title}
	return tpl
}

func TestOrgTemplatesVersioned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		org := storetest.Org(t, db, "甲社")
		other := storetest.Org(t, db, "乙社")
		staff := asUser(org.ID, renkei.RoleAdmin)
		builtin := ownTemplate(t, "x")
		builtin.Slug = "self-check-25"
		_, err := db.SaveTemplate(staff, org.ID, builtin)
		wantCode(t, "builtin slug", err, renkei.EINVALID)
		bad := ownTemplate(t, "")
		_, err = db.SaveTemplate(staff, org.ID, bad)
		wantCode(t, "no title", err, renkei.EINVALID)
		_, err = db.SaveTemplate(asUser(org.ID, renkei.RoleViewer), org.ID, ownTemplate(t, "自社点検"))
		wantCode(t, "viewer", err, renkei.EFORBIDDEN)

		v1, err := db.SaveTemplate(staff, org.ID, ownTemplate(t, "自社点検 第1版"))
		if err != nil || v1.Version != 1 {
			t.Fatalf("v1 %+v %v", v1, err)
		}
		v2, err := db.SaveTemplate(staff, org.ID, ownTemplate(t, "自社点検 第2版"))
		if err != nil || v2.Version != 2 {
			t.Fatalf("v2 %+v %v", v2, err)
		}
		p := mustCreate(t, db, newPartner(org.ID, "X製作所", corpNum(800), renkei.PartnerSupplier))
		c, _ := campaign(t, db, staff, org.ID, "our-check", p.ID)
		a := onlyAssessment(t, db, staff, org.ID, c.ID)
		if a.TemplateSlug != "our-check" || a.TemplateVersion != 2 {
			t.Fatalf("sent %s@%d", a.TemplateSlug, a.TemplateVersion)
		}
		if _, err := db.SaveTemplate(staff, org.ID, ownTemplate(t, "自社点検 第3版")); err != nil {
			t.Fatal(err)
		}
		snap, err := db.AssessmentTemplate(staff, org.ID, a.ID)
		if err != nil || snap.Version != 2 || snap.Title.JA != "自社点検 第2版" || !reflect.DeepEqual(snap, v2.Template) {
			t.Fatalf("snapshot %d %q %v", snap.Version, snap.Title.JA, err)
		}
		list, err := db.ListOrgTemplates(staff, org.ID)
		if err != nil || len(list) != 1 || list[0].Version != 3 {
			t.Fatalf("list %+v %v", list, err)
		}
		old, err := db.OrgTemplate(staff, org.ID, "our-check", 1)
		if err != nil || old.Template.Title.JA != "自社点検 第1版" {
			t.Fatalf("v1 %+v %v", old, err)
		}
		// Another organization neither sees nor can send it.
		staffB := asUser(other.ID, renkei.RoleAdmin)
		_, err = db.OrgTemplate(staffB, other.ID, "our-check", 0)
		wantCode(t, "B reads A's template", err, renkei.ENOTFOUND)
		if list, _ := db.ListOrgTemplates(staffB, other.ID); len(list) != 0 {
			t.Fatal("B lists A's templates")
		}
		q := mustCreate(t, db, newPartner(other.ID, "Y製作所", corpNum(801), renkei.PartnerSupplier))
		_, err = db.CreateCampaign(staffB, &renkei.Campaign{OrgID: other.ID, TemplateSlug: "our-check", DueDate: "2026-12-31"}, []string{q.ID}, nil)
		wantCode(t, "B sends A's template", err, renkei.EINVALID)
	})
}
