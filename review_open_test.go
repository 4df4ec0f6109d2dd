package renkei

import (
	"testing"
	"time"
)

func TestReviewOpen(t *testing.T) {
	at := func(m int) time.Time { return time.Date(2026, 11, 26, 10, m, 0, 0, time.UTC) }
	rec := func(status string, m int) AnswerRecord { return AnswerRecord{ReviewStatus: status, UpdatedAt: at(m)} }
	cases := []struct {
		name    string
		status  string
		answers []AnswerRecord
		want    bool
	}{
		{"submitted", AssessmentSubmitted, []AnswerRecord{rec(ReviewPending, 0)}, true},
		{"in progress", AssessmentInProgress, []AnswerRecord{rec(ReviewPending, 0)}, false},
		{"reviewed", AssessmentReviewed, []AnswerRecord{rec(ReviewAccepted, 5)}, false},
		{"returned, untouched", AssessmentReturned, []AnswerRecord{rec(ReviewPending, 0), rec(ReviewReturned, 5), rec(ReviewAccepted, 6)}, true},
		{"returned, the partner answered again", AssessmentReturned, []AnswerRecord{rec(ReviewPending, 7), rec(ReviewAccepted, 6)}, false},
		{"returned, the partner changed an unreviewed answer", AssessmentReturned, []AnswerRecord{rec(ReviewPending, 9), rec(ReviewPending, 0), rec(ReviewReturned, 5)}, false},
	}
	for _, c := range cases {
		if got := ReviewOpen(c.status, c.answers); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
