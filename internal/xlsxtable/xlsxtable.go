// Package xlsxtable writes a header and rows of text as a one-sheet
// workbook (excelize): the Excel counterpart of a CSV export. Every cell
// is text, so that a version such as 1.10 or an ID such as 0012 reaches
// the reader as written; the caller neutralizes text a spreadsheet could
// take for a formula, as it does for CSV.
package xlsxtable

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// MaxRows is the most data rows a sheet holds (Excel's limit, less the
// header).
const MaxRows = 1_048_575

// rowLimit is MaxRows; tests lower it.
var rowLimit = MaxRows

// Write writes the workbook to w, with the rows next gives until it
// returns a nil row. Rows past MaxRows are an error rather than a
// silently shortened file.
func Write(w io.Writer, sheet string, header []string, next func() ([]string, error)) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	values := make([]any, len(header))
	for i, h := range header {
		values[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", values); err != nil {
		return err
	}
	for n := 2; ; n++ {
		row, err := next()
		if err != nil {
			return err
		}
		if row == nil {
			break
		}
		if n > rowLimit+1 {
			return ErrTooManyRows
		}
		values = values[:0]
		for _, v := range row {
			if v == "" {
				values = append(values, nil)
			} else {
				values = append(values, v)
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, n)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, values); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// ErrTooManyRows is returned for more rows than a sheet holds.
var ErrTooManyRows = errTooMany{}

type errTooMany struct{}

func (errTooMany) Error() string { return "xlsxtable: more rows than a sheet holds" }

// Rows gives rows held in memory to Write.
func Rows(rows [][]string) func() ([]string, error) {
	return func() ([]string, error) {
		if len(rows) == 0 {
			return nil, nil
		}
		r := rows[0]
		rows = rows[1:]
		return r, nil
	}
}
