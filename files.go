package renkei

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FileStore keeps files (signed agreements, later evidence and reports) by
// key, in a directory or an S3-compatible bucket. Keys are made by the
// application ("orgs/{org_id}/agreements/{agreement_id}/{uuid}"), never
// from a name the user gave. What a file is called and what type it is
// are kept in the database, which is the source of truth; the store keeps
// bytes.
//
// Open and Delete of a key that does not exist return an ENOTFOUND error
// (ErrNotFound("file")).
type FileStore interface {
	// Put stores size bytes read from r under key, replacing any file
	// there. When r ends early, or holds more than size bytes, or ctx ends,
	// nothing is stored.
	Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error
	// Open streams the file under key; the caller closes it.
	Open(ctx context.Context, key string) (io.ReadCloser, FileInfo, error)
	Delete(ctx context.Context, key string) error
}

// FileInfo is what the store knows of a file. ContentType may be empty
// where the store keeps no metadata (a directory).
type FileInfo struct {
	Size        int64
	ContentType string
}

// MaxDocumentBytes bounds an attached document (a signed agreement).
const MaxDocumentBytes = 20 << 20

// DocumentHeadBytes is how much of a document's beginning CheckDocument
// needs to see (a shorter head is fine for a shorter file).
const DocumentHeadBytes = 512

// MaxDocumentNameRunes bounds a document's file name.
const MaxDocumentNameRunes = 200

// Content types of the documents that may be attached.
const (
	ContentTypePDF  = "application/pdf"
	ContentTypePNG  = "image/png"
	ContentTypeJPEG = "image/jpeg"
	ContentTypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ContentTypeText = "text/plain; charset=utf-8"
)

// DocumentExtensions are the file name extensions of the documents that
// may be attached (for a file picker's accept attribute).
var DocumentExtensions = []string{".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".txt"}

// documentType is one kind of document: its extensions, the content type
// it is stored and served as, and how its content is recognized.
type documentType struct {
	exts        []string
	contentType string
	match       func(head []byte, size int64) bool
}

func headPrefix(p string) func([]byte, int64) bool {
	return func(head []byte, _ int64) bool { return bytes.HasPrefix(head, []byte(p)) }
}

const zipHeadSignature = "PK\x03\x04"

var documentTypes = []documentType{
	{[]string{".pdf"}, ContentTypePDF, headPrefix("%PDF-")},
	{[]string{".png"}, ContentTypePNG, headPrefix("\x89PNG\r\n\x1a\n")},
	{[]string{".jpg", ".jpeg"}, ContentTypeJPEG, headPrefix("\xff\xd8\xff")},
	{[]string{".docx"}, ContentTypeDOCX, headPrefix(zipHeadSignature)},
	{[]string{".xlsx"}, ContentTypeXLSX, headPrefix(zipHeadSignature)},
	{[]string{".txt"}, ContentTypeText, isPlainText},
}

// isPlainText reports whether head is the start of UTF-8 text (a BOM
// allowed): no NUL or other control characters but tab, line breaks and
// form feed. A head shorter than the file may end in the middle of a
// character.
func isPlainText(head []byte, size int64) bool {
	b := bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n <= 1 {
			// An incomplete last character of a head cut short.
			return int64(len(head)) < size && len(b) < utf8.UTFMax && !utf8.FullRune(b)
		}
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			return false
		}
		b = b[n:]
	}
	return true
}

// CheckDocument decides whether a file may be attached as a document and
// returns the content type it is kept and served as. name is the file's
// name (trimmed of spaces by the caller), head its first
// DocumentHeadBytes bytes (all of it when shorter), size its length.
//
// Allowed: PDF, PNG, JPEG, DOCX, XLSX and UTF-8 plain text, recognized by
// the name's extension and by the content, which must agree: an HTML page
// or a program named .pdf is refused. At most MaxDocumentBytes, not empty.
// The name has no path separators, control or text-direction characters,
// and at most MaxDocumentNameRunes characters.
//
// Errors: EINVALID with field "document_name" (field.document_name) for a
// bad name, "document" (field.document_type) for a type not allowed or a
// content that is not what the name says, "document" (field.document_size)
// for an empty file; ETOOLARGE with field "document"
// (field.document_size) for a file over the limit.
func CheckDocument(name string, head []byte, size int64) (string, error) {
	if !validDocumentName(name) {
		return "", Invalid(map[string]string{"document_name": "field.document_name"})
	}
	if size > MaxDocumentBytes {
		return "", DocumentTooLarge()
	}
	if size <= 0 || len(head) == 0 {
		return "", Invalid(map[string]string{"document": "field.document_size"})
	}
	if int64(len(head)) > size {
		head = head[:size]
	}
	ext := strings.ToLower(path.Ext(name))
	for _, dt := range documentTypes {
		if contains(dt.exts, ext) {
			if !dt.match(head, size) {
				break
			}
			return dt.contentType, nil
		}
	}
	return "", Invalid(map[string]string{"document": "field.document_type"})
}

// DocumentTooLarge is the error for a document over MaxDocumentBytes
// (ETOOLARGE, field "document"), also for a caller that finds it out
// before it has the whole file.
func DocumentTooLarge() *Error {
	return &Error{Code: ETOOLARGE, Key: "error.too_large", Args: []any{strconv.Itoa(MaxDocumentBytes>>20) + " MB"},
		Fields: map[string]string{"document": "field.document_size"}}
}

// validDocumentName is CheckDocument's rule for names.
func validDocumentName(name string) bool {
	if name == "" || name == "." || name == ".." || !utf8.ValidString(name) || utf8.RuneCountInString(name) > MaxDocumentNameRunes ||
		strings.TrimSpace(name) != name || strings.TrimSuffix(name, path.Ext(name)) == "" {
		return false
	}
	for _, r := range name {
		switch {
		case r == '/' || r == '\\':
			return false
		case unicode.IsControl(r):
			return false
		case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
			return false
		case r == 0xFEFF || r == utf8.RuneError:
			return false
		}
	}
	return true
}

// CheckOfficeDocument looks past the head of a DOCX or XLSX file, which
// any ZIP archive shares: the archive must be readable and hold the part
// that makes it a Word document or an Excel workbook. Only the archive's
// directory is read, nothing is decompressed. Other content types pass.
func CheckOfficeDocument(r io.ReaderAt, size int64, contentType string) error {
	var want string
	switch contentType {
	case ContentTypeDOCX:
		want = "word/document.xml"
	case ContentTypeXLSX:
		want = "xl/workbook.xml"
	default:
		return nil
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return Invalid(map[string]string{"document": "field.document_type"})
	}
	var types, part bool
	for _, f := range zr.File {
		types = types || f.Name == "[Content_Types].xml"
		part = part || f.Name == want
	}
	if !types || !part {
		return Invalid(map[string]string{"document": "field.document_type"})
	}
	return nil
}
