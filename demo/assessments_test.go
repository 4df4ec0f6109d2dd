package demo_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/demo"
	"github.com/renkei/renkei/sqlstore"
	"github.com/renkei/renkei/sqlstore/storetest"
)

func TestDemoAssessments(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx, res, load := loadDemo(t, db)
		org := res.Org.ID
		all, _, err := db.ListAssessments(ctx, org, renkei.AssessmentFilter{}, renkei.Page{Limit: renkei.MaxPageLimit})
		if err != nil || len(all) != res.Assessments || len(all) < demo.SelfCheckPartners {
			t.Fatalf("assessments: %d listed, %d reported, %v", len(all), res.Assessments, err)
		}
		byStatus := map[string]int{}
		templates := map[string]bool{}
		for _, a := range all {
			byStatus[a.Status]++
			templates[a.TemplateSlug] = true
		}
		for _, st := range []string{renkei.AssessmentSent, renkei.AssessmentOpened, renkei.AssessmentInProgress,
			renkei.AssessmentSubmitted, renkei.AssessmentReturned, renkei.AssessmentReviewed} {
			if byStatus[st] == 0 {
				t.Errorf("no assessment %s: %v", st, byStatus)
			}
		}
		if !templates[renkei.TemplateSupplyChainStar3] && !templates[renkei.TemplateSupplyChainStar4] {
			t.Errorf("no campaign by required level: %v", templates)
		}

		// Every score is the template's rule applied to the stored answers.
		scored, notes, comments, onBehalf := 0, 0, 0, 0
		for _, a := range all {
			recs, err := db.Answers(ctx, org, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			answers := map[string]renkei.Answer{}
			for _, r := range recs {
				answers[r.QuestionRef] = r.Answer
				if r.InternalNote != "" {
					notes++
				}
				if r.ReviewComment != "" {
					comments++
				}
				if r.OnBehalf {
					onBehalf++
				}
			}
			if a.Score == nil {
				continue
			}
			tpl, err := db.AssessmentTemplate(ctx, org, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := renkei.Score(tpl, answers); !reflect.DeepEqual(*a.Score, want) {
				t.Errorf("assessment %s: stored score %+v, recomputed %+v", a.ID, a.Score.Total, want.Total)
			}
			scored++
		}
		if scored != byStatus[renkei.AssessmentSubmitted]+byStatus[renkei.AssessmentReturned]+byStatus[renkei.AssessmentReviewed] || notes == 0 || comments == 0 || onBehalf == 0 {
			t.Errorf("scored %d, internal notes %d, comments %d, answers on behalf %d", scored, notes, comments, onBehalf)
		}

		// Remediation items in each state, one overdue.
		ms, _, err := db.ListRemediations(ctx, org, renkei.RemediationFilter{}, renkei.Page{Limit: renkei.MaxPageLimit})
		if err != nil {
			t.Fatal(err)
		}
		states, overdue := map[string]int{}, 0
		today := time.Now().In(renkei.Tokyo).Format(time.DateOnly)
		for _, m := range ms {
			states[m.Status]++
			if m.ClosedAt == nil && m.DueDate != "" && m.DueDate < today {
				overdue++
			}
		}
		if states[renkei.RemediationOpen] == 0 || states[renkei.RemediationInProgress] == 0 || states[renkei.RemediationDone] == 0 || overdue != 1 {
			t.Errorf("remediations: %v, %d overdue", states, overdue)
		}

		// One assessment shared with the demo organization, without the
		// sending organization's review.
		shares, _, err := db.SharedAssessments(ctx, org, renkei.Page{})
		if err != nil || len(shares) != 1 {
			t.Fatalf("shares: %+v %v", shares, err)
		}
		cp, err := db.SharedAssessment(ctx, org, shares[0].ID)
		if err != nil || cp.Score == nil || len(cp.Answers) != 25 {
			t.Fatalf("shared copy: %+v %v", cp, err)
		}

		if again := load(); again.Assessments != 0 {
			t.Fatalf("second load: %+v", again)
		}
		if n, _, _ := db.ListAssessments(ctx, org, renkei.AssessmentFilter{}, renkei.Page{Limit: renkei.MaxPageLimit}); len(n) != len(all) {
			t.Fatalf("second load made assessments: %d", len(n))
		}
	})
}
