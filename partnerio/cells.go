package partnerio

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/internal/sheetcell"
)

// word is an accepted spelling of a code, with the labels the export writes.
type word struct {
	Code     string
	JA, EN   string
	Synonyms []string
}

// label returns the label of code in lang, or the code itself when the
// table does not know it.
func label(words []word, code, lang string) string {
	for _, w := range words {
		if w.Code == code {
			if lang == "en" {
				return w.EN
			}
			return w.JA
		}
	}
	return code
}

// lookup builds the map from every accepted spelling, normalized, to its
// code.
func lookup(words []word) map[string]string {
	m := map[string]string{}
	add := func(s, code string) {
		// The spelling as written too, so that the common case skips
		// normValue.
		for _, k := range []string{normValue(s), s} {
			if prev, dup := m[k]; dup && prev != code {
				panic("partnerio: " + s + " means both " + prev + " and " + code)
			}
			m[k] = code
		}
	}
	for _, w := range words {
		add(w.Code, w.Code)
		add(w.JA, w.Code)
		add(w.EN, w.Code)
		for _, s := range w.Synonyms {
			add(s, w.Code)
		}
	}
	return m
}

// termWords turns a vocabulary list into words, adding synonyms by code.
func termWords(list string, synonyms map[string][]string) []word {
	var out []word
	for _, t := range renkei.Terms(list) {
		out = append(out, word{Code: t.Code, JA: t.JA, EN: t.EN, Synonyms: synonyms[t.Code]})
	}
	return out
}

var typeWords = termWords(renkei.ListPartnerType, map[string][]string{
	renkei.PartnerSupplier: {"仕入先", "外注先", "委託先", "取引先", "仕入・外注・委託先", "仕入・外注・委託先等", "仕入", "外注", "委託",
		"サプライヤー", "サプライヤ", "supplier", "subcontractor", "contractor", "vendor"},
	renkei.PartnerGroup:    {"グループ", "関係会社", "子会社", "関連会社", "親会社", "group company", "affiliate", "subsidiary"},
	renkei.PartnerOverseas: {"海外", "海外子会社", "海外法人", "海外の拠点", "overseas base", "overseas subsidiary"},
})

var departmentWords = termWords(renkei.ListDepartment, map[string][]string{
	"business":    {"事業部", "事業", "事業部門", "business unit"},
	"procurement": {"調達", "購買", "購買部門", "購買部", "調達部", "資材部", "purchasing"},
	"it_security": {"情報システム部門", "情報システム部", "情報システム", "情シス", "セキュリティ部門", "IT部門", "IT", "IT/security", "security"},
	"legal":       {"法務", "法務部", "法務部門"},
})

var industryWords = termWords(renkei.ListIndustry, map[string][]string{
	"a": {"農業", "林業", "漁業"},
	"b": {"鉱業"},
	"c": {"建設"},
	"d": {"製造"},
	"e": {"電気", "ガス", "水道", "電気・ガス・水道業", "インフラ"},
	"f": {"情報通信", "IT業", "通信業", "ソフトウェア業"},
	"g": {"運輸業", "運輸", "郵便業", "物流業"},
	"h": {"卸売業", "小売業", "卸売", "小売", "卸売・小売業"},
	"i": {"金融", "保険", "金融業", "保険業", "金融・保険業"},
	"j": {"不動産業", "物品賃貸業", "不動産"},
	"k": {"学術研究", "専門・技術サービス業"},
	"l": {"宿泊業", "飲食サービス業", "飲食業", "飲食"},
	"m": {"生活関連サービス業", "娯楽業"},
	"n": {"教育", "学習支援業"},
	"o": {"医療", "福祉", "医療・福祉"},
	"p": {"サービス業", "その他のサービス業"},
	"q": {"その他の業種"},
})

var revenueWords = []word{
	{"lt_100m", "1億円未満", "under 100M yen", nil},
	{"100m_1b", "1億円以上10億円未満", "100M to 1B yen", []string{"1億～10億円", "1億〜10億円"}},
	{"1b_10b", "10億円以上100億円未満", "1B to 10B yen", []string{"10億～100億円", "10億〜100億円"}},
	{"10b_100b", "100億円以上1000億円未満", "10B to 100B yen", []string{"100億～1000億円", "100億〜1000億円"}},
	{"ge_100b", "1000億円以上", "100B yen or more", []string{"1,000億円以上"}},
}

