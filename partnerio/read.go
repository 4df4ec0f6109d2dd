package partnerio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"mime"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/renkei/renkei"
)

// Limits of Read.
const (
	// DefaultMaxBytes is the file size limit when Read is given none.
	DefaultMaxBytes = 100 << 20
	// MaxRows is the most partners one file may hold.
	MaxRows = 200_000
	// MaxCellRunes is the longest cell Read accepts, in characters.
	MaxCellRunes = 10_000
	// MaxErrors is the most ImportErrors Read returns; past it one
	// KeyTooManyErrs error says the rest were left out (the rows in error
	// are still left out of the rows).
	MaxErrors = 1000
)

// Content types.
const (
	ContentTypeCSV  = "text/csv"
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
)

// Content types Read accepts. Those marked sniff are decided by the file's
// first bytes: browsers send .csv files as application/vnd.ms-excel on
// Windows, and some clients send application/octet-stream.
var contentTypes = map[string]string{
	"text/csv":                    "csv",
	"application/csv":             "csv",
	"text/comma-separated-values": "csv",
	"text/plain":                  "csv",
	"text/tab-separated-values":   "csv",
	ContentTypeXLSX:               "xlsx",
	"application/vnd.ms-excel":    "sniff",
	"application/octet-stream":    "sniff",
}

var (
	zipMagic = []byte("PK\x03\x04")
	oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
)

// Read reads a partner file: CSV (UTF-8 with or without BOM, Shift_JIS /
// CP932, or UTF-16 with BOM; comma- or tab-separated) or XLSX (the sheet
// named 取引先 or Partners, else the first sheet). contentType is the
// request's Content-Type; parameters such as charset are ignored (the
// encoding is detected). maxBytes ≤ 0 means DefaultMaxBytes.
//
// The first non-empty row is the header; see the package documentation for
// the columns. Entirely empty rows are skipped. Every other row is checked
// cell by cell and with Partner.Validate; rows holds the rows without
// errors, each with its Partner validated (normalized), and errs says what
// is wrong with the others, naming the row (the line of the file where the
// row starts, the header usually being 1; the sheet row for XLSX) and the
// column (the header as written in the file). A duplicate external_id or
// corporate_number is an error on the later row. Problems with the header
// (unknown or repeated columns, a required column missing) are errors on
// the header row, and then no rows are read.
//
// Each row's Columns lists the fields the file has columns for (JSON
// paths such as "company.name"), so that an update changes only those; the
// slice is shared by all rows and must not be modified.
//
// Callers importing in all-or-nothing mode keep nothing when errs is not
// empty; in skip-invalid mode they keep rows.
//
// A problem with the file as a whole is err, a *renkei.Error: ETOOLARGE
// for a file over maxBytes or over MaxRows rows; EINVALID for an empty
// file, a header without rows, a file without a header, a malformed CSV,
// an undecodable encoding, a corrupt XLSX, a legacy .xls or an unsupported
// content type. Errors reading r are returned as they are.
func Read(r io.Reader, contentType string, maxBytes int64) (rows []renkei.ImportRow, errs []renkei.ImportError, err error) {
	mt, _, perr := mime.ParseMediaType(contentType)
	if perr != nil {
		mt = strings.ToLower(strings.TrimSpace(contentType))
	}
	format, ok := contentTypes[mt]
	if !ok {
		return nil, nil, renkei.Errorf(renkei.EINVALID, KeyContentType, shown(contentType))
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	data, err := io.ReadAll(io.LimitReader(r, maxBytes+1))
	if err != nil {
		return nil, nil, err
	}
	if int64(len(data)) > maxBytes {
		return nil, nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeText(maxBytes))
	}
	if len(data) == 0 {
		return nil, nil, renkei.Errorf(renkei.EINVALID, KeyEmpty)
	}
	switch {
	case bytes.HasPrefix(data, zipMagic):
		format = "xlsx"
	case bytes.HasPrefix(data, oleMagic):
		// A legacy .xls, or an XLSX encrypted with a password.
		return nil, nil, renkei.Errorf(renkei.EINVALID, KeyXLS)
	case format == "xlsx":
		return nil, nil, renkei.Errorf(renkei.EINVALID, KeyCorruptXLSX)
	default:
		format = "csv"
	}
	var src source
	if format == "xlsx" {
		xs, err := openXLSX(data, maxBytes)
		if err != nil {
			return nil, nil, err
		}
		defer xs.close()
		src = xs
	} else {
		text, err := decodeText(data)
		if err != nil {
			return nil, nil, err
		}
		data = nil // for Shift_JIS, text is a new slice
		src = newCSVSource(text)
	}
	return readRows(src)
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// source yields the rows of a file: the row number and its cells, io.EOF
// at the end.
type source interface {
	next() (row int, cells []string, err error)
}

// decodeText turns a CSV file into UTF-8: a UTF-8 BOM or valid UTF-8 is
// UTF-8, a UTF-16 BOM is UTF-16, anything else is Shift_JIS (CP932).
func decodeText(data []byte) ([]byte, error) {
	bad := func(text []byte) error {
		return renkei.Errorf(renkei.EINVALID, KeyEncoding, badLine(bytes.ToValidUTF8(text, []byte("\ufffd"))))
	}
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
		if !utf8.Valid(data) {
			return nil, bad(data)
		}
		return data, nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		out, err := xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
			return nil, bad(out)
		}
		return out, nil
	case utf8.Valid(data):
		return data, nil
	case brokenUTF8(data):
		return nil, bad(data)
	}
	out, _, err := transform.Bytes(japanese.ShiftJIS.NewDecoder(), data)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return nil, bad(out)
	}
	return out, nil
}

