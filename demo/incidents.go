package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/renkei/renkei"
)

// The demo's incidents, made through the store as staff, partners and the
// report link would make them, so that receipt numbers, duties and their
// clocks are computed, not typed in. Times are relative to the load, so
// that the APPI clock of the first case is running when the demo opens.
//
//   - ransomware at a supplier holding 1,500 persons' data, aware a day
//     ago: triaged, the APPI preliminary report due in two days;
//   - malicious mail reported by a partner in the portal ten days ago:
//     investigating, the preliminary report done, the final one running;
//   - unauthorized access aware eight days ago, the preliminary report
//     still open: overdue;
//   - a compromised file-transfer service at two suppliers, one reported
//     through the report link;
//   - a lost laptop, closed with its cause and prevention, decided not to
//     be disclosed.

// loadIncidents adds the demo's incidents unless the organization has
// some. It returns how many it made.
func loadIncidents(ctx context.Context, store Store, org *renkei.Organization, now time.Time) (int, error) {
	if in, _, err := store.ListIncidents(ctx, org.ID, renkei.IncidentFilter{}, renkei.Page{Limit: 1}); err != nil || len(in) > 0 {
		return 0, err
	}
	ps, _, err := store.ListPartners(ctx, org.ID, renkei.PartnerFilter{Type: renkei.PartnerSupplier, Sort: "-created"}, renkei.Page{Limit: 5})
	if err != nil {
		return 0, err
	}
	if len(ps) < 5 {
		return 0, fmt.Errorf("demo: %d suppliers for the incidents, 5 needed", len(ps))
	}
	settings, err := store.IncidentSettings(ctx, org.ID)
	if err != nil {
		return 0, err
	}
	settings.Industry, settings.Flags = "d", []string{"cyber_insurance"}
	if err := store.SaveIncidentSettings(ctx, org.ID, settings); err != nil {
		return 0, err
	}
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	at := func(d time.Duration) *time.Time { t := ago(d); return &t }
	day := 24 * time.Hour
	owner := "security@" + Domain
	cases := []struct {
		in      renkei.Incident
		portal  bool // reported by the partner in the portal
		link    bool // reported through the report link
		update  func(in *renkei.Incident)
		done    []string
		tasks   []string
		shared  []string
		decided *renkei.DisclosureDecision
	}{
		{in: renkei.Incident{PartnerID: ps[0].ID, Type: "ransomware", Title: "基幹サーバーの暗号化（ランサムウェア）",
			Description: "夜間に基幹サーバーと共有フォルダーが暗号化され、身代金を要求する文書が置かれていた。当社の顧客名簿（約1,500人分）を預けている。",
			OccurredAt:  at(2 * day), DiscoveredAt: at(day + 6*time.Hour), AwareAt: ago(day), Systems: "基幹サーバー、ファイルサーバー",
			Affects: renkei.Affects{OurData: true}, PersonalData: renkei.PersonalData{Persons: 1500}, Containment: "in_progress", ServiceImpact: "major"},
			update: func(in *renkei.Incident) {
				in.Status, in.Severity, in.Owner = renkei.IncidentTriaged, "critical", owner
			},
			tasks:  []string{"預けている顧客名簿の範囲を確認する", "取引先とのVPN接続を一時停止する"},
			shared: []string{"被害範囲の調査結果を、分かった時点で共有してください。"}},
		{in: renkei.Incident{PartnerID: ps[1].ID, Type: "emotet", Title: "取引先を装った不審メール（Emotet）",
			Description:  "当社の担当者名をかたるメールが取引先の社員に届き、添付ファイルを開いた端末1台が感染した。",
			DiscoveredAt: at(10*day + 3*time.Hour), AwareAt: ago(10 * day), PersonalData: renkei.PersonalData{Persons: 40, Financial: false, Sensitive: true},
			Containment: "contained"},
			portal: true,
			update: func(in *renkei.Incident) {
				in.Status, in.Severity, in.Owner = renkei.IncidentInvestigating, "high", owner
			},
			done: []string{"appi_preliminary"}},
		{in: renkei.Incident{PartnerID: ps[2].ID, Type: "unauthorized_access", Title: "保守用アカウントへの不正ログイン",
			Description:  "リモート保守用のアカウントに海外から不正ログインがあった。クレジットカード情報を含む注文データへのアクセス有無を調査中。",
			DiscoveredAt: at(8*day + 2*time.Hour), AwareAt: ago(8 * day), Affects: renkei.Affects{OurNetwork: true},
			PersonalData: renkei.PersonalData{Persons: 120, Financial: true}},
			update: func(in *renkei.Incident) { in.Status, in.Severity = renkei.IncidentTriaged, "high" }},
		{in: renkei.Incident{PartnerID: ps[3].ID, Type: "shared_service", Title: "ファイル転送サービスの侵害", Service: "ファイル転送サービスX",
			Description: "取引先が利用するファイル転送サービスが攻撃を受け、図面ファイルが外部から閲覧できた可能性がある。",
			AwareAt:     ago(3 * day), Affects: renkei.Affects{OurData: true}}},
		{in: renkei.Incident{PartnerID: ps[4].ID, Type: "shared_service", Title: "［報告リンク］ファイル転送サービスの侵害", Service: "ファイル転送サービスX",
			Description: "ファイル転送サービスXの事業者から侵害の連絡があった。貴社との図面のやりとりにも使っている。",
			AwareAt:     ago(2 * day), Contact: renkei.Contact{Name: "情報システム担当", Phone: "03-0000-0000"}},
			link: true},
		{in: renkei.Incident{Type: "lost_device", Title: "営業担当者のノートPCの紛失",
			Description: "出張中に電車内でノートPCを紛失した。ディスクは暗号化済みで、遠隔で初期化した。", DiscoveredAt: at(40 * day), AwareAt: ago(40 * day),
			ServiceImpact: "none", Containment: "recovered"},
			update: func(in *renkei.Incident) {
				in.Status, in.Severity = renkei.IncidentClosed, "low"
				in.RootCause = "持ち出し用PCの管理ルールが出張時に守られていなかった"
				in.Prevention = "持ち出し時の申請と、ディスク暗号化・遠隔初期化の設定確認を必須にした"
			},
			decided: &renkei.DisclosureDecision{Disclose: false, Reason: "個人情報はなく、ディスクが暗号化されており影響が小さいため公表しない"}},
	}
	for i := range cases {
		c := &cases[i]
		c.in.OrgID = org.ID
		cctx := ctx
		switch {
		case c.portal:
			cctx = partnerCtx(ctx, ps[1].Company.ID)
		case c.link:
			cctx = renkei.WithActor(ctx, &renkei.Actor{System: true, Label: "report-link"})
			c.in.Source = renkei.IncidentSourceLink
		}
		if err := store.CreateIncident(cctx, &c.in); err != nil {
			return 0, fmt.Errorf("demo incident %q: %w", c.in.Title, err)
		}
		if c.update != nil {
			c.update(&c.in)
			if err := store.UpdateIncident(ctx, &c.in); err != nil {
				return 0, fmt.Errorf("demo incident %q: %w", c.in.Title, err)
			}
		}
		for _, code := range c.done {
			if err := store.SetObligationStatus(ctx, org.ID, c.in.ID, code, renkei.ObligationDone, "デモ：報告済み"); err != nil {
				return 0, err
			}
		}
		for _, title := range c.tasks {
			if err := store.SaveTask(ctx, &renkei.IncidentTask{OrgID: org.ID, IncidentID: c.in.ID, Title: title, Owner: "情報セキュリティ室"}); err != nil {
				return 0, err
			}
		}
		for _, body := range c.shared {
			if err := store.AddMessage(ctx, &renkei.IncidentMessage{OrgID: org.ID, IncidentID: c.in.ID, Body: body, Shared: true}); err != nil {
				return 0, err
			}
		}
		if c.decided != nil {
			if err := store.DecideDisclosure(ctx, org.ID, c.in.ID, c.decided); err != nil {
				return 0, err
			}
		}
	}
	return len(cases), nil
}
