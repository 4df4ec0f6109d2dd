package renkei

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// shareNow is 2026-11-26 08:30 in Tokyo (23:30 UTC the day before), so
// that a test that used UTC's date instead of Tokyo's would fail.
var shareNow = time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC)

func TestShareState(t *testing.T) {
	for _, tc := range []struct {
		status, expires, want string
	}{
		{ShareRequested, "", ShareRequested},
		{ShareDeclined, "", ShareDeclined},
		{ShareGranted, "2026-11-26", ShareGranted}, // through the day of expiry, in Tokyo
		{ShareGranted, "2026-11-25", ShareExpired},
		{ShareGranted, "2027-01-01", ShareGranted},
		{ShareRevoked, "2027-01-01", ShareRevoked},
	} {
		s := &Share{Status: tc.status, ExpiresOn: tc.expires}
		if got := s.State(shareNow); got != tc.want {
			t.Errorf("%s until %q: state %s, want %s", tc.status, tc.expires, got, tc.want)
		}
	}
}

func TestShareCheckViewable(t *testing.T) {
	for _, tc := range []struct {
		status, expires, code, key string
	}{
		{ShareGranted, "2026-11-26", "", ""},
		{ShareGranted, "2026-11-25", EGONE, "share.expired"},
		{ShareRevoked, "2026-12-31", EGONE, "share.revoked"},
		{ShareRequested, "", ENOTFOUND, "error.not_found"}, // consent is needed
		{ShareDeclined, "", ENOTFOUND, "error.not_found"},
	} {
		err := (&Share{Status: tc.status, ExpiresOn: tc.expires}).CheckViewable(shareNow)
		if tc.code == "" {
			if err != nil {
				t.Errorf("%s until %s: %v", tc.status, tc.expires, err)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Code != tc.code || e.Key != tc.key {
			t.Errorf("%s until %s: %v, want %s %s", tc.status, tc.expires, err, tc.code, tc.key)
		}
	}
}

func TestCheckGrant(t *testing.T) {
	open := &Share{Status: ShareRequested, CompanyID: "c1"}
	submitted := &Assessment{CompanyID: "c1", Status: AssessmentSubmitted}
	for _, tc := range []struct {
		name    string
		share   *Share
		a       *Assessment
		expires string
		code    string
		field   string
	}{
		{"submitted, a year", open, submitted, "2027-11-26", "", ""},
		{"reviewed, today", open, &Assessment{CompanyID: "c1", Status: AssessmentReviewed}, "2026-11-26", "", ""},
		{"longest", open, submitted, "2028-11-26", "", ""},
		{"too far", open, submitted, "2028-11-27", EINVALID, "expires_on"},
		{"yesterday in Tokyo", open, submitted, "2026-11-25", EINVALID, "expires_on"},
		{"not a date", open, submitted, "2027/01/01", EINVALID, "expires_on"},
		{"no date", open, submitted, "", EINVALID, "expires_on"},
		{"in progress", open, &Assessment{CompanyID: "c1", Status: AssessmentInProgress}, "2027-01-01", EINVALID, "assessment_id"},
		{"returned", open, &Assessment{CompanyID: "c1", Status: AssessmentReturned}, "2027-01-01", EINVALID, "assessment_id"},
		{"another company's", open, &Assessment{CompanyID: "c2", Status: AssessmentSubmitted}, "2027-01-01", EINVALID, "assessment_id"},
		{"none", open, nil, "2027-01-01", EINVALID, "assessment_id"},
		{"already granted", &Share{Status: ShareGranted, CompanyID: "c1"}, submitted, "2027-01-01", ECONFLICT, ""},
		{"declined", &Share{Status: ShareDeclined, CompanyID: "c1"}, submitted, "2027-01-01", ECONFLICT, ""},
		{"revoked", &Share{Status: ShareRevoked, CompanyID: "c1"}, submitted, "2027-01-01", ECONFLICT, ""},
	} {
		err := CheckGrant(tc.share, tc.a, tc.expires, shareNow)
		if tc.code == "" {
			if err != nil {
				t.Errorf("%s: %v", tc.name, err)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Code != tc.code || tc.field != "" && e.Fields[tc.field] == "" {
			t.Errorf("%s: %v (fields %v), want %s on %q", tc.name, err, e.Fields, tc.code, tc.field)
		}
	}
}

func TestShareDecisions(t *testing.T) {
	for _, tc := range []struct {
		status          string
		decline, revoke bool // allowed
	}{
		{ShareRequested, true, false},
		{ShareGranted, false, true},
		{ShareDeclined, false, false},
		{ShareRevoked, false, false},
	} {
		s := &Share{Status: tc.status}
		if err := CheckDecline(s); (err == nil) != tc.decline || err != nil && ErrorCode(err) != ECONFLICT {
			t.Errorf("decline %s: %v", tc.status, err)
		}
		if err := CheckRevoke(s); (err == nil) != tc.revoke || err != nil && ErrorCode(err) != ECONFLICT {
			t.Errorf("revoke %s: %v", tc.status, err)
		}
	}
	// An expired grant can still be revoked: the company can always stop it.
	if err := CheckRevoke(&Share{Status: ShareGranted, ExpiresOn: "2020-01-01"}); err != nil {
		t.Errorf("revoke expired: %v", err)
	}
}

func TestCheckShareRequest(t *testing.T) {
	for msg, ok := range map[string]bool{
		"": true,
		"貴社の自己診断の結果を共有いただけますか。\n期限は来月末です。":          true,
		strings.Repeat("あ", MaxShareMessageRunes):   true,
		strings.Repeat("あ", MaxShareMessageRunes+1): false,
		"見てください\u202e。":                             false,
		"nul\x00":                                   false,
	} {
		if err := CheckShareRequest(msg); (err == nil) != ok {
			t.Errorf("%q: %v", msg, err)
		}
	}
}

func TestSharedAnswersKeepNoReview(t *testing.T) {
	recs := []AnswerRecord{{
		AssessmentID: "a1", QuestionRef: "3", Answer: Answer{Value: AnswerPartly, Text: "手順書あり"},
		AnsweredBy: "u1", OnBehalf: true, ReviewStatus: ReviewReturned,
		ReviewComment: "根拠を添付してください", InternalNote: "社内メモ：要注意",
	}}
	got := SharedAnswers(recs)
	if len(got) != 1 || got[0].QuestionRef != "3" || got[0].Value != AnswerPartly || got[0].Text != "手順書あり" {
		t.Fatalf("shared: %+v", got)
	}
	// The shared shape has no field that could carry the review.
	b, _ := json.Marshal(got)
	for _, secret := range []string{"根拠を添付", "社内メモ", "u1", "review", "internal", "on_behalf"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("shared answer holds %q: %s", secret, b)
		}
	}
}
