package partnerio

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

// checkRead is the property both fuzz tests hold Read to: it does not
// panic, and it either fails with a coded error or returns rows whose
// partners validate and errors whose messages exist.
func checkRead(t *testing.T, data []byte, ct string) {
	rows, errs, err := Read(bytes.NewReader(data), ct, 1<<20)
	if err != nil {
		var re *renkei.Error
		if !errors.As(err, &re) {
			t.Fatalf("uncoded error %v", err)
		}
		if n, ok := keyArgs[re.Key]; !ok || n != len(re.Args) {
			t.Fatalf("error %s with args %v", re.Key, re.Args)
		}
		if rows != nil || errs != nil {
			t.Fatal("rows or errors with a file error")
		}
		return
	}
	if len(rows) > MaxRows || len(errs) > MaxErrors+1 {
		t.Fatalf("%d rows, %d errors", len(rows), len(errs))
	}
	last := 0
	for _, r := range rows {
		if r.Row <= last {
			t.Fatalf("row %d after %d", r.Row, last)
		}
		last = r.Row
		p := r.Partner
		if err := p.Validate(); err != nil {
			t.Fatalf("row %d does not validate: %v (%+v)", r.Row, err, r.Partner)
		}
		if p.Company.Name == "" || p.Type == "" {
			t.Fatalf("row %d lacks name or type", r.Row)
		}
	}
	for _, e := range errs {
		if n, ok := keyArgs[e.Key]; !ok || n != len(e.Args) {
			t.Fatalf("import error %s with args %v", e.Key, e.Args)
		}
		if e.Row < 1 {
			t.Fatalf("import error on row %d", e.Row)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"name,type\nA,group\n",
		"企業名,種別,法人番号,従業員数\n株式会社A,仕入先,1234567890123,\"1,234\"\n",
		"\xEF\xBB\xBFname,type,notes\nA,supplier,\"multi\nline\"\n",
		"name,type\n\"A,group\n",
		"name\ttype\nA\tgroup\n",
		"name,type,provides,network_access\nA,group,saas;bpo,none\n",
		"name,type\n'=1+1,group\n",
	} {
		f.Add([]byte(s))
	}
	f.Add(sjisBytes("企業名,種別,業種\n山田製作所,委託先,製造業\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data, "text/csv")
	})
}

// FuzzReadXLSX starts from the small workbooks in
// testdata/fuzz/FuzzReadXLSX (written by TestWriteFuzzSeeds).
func FuzzReadXLSX(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		checkRead(t, data, ContentTypeXLSX)
	})
}

func sjisBytes(s string) []byte {
	b, err := jaEncoder().Bytes([]byte(s))
	if err != nil {
		panic(err)
	}
	return b
}

// TestWriteFuzzSeeds rewrites the committed XLSX fuzz seeds when
// PARTNERIO_WRITE_SEEDS=1; otherwise it checks they are there.
func TestWriteFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzReadXLSX")
	if os.Getenv("PARTNERIO_WRITE_SEEDS") != "1" {
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) == 0 {
			t.Fatalf("no XLSX fuzz seeds in %s (run with PARTNERIO_WRITE_SEEDS=1): %v", dir, err)
		}
		return
	}
	ps := variedPartners(t, 2, true)
	seeds := map[string][]byte{}
	var xb bytes.Buffer
	if err := WriteXLSX(&xb, SliceSource(ps[len(ps)-3:]), "ja"); err != nil {
		t.Fatal(err)
	}
	seeds["export-ja"] = xb.Bytes()
	seeds["typed-cells"] = xlsxFile(t, typedWorkbook)
	seeds["minimal-stored"] = minimalXLSX(t)
	write(t, dir, seeds)

	var csvExport bytes.Buffer
	if err := WriteCSV(&csvExport, SliceSource(ps[:2]), "ja", EncodingShiftJIS); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join("testdata", "fuzz", "FuzzReadCSV"), map[string][]byte{
		"export-shift-jis": csvExport.Bytes(),
		"bad-rows":         []byte("取引先コード,企業名,法人番号,種別,従業員数\nA,B社,1234567890123,顧客,-5\nA,C社,,仕入先,\"1,2\"\n"),
		"utf16":            []byte("\xff\xfen\x00a\x00m\x00e\x00\t\x00t\x00y\x00p\x00e\x00\n\x00A\x00\t\x00g\x00r\x00o\x00u\x00p\x00"),
	})
}

func write(t *testing.T, dir string, seeds map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range seeds {
		var b strings.Builder
		b.WriteString("go test fuzz v1\n[]byte(")
		b.WriteString(fmt.Sprintf("%q", data))
		b.WriteString(")\n")
		if err := os.WriteFile(filepath.Join(dir, name), []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// minimalXLSX is the smallest workbook Read accepts, its parts stored
// uncompressed and without checksums, so that the fuzzer's mutations reach
// the XML instead of breaking the compression.
func minimalXLSX(t *testing.T) []byte {
	t.Helper()
	sst := `<si><t>企業名</t></si><si><t>種別</t></si><si><t>法人番号</t></si><si><t>仕入先</t></si>`
	sheet := `<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="inlineStr"><is><t>従業員数</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>山田製作所</t></is></c><c r="B2" t="s"><v>3</v></c><c r="C2"><v>` + cn1 + `</v></c><c r="D2"><v>12</v></c></row>` +
		`<row r="4"><c r="A4" t="inlineStr"><is><t>'=1+1</t></is></c><c r="B4" t="s"><v>3</v></c><c r="D4" t="b"><v>1</v></c></row>`
	data := storedXLSX(t, "取引先", sheet, sst)
	rows, errs, err := Read(bytes.NewReader(data), ContentTypeXLSX, 0)
	if err != nil || len(rows) != 2 || len(errs) != 0 || rows[1].Partner.Company.Name != "=1+1" {
		t.Fatalf("the minimal workbook reads as rows %+v errs %+v err %v", rows, errs, err)
	}
	return data
}

// storedXLSX builds a workbook of one sheet from the XML inside its
// <sheetData> and, unless empty, inside its <sst>.
func storedXLSX(t testing.TB, sheetName, sheetData, sst string) []byte {
	t.Helper()
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	const rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	parts := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
			`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
			`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
		{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8"?><workbook ` + ns + ` xmlns:r="` + rel + `">` +
			`<sheets><sheet name="` + sheetName + `" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/>` +
			`<Relationship Id="rId2" Type="` + rel + `/sharedStrings" Target="sharedStrings.xml"/></Relationships>`},
		{"xl/sharedStrings.xml", `<?xml version="1.0" encoding="UTF-8"?><sst ` + ns + `>` + sst + `</sst>`},
		{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8"?><worksheet ` + ns + `><sheetData>` + sheetData + `</sheetData></worksheet>`},
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Store,
			CompressedSize64: uint64(len(p.body)), UncompressedSize64: uint64(len(p.body))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