var providesWords = []word{
	{"direct_materials", "直接材", "Direct materials", []string{"原材料", "部品", "部材", "直接材料"}},
	{"production_supplies", "生産用の資材", "Production supplies", []string{"間接材", "副資材", "生産資材"}},
	{"it_systems", "ITシステム・機器", "IT systems or equipment", []string{"ITシステム", "IT機器", "システム・機器"}},
	{"embedded_software", "製品に組み込むソフトウェア", "Software built into our products", []string{"組込みソフトウェア", "組み込みソフトウェア", "組込ソフトウェア", "embedded software"}},
	{"it_operations", "ITの運用・保守", "IT operation or maintenance", []string{"運用保守", "運用・保守", "システム運用", "IT運用"}},
	{"saas", "SaaS・クラウド", "SaaS or cloud", []string{"クラウド", "クラウドサービス", "cloud"}},
	{"bpo", "業務委託", "Business process outsourcing", []string{"業務の委託", "BPO", "outsourcing"}},
	{"logistics", "物流", "Logistics", []string{"配送", "運送", "輸送"}},
	{"other", "その他", "Other", nil},
}

var networkWords = []word{
	{"none", "なし", "None", []string{"無し", "接続なし", "無", "no"}},
	{"remote_maintenance", "リモート保守", "Remote maintenance", []string{"リモートメンテナンス", "遠隔保守"}},
	{"site_to_site", "拠点間接続", "Site-to-site connection", []string{"拠点間", "拠点間ネットワーク", "site to site"}},
	{"onsite_devices", "機器の持ち込み", "Devices brought on site", []string{"機器の持込み", "端末の持ち込み", "持ち込み機器", "持込み", "持ち込み"}},
}

var tierLabels = []word{
	{renkei.TierHigh, "高", "High", nil},
	{renkei.TierMedium, "中", "Medium", nil},
	{renkei.TierLow, "低", "Low", nil},
}

var levelLabels = []word{
	{renkei.LevelStar1, "★1", "Star 1", nil},
	{renkei.LevelStar2, "★2", "Star 2", nil},
	{renkei.LevelStar3, "★3", "Star 3", nil},
	{renkei.LevelStar4, "★4", "Star 4", nil},
}

// countries are the names accepted besides two-letter ISO codes; the
// export writes the code.
var countryNames = map[string][]string{
	"JP": {"日本", "Japan", "JPN", "日本国"},
	"CN": {"中国", "China", "CHN", "中華人民共和国"},
	"US": {"米国", "アメリカ", "アメリカ合衆国", "United States", "USA", "U.S.A."},
	"KR": {"韓国", "大韓民国", "Korea", "South Korea", "KOR"},
	"TW": {"台湾", "Taiwan", "TWN"},
	"HK": {"香港", "Hong Kong", "HKG"},
	"VN": {"ベトナム", "Vietnam", "Viet Nam", "VNM"},
	"TH": {"タイ", "Thailand", "THA"},
	"SG": {"シンガポール", "Singapore", "SGP"},
	"MY": {"マレーシア", "Malaysia", "MYS"},
	"ID": {"インドネシア", "Indonesia", "IDN"},
	"PH": {"フィリピン", "Philippines", "PHL"},
	"IN": {"インド", "India", "IND"},
	"DE": {"ドイツ", "Germany", "DEU"},
	"GB": {"英国", "イギリス", "United Kingdom", "UK", "GBR"},
	"FR": {"フランス", "France", "FRA"},
	"NL": {"オランダ", "Netherlands", "NLD"},
	"MX": {"メキシコ", "Mexico", "MEX"},
	"CA": {"カナダ", "Canada", "CAN"},
	"AU": {"オーストラリア", "Australia", "AUS"},
}

