package partnerio

import (
	"bytes"
	"io"

	"github.com/xuri/excelize/v2"
)

// Reading XLSX goes through the spreadsheet library (excelize): its row
// iterator streams the worksheet, so a large file is not held as cells in
// memory twice. The partner sheet is the one named 取引先 or Partners, else
// the first worksheet.

// minUnzip is the least uncompressed size a workbook may have, whatever
// its file size (a variable for the tests).
var minUnzip int64 = 256 << 20

// unzipLimit is how many uncompressed bytes a workbook of at most maxBytes
// may hold. Worksheet XML compresses 10–20× (the 100,000-partner export
// 11×); the limit keeps a zip bomb from running for long.
func unzipLimit(maxBytes int64) int64 { return min(max(maxBytes*20, minUnzip), 2<<30) }

// sheetReader yields the rows of the partner sheet: the sheet's row number
// and its cells as raw values (numbers unformatted).
type sheetReader struct {
	f    *excelize.File
	rows *excelize.Rows
	row  int
}

// openXLSX opens the workbook and finds the partner sheet.
func openXLSX(data []byte, maxBytes int64) (src *sheetReader, err error) {
	defer func() {
		if recover() != nil { // the library panics on some corrupt parts
			src, err = nil, errCorrupt
		}
	}()
	limit := unzipLimit(maxBytes)
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: min(limit, 256<<20)})
	if err != nil {
		return nil, errCorrupt
	}
	sheet := ""
	for _, name := range f.GetSheetList() {
		if n := normHeader(name); n == "取引先" || n == "partners" {
			sheet = name
			break
		}
		if sheet == "" {
			sheet = name
		}
	}
	if sheet == "" {
		f.Close()
		return nil, errCorrupt
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, errCorrupt
	}
	return &sheetReader{f: f, rows: rows}, nil
}

func (s *sheetReader) close() {
	s.rows.Close()
	s.f.Close()
}

func (s *sheetReader) next() (row int, cells []string, err error) {
	defer func() {
		if recover() != nil {
			row, cells, err = 0, nil, errCorrupt
		}
	}()
	if !s.rows.Next() {
		if s.rows.Error() != nil {
			return 0, nil, errCorrupt
		}
		return 0, nil, io.EOF
	}
	s.row++
	cells, err = s.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return 0, nil, errCorrupt
	}
	return s.row, cells, nil
}
