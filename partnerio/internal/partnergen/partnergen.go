// Package partnergen makes varied, valid partners for the tests and
// benchmarks of partnerio: every field filled in some rows, Japanese and
// English names, all types, industries, departments and profile flags.
package partnergen

import (
	"fmt"

	"github.com/renkei/renkei"
)

// CorporateNumber returns a valid 13-digit corporate number for n.
func CorporateNumber(n int) string {
	base := fmt.Sprintf("%012d", n%1_000_000_000_000)
	return string('0'+renkei.CorporateNumberCheckDigit(base)) + base
}

var (
	names = []string{"株式会社%s製作所", "%s商事株式会社", "有限会社%s工業", "%s Corporation", "%sシステムズ合同会社", "%s物流株式会社"}
	stems = []string{"山田", "東京", "大阪", "日本", "北海", "Acme", "みらい", "さくら", "髙橋", "渡邉"}
	kana  = []string{"ヤマダ", "トウキョウ", "オオサカ", "ニホン", "ホッカイ", "アクメ", "ミライ", "サクラ", "タカハシ", "ワタナベ"}
)

// Partner returns the i-th generated partner, validated and evaluated under
// the default risk policy. The text is Shift_JIS-safe.
func Partner(i int) renkei.Partner {
	types := []string{renkei.PartnerSupplier, renkei.PartnerSupplier, renkei.PartnerSupplier, renkei.PartnerGroup, renkei.PartnerOverseas}
	industries := renkei.Terms(renkei.ListIndustry)
	depts := renkei.Terms(renkei.ListDepartment)
	s := stems[i%len(stems)]
	p := renkei.Partner{
		ExternalID: fmt.Sprintf("V%07d", i),
		Type:       types[i%len(types)],
		Department: depts[i%len(depts)].Code,
		Company: renkei.Company{
			Name:        fmt.Sprintf(names[i%len(names)], s) + fmt.Sprintf(" %d", i),
			NameKana:    kana[i%len(kana)],
			Industry:    industries[i%len(industries)].Code,
			Employees:   (i * 37) % 5000,
			RevenueBand: renkei.RevenueBands[i%len(renkei.RevenueBands)],
			Listed:      i%7 == 0,
			Country:     "JP",
		},
		Profile: renkei.Profile{
			PersonalData:               i%3 == 0,
			SensitivePersonalData:      i%11 == 0,
			ConfidentialTechnical:      i%4 == 0,
			FinancialData:              i%5 == 0,
			OutageStopsBusiness:        i%6 == 0,
			HasAlternative:             i%12 == 0,
			CriticalInfrastructure:     i%13 == 0,
			Subcontracts:               i%8 == 0,
			HandlesConfidentialOnOwnIT: i%9 == 0,
			OutageUnacceptable:         i%10 == 0,
			ReachesInternalNetwork:     i%14 == 0,
		},
		Notes: fmt.Sprintf("取引開始 %d年。年次点検あり。", 2000+i%25),
	}
	if i%10 != 9 {
		p.Company.CorporateNumber = CorporateNumber(1000_0000_0000 + i)
	}
	if p.Type == renkei.PartnerOverseas {
		p.Company.Country = []string{"CN", "VN", "TH", "US"}[i%4]
		p.Company.CorporateNumber = ""
	}
	if i%2 == 0 {
		p.Company.WebDomain = fmt.Sprintf("p%d.example.co.jp", i)
		p.Company.MailDomain = fmt.Sprintf("p%d.example.co.jp", i)
	}
	if p.Profile.PersonalData {
		p.Profile.PersonalDataCount = (i * 13) % 20000
	}
	switch i % 4 {
	case 0:
		p.Profile.Provides = []string{renkei.ProvidesCodes[i%len(renkei.ProvidesCodes)]}
	case 1:
		p.Profile.Provides = []string{"it_systems", "saas"}
	case 2:
		p.Profile.Provides = []string{"direct_materials", "logistics", "other"}
	}
	switch i % 5 {
	case 0:
		p.Profile.NetworkAccess = []string{"none"}
	case 1:
		p.Profile.NetworkAccess = []string{"remote_maintenance", "onsite_devices"}
	case 2:
		p.Profile.NetworkAccess = []string{"site_to_site"}
	}
	if i%3 != 2 {
		p.Profile.Region = []string{"関東", "関西", "東北", "九州", "中部"}[i%5]
		p.Contacts = renkei.Contacts{
			Business:          renkei.Contact{Name: "営業 太郎", Email: fmt.Sprintf("sales%d@p%d.example.co.jp", i, i), Phone: "03-1234-5678"},
			Security:          renkei.Contact{Name: "情報 花子", Email: fmt.Sprintf("sec%d@p%d.example.co.jp", i, i), Phone: "+81-3-9876-5432"},
			Incident:          renkei.Contact{Name: "当番窓口", Email: fmt.Sprintf("csirt@p%d.example.co.jp", i), Phone: "0120-000-000"},
			IncidentProcedure: "発覚から24時間以内に電話で当社の調達部門へ連絡し、\n続けてメールで詳細を送る。",
		}
	}
	if err := p.Validate(); err != nil {
		panic(fmt.Sprintf("partnergen: partner %d: %v", i, err))
	}
	renkei.DefaultRiskPolicy().Evaluate(&p)
	return p
}

// Source yields n generated partners without holding them all, the way an
// export pages through storage.
func Source(n int) func() (*renkei.Partner, bool, error) {
	i := 0
	return func() (*renkei.Partner, bool, error) {
		if i >= n {
			return nil, false, nil
		}
		p := Partner(i)
		i++
		return &p, true, nil
	}
}
