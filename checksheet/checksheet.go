// Package checksheet turns an organization's own Excel checksheet into a
// Renkei template (an adapter: core model in, XLSX through excelize).
//
// The flow is two calls. Inspect lists the workbook's sheets with their
// first rows and a guessed header row and column mapping, so that a user
// can pick the sheet and the columns. Convert reads the data rows under
// the chosen Mapping and returns a template of kind "org", or the problems
// found, each with its cell reference ("C12") and a message key of
// i18n/messages/checksheet.{ja,en}.json. docs/checksheet-import.md
// describes what is recognized.
package checksheet

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"unicode"

	"github.com/renkei/renkei"
	"github.com/xuri/excelize/v2"
)

// Limits.
const (
	// DefaultMaxBytes is the largest workbook read (20 MiB); a larger or
	// non-positive maxBytes is lowered to it.
	DefaultMaxBytes = 20 << 20
	// MaxQuestions is the most questions a checksheet may have.
	MaxQuestions = renkei.MaxTemplateQuestions
	// MaxErrors is the most CellErrors Convert returns; past it one more
	// with KeyTooManyErrors says that some were left out.
	MaxErrors = 200
	// PreviewRows and PreviewCols bound the preview of each sheet.
	PreviewRows = 10
	PreviewCols = 30
	// MaxSheets is the most sheets Inspect lists.
	MaxSheets = 100
	// previewRunes bounds a previewed cell's text.
	previewRunes = 100
)

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

	errCorrupt = renkei.Errorf(renkei.EINVALID, KeyCorrupt)
)

// unzipLimit bounds the uncompressed size of a workbook of maxBytes, so
// that a zip bomb is refused early.
func unzipLimit(maxBytes int64) int64 { return min(max(maxBytes*20, 16<<20), 512<<20) }

// readAll reads the workbook and opens it, refusing what is too large,
// empty, not an XLSX (a legacy .xls, a CSV) or corrupt.
func readAll(r io.Reader, maxBytes int64) (f *excelize.File, err error) {
	if maxBytes <= 0 || maxBytes > DefaultMaxBytes {
		maxBytes = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, err
	}
	switch {
	case int64(len(data)) > maxBytes:
		return nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeText(maxBytes))
	case len(data) == 0:
		return nil, renkei.Errorf(renkei.EINVALID, KeyEmpty)
	case bytes.HasPrefix(data, oleMagic):
		// A legacy .xls, or an XLSX encrypted with a password.
		return nil, renkei.Errorf(renkei.EINVALID, KeyXLS)
	case !bytes.HasPrefix(data, zipMagic):
		return nil, renkei.Errorf(renkei.EINVALID, KeyNotXLSX)
	}
	defer func() {
		if recover() != nil { // the library panics on some corrupt parts
			f, err = nil, errCorrupt
		}
	}()
	limit := unzipLimit(maxBytes)
	f, err = excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: limit, UnzipXMLSizeLimit: min(limit, 64<<20)})
	if err != nil {
		if strings.Contains(err.Error(), "size limit") || strings.Contains(err.Error(), "exceeds") {
			return nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeText(maxBytes))
		}
		return nil, errCorrupt
	}
	if len(f.GetSheetList()) == 0 {
		f.Close()
		return nil, errCorrupt
	}
	return f, nil
}

func sizeText(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return itoa(int(n>>20)) + " MiB"
	}
	return itoa(int(n)) + " bytes"
}

// rowReader yields the rows of one sheet: the row number and the cells.
type rowReader struct {
	rows *excelize.Rows
	row  int
	raw  bool
}

func openRows(f *excelize.File, sheet string, raw bool) (rr *rowReader, err error) {
	defer func() {
		if recover() != nil {
			rr, err = nil, errCorrupt
		}
	}()
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, errCorrupt
	}
	return &rowReader{rows: rows, raw: raw}, nil
}

func (r *rowReader) close() { r.rows.Close() }

// next returns the next row, io.EOF after the last.
func (r *rowReader) next() (row int, cells []string, err error) {
	defer func() {
		if recover() != nil {
			row, cells, err = 0, nil, errCorrupt
		}
	}()
	if !r.rows.Next() {
		if r.rows.Error() != nil {
			return 0, nil, errCorrupt
		}
		return 0, nil, io.EOF
	}
	r.row++
	cells, err = r.rows.Columns(excelize.Options{RawCellValue: r.raw})
	if err != nil {
		return 0, nil, errCorrupt
	}
	return r.row, cells, nil
}

// foldWidth turns full-width ASCII (ＡＢ１２) and the ideographic space
// into their plain forms.
func foldWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= '！' && r <= '～':
			return r - 0xfee0
		case r == '\u3000':
			return ' '
		}
		return r
	}, s)
}

// unsafeText reports a control character (other than line breaks and tabs
// where multiline) or a character that changes the direction of text or
// hides itself, as the template rules refuse them.
func unsafeText(s string, multiline bool) bool {
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t' || r == '\r'):
		case unicode.IsControl(r),
			r == '\u061c', r == '\u200e', r == '\u200f',
			r >= '\u202a' && r <= '\u202e',
			r >= '\u2066' && r <= '\u2069',
			r == '\ufeff', r == '\ufffd':
			return true
		}
	}
	return false
}

func itoa(n int) string { return strconv.Itoa(n) }