// brokenUTF8 tells a UTF-8 file with a stray byte from a Shift_JIS file:
// Shift_JIS text breaks UTF-8 at its first kana or kanji, so several valid
// UTF-8 characters before the first invalid byte mean UTF-8 that is
// damaged, which decoding as Shift_JIS would only turn into nonsense.
func brokenUTF8(data []byte) bool {
	n := 0
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return false
		}
		if size > 1 {
			if n++; n >= 4 {
				return true
			}
		}
		data = data[size:]
	}
	return false
}

// badLine is the line of the first replacement character in text.
func badLine(text []byte) int {
	i := bytes.IndexRune(text, utf8.RuneError)
	if i < 0 {
		return 1
	}
	return bytes.Count(text[:i], []byte("\n")) + 1
}

type csvSource struct {
	r *csv.Reader
}

func newCSVSource(text []byte) *csvSource {
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	first := text
	if i := bytes.IndexByte(text, '\n'); i >= 0 {
		first = text[:i]
	}
	if bytes.IndexByte(first, '\t') >= 0 && bytes.IndexByte(first, ',') < 0 {
		r.Comma = '\t'
	}
	return &csvSource{r: r}
}

func (s *csvSource) next() (int, []string, error) {
	rec, err := s.r.Read()
	if err == io.EOF {
		return 0, nil, io.EOF
	}
	if err != nil {
		line := 0
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.Line
		}
		return 0, nil, renkei.Errorf(renkei.EINVALID, KeyMalformedCSV, line)
	}
	line, _ := s.r.FieldPos(0)
	return line, rec, nil
}

var errCorrupt = renkei.Errorf(renkei.EINVALID, KeyCorruptXLSX)

func emptyRow(cells []string) bool {
	for _, c := range cells {
		if strings.TrimFunc(c, unicode.IsSpace) != "" {
			return false
		}
	}
	return true
}

// reader holds the state of one Read.
type reader struct {
	cols    []*column // by file column; nil for ignored columns
	headers []string  // the header text as written, by file column
	lang    string    // the language most headers are in
	pos     map[*column]int
	fields  []string // the fields the file has columns for, shared by every row

	errs      []renkei.ImportError
	dropped   bool
	firstExt  map[string]int
	firstCorp map[string]int

	values []string // cleaned cells by column index, reused per row
}

