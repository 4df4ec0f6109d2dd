// Package incidentxlsx writes an incident's report draft as an XLSX
// workbook (excelize): one row per item of the report, with what the case
// says so far and a hint for what is still to write, ready to be copied
// into the regulator's form or handed to the people who file it.
package incidentxlsx

import (
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/internal/sheetcell"
)

// WriteReport writes the draft's items to w in lang ("ja" or "en").
// Values are text: a value that a spreadsheet would run as a formula is
// neutralized.
func WriteReport(w io.Writer, title string, items []renkei.ReportItem, lang string) error {
	f := excelize.NewFile()
	defer f.Close()
	sheet := "Report"
	head := []string{"Item", "Draft", "What to write"}
	if lang != "en" {
		sheet, head = "報告書案", []string{"項目", "内容（案）", "記入の手引き"}
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	wrap, err := f.NewStyle(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Color: []string{"#E8EEF6"}, Pattern: 1}})
	if err != nil {
		return err
	}
	if err := f.SetCellStr(sheet, "A1", sheetcell.Neutralize(title)); err != nil {
		return err
	}
	for i, h := range head {
		cell, _ := excelize.CoordinatesToCellName(i+1, 3)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A3", "C3", bold); err != nil {
		return err
	}
	for i, it := range items {
		row := i + 4
		for col, v := range []string{it.Label.Label(lang), it.Value, it.Hint.Label(lang)} {
			cell, _ := excelize.CoordinatesToCellName(col+1, row)
			if err := f.SetCellStr(sheet, cell, sheetcell.Neutralize(v)); err != nil {
				return err
			}
		}
	}
	last, _ := excelize.CoordinatesToCellName(3, len(items)+3)
	if err := f.SetCellStyle(sheet, "A4", last, wrap); err != nil {
		return err
	}
	for col, width := range map[string]float64{"A": 34, "B": 70, "C": 36} {
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	return f.Write(w)
}
