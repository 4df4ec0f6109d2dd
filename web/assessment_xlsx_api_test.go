package web_test

import (
	"bytes"
	"context"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/renkei/renkei"
)

type xlsxImportT struct {
	Saved  int `json:"saved"`
	Errors []struct {
		Cell     string `json:"cell"`
		Question string `json:"question"`
		Message  string `json:"message"`
	} `json:"errors"`
}

// storedAnswers reads an assessment's answers from the store, by ref.
func storedAnswers(t *testing.T, app *testApp, tn *tenant, id string) map[string]renkei.AnswerRecord {
	t.Helper()
	recs, err := app.DB.Answers(renkei.WithActor(context.Background(), &renkei.Actor{UserID: tn.User.ID, OrgID: tn.Org.ID, Role: renkei.RoleAdmin}), tn.Org.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]renkei.AnswerRecord{}
	for _, r := range recs {
		r.UpdatedAt = r.UpdatedAt.UTC()
		out[r.QuestionRef] = r
	}
	return out
}

// fillXLSX sets answer cells (column D, the row of each question ref) of
// a downloaded workbook, as a person in Excel would.
func fillXLSX(t *testing.T, data []byte, cells map[string]string) []byte {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	for ref, v := range cells {
		if err := f.SetCellValue(sheet, "D"+strconv.Itoa(xlsxRow(t, f, sheet, ref)), v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// xlsxRow is the row of question ref (column B holds the refs).
func xlsxRow(t *testing.T, f *excelize.File, sheet, ref string) int {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i, row := range rows {
		if len(row) > 1 && row[1] == ref && i >= 8 {
			return i + 1
		}
	}
	t.Fatalf("no row for question %s", ref)
	return 0
}

func TestAPIAssessmentXLSXRoundTrip(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("甲社", renkei.RoleAdmin)
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		id := apiTenancyAssessment(t, app, tn, false)
		first := selfCheckAnswers(10, "yes")
		first[3]["value"] = "partly"
		mustStatus(t, app.call(t, "PUT", "/api/v1/assessments/"+id+"/answers", req{Token: tn.Token, Body: map[string]any{"answers": first}}), 200, "answers")
		before := storedAnswers(t, app, tn, id)

		// Download (a viewer may), upload unchanged: nothing saved, same answers.
		r := app.call(t, "GET", "/api/v1/assessments/"+id+"/xlsx?lang=en", req{Token: viewer})
		mustStatus(t, r, 200, "download")
		if !strings.HasPrefix(r.Header.Get("Content-Type"), xlsxType) || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("download headers: %v", r.Header)
		}
		file := r.Body
		r = app.call(t, "PUT", "/api/v1/assessments/"+id+"/xlsx", req{Token: tn.Token, Body: file, Header: map[string]string{"Content-Type": xlsxType}})
		mustStatus(t, r, 200, "upload unchanged")
		var res xlsxImportT
		r.JSON(t, &res)
		if res.Saved != 0 || len(res.Errors) != 0 {
			t.Fatalf("unchanged upload: %+v", res)
		}
		if after := storedAnswers(t, app, tn, id); !reflect.DeepEqual(before, after) {
			t.Fatalf("unchanged upload changed answers:\nbefore %+v\nafter  %+v", before, after)
		}

		// Filled in offline with one bad cell: the valid answers are kept,
		// the bad one is reported by its cell.
		filled := fillXLSX(t, file, map[string]string{"11": "No", "12": "maybe", "13": "Partly", "4": "Yes"})
		r = app.call(t, "PUT", "/api/v1/assessments/"+id+"/xlsx", req{Token: tn.Token, Body: filled, Header: map[string]string{"Content-Type": xlsxType}})
		mustStatus(t, r, 200, "upload filled")
		res = xlsxImportT{}
		r.JSON(t, &res)
		if res.Saved != 3 || len(res.Errors) != 1 || res.Errors[0].Question != "12" || !strings.HasPrefix(res.Errors[0].Cell, "D") || res.Errors[0].Message == "" {
			t.Fatalf("filled upload: %+v", res)
		}
		got := storedAnswers(t, app, tn, id)
		if got["11"].Value != "no" || got["13"].Value != "partly" || got["4"].Value != "yes" || !got["11"].OnBehalf {
			t.Fatalf("saved answers: %+v", got)
		}
		if _, ok := got["12"]; ok {
			t.Fatalf("the bad cell was saved: %+v", got["12"])
		}
		if !reflect.DeepEqual(got["1"], before["1"]) {
			t.Fatalf("an unchanged answer was rewritten: %+v → %+v", before["1"], got["1"])
		}

		// Whole-file problems: nothing changes.
		snapshot := storedAnswers(t, app, tn, id)
		other := apiTenancyAssessment(t, app, tn, false)
		otherFile := app.call(t, "GET", "/api/v1/assessments/"+other+"/xlsx", req{Token: tn.Token}).Body
		for name, c := range map[string]struct {
			body   []byte
			ct     string
			token  string
			status int
		}{
			"another assessment's": {fillXLSX(t, otherFile, map[string]string{"20": "はい"}), xlsxType, tn.Token, 400},
			"not a workbook":       {[]byte("ID,answer\n1,yes\n"), xlsxType, tn.Token, 400},
			"empty":                {[]byte{}, "application/octet-stream", tn.Token, 400},
			"too large":            {bytes.Repeat([]byte("x"), 10<<20+10), xlsxType, tn.Token, 413},
			"wrong type":           {filled, "text/csv", tn.Token, 415},
			"viewer":               {filled, xlsxType, viewer, 403},
		} {
			r := app.call(t, "PUT", "/api/v1/assessments/"+id+"/xlsx", req{Token: c.token, Body: c.body, Header: map[string]string{"Content-Type": c.ct}})
			if r.Status != c.status || r.Err(t).Error.Message == "" {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
		if now := storedAnswers(t, app, tn, id); !reflect.DeepEqual(snapshot, now) {
			t.Fatal("a refused upload changed answers")
		}
		if len(storedAnswers(t, app, tn, other)) != 0 {
			t.Fatal("the other assessment was changed")
		}

		// A submitted assessment takes no upload.
		all := selfCheckAnswers(25, "yes")
		mustStatus(t, app.call(t, "PUT", "/api/v1/assessments/"+id+"/answers", req{Token: tn.Token, Body: map[string]any{"answers": all}}), 200, "complete")
		mustStatus(t, app.call(t, "POST", "/api/v1/assessments/"+id+"/submit", req{Token: tn.Token}), 200, "submit")
		r = app.call(t, "PUT", "/api/v1/assessments/"+id+"/xlsx", req{Token: tn.Token, Body: filled, Header: map[string]string{"Content-Type": xlsxType}})
		mustStatus(t, r, 409, "upload after submit")
	})
}
