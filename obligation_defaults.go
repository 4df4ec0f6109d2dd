package renkei

// The APPI reporting duty (since April 2022; the unauthorized-purpose case
// widened in April 2024) arises when a leak, or a possible leak, involves
// sensitive data, possible financial harm or an unauthorized purpose (each
// from a single person), or more than 1,000 persons.
var appiTriggers = []DutyCondition{
	{Fact: "personal_data.sensitive"},
	{Fact: "personal_data.financial"},
	{Fact: "personal_data.unauthorized_purpose"},
	{Fact: "personal_data.persons", Gt: intp(1000)},
}

// attackTypes are the kinds that are crimes or attacks worth reporting to
// the police and the national centres (a lost device is not among them).
var attackTypes = []string{
	"emotet", "ransomware", "unauthorized_access", "ddos", "bec", "shared_service",
	"defacement", "payment_abuse", "vpn",
}

// sectorIndustries are the survey industries whose ministries ask for
// incident reports of their own (energy, telecoms, transport, finance,
// medical care).
var sectorIndustries = []string{"e", "f", "g", "i", "o"}

// DefaultObligationRules are the rules every organization starts with
// (version 1). The APPI periods are the law's; the others are defaults for
// duties whose time the law leaves to "promptly", the contract or the
// policy, and each organization adjusts them.
func DefaultObligationRules() ObligationRules {
	return ObligationRules{Version: 1, Rules: []ObligationRule{
		{Code: "appi_preliminary", Enabled: true,
			Title: Bilingual{"個人情報保護委員会への速報", "Preliminary report to the PPC"},
			Basis: Bilingual{"個人情報保護法 第26条第1項、同施行規則 第7条・第8条第1項（知った時から速やかに。目安は3〜5日）",
				"APPI Art. 26(1); Enforcement Rules Arts. 7 and 8(1) (promptly after becoming aware; about 3 to 5 days)"},
			Any: appiTriggers, Clock: Clock{From: ClockAware, Days: 3}},
		{Code: "appi_final", Enabled: true,
			Title: Bilingual{"個人情報保護委員会への確報", "Final report to the PPC"},
			Basis: Bilingual{"個人情報保護法 第26条第1項、同施行規則 第8条第2項（30日以内。不正の目的によるおそれがある事態は60日以内）",
				"APPI Art. 26(1); Enforcement Rules Art. 8(2) (within 30 days; 60 days where an unauthorized purpose may be involved)"},
			Any: appiTriggers,
			Clock: Clock{From: ClockAware, Days: 30, DaysIf: []DaysWhen{
				{When: DutyCondition{Fact: "personal_data.unauthorized_purpose"}, Days: 60}}}},
		{Code: "appi_notify_persons", Enabled: true,
			Title: Bilingual{"本人への通知", "Notice to the persons concerned"},
			Basis: Bilingual{"個人情報保護法 第26条第2項（状況に応じて速やかに）",
				"APPI Art. 26(2) (promptly, as the situation allows)"},
			Any: appiTriggers, Clock: Clock{From: ClockAware}},
		{Code: "sector_ministry", Enabled: true,
			Title: Bilingual{"所管省庁への報告", "Report to the sector ministry"},
			Basis: Bilingual{"業種別のガイドライン（例：金融分野は金融庁、電気通信は総務省）。期限は所管省庁の定めを確認してください",
				"Sector guidelines (e.g. the FSA for finance, MIC for telecoms); check the ministry's own deadline"},
			All:   []DutyCondition{{Fact: "org.industry", In: sectorIndustries}},
			Any:   append(append([]DutyCondition{}, appiTriggers...), DutyCondition{Fact: "affects.our_network"}, DutyCondition{Fact: "affects.our_products"}),
			Clock: Clock{From: ClockAware, Days: 3}},
		{Code: "police", Enabled: true,
			Title: Bilingual{"警察への相談・届出", "Report to the police"},
			Basis: Bilingual{"都道府県警察のサイバー犯罪相談窓口（法的義務ではないが、被害の拡大防止と捜査のため推奨）",
				"Prefectural police cybercrime desks (not a legal duty; recommended to stop harm and support investigation)"},
			Any: []DutyCondition{{Fact: "type", In: attackTypes}}, Clock: Clock{From: ClockAware}},
		{Code: "ipa_jpcert", Enabled: true,
			Title: Bilingual{"IPA・JPCERT/CCへの届出", "Notification to IPA / JPCERT/CC"},
			Basis: Bilingual{"IPAのコンピュータウイルス・不正アクセス届出制度、JPCERT/CCへのインシデント報告（任意。他組織の被害防止に役立つ）",
				"IPA's virus and unauthorized-access reporting scheme and JPCERT/CC incident reports (voluntary; help protect others)"},
			Any: []DutyCondition{{Fact: "type", In: attackTypes}}, Clock: Clock{From: ClockAware}},
		{Code: "isac_share", Enabled: true,
			Title: Bilingual{"業界ISACへの共有", "Sharing with the industry ISAC"},
			Basis: Bilingual{"ISACの会員規約・情報共有ルール", "The ISAC's membership and sharing rules"},
			All:   []DutyCondition{{Fact: "org.isac_member"}},
			Any:   []DutyCondition{{Fact: "type", In: attackTypes}}, Clock: Clock{From: ClockAware, Days: 3}},
		{Code: "insurer_notice", Enabled: true,
			Title: Bilingual{"サイバー保険会社への通知", "Notice to the cyber insurer"},
			Basis: Bilingual{"保険約款の事故通知義務（期限は約款を確認してください）", "The policy's notice clause (check the policy's own deadline)"},
			All:   []DutyCondition{{Fact: "org.cyber_insurance"}},
			Any:   []DutyCondition{{Fact: "affects.our_data"}, {Fact: "affects.our_network"}, {Fact: "affects.our_products"}, {Fact: "personal_data.involved"}},
			Clock: Clock{From: ClockAware, Days: 3}},
		{Code: "group_hq", Enabled: true,
			Title: Bilingual{"グループ本社への報告", "Report to group headquarters"},
			Basis: Bilingual{"グループのセキュリティ規程", "The group's security rules"},
			All:   []DutyCondition{{Fact: "org.group_company"}}, Clock: Clock{From: ClockAware, Days: 1}},
		{Code: "customers_notice", Enabled: true,
			Title: Bilingual{"顧客・取引先への連絡", "Notice to customers and partners"},
			Basis: Bilingual{"顧客・取引先との契約と信頼関係（影響が及ぶおそれがある相手へ）", "Contracts with and duty of care to customers and partners who may be affected"},
			Any:   []DutyCondition{{Fact: "affects.our_products"}, {Fact: "affects.our_data"}, {Fact: "shared_service.others", Gt: intp(0)}},
			Clock: Clock{From: ClockAware}},
		{Code: "partner_contract_report", Enabled: true,
			Title: Bilingual{"取引先の契約上の報告義務", "The partner's contractual duty to report"},
			Basis: Bilingual{"取引先との契約のインシデント報告条項（取引先が発見してから自社へ報告するまでの期限）",
				"The incident reporting clause of the partner's contract (from the partner's discovery to its report to us)"},
			All:   []DutyCondition{{Fact: "partner.linked"}, {Fact: "partner.reporting_hours", Gt: intp(0)}},
			Clock: Clock{From: ClockDiscovered, HoursFact: "partner.reporting_hours"}},
	}}
}

func intp(n int) *int { return &n }
