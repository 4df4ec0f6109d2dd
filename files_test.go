package renkei

import (
	"archive/zip"
	"bytes"
	"errors"
	"path"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckDocument(t *testing.T) {
	pdf := []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	zipHead := []byte("PK\x03\x04\x14\x00\x06\x00")
	exe := []byte("MZ\x90\x00\x03\x00\x00\x00")
	html := []byte("<!DOCTYPE html><html><script>alert(1)</script>")
	text := []byte("秘密保持契約書\r\n第1条 目的\tこの契約は…\f")
	for _, c := range []struct {
		name  string
		head  []byte
		size  int64
		want  string // content type, or the error's field key
		field string // the error's field; "" when allowed
		code  string
	}{
		{"秘密保持契約書.pdf", pdf, 1000, ContentTypePDF, "", ""},
		{"CONTRACT.PDF", pdf, 1000, ContentTypePDF, "", ""},
		{"scan.png", png, 1000, ContentTypePNG, "", ""},
		{"scan.jpg", jpeg, 1000, ContentTypeJPEG, "", ""},
		{"scan.JPEG", jpeg, 1000, ContentTypeJPEG, "", ""},
		{"覚書.docx", zipHead, 1000, ContentTypeDOCX, "", ""},
		{"台帳.xlsx", zipHead, 1000, ContentTypeXLSX, "", ""},
		{"メモ.txt", text, int64(len(text)), ContentTypeText, "", ""},
		{"bom.txt", append([]byte("\xef\xbb\xbf"), text...), int64(len(text) + 3), ContentTypeText, "", ""},
		{"x.pdf", pdf, MaxDocumentBytes, ContentTypePDF, "", ""},
		// A head cut in the middle of a character, of a longer file.
		{"long.txt", []byte("契約")[:4], 100, ContentTypeText, "", ""},

		// Content that is not what the name says.
		{"invoice.pdf", html, 1000, "field.document_type", "document", EINVALID},
		{"invoice.pdf", exe, 1000, "field.document_type", "document", EINVALID},
		{"photo.png", jpeg, 1000, "field.document_type", "document", EINVALID},
		{"photo.jpg", png, 1000, "field.document_type", "document", EINVALID},
		{"memo.docx", pdf, 1000, "field.document_type", "document", EINVALID},
		{"memo.txt", exe, 1000, "field.document_type", "document", EINVALID},
		{"memo.txt", []byte("ok\x00ok"), 5, "field.document_type", "document", EINVALID},
		{"memo.txt", []byte("\x1b[31mred"), 8, "field.document_type", "document", EINVALID},
		{"sjis.txt", []byte("\x8c\x5f\x96\xf1"), 4, "field.document_type", "document", EINVALID}, // 契約 in Shift_JIS
		// The whole file is the head: a cut character is not text.
		{"cut.txt", []byte("契約")[:4], 4, "field.document_type", "document", EINVALID},
		// Types not allowed.
		{"setup.exe", exe, 1000, "field.document_type", "document", EINVALID},
		{"page.html", html, 1000, "field.document_type", "document", EINVALID},
		{"image.svg", []byte("<svg xmlns="), 100, "field.document_type", "document", EINVALID},
		{"old.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), 100, "field.document_type", "document", EINVALID},
		{"archive.zip", zipHead, 100, "field.document_type", "document", EINVALID},
		{"noext", pdf, 100, "field.document_type", "document", EINVALID},
		{"pdf.pdf.exe", exe, 100, "field.document_type", "document", EINVALID},
		// Sizes.
		{"empty.pdf", nil, 0, "field.document_size", "document", EINVALID},
		{"big.pdf", pdf, MaxDocumentBytes + 1, "field.document_size", "document", ETOOLARGE},
		// Names.
		{"", pdf, 100, "field.document_name", "document_name", EINVALID},
		{".pdf", pdf, 100, "field.document_name", "document_name", EINVALID},
		{"..", pdf, 100, "field.document_name", "document_name", EINVALID},
		{"../../etc/passwd.pdf", pdf, 100, "field.document_name", "document_name", EINVALID},
		{"dir/contract.pdf", pdf, 100, "field.document_name", "document_name", EINVALID},
		{`C:\Users\contract.pdf`, pdf, 100, "field.document_name", "document_name", EINVALID},
		{"contract\x00.pdf", pdf, 100, "field.document_name", "document_name", EINVALID},
		{"contract\n.pdf", pdf, 100, "field.document_name", "document_name", EINVALID},
		{"invoice\u202efdp.exe", exe, 100, "field.document_name", "document_name", EINVALID},
		{"a\u2066b.pdf", pdf, 100, "field.document_name", "document_name", EINVALID},
		{" contract.pdf", pdf, 100, "field.document_name", "document_name", EINVALID},
		{"bad\xffutf8.pdf", pdf, 100, "field.document_name", "document_name", EINVALID},
		{strings.Repeat("契", 197) + ".pdf", pdf, 100, "field.document_name", "document_name", EINVALID},
		{strings.Repeat("契", 196) + ".pdf", pdf, 100, ContentTypePDF, "", ""},
	} {
		got, err := CheckDocument(c.name, c.head, c.size)
		if c.field == "" {
			if err != nil || got != c.want {
				t.Errorf("%q: %q, %v; want %q", c.name, got, err, c.want)
			}
			continue
		}
		var e *Error
		if !errors.As(err, &e) || e.Code != c.code || e.Fields[c.field] != c.want || got != "" {
			t.Errorf("%q (%d bytes): %q, %v; want %s %s=%s", c.name, c.size, got, err, c.code, c.field, c.want)
		}
	}
}

// officeFile is a ZIP archive holding the named parts.
func officeFile(t *testing.T, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<?xml version=\"1.0\"?><x/>"))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCheckOfficeDocument(t *testing.T) {
	docx := officeFile(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml")
	xlsx := officeFile(t, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml")
	plain := officeFile(t, "readme.txt", "payload.exe")
	for _, c := range []struct {
		data []byte
		ct   string
		ok   bool
	}{
		{docx, ContentTypeDOCX, true},
		{xlsx, ContentTypeXLSX, true},
		{xlsx, ContentTypeDOCX, false},
		{docx, ContentTypeXLSX, false},
		{plain, ContentTypeDOCX, false},
		{plain, ContentTypeXLSX, false},
		{[]byte("PK\x03\x04 not really a zip"), ContentTypeDOCX, false},
		{[]byte("%PDF-1.7"), ContentTypePDF, true}, // not an office type: nothing to check
	} {
		err := CheckOfficeDocument(bytes.NewReader(c.data), int64(len(c.data)), c.ct)
		if (err == nil) != c.ok {
			t.Errorf("%s of %d bytes: %v", c.ct, len(c.data), err)
		}
		if err != nil && ErrorCode(err) != EINVALID {
			t.Errorf("%s: code %s", c.ct, ErrorCode(err))
		}
	}
	// A real head of each passes CheckDocument too.
	if ct, err := CheckDocument("覚書.docx", docx[:DocumentHeadBytes], int64(len(docx))); err != nil || ct != ContentTypeDOCX {
		t.Fatalf("docx head: %q %v", ct, err)
	}
}

// FuzzCheckDocument holds CheckDocument to its contract on any input: no
// panic; an accepted file has a clean name, an allowed extension, a size
// in range and the content its extension says; a refused one gets a coded
// error on a known field. Seeds are in testdata/fuzz/FuzzCheckDocument.
func FuzzCheckDocument(f *testing.F) {
	f.Add("契約書.pdf", []byte("%PDF-1.7\n"), int64(9))
	f.Add("x.txt", []byte("hello\n"), int64(6))
	f.Fuzz(func(t *testing.T, name string, head []byte, size int64) {
		ct, err := CheckDocument(name, head, size)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || ct != "" || len(e.Fields) != 1 {
				t.Fatalf("refusal %q, %#v", ct, err)
			}
			for field, key := range e.Fields {
				switch {
				case field == "document_name" && key == "field.document_name" && e.Code == EINVALID:
				case field == "document" && (key == "field.document_type" || key == "field.document_size") && e.Code == EINVALID:
				case field == "document" && key == "field.document_size" && e.Code == ETOOLARGE && size > MaxDocumentBytes:
				default:
					t.Fatalf("refusal %s %s=%s", e.Code, field, key)
				}
			}
			return
		}
		if !utf8.ValidString(name) || strings.ContainsAny(name, `/\`) || strings.TrimSpace(name) != name ||
			utf8.RuneCountInString(name) > MaxDocumentNameRunes || hasControl(name) {
			t.Fatalf("accepted name %q", name)
		}
		if size <= 0 || size > MaxDocumentBytes || len(head) == 0 {
			t.Fatalf("accepted size %d with %d bytes of head", size, len(head))
		}
		if int64(len(head)) > size {
			head = head[:size] // CheckDocument looks at the file's bytes only
		}
		magic := map[string]string{ContentTypePDF: "%PDF-", ContentTypePNG: "\x89PNG\r\n\x1a\n", ContentTypeJPEG: "\xff\xd8\xff",
			ContentTypeDOCX: "PK\x03\x04", ContentTypeXLSX: "PK\x03\x04"}
		exts := map[string][]string{ContentTypePDF: {".pdf"}, ContentTypePNG: {".png"}, ContentTypeJPEG: {".jpg", ".jpeg"},
			ContentTypeDOCX: {".docx"}, ContentTypeXLSX: {".xlsx"}, ContentTypeText: {".txt"}}
		ext := strings.ToLower(path.Ext(name))
		if !contains(exts[ct], ext) {
			t.Fatalf("accepted %q as %q", name, ct)
		}
		if m, ok := magic[ct]; ok && !bytes.HasPrefix(head, []byte(m)) {
			t.Fatalf("accepted %q as %s with head %q", name, ct, head)
		}
		if ct == ContentTypeText && bytes.IndexByte(head, 0) >= 0 {
			t.Fatalf("accepted text with NUL: %q", head)
		}
	})
}
