package partnerio

import (
	"bytes"
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	xunicode "golang.org/x/text/encoding/unicode"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/partnerio/internal/partnergen"
)

func jaEncoder() *encoding.Encoder { return japanese.ShiftJIS.NewEncoder() }

func sjis(t testing.TB, s string) []byte {
	t.Helper()
	b, err := jaEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode Shift_JIS: %v", err)
	}
	return b
}

// errSig is an ImportError without its args, for comparing.
type errSig struct {
	Row    int
	Column string
	Key    string
}

func sigs(errs []renkei.ImportError) []errSig {
	out := []errSig{}
	for _, e := range errs {
		out = append(out, errSig{e.Row, e.Column, e.Key})
	}
	return out
}

func rowNumbers(rows []renkei.ImportRow) []int {
	out := []int{}
	for _, r := range rows {
		out = append(out, r.Row)
	}
	return out
}

func mustRead(t *testing.T, data []byte, ct string) ([]renkei.ImportRow, []renkei.ImportError) {
	t.Helper()
	rows, errs, err := Read(bytes.NewReader(data), ct, 0)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	return rows, errs
}

func fileErr(t *testing.T, err error, code, key string) {
	t.Helper()
	var re *renkei.Error
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a *renkei.Error %s %s", err, code, key)
	}
	if re.Code != code || re.Key != key {
		t.Fatalf("err = %s %s, want %s %s", re.Code, re.Key, code, key)
	}
	if n, ok := keyArgs[re.Key]; !ok || n != len(re.Args) {
		t.Fatalf("err %s has %d args, want %d", re.Key, len(re.Args), n)
	}
}

var (
	cn1 = partnergen.CorporateNumber(700000000001)
	cn2 = partnergen.CorporateNumber(700000000002)
	cn3 = partnergen.CorporateNumber(700000000003)
	// cnRound is valid and ends in zeros, so that its shortened spreadsheet
	// form 1.23457E+12-style names a number with the same leading digits.
	cnRound = func() string {
		for n := 234570000000; ; n++ {
			if c := partnergen.CorporateNumber(n); c[6:] == "0000000" {
				return c
			}
		}
	}()
)

// badCorporateNumber has a wrong check digit.
func badCorporateNumber(n string) string {
	d := (n[0]-'0')%9 + 1
	return string('0'+d) + n[1:]
}

