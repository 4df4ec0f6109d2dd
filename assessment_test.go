package renkei

import "testing"

func TestFindings(t *testing.T) {
	tpl, _ := BuiltinTemplate("self-check-25")
	answers := map[string]Answer{}
	for _, q := range tpl.Questions() {
		answers[q.Ref] = Answer{Value: AnswerYes}
	}
	answers["1"] = Answer{Value: AnswerNA}
	answers["5"] = Answer{Value: AnswerPartly}
	answers["7"] = Answer{Value: AnswerUnknown}
	answers["9"] = Answer{Value: AnswerNo}
	f := Findings(tpl, answers)
	want := []struct{ ref, sev string }{{"5", SeverityMedium}, {"7", SeverityHigh}, {"9", SeverityHigh}}
	if len(f) != len(want) {
		t.Fatalf("findings %+v", f)
	}
	for i, w := range want {
		if f[i].QuestionRef != w.ref || f[i].Severity != w.sev || f[i].Text.JA == "" {
			t.Fatalf("finding %d: %+v", i, f[i])
		}
	}
}

func TestRemediationValidate(t *testing.T) {
	r := &Remediation{DueDate: "2027-02-30"}
	if ErrorCode(r.Validate()) != EINVALID {
		t.Fatal("bad date accepted")
	}
	r = &Remediation{Owner: "a\x00b"}
	if ErrorCode(r.Validate()) != EINVALID {
		t.Fatal("control character accepted")
	}
	r = &Remediation{DueDate: "2027-02-28"}
	if err := r.Validate(); err != nil || r.Status != RemediationOpen {
		t.Fatalf("%v %s", err, r.Status)
	}
}

func TestCampaignTemplateFor(t *testing.T) {
	if CampaignTemplateFor(TemplateByRequiredLevel, LevelStar4) != "supply-chain-star4" ||
		CampaignTemplateFor(TemplateByRequiredLevel, LevelStar3) != "supply-chain-star3" ||
		CampaignTemplateFor("self-check-25", LevelStar4) != "self-check-25" {
		t.Fatal("template by level")
	}
	if !ValidDate("2026-12-31") || ValidDate("2026-1-1") || ValidDate("") {
		t.Fatal("ValidDate")
	}
}
