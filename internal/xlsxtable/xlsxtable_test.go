package xlsxtable

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestWriteReadsBack writes a table and reads it with the same library:
// the header, every cell as text (1.10 stays 1.10), empty cells empty.
func TestWriteReadsBack(t *testing.T) {
	var buf bytes.Buffer
	rows := [][]string{{"部品工業", "1.10", "pkg:npm/a@1.10", ""}, {"", "0012", "'=1+1", "yes"}}
	if err := Write(&buf, "findings", []string{"partner", "version", "purl", "kev"}, Rows(rows)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.GetRows("findings")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"partner", "version", "purl", "kev"}, {"部品工業", "1.10", "pkg:npm/a@1.10"}, {"", "0012", "'=1+1", "yes"}}
	if len(got) != len(want) {
		t.Fatalf("rows: %q", got)
	}
	for i := range want {
		if len(got[i]) != len(want[i]) {
			t.Fatalf("row %d: %q, want %q", i, got[i], want[i])
		}
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Fatalf("row %d: %q, want %q", i, got[i], want[i])
			}
		}
	}
	typ, err := f.GetCellType("findings", "B2")
	if err != nil || typ == excelize.CellTypeNumber {
		t.Fatalf("B2 is %v (%v): a version must stay text", typ, err)
	}
}

// TestWriteRefusesTooManyRows: past the sheet's limit Write fails rather
// than shortening the table.
func TestWriteRefusesTooManyRows(t *testing.T) {
	defer func(n int) { rowLimit = n }(rowLimit)
	rowLimit = 2
	var buf bytes.Buffer
	if err := Write(&buf, "s", []string{"a"}, Rows([][]string{{"1"}, {"2"}})); err != nil {
		t.Fatalf("two rows: %v", err)
	}
	if err := Write(&buf, "s", []string{"a"}, Rows([][]string{{"1"}, {"2"}, {"3"}})); err != ErrTooManyRows {
		t.Fatalf("three rows: %v", err)
	}
}