// The issue's own case: a Shift_JIS file with Japanese headers and bad rows.
func TestReadShiftJISWithBadRows(t *testing.T) {
	lines := []string{
		"取引先コード,企業名,法人番号,種別,従業員数,業種,セキュリティ担当者メール,提供するもの,社内ネットワークに到達,備考",
		"S-001,株式会社山田製作所," + cn1 + ",仕入先,120,製造業,sec@yamada.example.co.jp,直接材、ITの運用・保守,はい,",
		"S-002,東京商事株式会社," + badCorporateNumber(cn2) + ",仕入先,30,卸売業,,,いいえ,",
		"S-003,大阪工業株式会社,,顧客,10,d,,,,",
		"S-004,北海物流株式会社,,委託先,-5,運輸業,,物流,,",
		"S-005,さくらシステムズ合同会社,,外注先,8,情報通信業,taro@@example.co.jp,SaaS・クラウド,○,",
		"S-006,髙橋精機株式会社," + cn3 + ",グループ会社,\"1,200\",製造業,,,×,\"一行目",
		"二行目\"",
		"S-007,みらい株式会社,,取引先の会社,5,q,,,,",
		"",
		"Ｓ－００８,渡邉電機株式会社,,海外拠点,１，２３４,Ｄ,ＳＥＣ@ＷＡＴＡＮＡＢＥ.example.com,,有,",
	}
	data := sjis(t, strings.Join(lines, "\r\n")+"\r\n")
	if bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}) || isValidUTF8(data) {
		t.Fatal("the fixture should be Shift_JIS")
	}
	rows, errs := mustRead(t, data, "text/csv")
	want := []errSig{
		{3, "法人番号", KeyCorporateNumber},
		{4, "種別", KeyType},
		{5, "従業員数", KeyEmployees},
		{6, "セキュリティ担当者メール", KeyEmail},
		{9, "種別", KeyType},
	}
	if got := sigs(errs); !reflect.DeepEqual(got, want) {
		t.Fatalf("errors:\n got %v\nwant %v", got, want)
	}
	if got := rowNumbers(rows); !reflect.DeepEqual(got, []int{2, 7, 11}) {
		t.Fatalf("rows = %v", got)
	}
	wantCols := []string{"external_id", "company.name", "company.corporate_number", "type", "company.employees", "company.industry",
		"contacts.security.email", "profile.provides", "profile.reaches_internal_network", "notes"}
	if !reflect.DeepEqual(rows[0].Columns, wantCols) {
		t.Errorf("columns %v", rows[0].Columns)
	}
	if errs[1].Args[0] != "顧客" {
		t.Errorf("type error args = %v", errs[1].Args)
	}
	p := rows[0].Partner
	if p.ExternalID != "S-001" || p.Type != "supplier" || p.Company.CorporateNumber != cn1 || p.Company.Employees != 120 ||
		p.Company.Industry != "d" || !reflect.DeepEqual(p.Profile.Provides, []string{"direct_materials", "it_operations"}) ||
		!p.Profile.ReachesInternalNetwork || p.Company.Country != "JP" {
		t.Errorf("row 2 = %+v", p)
	}
	if p := rows[1].Partner; p.Type != "group" || p.Company.Employees != 1200 || p.Notes != "一行目\n二行目" {
		t.Errorf("row 7 = %+v", p)
	}
	if p := rows[2].Partner; p.ExternalID != "Ｓ－００８" || p.Type != "overseas" || p.Company.Employees != 1234 ||
		p.Company.Industry != "d" || p.Contacts.Security.Email != "sec@watanabe.example.com" || !p.Profile.ReachesInternalNetwork {
		t.Errorf("row 11 = %+v", p)
	}
}

func isValidUTF8(b []byte) bool { return strings.ToValidUTF8(string(b), "\ufffd") == string(b) }

func TestReadUTF8WithAndWithoutBOM(t *testing.T) {
	body := "name,type,corporate_number\n株式会社テスト🍣,supplier," + cn1 + "\n"
	for name, data := range map[string][]byte{
		"bom":    append([]byte{0xEF, 0xBB, 0xBF}, body...),
		"no bom": []byte(body),
		"crlf":   []byte(strings.ReplaceAll(body, "\n", "\r\n")),
	} {
		t.Run(name, func(t *testing.T) {
			rows, errs := mustRead(t, data, "text/csv; charset=utf-8")
			if len(errs) != 0 || len(rows) != 1 {
				t.Fatalf("rows %v errs %v", rows, errs)
			}
			if p := rows[0].Partner; p.Company.Name != "株式会社テスト🍣" || p.Type != "supplier" || rows[0].Row != 2 {
				t.Fatalf("got %+v", rows[0])
			}
		})
	}
}

