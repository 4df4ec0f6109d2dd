package renkei

import (
	"fmt"
	"strings"
	"time"
)

// ReportItem is one item of a report draft: what the form asks and the
// case's answer so far ("" where people still have to write it).
type ReportItem struct {
	Key   string    `json:"key"`
	Label Bilingual `json:"label"`
	Value string    `json:"value"`
	// Hint says what to write when the case does not say it yet.
	Hint Bilingual `json:"hint"`
}

// ReportFacts is what a report draft draws on besides the case.
type ReportFacts struct {
	PartnerName string
	Decision    *DisclosureDecision
	Obligations []Obligation
	Lang        string
}

// APPIReportDraft lays out the items of a breach report to the PPC
// (Enforcement Rules Art. 8(1): outline, the personal data items, the
// number of persons, the cause, secondary harm, the response to the
// persons, publication, recurrence prevention, other) prefilled from the
// case, in lang.
func APPIReportDraft(in *Incident, f ReportFacts) []ReportItem {
	ja := f.Lang != "en"
	pick := func(j, e string) string {
		if ja {
			return j
		}
		return e
	}
	when := func(t *time.Time) string {
		if t == nil {
			return pick("不明", "unknown")
		}
		return t.In(Japan).Format("2006-01-02 15:04")
	}
	var outline strings.Builder
	fmt.Fprintf(&outline, "%s %s\n", pick("種類:", "Kind:"), in.Type)
	fmt.Fprintf(&outline, "%s %s / %s %s / %s %s\n", pick("発生:", "Occurred:"), when(in.OccurredAt),
		pick("発見:", "Discovered:"), when(in.DiscoveredAt), pick("把握:", "Aware:"), when(&in.AwareAt))
	if f.PartnerName != "" {
		fmt.Fprintf(&outline, "%s %s\n", pick("発生した委託先等:", "Where (partner):"), f.PartnerName)
	}
	outline.WriteString(strings.TrimSpace(in.Description))

	var items []string
	if in.PersonalData.Sensitive {
		items = append(items, pick("要配慮個人情報を含む", "includes sensitive personal data"))
	}
	if in.PersonalData.Financial {
		items = append(items, pick("財産的被害が生じるおそれのある情報（クレジットカード番号等）を含む", "includes data whose misuse may cause financial harm (card numbers etc.)"))
	}
	persons := ""
	if in.PersonalData.Persons > 0 {
		persons = fmt.Sprintf("%d", in.PersonalData.Persons)
		if !in.PersonalData.Confirmed {
			persons += pick("（おそれを含む）", " (possible leak included)")
		}
	}
	var harm string
	switch {
	case in.PersonalData.UnauthorizedPurpose:
		harm = pick("あり：不正の目的によるおそれがある", "Yes: an unauthorized purpose may be involved")
	case in.PersonalData.Financial:
		harm = pick("おそれあり：財産的被害が生じるおそれがある", "Possible: financial harm may follow")
	}
	notice := ""
	for _, ob := range f.Obligations {
		if ob.Code == "appi_notify_persons" {
			switch ob.Status {
			case ObligationDone:
				notice = pick("通知済み", "The persons have been notified")
				if ob.DoneAt != nil {
					notice += " (" + ob.DoneAt.In(Japan).Format("2006-01-02") + ")"
				}
			case ObligationWaived:
				notice = pick("通知に代わる措置を取った", "Measures in place of notice were taken")
			default:
				notice = pick("未実施（準備中）", "Not yet (in preparation)")
			}
		}
	}
	publication := ""
	if d := f.Decision; d != nil {
		day := d.DecidedAt.In(Japan).Format("2006-01-02")
		if d.Disclose {
			publication = pick("公表する（判断日 "+day+"）：", "To be published (decided "+day+"): ") + d.Reason
		} else {
			publication = pick("公表しない（判断日 "+day+"）：", "Not to be published (decided "+day+"): ") + d.Reason
		}
	}
	var other strings.Builder
	fmt.Fprintf(&other, "%s %s", pick("受付番号:", "Receipt number:"), in.Ref)
	if in.Systems != "" {
		fmt.Fprintf(&other, "\n%s %s", pick("関係するシステム:", "Systems involved:"), in.Systems)
	}
	if in.Containment != "" {
		fmt.Fprintf(&other, "\n%s %s", pick("封じ込め:", "Containment:"), in.Containment)
	}
	return []ReportItem{
		{Key: "outline", Label: Bilingual{"概要", "Outline"}, Value: outline.String(),
			Hint: Bilingual{"いつ、どこで、何が起き、どう把握したか", "When, where and what happened, and how we learned of it"}},
		{Key: "data_items", Label: Bilingual{"漏えい等が発生し、又は発生したおそれがある個人データの項目", "Items of personal data leaked or possibly leaked"},
			Value: strings.Join(items, "、"), Hint: Bilingual{"氏名、住所、電話番号、カード番号など項目を列挙", "List the items: names, addresses, phone numbers, card numbers…"}},
		{Key: "persons", Label: Bilingual{"本人の数", "Number of persons"}, Value: persons,
			Hint: Bilingual{"おそれを含む人数", "Including those possibly affected"}},
		{Key: "cause", Label: Bilingual{"原因", "Cause"}, Value: in.RootCause,
			Hint: Bilingual{"調査中の場合はその旨と分かっていること", "If still under investigation, say so and what is known"}},
		{Key: "secondary_harm", Label: Bilingual{"二次被害又はそのおそれの有無及びその内容", "Secondary harm, or its possibility, and what it is"}, Value: harm,
			Hint: Bilingual{"不正利用の有無、そのおそれ", "Whether misuse occurred or may occur"}},
		{Key: "response_to_persons", Label: Bilingual{"本人への対応の実施状況", "Response to the persons"}, Value: notice,
			Hint: Bilingual{"通知の方法と日時、問い合わせ窓口", "How and when they were told; the contact desk"}},
		{Key: "publication", Label: Bilingual{"公表の実施状況", "Publication"}, Value: publication,
			Hint: Bilingual{"公表の有無、日時、方法", "Whether, when and how it was made public"}},
		{Key: "prevention", Label: Bilingual{"再発防止のための措置", "Measures to prevent recurrence"}, Value: in.Prevention,
			Hint: Bilingual{"実施済みの措置と予定", "Measures taken and planned"}},
		{Key: "other", Label: Bilingual{"その他参考となる事項", "Other relevant matters"}, Value: other.String(),
			Hint: Bilingual{"警察への相談、委託先への対応など", "Police consultation, action taken with the partner…"}},
	}
}
