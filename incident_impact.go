package renkei

import "fmt"

// IncidentImpact lists, with reasons, how an incident at a partner may
// reach us, from what the partner's profile says we hand over, how it
// connects to us and what it provides. Each line says why it is there, so
// that triage starts from facts already on file rather than from memory.
func IncidentImpact(in *Incident, p *Partner) []Bilingual {
	var out []Bilingual
	add := func(ja, en string) { out = append(out, Bilingual{JA: ja, EN: en}) }
	if p == nil {
		return nil
	}
	pr := p.Profile
	if pr.PersonalData {
		switch {
		case pr.PersonalDataCount > 1000:
			add(fmt.Sprintf("預けている個人情報（%d人分）が漏えいしたおそれ：1,000人を超えると個人情報保護委員会への報告対象", pr.PersonalDataCount),
				fmt.Sprintf("Personal data we hand over (%d persons) may have leaked: over 1,000 persons must be reported to the PPC", pr.PersonalDataCount))
		case pr.PersonalDataCount > 0:
			add(fmt.Sprintf("預けている個人情報（%d人分）が漏えいしたおそれ", pr.PersonalDataCount),
				fmt.Sprintf("Personal data we hand over (%d persons) may have leaked", pr.PersonalDataCount))
		default:
			add("預けている個人情報が漏えいしたおそれ", "Personal data we hand over may have leaked")
		}
	}
	if pr.SensitivePersonalData {
		add("要配慮個人情報を預けている：1人分でも個人情報保護委員会への報告対象", "We hand over sensitive personal data: even one person must be reported to the PPC")
	}
	if pr.ConfidentialTechnical || pr.HandlesConfidentialOnOwnIT {
		add("預けている技術情報・図面などの機密情報が漏えいしたおそれ", "Confidential technical information or drawings we hand over may have leaked")
	}
	if pr.FinancialData {
		add("預けている財務情報が漏えいしたおそれ", "Financial information we hand over may have leaked")
	}
	for _, n := range pr.NetworkAccess {
		switch n {
		case "site_to_site":
			add("拠点間接続を通じて自社のネットワークへ広がるおそれ：接続の一時遮断を検討", "It may spread to our network over the site-to-site connection: consider cutting it for now")
		case "remote_maintenance":
			add("リモート保守の接続を通じて自社の機器へ入り込まれるおそれ：保守用アカウントの停止を検討", "Attackers may reach our equipment through remote maintenance: consider disabling its accounts")
		case "onsite_devices":
			add("持ち込まれる端末・媒体から感染が広がるおそれ", "Devices or media brought on site may carry the infection")
		}
	}
	if pr.ReachesInternalNetwork && !contains(pr.NetworkAccess, "site_to_site") && !contains(pr.NetworkAccess, "remote_maintenance") {
		add("取引先の環境から自社の社内システムに到達できる", "The partner's environment can reach our internal systems")
	}
	for _, v := range pr.Provides {
		switch v {
		case "embedded_software", "it_systems":
			add("納入された製品・ソフトウェアが改ざんされているおそれ：出荷・利用中の製品を確認", "Products or software delivered to us may be tampered with: check those shipped and in use")
		case "it_operations", "saas":
			add("自社のITの運用・クラウドサービスに影響するおそれ", "Our IT operations or cloud services may be affected")
		case "direct_materials", "production_supplies", "logistics":
			if in.Type == "ransomware" || in.Type == "ddos" {
				add("取引先の停止で自社の生産・物流が止まるおそれ", "Our production or logistics may stop while the partner is down")
			}
		}
	}
	if pr.OutageUnacceptable || pr.OutageStopsBusiness {
		add("取引先の停止が自社の事業に許容できない遅れを生む：代替手段の準備を", "An outage at the partner delays our business unacceptably: prepare alternatives")
	}
	return uniqueLines(out)
}

func uniqueLines(in []Bilingual) []Bilingual {
	seen := map[string]bool{}
	var out []Bilingual
	for _, b := range in {
		if !seen[b.JA] {
			seen[b.JA] = true
			out = append(out, b)
		}
	}
	return out
}