var (
	typeCodes     = lookup(typeWords)
	deptCodes     = lookup(departmentWords)
	industryCodes = lookup(industryWords)
	revenueCodes  = lookup(revenueWords)
	providesCodes = lookup(providesWords)
	networkCodes  = lookup(networkWords)
	countryCodes  = func() map[string]string {
		m := map[string]string{}
		for code, names := range countryNames {
			for _, n := range names {
				m[normValue(n)] = code
			}
		}
		return m
	}()
)

var (
	trueWords  = set("true", "yes", "y", "1", "on", "はい", "○", "〇", "◯", "●", "有", "有り", "あり", "✓", "✔")
	falseWords = set("false", "no", "n", "0", "off", "いいえ", "×", "✕", "✗", "無", "無し", "なし", "-", "ー", "―", "‐")
)

func set(words ...string) map[string]bool {
	m := map[string]bool{}
	for _, w := range words {
		m[strings.ToLower(foldWidth(w))] = true
	}
	return m
}

// cellErr is what is wrong with one cell: a message key and its args.
type cellErr struct {
	Key  string
	Args []any
}

func errf(key string, args ...any) *cellErr { return &cellErr{Key: key, Args: args} }

// shown shortens a cell value for a message.
func shown(v string) string {
	const max = 40
	if utf8.RuneCountInString(v) <= max {
		return v
	}
	r := []rune(v)
	return string(r[:max]) + "…"
}

// set reads a cleaned, non-empty cell value into the partner.
func (c *column) set(p *renkei.Partner, v string) *cellErr {
	switch c.Kind {
	case kindText:
		*c.text(p) = v
	case kindASCII:
		*c.text(p) = foldWidth(v)
	case kindFreeText:
		if badFreeText(v) {
			return errf(KeyBadChars)
		}
		*c.text(p) = v
	case kindCorpNum:
		*c.text(p) = corpNum(v)
	case kindBool:
		b, ok := parseBool(v)
		if !ok {
			return errf(KeyBool, shown(v))
		}
		*c.flag(p) = b
	case kindInt:
		n, ok := parseInt(v)
		if !ok {
			return errf(KeyNumber, shown(v))
		}
		*c.num(p) = n
	case kindType:
		return c.code(p, typeCodes, v, KeyType)
	case kindDepartment:
		return c.code(p, deptCodes, v, KeyDepartment)
	case kindIndustry:
		return c.code(p, industryCodes, v, KeyIndustry)
	case kindRevenueBand:
		return c.code(p, revenueCodes, v, KeyRevenueBand)
	case kindCountry:
		f := strings.ToUpper(foldWidth(v))
		if len(f) == 2 && f[0] >= 'A' && f[0] <= 'Z' && f[1] >= 'A' && f[1] <= 'Z' {
			*c.text(p) = f
			return nil
		}
		return c.code(p, countryCodes, v, KeyCountry)
	case kindProvides:
		return c.codes(p, providesCodes, v, KeyProvides)
	case kindNetworkAccess:
		return c.codes(p, networkCodes, v, KeyNetworkAccess)
	}
	return nil
}

func (c *column) code(p *renkei.Partner, codes map[string]string, v, key string) *cellErr {
	code, ok := codes[v]
	if !ok {
		code, ok = codes[normValue(v)]
	}
	if !ok {
		return errf(key, shown(v))
	}
	*c.text(p) = code
	return nil
}

func (c *column) codes(p *renkei.Partner, codes map[string]string, v, key string) *cellErr {
	var out []string
	for _, part := range splitMulti(v) {
		code, ok := codes[part]
		if !ok {
			code, ok = codes[normValue(part)]
		}
		if !ok {
			return errf(key, shown(part))
		}
		out = append(out, code)
	}
	*c.multi(p) = out
	return nil
}

