// Package partnerio reads and writes partner files: CSV (UTF-8 with or
// without BOM, Shift_JIS/CP932 as Excel writes it in Japan) and XLSX.
// docs/partner-file-format.md is the full description; this is the
// summary.
//
// # Column set, version 1 (FormatVersion)
//
// Headers are accepted in English or Japanese, mixed, whatever their case,
// spacing and width; columns may come in any order; name and type are
// required. Read ignores the three export-only columns at the end, so an
// export imports again unchanged.
//
//	external_id                    取引先コード
//	name (required)                企業名
//	name_kana                      企業名カナ
//	corporate_number               法人番号
//	type (required)                種別         supplier/group/overseas or 仕入先/グループ会社/海外拠点 …
//	department                     所管部門     business/procurement/it_security/legal or labels
//	industry                       業種         a–q, or the Japanese or English label
//	country                        国           JP, CN … or 日本, 中国 …; empty = JP
//	employees                      従業員数     1,234 and full-width digits accepted
//	revenue_band                   売上規模     lt_100m … ge_100b or 1億円未満 …
//	listed                         上場         yes/no
//	web_domain                     Webドメイン
//	mail_domain                    メールドメイン
//	provides                       提供するもの  several, separated by ; or 、
//	personal_data                  個人情報     yes/no
//	personal_data_count            個人情報の件数
//	sensitive_personal_data        要配慮個人情報
//	confidential_technical         技術情報・図面
//	financial_data                 財務情報
//	network_access                 ネットワーク接続 several: none/remote_maintenance/site_to_site/onsite_devices
//	outage_stops_business          停止時の事業停止
//	has_alternative                代替先の有無
//	critical_infrastructure        重要インフラ製品
//	subcontracts                   再委託
//	region                         地域
//	handles_confidential_on_own_it 機密情報を自社ITで扱う
//	outage_unacceptable            停止が許容できない
//	reaches_internal_network       社内ネットワークに到達
//	business_contact_name          業務担当者名
//	business_contact_email         業務担当者メール
//	business_contact_phone         業務担当者電話
//	security_contact_name          セキュリティ担当者名
//	security_contact_email         セキュリティ担当者メール
//	security_contact_phone         セキュリティ担当者電話
//	incident_contact_name          インシデント連絡先名
//	incident_contact_email         インシデント連絡先メール
//	incident_contact_phone         インシデント連絡先電話
//	incident_procedure             インシデント連絡手順
//	notes                          備考
//	risk_score                     リスクスコア  export only
//	risk_tier                      リスク区分    export only
//	required_level                 求める水準    export only
//
// Yes/no cells take true/false, yes/no, 1/0, はい/いいえ, ○/×, 有/無 and
// more; empty is no.
//
// # Formula injection
//
// The export writes a single quote before any text that, after the single
// quotes it already starts with, begins with = + - @ tab or CR (or
// full-width ＝ ＋ － ＠), in CSV and XLSX alike. Read removes exactly that
// quote, so the round trip is lossless.
//
// # Errors
//
// Read returns per-cell ImportErrors whose Key is a message of
// i18n/messages/partnerio.*.json (the Key constants list their arguments),
// and a *renkei.Error (EINVALID or ETOOLARGE) for problems with the file as
// a whole.
package partnerio
