package partnerio

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"

	"github.com/renkei/renkei"
)

// CSV encodings WriteCSV writes.
const (
	EncodingUTF8     = "utf-8"     // with a BOM, so that Excel recognizes it
	EncodingShiftJIS = "shift_jis" // CP932, what Excel in Japan reads by default
)

// MaxExportRows is the most partners WriteXLSX writes: a sheet's row limit
// less the header.
const MaxExportRows = 1_048_575

// SliceSource yields the partners of a slice, for WriteCSV and WriteXLSX.
func SliceSource(ps []renkei.Partner) func() (*renkei.Partner, bool, error) {
	i := 0
	return func() (*renkei.Partner, bool, error) {
		if i >= len(ps) {
			return nil, false, nil
		}
		i++
		return &ps[i-1], true, nil
	}
}

func exportLang(lang string) (string, error) {
	switch lang {
	case "ja", "en":
		return lang, nil
	}
	return "", renkei.Errorf(renkei.EINVALID, KeyExportLang, shown(lang))
}

func headerRow(lang string) []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.Header(lang)
	}
	return out
}

// WriteCSV writes partners as CSV with headers in lang ("ja" or "en"):
// UTF-8 with a BOM, or Shift_JIS (CP932) without one; lines end in CRLF.
// next yields the partners one by one: (p, true, nil) for each, then
// (nil, false, nil); an error stops the export and is returned.
//
// Cells that a spreadsheet could take for a formula are neutralized (see
// the package documentation). In Shift_JIS a character the encoding cannot
// hold (emoji, some rare kanji) is an error naming the line and column
// (KeyUnencodable, EINVALID) rather than a silent replacement, which would
// change the data on re-import. WriteCSV writes as it goes (through a
// 64 KiB buffer), so part of the file may have reached w before an error:
// callers that must answer with a clean error write to a buffer or
// temporary file first, or offer UTF-8 or XLSX, which hold every character.
func WriteCSV(w io.Writer, next func() (*renkei.Partner, bool, error), lang, enc string) error {
	lang, err := exportLang(lang)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var out io.Writer = bw
	var check *runeCheck
	switch strings.ToLower(strings.ReplaceAll(enc, "-", "_")) {
	case "utf_8", "utf8", "":
		if _, err := bw.WriteString("\ufeff"); err != nil {
			return err
		}
	case "shift_jis", "sjis", "cp932", "windows_31j", "ms932":
		out = transform.NewWriter(bw, japanese.ShiftJIS.NewEncoder())
		check = &runeCheck{enc: japanese.ShiftJIS.NewEncoder(), ok: map[rune]bool{}}
	default:
		return renkei.Errorf(renkei.EINVALID, KeyExportEnc, shown(enc))
	}
	cw := csv.NewWriter(out)
	cw.UseCRLF = true
	line := 1
	record := headerRow(lang)
	write := func() error {
		for i, v := range record {
			if check == nil || isASCII(v) {
				continue
			}
			if r, ok := check.first(v); !ok {
				return renkei.Errorf(renkei.EINVALID, KeyUnencodable, line, columns[i].Header(lang), string(r))
			}
		}
		if err := cw.Write(record); err != nil {
			return err
		}
		line++
		for _, v := range record {
			line += strings.Count(v, "\n")
		}
		return nil
	}
	if err := write(); err != nil {
		return err
	}
	for {
		p, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		for i, c := range columns {
			switch v := c.exportValue(p, lang).(type) {
			case string:
				record[i] = neutralize(v)
			case int:
				record[i] = neutralize(strconv.Itoa(v))
			}
		}
		if err := write(); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if c, ok := out.(io.Closer); ok {
		if err := c.Close(); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// runeCheck tells which characters an encoding can hold, remembering the
// answer for each character.
type runeCheck struct {
	enc *encoding.Encoder
	ok  map[rune]bool
}

// first returns the first character of s the encoding cannot hold, and
// false; or true when it holds them all.
func (c *runeCheck) first(s string) (rune, bool) {
	for _, r := range s {
		if r < utf8.RuneSelf {
			continue
		}
		ok, seen := c.ok[r]
		if !seen {
			_, err := c.enc.String(string(r))
			ok = err == nil && r != utf8.RuneError
			c.ok[r] = ok
		}
		if !ok {
			return r, false
		}
	}
	return 0, true
}

// column widths in the export, in characters.
func colWidth(c *column) float64 {
	switch c.Kind {
	case kindBool:
		return 10
	case kindInt, kindCountry, kindReadOnly:
		return 12
	case kindFreeText, kindProvides:
		return 40
	}
	if c.Key == "name" || strings.HasSuffix(c.Key, "_email") {
		return 30
	}
	return 18
}

// WriteXLSX writes partners as an XLSX workbook of one sheet (取引先 or
// Partners) with headers in lang, using the spreadsheet library's stream
// writer so that memory stays flat however many partners there are. next
// is as for WriteCSV. Text cells are strings (a 法人番号 stays text),
// counts are numbers, and text a spreadsheet could take for a formula is
// neutralized as in WriteCSV.
func WriteXLSX(w io.Writer, next func() (*renkei.Partner, bool, error), lang string) error {
	lang, err := exportLang(lang)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	sheet := "取引先"
	if lang == "en" {
		sheet = "Partners"
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	if err := f.SetDocProps(&excelize.DocProperties{
		Creator:  "Renkei",
		Subject:  "Renkei partners",
		Keywords: "renkei-partners-v" + strconv.Itoa(FormatVersion),
	}); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{
		Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
	})
	if err != nil {
		return err
	}
	for i, c := range columns {
		if err := sw.SetColWidth(i+1, i+1, colWidth(c)); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	values := make([]any, len(columns))
	for i, h := range headerRow(lang) {
		values[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", values); err != nil {
		return err
	}
	row := 1
	for {
		p, ok, err := next()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if row++; row > MaxExportRows+1 {
			return renkei.Errorf(renkei.ETOOLARGE, KeyExportRows, MaxExportRows)
		}
		for i, c := range columns {
			switch v := c.exportValue(p, lang).(type) {
			case string:
				if v == "" {
					values[i] = nil
				} else {
					values[i] = neutralize(v)
				}
			default:
				values[i] = v
			}
		}
		cell, err := excelize.CoordinatesToCellName(1, row)
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
	_, err = f.WriteTo(w)
	return err
}