func readRows(src source) ([]renkei.ImportRow, []renkei.ImportError, error) {
	// The header is the first non-empty row.
	var headerRow int
	var header []string
	for {
		row, cells, err := src.next()
		if err == io.EOF {
			return nil, nil, renkei.Errorf(renkei.EINVALID, KeyEmpty)
		}
		if err != nil {
			return nil, nil, err
		}
		if !emptyRow(cells) {
			headerRow, header = row, append([]string(nil), cells...)
			break
		}
	}
	rd := &reader{firstExt: map[string]int{}, firstCorp: map[string]int{}, values: make([]string, len(columns))}
	if err := rd.readHeader(headerRow, header); err != nil {
		return nil, nil, err
	}
	if len(rd.errs) > 0 {
		return nil, rd.errs, nil
	}
	var rows []renkei.ImportRow
	count := 0
	for {
		row, cells, err := src.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, err
		}
		if emptyRow(cells) {
			continue
		}
		if count++; count > MaxRows {
			return nil, nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooManyRows, MaxRows)
		}
		if p, ok := rd.readRow(row, cells); ok {
			rows = append(rows, renkei.ImportRow{Row: row, Partner: p, Columns: rd.fields})
		}
	}
	if count == 0 {
		return nil, nil, renkei.Errorf(renkei.EINVALID, KeyHeaderOnly)
	}
	return rows, rd.errs, nil
}

func (rd *reader) addErr(e renkei.ImportError) {
	switch {
	case rd.dropped:
	case len(rd.errs) >= MaxErrors:
		rd.dropped = true
		rd.errs = append(rd.errs, renkei.ImportError{Row: e.Row, Key: KeyTooManyErrs, Args: []any{MaxErrors}})
	default:
		rd.errs = append(rd.errs, e)
	}
}

// readHeader maps the header cells to columns. Empty header cells and the
// export's read-only columns are ignored.
func (rd *reader) readHeader(row int, cells []string) error {
	rd.cols = make([]*column, len(cells))
	rd.headers = make([]string, len(cells))
	rd.pos = map[*column]int{}
	ja, en, known := 0, 0, 0
	for i, h := range cells {
		h = clean(h)
		rd.headers[i] = h
		if h == "" {
			continue
		}
		c, ok := columnByHeader[normHeader(h)]
		if !ok {
			rd.addErr(renkei.ImportError{Row: row, Column: h, Key: KeyUnknownColumn, Args: []any{shown(h)}})
			continue
		}
		known++
		if isASCII(h) {
			en++
		} else {
			ja++
		}
		if _, dup := rd.pos[c]; dup {
			rd.addErr(renkei.ImportError{Row: row, Column: h, Key: KeyDuplicateColumn, Args: []any{shown(h)}})
			continue
		}
		rd.pos[c] = i
		if c.Kind != kindReadOnly {
			rd.cols[i] = c
			rd.fields = append(rd.fields, c.Field)
		}
	}
	if known == 0 {
		return renkei.Errorf(renkei.EINVALID, KeyNoHeader)
	}
	rd.lang = "ja"
	if en > ja {
		rd.lang = "en"
	}
	for _, c := range columns {
		if _, ok := rd.pos[c]; c.Required && !ok {
			rd.addErr(renkei.ImportError{Row: row, Column: c.Header(rd.lang), Key: KeyMissingColumn, Args: []any{c.Header(rd.lang)}})
		}
	}
	return nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// columnName is how errors name a column: the header as written in the
// file, or the canonical header when the file has no such column.
func (rd *reader) columnName(c *column) string {
	if i, ok := rd.pos[c]; ok {
		return rd.headers[i]
	}
	return c.Header(rd.lang)
}

// cellError is an error found in one cell, sorted by file column.
type cellError struct {
	at int // file column, or len(cells)+column index for absent columns
	e  renkei.ImportError
}

// readRow reads one data row. ok is false when the row has errors.
func (rd *reader) readRow(row int, cells []string) (renkei.Partner, bool) {
	var p renkei.Partner
	var found []cellError
	bad := map[*column]bool{}
	for i := range rd.values {
		rd.values[i] = ""
	}
	for i, raw := range cells {
		var c *column
		if i < len(rd.cols) {
			c = rd.cols[i]
		}
		if c == nil {
			if (i >= len(rd.headers) || rd.headers[i] == "") && strings.TrimFunc(raw, unicode.IsSpace) != "" {
				found = append(found, cellError{i, renkei.ImportError{Row: row, Column: columnLetter(i), Key: KeyNoHeaderCell}})
			}
			continue
		}
		if len(raw) > MaxCellRunes && utf8.RuneCountInString(raw) > MaxCellRunes {
			bad[c] = true
			found = append(found, cellError{i, renkei.ImportError{Row: row, Column: rd.headers[i], Key: KeyTooLong, Args: []any{MaxCellRunes}}})
			continue
		}
		v := clean(raw)
		rd.values[c.index()] = v
		if v == "" {
			continue
		}
		if ce := c.set(&p, v); ce != nil {
			bad[c] = true
			found = append(found, cellError{i, renkei.ImportError{Row: row, Column: rd.headers[i], Key: ce.Key, Args: ce.Args}})
		}
	}
	for _, c := range columns {
		if c.Required && !bad[c] && rd.values[c.index()] == "" {
			bad[c] = true
			found = append(found, rd.errAt(row, c, len(cells), KeyRequired))
		}
	}
	if err := p.Validate(); err != nil {
		var re *renkei.Error
		var fields map[string]string
		if errors.As(err, &re) {
			fields = re.Fields
		}
		if len(fields) == 0 {
			found = append(found, cellError{len(cells) + len(columns), renkei.ImportError{Row: row, Key: KeyInvalid}})
		}
		for field, fk := range fields {
			c := columnByField[field]
			if c == nil {
				found = append(found, cellError{len(cells) + len(columns), renkei.ImportError{Row: row, Key: KeyInvalid}})
				continue
			}
			if bad[c] {
				continue
			}
			bad[c] = true
			found = append(found, rd.fieldErr(row, c, fk, len(cells)))
		}
	}
	rd.duplicates(row, &p, bad, &found, len(cells))
	if len(found) == 0 {
		return p, true
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].at < found[j].at })
	for _, f := range found {
		rd.addErr(f.e)
	}
	return p, false
}

