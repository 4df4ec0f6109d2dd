package checksheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzMapping is the mapping tried on every input besides the guessed one.
var fuzzMapping = Mapping{Sheet: "Sheet1", HeaderRow: 1, ID: "A", Section: "B", Question: "C", Choices: "D", Weight: "E", Help: "F", Level: "G"}

// checkConvert: no panic, and either an error, cell errors without a
// template, or a template that validates.
func checkConvert(t *testing.T, data []byte, m Mapping) {
	tmpl, errs, err := Convert(bytes.NewReader(data), 1<<20, m, TemplateMeta{Slug: "fuzz", TitleJA: "ファズ", Lang: "ja"})
	switch {
	case err != nil:
		if tmpl != nil || errs != nil {
			t.Fatalf("error with results: %v", err)
		}
	case len(errs) > 0:
		if tmpl != nil {
			t.Fatal("template with cell errors")
		}
		for _, e := range errs {
			if e.Cell == "" || e.Row < 1 || !strings.HasPrefix(e.Key, "checksheet.") {
				t.Fatalf("bad cell error %+v", e)
			}
		}
	case tmpl == nil:
		t.Fatal("no template, no error")
	default:
		if err := tmpl.Validate(); err != nil {
			t.Fatalf("template does not validate: %v", err)
		}
	}
}

// FuzzConvert starts from the small workbooks in
// testdata/fuzz/FuzzConvert (written by TestWriteFuzzSeeds).
func FuzzConvert(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		wb, err := Inspect(bytes.NewReader(data), 1<<20)
		if err == nil {
			for _, s := range wb.Sheets {
				if s.Guess.Question != "" {
					checkConvert(t, data, s.Guess)
				}
			}
		}
		checkConvert(t, data, fuzzMapping)
	})
}

// TestWriteFuzzSeeds rewrites the committed fuzz seeds when
// CHECKSHEET_WRITE_SEEDS=1; otherwise it checks they are there.
func TestWriteFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzConvert")
	if os.Getenv("CHECKSHEET_WRITE_SEEDS") != "1" {
		entries, err := os.ReadDir(dir)
		if err != nil || len(entries) == 0 {
			t.Fatalf("no fuzz seeds in %s (run with CHECKSHEET_WRITE_SEEDS=1): %v", dir, err)
		}
		return
	}
	seeds := map[string][]byte{
		"good-ja": xlsx(t, goodSheet()),
		"errors": xlsx(t, sheetData{"Sheet1", [][]any{
			{"No.", "分類", "質問", "回答", "重み", "説明", "レベル"},
			{"1", "組織", "", "はい(2)/いいえ", "高", "", "Lv1"},
			{"1", "", "質問\u202e", "A", -1, "", ""},
		}}),
		"levels-en": xlsx(t, sheetData{"Sheet1", [][]any{
			{"ID", "Section", "Question", "Choices", "Weight", "Help", "Level"},
			{"1", "Gov", "Policy?", "", 2, "Plain words", "Lv1"},
			{"2", "", "Training?", "Always;Sometimes;Never", "", "", "Lv2"},
		}}),
	}
	seeds["stored-ja"] = stored(t, seeds["levels-en"])
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range seeds {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// stored rewrites a workbook with its parts stored uncompressed and
// without checksums, so that the fuzzer's mutations reach the XML.
func stored(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: f.Name, Method: zip.Store, CompressedSize64: uint64(len(body)), UncompressedSize64: uint64(len(body))})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(body); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The stored seed is a workbook that converts, so that mutations start
// from a readable file.
func TestStoredSeedConverts(t *testing.T) {
	data := stored(t, xlsx(t, sheetData{"Sheet1", [][]any{
		{"ID", "Section", "Question"},
		{"1", "Gov", "Policy?"},
	}}))
	tmpl, errs, err := Convert(bytes.NewReader(data), 0, fuzzMapping, TemplateMeta{Slug: "s", TitleEN: "S", Lang: "en"})
	if err != nil || len(errs) > 0 || tmpl.QuestionCount() != 1 {
		t.Fatalf("stored workbook: %v %v %v", tmpl, errs, err)
	}
}
