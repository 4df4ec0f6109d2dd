package partnerio

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
)

// Damaged workbooks are refused as a whole, with a clear error, and
// nothing is read from them.
func TestXLSXRefusesMalformed(t *testing.T) {
	for name, sheet := range map[string]string{
		"rows going back":    `<row r="2"><c r="A2"><v>1</v></c></row><row r="1"><c r="A1"><v>1</v></c></row>`,
		"row past the limit": `<row r="1048577"><c r="A1"><v>1</v></c></row>`,
		"column past XFD":    `<row r="1"><c r="XFE1"><v>1</v></c></row>`,
		"bad shared string":  `<row r="1"><c r="A1" t="s"><v>99</v></c></row>`,
		"unknown entity":     `<row r="1"><c r="A1" t="inlineStr"><is><t>&nbsp;</t></is></c></row>`,
		"unclosed":           `<row r="1"><c r="A1"><v>1</v>`,
		"mismatched end":     `<row r="1"><c r="A1"><v>1</t></c></row>`,
		"doctype":            `<!DOCTYPE x [<!ENTITY a "b">]><row r="1"/>`,
	} {
		t.Run(name, func(t *testing.T) {
			data := storedXLSX(t, "Sheet1", sheet, `<si><t>x</t></si>`)
			rows, _, err := Read(bytes.NewReader(data), ContentTypeXLSX, 0)
			if err == nil || len(rows) > 0 || renkei.ErrorCode(err) != renkei.EINVALID {
				t.Fatalf("accepted: %d rows, %v", len(rows), err)
			}
		})
	}
}

// A zip bomb: a workbook whose parts unzip to more than the limit is
// refused before they are read.
func TestXLSXUnzipLimit(t *testing.T) {
	data := xlsxFile(t, func(f *excelize.File) {
		sw, _ := f.NewStreamWriter("Sheet1")
		sw.SetRow("A1", []any{"name", "type", "notes"})
		for i := 2; i < 2000; i++ {
			cell, _ := excelize.CoordinatesToCellName(1, i)
			sw.SetRow(cell, []any{"A", "group", strings.Repeat("x", 2000)})
		}
		sw.Flush()
	})
	if rows, _, err := Read(bytes.NewReader(data), ContentTypeXLSX, int64(len(data))); err != nil || len(rows) != 1998 {
		t.Fatalf("within the limit: %d rows, %v", len(rows), err)
	}
	defer func(m int64) { minUnzip = m }(minUnzip)
	minUnzip = 100_000 // now the limit is 20 × the file size, and the sheet unzips to ~4 MB
	_, _, err := Read(bytes.NewReader(data), ContentTypeXLSX, int64(len(data)))
	fileErr(t, err, renkei.EINVALID, KeyCorruptXLSX)
}
