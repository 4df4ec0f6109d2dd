package incidentxlsx

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
)

func TestWriteReport(t *testing.T) {
	items := []renkei.ReportItem{
		{Key: "outline", Label: renkei.Bilingual{JA: "概要", EN: "Outline"}, Value: "=HYPERLINK(\"http://evil\")", Hint: renkei.Bilingual{JA: "いつ", EN: "When"}},
		{Key: "persons", Label: renkei.Bilingual{JA: "本人の数", EN: "Number of persons"}, Value: "320"},
	}
	var buf bytes.Buffer
	if err := WriteReport(&buf, "INC-2026-00001 報告書案", items, "ja"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("報告書案")
	if err != nil {
		t.Fatal(err)
	}
	if rows[0][0] != "INC-2026-00001 報告書案" || rows[2][1] != "内容（案）" || rows[3][0] != "概要" || rows[4][1] != "320" {
		t.Fatalf("rows %q", rows)
	}
	if v := rows[3][1]; v == items[0].Value || v[0] == '=' {
		t.Fatalf("formula not neutralized: %q", v)
	}
	if formula, _ := f.GetCellFormula("報告書案", "B4"); formula != "" {
		t.Fatalf("a formula was written: %q", formula)
	}
}