// splitMulti splits a cell of several values at ; ； 、 , ， and line
// breaks, dropping empty parts.
func splitMulti(v string) []string {
	parts := strings.FieldsFunc(v, func(r rune) bool {
		switch r {
		case ';', '；', '、', ',', '，', '\n', '\r':
			return true
		}
		return false
	})
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func parseBool(v string) (bool, bool) {
	switch v {
	case "はい", "true", "yes", "1", "○":
		return true, true
	case "いいえ", "false", "no", "0", "":
		return false, true
	}
	k := strings.ToLower(foldWidth(v))
	switch {
	case trueWords[k]:
		return true, true
	case falseWords[k]:
		return false, true
	}
	return false, false
}

// parseInt reads a whole number written with or without thousands
// separators, in full-width or ASCII digits, optionally followed by 人, 名
// or 件. Spreadsheet numbers such as 1234.0 or 1.2E+3 are accepted when
// they are whole.
func parseInt(v string) (int, bool) {
	s := foldWidth(v)
	for _, unit := range []string{"人", "名", "件"} {
		s = strings.TrimSuffix(s, unit)
	}
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, false
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n > math.MaxInt32 || n < math.MinInt32 {
			return 0, false
		}
		return int(n), true
	}
	if strings.Trim(s, "0123456789.eE+-") != "" {
		return 0, false
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == math.Trunc(f) && math.Abs(f) <= math.MaxInt32 {
		return int(f), true
	}
	return 0, false
}

// corpNum undoes what spreadsheets do to a 13-digit number typed into a
// cell (1234567890123.0, 1.234567890123E+12) when all 13 digits are still
// there. A shortened form such as 1.23457E+12 (what Excel saves when a CSV
// is opened and saved again) is left as it is, for Partner.Validate to
// refuse: its digits are lost.
func corpNum(v string) string {
	if !strings.ContainsAny(v, ".eE") {
		return v
	}
	mantissa, _, _ := strings.Cut(strings.ToLower(v), "e")
	digits := strings.TrimLeft(strings.Replace(mantissa, ".", "", 1), "0")
	if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 1e12 && f < 1e13 && f == math.Trunc(f) && len(digits) >= 13 {
		return strconv.FormatFloat(f, 'f', 0, 64)
	}
	return v
}

// badFreeText reports control characters other than tab and line feed,
// characters that reverse the direction of text, and the noncharacters
// U+FFFE and U+FFFF: none has a place in a note, and spreadsheets cannot
// hold some of them.
func badFreeText(s string) bool {
	for _, r := range s {
		switch {
		case r == '\t' || r == '\n':
		case unicode.IsControl(r), r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069',
			r == '\ufffe', r == '\uffff':
			return true
		}
	}
	return false
}

// clean prepares a cell as read: line breaks unified, surrounding space
// trimmed, formula neutralization undone.
func clean(v string) string {
	if strings.IndexByte(v, '\r') >= 0 {
		v = strings.ReplaceAll(v, "\r\n", "\n")
		v = strings.ReplaceAll(v, "\r", "\n")
	}
	return unneutralize(strings.TrimFunc(v, unicode.IsSpace))
}

// exportValue is the cell the export writes for a column: a string or,
// for counts, an int.
func (c *column) exportValue(p *renkei.Partner, lang string) any {
	switch c.Kind {
	case kindText, kindASCII, kindFreeText, kindCorpNum, kindCountry:
		return *c.text(p)
	case kindBool:
		b := *c.flag(p)
		switch {
		case lang == "en" && b:
			return "yes"
		case lang == "en":
			return "no"
		case b:
			return "はい"
		default:
			return "いいえ"
		}
	case kindInt:
		if n := *c.num(p); n != 0 {
			return n
		}
		return ""
	case kindType:
		return label(typeWords, *c.text(p), lang)
	case kindDepartment:
		return label(departmentWords, *c.text(p), lang)
	case kindIndustry:
		return label(industryWords, *c.text(p), lang)
	case kindRevenueBand:
		return label(revenueWords, *c.text(p), lang)
	case kindProvides, kindNetworkAccess:
		words := providesWords
		if c.Kind == kindNetworkAccess {
			words = networkWords
		}
		sep := "、"
		if lang == "en" {
			sep = "; "
		}
		var b strings.Builder
		for i, code := range *c.multi(p) {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(label(words, code, lang))
		}
		return b.String()
	case kindReadOnly:
		return c.out(p, lang)
	}
	return ""
}

// The cell helpers every spreadsheet adapter shares.
var (
	foldWidth    = sheetcell.FoldWidth
	normValue    = sheetcell.NormValue
	neutralize   = sheetcell.Neutralize
	unneutralize = sheetcell.Unneutralize
)
