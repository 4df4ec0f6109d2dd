package sheetcell

import "testing"

func TestNeutralizeRoundTrip(t *testing.T) {
	for in, want := range map[string]string{
		"=cmd|' /C calc'!A0": "'=cmd|' /C calc'!A0",
		"+1":                 "'+1",
		"-山田製作所":             "'-山田製作所",
		"@SUM(A1)":           "'@SUM(A1)",
		"＝全角":                "'＝全角",
		"\tx":                "'\tx",
		"'=x":                "''=x",
		"'hello":             "'hello",
		"普通の会社":              "普通の会社",
		"":                   "",
	} {
		if got := Neutralize(in); got != want {
			t.Errorf("Neutralize(%q) = %q, want %q", in, got, want)
		}
		if back := Unneutralize(Neutralize(in)); back != in {
			t.Errorf("round trip of %q gave %q", in, back)
		}
	}
}

func TestNormValue(t *testing.T) {
	if NormValue("ＳＵＰＰＬＩＥＲ ") != "supplier" || NormValue("ｸﾞﾙｰﾌﾟ会社") != NormValue("グループ会社") {
		t.Fatal("widths or case not folded")
	}
}