func TestReadUTF16AndTabs(t *testing.T) {
	body := "企業名\t種別\t従業員数\r\nテスト株式会社\tグループ会社\t12\r\n"
	data, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.UseBOM).NewEncoder().Bytes([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	rows, errs := mustRead(t, data, "text/plain")
	if len(errs) != 0 || len(rows) != 1 || rows[0].Partner.Type != "group" || rows[0].Partner.Company.Employees != 12 {
		t.Fatalf("rows %+v errs %v", rows, errs)
	}
}

func TestReadEnglishAndMixedHeaders(t *testing.T) {
	data := "External ID, NAME ,Type,業種,Country,employees,LISTED,Web Domain,network_access,provides,Personal Data Count,incident_contact_email,インシデント連絡手順\n" +
		"X1,Acme Corp.,overseas,Manufacturing,us,\"2,000\",yes,https://Acme.example.com/,Remote maintenance; site_to_site,SaaS or cloud;it_systems,1500,CSIRT@acme.example.com,Call the SOC within 1 hour\n"
	rows, errs := mustRead(t, []byte(data), "text/csv")
	if len(errs) != 0 || len(rows) != 1 {
		t.Fatalf("rows %v errs %v", rows, errs)
	}
	p := rows[0].Partner
	want := renkei.Profile{Provides: []string{"saas", "it_systems"}, NetworkAccess: []string{"remote_maintenance", "site_to_site"},
		PersonalData: true, PersonalDataCount: 1500}
	if p.ExternalID != "X1" || p.Company.Name != "Acme Corp." || p.Type != "overseas" || p.Company.Industry != "d" ||
		p.Company.Country != "US" || p.Company.Employees != 2000 || !p.Company.Listed || p.Company.WebDomain != "acme.example.com" ||
		!reflect.DeepEqual(p.Profile, want) || p.Contacts.Incident.Email != "csirt@acme.example.com" ||
		p.Contacts.IncidentProcedure != "Call the SOC within 1 hour" {
		t.Fatalf("got %+v", p)
	}
}

func TestReadHeaderProblems(t *testing.T) {
	_, errs := mustRead(t, []byte("企業名,Foo,企業名,業種\nA社,x,B社,d\n"), "text/csv")
	want := []errSig{
		{1, "Foo", KeyUnknownColumn},
		{1, "企業名", KeyDuplicateColumn},
		{1, "種別", KeyMissingColumn},
	}
	if got := sigs(errs); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	// Blank lines before the header: rows are still lines of the file.
	rows, errs := mustRead(t, []byte("\n\nname,type\nA,group\n"), "text/csv")
	if len(errs) != 0 || len(rows) != 1 || rows[0].Row != 4 {
		t.Fatalf("rows %v errs %v", rows, errs)
	}
	// The export's read-only columns are ignored; an empty header column
	// is ignored unless it holds a value.
	rows, errs = mustRead(t, []byte("name,type,risk_score,リスク区分,,\nA,group,99,高,,\nB,group,1,低,,stray\n"), "text/csv")
	if got := sigs(errs); !reflect.DeepEqual(got, []errSig{{3, "F", KeyNoHeaderCell}}) || len(rows) != 1 {
		t.Fatalf("rows %v errs %v", rows, got)
	}
}

func TestReadCells(t *testing.T) {
	cases := []struct {
		header, cell string
		check        func(p renkei.Partner) bool
		errKey       string
	}{
		{"種別", "仕入・外注・委託先等の取引先", func(p renkei.Partner) bool { return p.Type == "supplier" }, ""},
		{"種別", "委託先", func(p renkei.Partner) bool { return p.Type == "supplier" }, ""},
		{"種別", "Group company", func(p renkei.Partner) bool { return p.Type == "group" }, ""},
		{"種別", "ｸﾞﾙｰﾌﾟ会社", func(p renkei.Partner) bool { return p.Type == "group" }, ""},
		{"種別", "customer", nil, KeyType},
		{"所管部門", "情報システム・セキュリティ部門", func(p renkei.Partner) bool { return p.Department == "it_security" }, ""},
		{"所管部門", "調達", func(p renkei.Partner) bool { return p.Department == "procurement" }, ""},
		{"所管部門", "総務", nil, KeyDepartment},
		{"業種", "k", func(p renkei.Partner) bool { return p.Company.Industry == "k" }, ""},
		{"業種", "Ｑ", func(p renkei.Partner) bool { return p.Company.Industry == "q" }, ""},
		{"業種", "学術研究、専門・技術サービス業", func(p renkei.Partner) bool { return p.Company.Industry == "k" }, ""},
		{"業種", "Wholesale and retail trade", func(p renkei.Partner) bool { return p.Company.Industry == "h" }, ""},
		{"業種", "r", nil, KeyIndustry},
		{"上場", "○", func(p renkei.Partner) bool { return p.Company.Listed }, ""},
		{"上場", "〇", func(p renkei.Partner) bool { return p.Company.Listed }, ""},
		{"上場", "TRUE", func(p renkei.Partner) bool { return p.Company.Listed }, ""},
		{"上場", "１", func(p renkei.Partner) bool { return p.Company.Listed }, ""},
		{"上場", "有", func(p renkei.Partner) bool { return p.Company.Listed }, ""},
		{"上場", "×", func(p renkei.Partner) bool { return !p.Company.Listed }, ""},
		{"上場", "いいえ", func(p renkei.Partner) bool { return !p.Company.Listed }, ""},
		{"上場", "無", func(p renkei.Partner) bool { return !p.Company.Listed }, ""},
		{"上場", "", func(p renkei.Partner) bool { return !p.Company.Listed }, ""},
		{"上場", "たぶん", nil, KeyBool},
		{"従業員数", "1,234", func(p renkei.Partner) bool { return p.Company.Employees == 1234 }, ""},
		{"従業員数", "１２３人", func(p renkei.Partner) bool { return p.Company.Employees == 123 }, ""},
		{"従業員数", "12.0", func(p renkei.Partner) bool { return p.Company.Employees == 12 }, ""},
		{"従業員数", "12.5", nil, KeyNumber},
		{"従業員数", "many", nil, KeyNumber},
		{"従業員数", "99999999999", nil, KeyNumber},
		{"従業員数", "20000000", nil, KeyEmployees},
		{"法人番号", cn1[:1] + "-" + cn1[1:5] + "-" + cn1[5:9] + "-" + cn1[9:], func(p renkei.Partner) bool { return p.Company.CorporateNumber == cn1 }, ""},
		{"法人番号", "12345", nil, KeyCorporateNumber},
		{"法人番号", cn1 + ".0", func(p renkei.Partner) bool { return p.Company.CorporateNumber == cn1 }, ""},
		{"法人番号", cn1[:1] + "." + cn1[1:] + "E+12", func(p renkei.Partner) bool { return p.Company.CorporateNumber == cn1 }, ""},
		{"法人番号", cnRound[:1] + "." + cnRound[1:6] + "E+12", nil, KeyCorporateNumber},
		{"国", "日本", func(p renkei.Partner) bool { return p.Company.Country == "JP" }, ""},
		{"国", "ベトナム", func(p renkei.Partner) bool { return p.Company.Country == "VN" }, ""},
		{"国", "ｃｎ", func(p renkei.Partner) bool { return p.Company.Country == "CN" }, ""},
		{"国", "Atlantis", nil, KeyCountry},
		{"売上規模", "10億円以上100億円未満", func(p renkei.Partner) bool { return p.Company.RevenueBand == "1b_10b" }, ""},
		{"売上規模", "ge_100b", func(p renkei.Partner) bool { return p.Company.RevenueBand == "ge_100b" }, ""},
		{"売上規模", "big", nil, KeyRevenueBand},
		{"ネットワーク接続", "なし、リモート保守", nil, KeyNetworkNoneAlone},
		{"ネットワーク接続", "衛星", nil, KeyNetworkAccess},
		{"提供するもの", "部品；クラウド", func(p renkei.Partner) bool {
			return reflect.DeepEqual(p.Profile.Provides, []string{"direct_materials", "saas"})
		}, ""},
		{"提供するもの", "部品、なにか", nil, KeyProvides},
		{"個人情報の件数", "-1", nil, KeyPersonalDataCount},
		{"Webドメイン", "not a domain", nil, KeyDomain},
		{"業務担当者メール", "no-at-sign", nil, KeyEmail},
		{"地域", strings.Repeat("あ", 101), nil, KeyTooLong},
		{"業務担当者名", "山田\u202e太郎", nil, KeyBadChars},
		{"備考", "a\u202eb", nil, KeyBadChars},
		{"備考", "一行目\n\t二行目", func(p renkei.Partner) bool { return p.Notes == "一行目\n\t二行目" }, ""},
		{"備考", strings.Repeat("x", MaxCellRunes+1), nil, KeyTooLong},
		{"備考", "'=1+1", func(p renkei.Partner) bool { return p.Notes == "=1+1" }, ""},
		{"備考", "'hello", func(p renkei.Partner) bool { return p.Notes == "'hello" }, ""},
		{"備考", "''@x", func(p renkei.Partner) bool { return p.Notes == "'@x" }, ""},
	}
	for _, tc := range cases {
		t.Run(tc.header+"="+shown(tc.cell), func(t *testing.T) {
			var b strings.Builder
			b.WriteString("企業名,種別")
			if tc.header != "種別" {
				b.WriteString("," + tc.header)
			}
			b.WriteString("\nテスト株式会社,")
			cell := `"` + strings.ReplaceAll(tc.cell, `"`, `""`) + `"`
			if tc.header == "種別" {
				b.WriteString(cell)
			} else {
				b.WriteString("グループ会社," + cell)
			}
			b.WriteString("\n")
			rows, errs := mustRead(t, []byte(b.String()), "text/csv")
			if tc.errKey != "" {
				if len(rows) != 0 || len(errs) != 1 || errs[0].Key != tc.errKey || errs[0].Column != tc.header || errs[0].Row != 2 {
					t.Fatalf("want %s at %s: rows %v errs %+v", tc.errKey, tc.header, rows, errs)
				}
				return
			}
			if len(errs) != 0 || len(rows) != 1 {
				t.Fatalf("errs %+v", errs)
			}
			if !tc.check(rows[0].Partner) {
				t.Fatalf("got %+v", rows[0].Partner)
			}
		})
	}
}

func TestReadRequiredAndDuplicates(t *testing.T) {
	data := "取引先コード,企業名,種別,法人番号\n" +
		"A1,一社,仕入先," + cn1 + "\n" +
		"A1,二社,仕入先,\n" +
		"A3,三社,仕入先," + cn1[:1] + "-" + cn1[1:] + "\n" +
		",,仕入先,\n" +
		"A5,五社,,\n" +
		",,,\n" +
		"A6,六社,グループ会社," + cn2 + "\n"
	rows, errs := mustRead(t, []byte(data), "text/csv")
	want := []errSig{
		{3, "取引先コード", KeyDuplicate},
		{4, "法人番号", KeyDuplicate},
		{5, "企業名", KeyRequired},
		{6, "種別", KeyRequired},
	}
	if got := sigs(errs); !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v want %v", got, want)
	}
	if errs[0].Args[0] != 2 || errs[1].Args[0] != 2 {
		t.Errorf("duplicate args %v %v", errs[0].Args, errs[1].Args)
	}
	if got := rowNumbers(rows); !reflect.DeepEqual(got, []int{2, 8}) {
		t.Fatalf("rows %v", got)
	}
}

