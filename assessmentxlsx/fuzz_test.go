package assessmentxlsx

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
)

// FuzzRead starts from the workbooks in testdata/fuzz/FuzzRead (written
// by TestWriteFuzzSeeds). Whatever the bytes, Read does not panic, and
// returns either a coded whole-file error or answers that pass
// CheckAnswer and cell errors with a known key.
func FuzzRead(f *testing.F) {
	tm := kindsTemplate(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, answers, errs, err := Read(bytes.NewReader(data), tm, 1<<20)
		if err != nil {
			var re *renkei.Error
			if !asError(err, &re) {
				t.Fatalf("uncoded error %v", err)
			}
			if n, ok := keyArgs[re.Key]; !ok || n != len(re.Args) {
				t.Fatalf("error %s with args %v", re.Key, re.Args)
			}
			if answers != nil || errs != nil {
				t.Fatal("answers or errors with a file error")
			}
			return
		}
		for ref, a := range answers {
			q, ok := tm.Question(ref)
			if !ok {
				t.Fatalf("answer to unknown question %q", ref)
			}
			if err := tm.CheckAnswer(q, a); err != nil {
				t.Fatalf("answer %s %+v: %v", ref, a, err)
			}
		}
		if len(errs) > MaxErrors+1 {
			t.Fatalf("%d errors", len(errs))
		}
		for _, e := range errs {
			if n, ok := keyArgs[e.Key]; !ok || n != len(e.Args) || e.Cell == "" {
				t.Fatalf("cell error %+v", e)
			}
		}
	})
}

func TestWriteFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzRead")
	if os.Getenv("ASSESSMENTXLSX_WRITE_SEEDS") != "1" {
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) == 0 {
			t.Fatalf("no fuzz seeds in %s (run with ASSESSMENTXLSX_WRITE_SEEDS=1): %v", dir, err)
		}
		return
	}
	tm := kindsTemplate(t)
	seeds := map[string][]byte{
		"export-ja": write(t, tm, kindsAnswers(), "ja"),
		"empty-en":  write(t, tm, nil, "en"),
		"filled": edit(t, write(t, tm, nil, "ja"), func(f *excelize.File, sheet string) {
			for cell, v := range map[string]any{
				"D9": "該当しない", "D10": "たぶん", "E10": "備考", "D11": "中", "D12": "fw、多要素認証",
				"D13": "１，２３４", "D14": "2026-13-40", "D15": "=1+1", "E16": "x", "B17": "99", "B18": "",
			} {
				f.SetCellValue(sheet, cell, v)
			}
		}),
	}
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

// TestWorkbookLayout checks what a partner sees: the drop-downs, the
// validation, the hidden sheets and the frozen header.
func TestWorkbookLayout(t *testing.T) {
	tm := kindsTemplate(t)
	f, err := excelize.OpenReader(bytes.NewReader(write(t, tm, kindsAnswers(), "ja")))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 3 || got[0] != sheetJA {
		t.Fatalf("sheets %v", got)
	}
	for _, s := range []string{sheetLists, sheetMeta} {
		if v, _ := f.GetSheetVisible(s); v {
			t.Errorf("%s is visible", s)
		}
	}
	dvs, err := f.GetDataValidations(sheetJA)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, dv := range dvs {
		for _, c := range strings.Fields(dv.Sqref) {
			kinds[c] = dv.Type
		}
	}
	// 1, 2, 9 yes/no; 3 single; 5 number; 6 date.
	for cell, typ := range map[string]string{"D9": "list", "D10": "list", "D11": "list", "D13": "decimal", "D14": "date", "D17": "list"} {
		if kinds[cell] != typ {
			t.Errorf("%s: validation %q, want %q", cell, kinds[cell], typ)
		}
	}
	if _, ok := kinds["D12"]; ok {
		t.Error("multiple choice has a drop-down")
	}
	// The yes/no list of question 2 (na not allowed) has four answers,
	// question 1's five.
	for cell, n := range map[string]int{"D9": 5, "D10": 4} {
		for _, dv := range dvs {
			if strings.Contains(" "+dv.Sqref+" ", " "+cell+" ") && !strings.HasSuffix(dv.Formula1, "$"+itoa(n)) {
				t.Errorf("%s: list %s", cell, dv.Formula1)
			}
		}
	}
	if v, _ := f.GetCellValue(sheetLists, "A5"); v != "該当しない" {
		t.Errorf("list %q", v)
	}
	panes, err := f.GetPanes(sheetJA)
	if err != nil || !panes.Freeze || panes.YSplit != headerRow {
		t.Errorf("panes %+v %v", panes, err)
	}
	if v, _ := f.GetCellValue(sheetJA, "F17"); !strings.Contains(v, "「2」の回答が はい・一部 の場合のみ回答") {
		t.Errorf("condition %q", v)
	}
	if v, _ := f.GetCellValue(sheetJA, "F9"); !strings.HasPrefix(v, "必須") {
		t.Errorf("required %q", v)
	}
	if v, _ := f.GetCellValue(sheetJA, "D14"); v != "2026-03-31" {
		t.Errorf("date shown as %q", v)
	}
}