func (rd *reader) errAt(row int, c *column, ncells int, key string, args ...any) cellError {
	at, ok := rd.pos[c]
	if !ok {
		at = ncells + c.index()
	}
	return cellError{at, renkei.ImportError{Row: row, Column: rd.columnName(c), Key: key, Args: args}}
}

// fieldErr turns a field error of Partner.Validate into an import error on
// the column that holds the field.
func (rd *reader) fieldErr(row int, c *column, fieldKey string, ncells int) cellError {
	v := rd.values[c.index()]
	switch fieldKey {
	case "field.text", "field.too_long":
		if c.MaxRunes > 0 && utf8.RuneCountInString(v) > c.MaxRunes {
			return rd.errAt(row, c, ncells, KeyTooLong, c.MaxRunes)
		}
		return rd.errAt(row, c, ncells, KeyBadChars)
	case "field.code":
		if c.Kind == kindNetworkAccess {
			return rd.errAt(row, c, ncells, KeyNetworkAccess, shown(v))
		}
		return rd.errAt(row, c, ncells, KeyProvides, shown(v))
	}
	key, ok := fieldKeys[fieldKey]
	if !ok {
		return rd.errAt(row, c, ncells, KeyInvalid)
	}
	if keyArgs[key] == 1 {
		if key == KeyTooLong {
			return rd.errAt(row, c, ncells, key, c.MaxRunes)
		}
		return rd.errAt(row, c, ncells, key, shown(v))
	}
	return rd.errAt(row, c, ncells, key)
}

// duplicates reports an external ID or corporate number seen on an
// earlier row.
func (rd *reader) duplicates(row int, p *renkei.Partner, bad map[*column]bool, found *[]cellError, ncells int) {
	check := func(c *column, v string, first map[string]int) {
		if v == "" || bad[c] {
			return
		}
		if r, seen := first[v]; seen {
			*found = append(*found, rd.errAt(row, c, ncells, KeyDuplicate, r))
			return
		}
		first[v] = row
	}
	check(colExternalID, p.ExternalID, rd.firstExt)
	check(colCorporateNumber, p.Company.CorporateNumber, rd.firstCorp)
}

var (
	colExternalID      = columnByField["external_id"]
	colCorporateNumber = columnByField["company.corporate_number"]
)

func (c *column) index() int { return c.idx }