func TestReadFileErrors(t *testing.T) {
	big := strings.Repeat("x", 2000)
	cases := []struct {
		name, ct string
		data     []byte
		max      int64
		code     string
		key      string
	}{
		{"empty", "text/csv", nil, 0, renkei.EINVALID, KeyEmpty},
		{"blank lines", "text/csv", []byte("\n\n,,\n"), 0, renkei.EINVALID, KeyEmpty},
		{"bom only", "text/csv", []byte{0xEF, 0xBB, 0xBF}, 0, renkei.EINVALID, KeyEmpty},
		{"header only", "text/csv", []byte("企業名,種別\r\n"), 0, renkei.EINVALID, KeyHeaderOnly},
		{"header and blanks", "text/csv", []byte("企業名,種別\n,\n\n"), 0, renkei.EINVALID, KeyHeaderOnly},
		{"no header", "text/csv", []byte("株式会社A,仕入先\n株式会社B,仕入先\n"), 0, renkei.EINVALID, KeyNoHeader},
		{"bare quote", "text/csv", []byte("name,type\nA\"B,group\n"), 0, renkei.EINVALID, KeyMalformedCSV},
		{"unclosed quote", "text/csv", []byte("name,type\n\"A,group\n"), 0, renkei.EINVALID, KeyMalformedCSV},
		{"too large", "text/csv", []byte("name,type\n" + big), 1000, renkei.ETOOLARGE, KeyTooLarge},
		{"not shift_jis", "text/csv", []byte("name,type\n\xff\xfe\xfd,group\n"), 0, renkei.EINVALID, KeyEncoding},
		{"utf-8 with a stray byte", "text/csv", []byte("企業名,種別\nテスト\xff,仕入先\n"), 0, renkei.EINVALID, KeyEncoding},
		{"bom then bad utf-8", "text/csv", []byte("\xEF\xBB\xBFname,type\n\xff,group\n"), 0, renkei.EINVALID, KeyEncoding},
		{"corrupt xlsx", ContentTypeXLSX, []byte("PK\x03\x04 this is not a zip"), 0, renkei.EINVALID, KeyCorruptXLSX},
		{"xlsx type, csv body", ContentTypeXLSX, []byte("name,type\nA,group\n"), 0, renkei.EINVALID, KeyCorruptXLSX},
		{"xls", "application/vnd.ms-excel", []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest"), 0, renkei.EINVALID, KeyXLS},
		{"pdf", "application/pdf", []byte("%PDF"), 0, renkei.EINVALID, KeyContentType},
		{"no type", "", []byte("name,type\nA,group\n"), 0, renkei.EINVALID, KeyContentType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rows, errs, err := Read(bytes.NewReader(tc.data), tc.ct, tc.max)
			if rows != nil || errs != nil {
				t.Fatalf("rows %v errs %v with a file error", rows, errs)
			}
			fileErr(t, err, tc.code, tc.key)
		})
	}
	t.Run("line of a malformed row", func(t *testing.T) {
		_, _, err := Read(strings.NewReader("name,type\nA,group\nB,group\nC\"D,group\n"), "text/csv", 0)
		fileErr(t, err, renkei.EINVALID, KeyMalformedCSV)
		if line := err.(*renkei.Error).Args[0]; line != 4 {
			t.Fatalf("line %v", line)
		}
	})
	t.Run("line of an undecodable byte", func(t *testing.T) {
		_, _, err := Read(strings.NewReader("企業名,種別\nテスト,仕入先\n株式会社\xff,仕入先\n"), "text/csv", 0)
		fileErr(t, err, renkei.EINVALID, KeyEncoding)
		if line := err.(*renkei.Error).Args[0]; line != 3 {
			t.Fatalf("line %v", line)
		}
	})
	t.Run("exactly max bytes", func(t *testing.T) {
		data := "name,type\nA,group\n"
		if _, _, err := Read(strings.NewReader(data), "text/csv", int64(len(data))); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("octet-stream sniffed", func(t *testing.T) {
		rows, _, err := Read(strings.NewReader("name,type\nA,group\n"), "application/octet-stream", 0)
		if err != nil || len(rows) != 1 {
			t.Fatal(err)
		}
	})
}

func TestReadTooManyRows(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("name,type\n")
	for i := 0; i <= MaxRows; i++ {
		b.WriteString("A,g\n")
	}
	_, _, err := Read(bytes.NewReader(b.Bytes()), "text/csv", 0)
	fileErr(t, err, renkei.ETOOLARGE, KeyTooManyRows)

	// MaxRows rows are fine (every one in error here: g is no type), and
	// the errors stop at MaxErrors.
	b.Reset()
	b.WriteString("name,type\n")
	for i := 0; i < MaxRows; i++ {
		b.WriteString("A,g\n")
	}
	rows, errs, err := Read(bytes.NewReader(b.Bytes()), "text/csv", 0)
	if err != nil || len(rows) != 0 || len(errs) != MaxErrors+1 || errs[MaxErrors].Key != KeyTooManyErrs || errs[MaxErrors].Row != MaxErrors+2 {
		t.Fatalf("err %v rows %d errs %d", err, len(rows), len(errs))
	}
}

// xlsxFile builds a workbook with excelize's ordinary (non-stream) API, the
// way a user's Excel file has typed cells.
func xlsxFile(t *testing.T, build func(f *excelize.File)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	build(f)
	var b bytes.Buffer
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// typedWorkbook has typed cells (numbers, booleans), an instructions
// sheet before the partner sheet, an empty row and hostile text.
func typedWorkbook(f *excelize.File) {
	cnum, _ := strconv.ParseInt(cn1, 10, 64)
	// An instructions sheet first; the partner sheet is found by name.
	f.SetCellValue("Sheet1", "A1", "取り込み方法: 2枚目のシートに入力してください")
	f.NewSheet("取引先")
	rows := [][]any{
		{"取引先コード", "企業名", "法人番号", "種別", "従業員数", "上場", "備考", "業種"},
		{"V1", "株式会社エクセル", cnum, "仕入先", 1500, true, "'=HYPERLINK(\"http://x\")", "製造業"},
		{},
		{"V2", "グループ株式会社", nil, "グループ会社", -3, false, nil, "d"},
		{"V3", "=cmd|' /C calc'!A0", nil, "海外拠点", 7.0, "はい", "@SUM(A1)", "f"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("取引先", cell, &r); err != nil {
			panic(err)
		}
	}
}

func TestReadXLSX(t *testing.T) {
	data := xlsxFile(t, typedWorkbook)
	rows, errs := mustRead(t, data, ContentTypeXLSX)
	if got := sigs(errs); !reflect.DeepEqual(got, []errSig{{4, "従業員数", KeyEmployees}}) {
		t.Fatalf("errs %v", got)
	}
	if got := rowNumbers(rows); !reflect.DeepEqual(got, []int{2, 5}) {
		t.Fatalf("rows %v", got)
	}
	p := rows[0].Partner
	if p.Company.CorporateNumber != cn1 || p.Company.Employees != 1500 || !p.Company.Listed || p.Notes != `=HYPERLINK("http://x")` || p.Type != "supplier" {
		t.Fatalf("row 2 %+v", p)
	}
	p = rows[1].Partner
	if p.Company.Name != "=cmd|' /C calc'!A0" || p.Company.Employees != 7 || p.Notes != "@SUM(A1)" || p.Company.Industry != "f" {
		t.Fatalf("row 5 %+v", p)
	}
}

func TestReadXLSXFirstSheetAndErrors(t *testing.T) {
	data := xlsxFile(t, func(f *excelize.File) {
		f.SetSheetRow("Sheet1", "A1", &[]any{"name", "type"})
	})
	_, _, err := Read(bytes.NewReader(data), ContentTypeXLSX, 0)
	fileErr(t, err, renkei.EINVALID, KeyHeaderOnly)

	data = xlsxFile(t, func(f *excelize.File) {})
	_, _, err = Read(bytes.NewReader(data), ContentTypeXLSX, 0)
	fileErr(t, err, renkei.EINVALID, KeyEmpty)

	// Truncated: the zip's central directory is gone.
	data = xlsxFile(t, func(f *excelize.File) { f.SetSheetRow("Sheet1", "A1", &[]any{"name", "type"}) })
	_, _, err = Read(bytes.NewReader(data[:len(data)/2]), ContentTypeXLSX, 0)
	fileErr(t, err, renkei.EINVALID, KeyCorruptXLSX)

	// An XLSX sent as text/csv is still read as XLSX.
	data = xlsxFile(t, func(f *excelize.File) {
		f.SetSheetRow("Sheet1", "A1", &[]any{"name", "type"})
		f.SetSheetRow("Sheet1", "A2", &[]any{"A", "group"})
	})
	rows, _, err := Read(bytes.NewReader(data), "text/csv", 0)
	if err != nil || len(rows) != 1 {
		t.Fatalf("rows %v err %v", rows, err)
	}
}

// TestReadContactLanguage: the contact's language column sets the language
// of the mail written to the contact; another value is an error at its cell.
func TestReadContactLanguage(t *testing.T) {
	data := "name,type,security_contact_email,セキュリティ担当者の言語,business_contact_language\n" +
		"英語株式会社,supplier,sec@en.example.com,en,\n" +
		"仏語株式会社,supplier,sec@fr.example.com,fr,ja\n"
	rows, errs := mustRead(t, []byte(data), "text/csv")
	if len(rows) != 1 || rows[0].Partner.Contacts.Security.Locale != "en" || rows[0].Partner.Contacts.Business.Locale != "ja" {
		t.Fatalf("rows %+v", rows)
	}
	if len(errs) != 1 || errs[0].Row != 3 || errs[0].Column != "セキュリティ担当者の言語" {
		t.Fatalf("errors %+v", errs)
	}
}
