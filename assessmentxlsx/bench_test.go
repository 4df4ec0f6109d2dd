package assessmentxlsx

import (
	"bytes"
	"io"
	"testing"

	"github.com/renkei/renkei"
)

// BenchmarkWrite153 exports the 153-question template of the performance
// target (≤ 200 ms), every question answered.
func BenchmarkWrite153(b *testing.B) {
	tm := renkei.SyntheticTemplate(50, 74, 29)
	answers := variedAnswers(tm)
	meta := Meta{AssessmentID: "a-1", OrgName: "株式会社依頼", PartnerName: "山田製作所", DueDate: "2026-12-31", Lang: "ja"}
	b.ReportAllocs()
	for b.Loop() {
		if err := Write(io.Discard, tm, answers, meta); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkRead153(b *testing.B) {
	tm := renkei.SyntheticTemplate(50, 74, 29)
	data := write(b, tm, variedAnswers(tm), "ja")
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, err := Read(bytes.NewReader(data), tm, 0); err != nil {
			b.Fatal(err)
		}
	}
}
