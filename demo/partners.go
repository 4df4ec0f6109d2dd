package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/renkei/renkei"
)

// PartnerCount is how many partners the demo organization gets.
const PartnerCount = 300

// The names below are made up from common place names, family names and
// trade words; any likeness to a real company is chance. Corporate numbers
// are generated with valid check digits on bases starting with 99, a range
// we do not expect to be assigned, and every record is in the demo
// organization only.
var (
	namePlaces = []string{"北陸", "東海", "浜松", "川崎", "堺", "豊田", "諏訪", "燕三条", "富山", "岡山", "北九州", "仙台", "札幌", "長野", "静岡", "岐阜", "四日市", "宇都宮", "高崎", "金沢", "福山", "呉", "鹿島", "苫小牧"}
	nameFamily = []string{"山田", "佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "中村", "小林", "加藤", "吉田", "松本", "井上", "木村", "林", "清水", "山口", "森", "池田", "橋本"}
	nameTrades = map[string][]string{
		"direct_materials":    {"精密", "金属工業", "樹脂成形", "鋳造", "プレス工業", "電子部品", "ばね製作所", "化成"},
		"production_supplies": {"工具", "資材", "産業機器", "梱包資材", "化学"},
		"it_systems":          {"システムズ", "情報機器", "ネットワークス", "データ機器"},
		"embedded_software":   {"ソフトウェア", "組込みシステム", "エレクトロニクス", "制御技研"},
		"it_operations":       {"ITサービス", "情報サービス", "システム運用", "テクノサービス"},
		"saas":                {"クラウド", "ソリューションズ", "データサービス"},
		"bpo":                 {"ビジネスサービス", "事務センター", "人材サービス", "コールセンター"},
		"logistics":           {"運輸", "物流", "ロジスティクス", "倉庫"},
		"other":               {"商事", "興産", "設備", "建設", "清掃サービス"},
	}
	overseasCountries = []struct{ code, name string }{
		{"CN", "Suzhou"}, {"VN", "Hanoi"}, {"TH", "Bangkok"}, {"US", "Ohio"}, {"DE", "Stuttgart"},
		{"MX", "Guanajuato"}, {"IN", "Chennai"}, {"ID", "Bekasi"}, {"MY", "Penang"}, {"PH", "Laguna"}, {"TW", "Taichung"},
	}
	industryOf = map[string]string{
		"direct_materials": "d", "production_supplies": "h", "it_systems": "f", "embedded_software": "f",
		"it_operations": "f", "saas": "f", "bpo": "p", "logistics": "g", "other": "h",
	}
	// provideWeights: a manufacturer's partners are mostly material
	// suppliers, with IT, logistics and outsourcing behind them.
	provideWeights = []struct {
		code string
		w    int
	}{
		{"direct_materials", 40}, {"production_supplies", 15}, {"logistics", 10}, {"it_systems", 8},
		{"embedded_software", 6}, {"it_operations", 6}, {"saas", 6}, {"bpo", 5}, {"other", 4},
	}
)

// loadPartners adds the demo partners, their agreements and support
// records, unless the organization already has partners.
func loadPartners(ctx context.Context, store renkei.PartnerStore, org *renkei.Organization, now time.Time) (int, error) {
	if n, err := store.CountPartners(ctx, org.ID, renkei.PartnerFilter{}); err != nil || n > 0 {
		return n, err
	}
	kinds, err := store.RequirementKinds(ctx, org.ID)
	if err != nil {
		return 0, err
	}
	kindID := map[string]string{}
	for _, k := range kinds {
		kindID[k.Code] = k.ID
	}
	rng := rand.New(rand.NewPCG(2022, 1878)) // the survey's year and respondents: a fixed, reproducible demo
	used := map[string]bool{}
	for i := 0; i < PartnerCount; i++ {
		p := demoPartner(rng, i, used)
		p.OrgID = org.ID
		if err := store.CreatePartner(ctx, p); err != nil {
			return i, fmt.Errorf("demo partner %d (%s): %w", i, p.Company.Name, err)
		}
		for _, a := range demoAgreements(rng, p, kindID, now) {
			if err := store.CreateAgreement(ctx, a); err != nil {
				return i, fmt.Errorf("demo agreement for %s: %w", p.Company.Name, err)
			}
		}
		if rng.IntN(6) == 0 {
			kinds := renkei.Terms(renkei.ListSupport)
			s := &renkei.SupportRecord{OrgID: org.ID, PartnerID: p.ID, Kind: kinds[rng.IntN(len(kinds))].Code,
				Date: now.AddDate(0, -rng.IntN(18), -rng.IntN(28)), Description: "デモ用の支援記録です。"}
			if err := store.CreateSupportRecord(ctx, s); err != nil {
				return i, err
			}
		}
	}
	return PartnerCount, nil
}

func pick[T any](rng *rand.Rand, list []T) T { return list[rng.IntN(len(list))] }

func demoProvides(rng *rand.Rand) string {
	total := 0
	for _, pw := range provideWeights {
		total += pw.w
	}
	n := rng.IntN(total)
	for _, pw := range provideWeights {
		if n < pw.w {
			return pw.code
		}
		n -= pw.w
	}
	return "other"
}

// demoCorporateNumber makes a valid-looking number on a 99… base.
func demoCorporateNumber(rng *rand.Rand) string {
	base := fmt.Sprintf("99%010d", rng.Int64N(10_000_000_000))
	return string('0'+renkei.CorporateNumberCheckDigit(base)) + base
}

func demoPartner(rng *rand.Rand, i int, used map[string]bool) *renkei.Partner {
	provides := demoProvides(rng)
	p := &renkei.Partner{
		ExternalID: fmt.Sprintf("V%05d", 10001+i),
		Type:       renkei.PartnerSupplier,
		Department: pick(rng, []string{"procurement", "procurement", "procurement", "business", "it_security", "legal"}),
	}
	p.Profile.Provides = []string{provides}
	switch r := rng.IntN(100); {
	case r < 10:
		p.Type = renkei.PartnerGroup
	case r < 17:
		p.Type = renkei.PartnerOverseas
	}
	c := &p.Company
	c.Industry = industryOf[provides]
	switch p.Type {
	case renkei.PartnerOverseas:
		co := pick(rng, overseasCountries)
		c.Country = co.code
		c.Name = fmt.Sprintf("デモ精機 %s Co., Ltd.", co.name)
		c.Industry = "d"
		c.Employees = 80 + rng.IntN(900)
		p.Profile.Region = co.name
		p.Department = "business"
	case renkei.PartnerGroup:
		c.Name = "デモ精機" + pick(rng, nameTrades[provides]) + "株式会社"
		c.Employees = 50 + rng.IntN(1500)
		c.CorporateNumber = demoCorporateNumber(rng)
	default:
		stem := pick(rng, namePlaces)
		if rng.IntN(2) == 0 {
			stem = pick(rng, nameFamily)
		}
		c.Name = stem + pick(rng, nameTrades[provides])
		if rng.IntN(3) == 0 {
			c.Name = "有限会社" + c.Name
		} else {
			c.Name += "株式会社"
		}
		c.Employees = smallFirm(rng)
		if rng.IntN(10) > 0 { // a few sole proprietors have no number
			c.CorporateNumber = demoCorporateNumber(rng)
		}
	}
	for used[c.Name] { // keep names distinct within the demo
		c.Name = c.Name + "（第" + fmt.Sprint(rng.IntN(9)+2) + "工場）"
	}
	used[c.Name] = true
	if c.Country == "" {
		c.Country = "JP"
	}
	c.Listed = c.Employees > 1000 && rng.IntN(3) == 0
	c.WebDomain = fmt.Sprintf("partner%03d.example", i+1)
	c.MailDomain = c.WebDomain
	demoProfile(rng, p, provides)
	demoContacts(rng, p, i)
	return p
}

// smallFirm draws an employee count shaped like Japan's suppliers: most
// are small.
func smallFirm(rng *rand.Rand) int {
	switch r := rng.IntN(100); {
	case r < 35:
		return 3 + rng.IntN(18)
	case r < 70:
		return 21 + rng.IntN(80)
	case r < 92:
		return 101 + rng.IntN(200)
	default:
		return 301 + rng.IntN(3000)
	}
}

func demoProfile(rng *rand.Rand, p *renkei.Partner, provides string) {
	pr := &p.Profile
	chance := func(pct int) bool { return rng.IntN(100) < pct }
	switch provides {
	case "direct_materials":
		pr.ConfidentialTechnical = chance(70) // drawings
		pr.OutageStopsBusiness = chance(45)
		pr.HasAlternative = chance(50)
		pr.Subcontracts = chance(30)
		if chance(15) {
			pr.NetworkAccess = []string{"site_to_site"} // EDI or production-system links
		}
	case "embedded_software":
		pr.ConfidentialTechnical = true
		pr.CriticalInfrastructure = chance(30)
		pr.NetworkAccess = []string{"remote_maintenance"}
	case "it_operations":
		pr.NetworkAccess = []string{"remote_maintenance"}
		pr.PersonalData = chance(60)
		pr.FinancialData = chance(30)
	case "it_systems":
		if chance(50) {
			pr.NetworkAccess = []string{"onsite_devices"}
		}
	case "saas":
		pr.PersonalData = chance(70)
		pr.FinancialData = chance(40)
	case "bpo":
		pr.PersonalData = true
		pr.SensitivePersonalData = chance(25)
	case "logistics":
		pr.OutageStopsBusiness = chance(50)
		pr.HasAlternative = chance(60)
		pr.PersonalData = chance(30)
	}
	if pr.PersonalData {
		pr.PersonalDataCount = []int{120, 800, 2500, 12000, 56000}[rng.IntN(5)]
	}
	if p.Type == renkei.PartnerGroup || p.Type == renkei.PartnerOverseas {
		pr.NetworkAccess = []string{"site_to_site"}
	}
	// The three METI questions, answered the way a buyer would.
	pr.HandlesConfidentialOnOwnIT = (pr.ConfidentialTechnical && chance(40)) || pr.SensitivePersonalData
	pr.OutageUnacceptable = pr.OutageStopsBusiness && !pr.HasAlternative
	pr.ReachesInternalNetwork = len(pr.NetworkAccess) > 0 && pr.NetworkAccess[0] != "onsite_devices" && chance(70)
	if len(pr.NetworkAccess) == 0 {
		pr.NetworkAccess = []string{"none"}
	}
}

func demoContacts(rng *rand.Rand, p *renkei.Partner, i int) {
	domain := p.Company.MailDomain
	family := pick(rng, nameFamily)
	p.Contacts.Business = renkei.Contact{Name: family + " 営業担当", Email: "sales@" + domain, Phone: fmt.Sprintf("03-5555-%04d", i)}
	if rng.IntN(3) > 0 {
		p.Contacts.Security = renkei.Contact{Name: pick(rng, nameFamily) + " 情報システム担当", Email: "security@" + domain}
	}
	// About 40% have no incident contact on file: the gap the survey found.
	if rng.IntN(10) < 6 {
		p.Contacts.Incident = renkei.Contact{Name: "インシデント窓口", Email: "incident@" + domain, Phone: fmt.Sprintf("03-5555-%04d", 9000+i%1000)}
		p.Contacts.IncidentProcedure = pick(rng, []string{
			"発見から24時間以内に当社の調達部門へ電話し、続けてメールで報告する。",
			"疑いの段階で当社セキュリティ窓口へメールで第一報、3営業日以内に経過を報告する。",
			"当社の担当営業経由で、当日中に電話で連絡する。",
		})
	}
}

// demoAgreements gives most partners a confidentiality agreement and fewer
// of everything else, with some about to expire: the shape the survey
// found (requirements mostly stop at confidentiality).
func demoAgreements(rng *rand.Rand, p *renkei.Partner, kindID map[string]string, now time.Time) []*renkei.Agreement {
	share := map[string]int{
		"confidentiality": 88, "incident_handling": 42, "subcontracting": 30, "asset_handling": 25,
		"standards": 18, "audit_rights": 15, "education": 10, "recommended_settings": 8, "threat_sharing": 6, "sbom": 3,
	}
	if p.Type != renkei.PartnerSupplier {
		share["standards"], share["audit_rights"], share["threat_sharing"] = 45, 40, 35
	}
	var out []*renkei.Agreement
	for _, code := range []string{"confidentiality", "incident_handling", "subcontracting", "asset_handling", "standards", "audit_rights", "education", "recommended_settings", "threat_sharing", "sbom"} {
		if rng.IntN(100) >= share[code] || kindID[code] == "" {
			continue
		}
		from := now.AddDate(-1-rng.IntN(4), -rng.IntN(12), 0).Truncate(24 * time.Hour)
		until := from.AddDate(3, 0, 0)
		if rng.IntN(12) == 0 {
			until = now.AddDate(0, 0, 5+rng.IntN(50)).Truncate(24 * time.Hour) // expiring soon
		}
		for until.Before(now) {
			until = until.AddDate(1, 0, 0) // renewed yearly
		}
		out = append(out, &renkei.Agreement{
			OrgID: p.OrgID, PartnerID: p.ID, RequirementID: kindID[code],
			Contract:  fmt.Sprintf("取引基本契約書 %s-%d", p.ExternalID, from.Year()),
			ValidFrom: &from, ValidUntil: &until,
		})
	}
	return out
}
