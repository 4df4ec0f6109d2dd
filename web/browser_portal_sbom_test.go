package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/renkei/renkei"
)

// TestBrowserPortalSBOMRegister: on a phone, a partner user registers a
// product's SBOM from the portal and sees its vulnerability at once, then
// states that the product is not affected.
func TestBrowserPortalSBOMRegister(t *testing.T) {
	b, app := newBrowserApp(t, "portal-sbom.db")
	tn := app.newTenant("株式会社発注元", renkei.RoleAdmin)
	sent := app.sendAssessment(t, tn, "株式会社部品工業", 772, "self-check-25")
	importOSV(t, app, osvLodash)
	bom := filepath.Join(t.TempDir(), "制御ユニット.cdx.json")
	if err := os.WriteFile(bom, []byte(sbomWithLodash), 0o644); err != nil {
		t.Fatal(err)
	}
	link := app.Server.URL + app.portalLink(t, &renkei.PortalLink{CompanyID: sent.CompanyID, Email: "dev@buhin.example.jp", Purpose: renkei.PortalSignIn})

	b.do("phone", chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile, chromedp.EmulateTouch))
	b.do("open the sign-in link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`main form[action^="/portal/link/"] button`)))
	b.submit("continue", `main form[action^="/portal/link/"] button`)
	b.do("to the products", chromedp.Click(chromedp.CSS(`a[href="/portal/sbom"]`)), chromedp.WaitVisible(chromedp.ID("sbom-register")))
	b.noHorizontalOverflow("portal SBOM page at 390", 390)
	b.touchTargets("portal SBOM page at 390")
	b.do("fill the registration",
		chromedp.SendKeys(chromedp.ID("reg-product"), "制御ユニット"),
		chromedp.SendKeys(chromedp.ID("reg-version"), "5.1"),
		chromedp.SetUploadFiles(chromedp.ID("reg-file"), []string{bom}),
	)
	b.submit("register", `#sbom-register button[type="submit"]`)
	if got := b.text("main"); !strings.Contains(got, "制御ユニット 5.1") || !strings.Contains(got, "GHSA-TEST-LODASH") {
		t.Fatalf("after registering: %q", got)
	}
	b.noHorizontalOverflow("portal SBOM findings at 390", 390)
	b.shot("portal-sbom-390.png")
	b.do("not affected",
		chromedp.SetValue(chromedp.CSS(`main form[action="/portal/sbom/vex"] select[name="status"]`), "not_affected"),
		chromedp.SetValue(chromedp.CSS(`main form[action="/portal/sbom/vex"] select[name="justification"]`), "vulnerable_code_not_in_execute_path"),
	)
	b.submit("answer", `main form[action="/portal/sbom/vex"] button[type="submit"]`)
	if got := b.text("main"); !strings.Contains(got, "影響なし") {
		t.Fatalf("after the answer: %q", got)
	}
	if p := b.Problems(); len(p) > 0 {
		t.Fatalf("browser problems: %v", p)
	}
}
