package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"io/fs"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/renkei/renkei"
	"github.com/renkei/renkei/i18n"
	"github.com/renkei/renkei/sqlstore/storetest"
)

// Agreements' signed documents: attached through the API (the file as
// the body) or the partner page (a multipart form), kept in the app's
// directory bucket, downloaded byte for byte.

// dataFiles lists the regular files in the app's directory bucket.
func (a *testApp) dataFiles(t testing.TB) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(a.DataDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(a.DataDir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// testPDF is a PDF-looking file of n bytes, random past its header.
func testPDF(n int) []byte {
	b := make([]byte, n)
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	for i := range b {
		b[i] = byte(rng.UintN(256))
	}
	copy(b, "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	return b
}

// testPNG is the smallest PNG header, and some bytes.
var testPNG = append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0x42}, 300)...)

// testOffice is a ZIP archive holding the named parts, as DOCX and XLSX
// files are.
func testOffice(t testing.TB, parts ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		w, err := zw.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><x/>`)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// documentPath is the API path of an agreement's document.
func documentPath(partnerID, agreementID string) string {
	return "/api/v1/partners/" + partnerID + "/agreements/" + agreementID + "/document"
}

// apiDocumentT is the agreement as the document routes answer it.
type apiDocumentT struct {
	ID                  string `json:"id"`
	Contract            string `json:"contract"`
	DocumentName        string `json:"document_name"`
	DocumentContentType string `json:"document_content_type"`
	DocumentSize        int64  `json:"document_size"`
	HasDocument         bool   `json:"has_document"`
}

// putDocument attaches data under name through the API.
func putDocument(t *testing.T, app *testApp, token, path, name, ctype string, data []byte) reply {
	t.Helper()
	return app.call(t, "PUT", path+"?filename="+url.QueryEscape(name), req{Token: token, Body: data, Header: map[string]string{"Content-Type": ctype}})
}

// documentKeyPattern is how the server names stored documents.
var documentKeyPattern = regexp.MustCompile(`^orgs/[0-9a-f-]{36}/agreements/[0-9a-f-]{36}/[0-9a-f-]{36}$`)

func TestAPIAgreementDocument(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社文書", renkei.RoleLegal)
		viewer := app.addUserToken(tn, renkei.RoleViewer)
		p := apiNewPartner(t, app, tn.Token, map[string]any{"type": "supplier", "company": map[string]any{"name": "株式会社署名先"}})
		r := app.call(t, "POST", "/api/v1/partners/"+p.ID+"/agreements", req{Token: tn.Token, Body: map[string]any{"requirement_code": "confidentiality", "contract": "秘密保持契約"}})
		mustStatus(t, r, 201, "agreement")
		var ag apiDocumentT
		r.JSON(t, &ag)
		if ag.HasDocument || ag.DocumentName != "" || ag.DocumentSize != 0 || ag.DocumentContentType != "" {
			t.Fatalf("new agreement: %+v", ag)
		}
		path := documentPath(p.ID, ag.ID)
		app.refused(t, tn, "GET", path, req{Token: tn.Token}, 404, "not_found")
		app.refused(t, tn, "DELETE", path, req{Token: tn.Token}, 404, "not_found")

		// A PDF with a Japanese name: stored under a key of the server's
		// making, given back byte for byte, as an attachment.
		const name = "秘密保持契約書（2025年度）署名済.pdf"
		pdf := testPDF(300_000)
		r = putDocument(t, app, tn.Token, path, name, "application/pdf", pdf)
		mustStatus(t, r, 200, "upload")
		var got apiDocumentT
		r.JSON(t, &got)
		if !got.HasDocument || got.DocumentName != name || got.DocumentContentType != "application/pdf" || got.DocumentSize != int64(len(pdf)) || got.Contract != "秘密保持契約" {
			t.Fatalf("after upload: %+v", got)
		}
		files := app.dataFiles(t)
		if len(files) != 1 || !documentKeyPattern.MatchString(files[0]) || !strings.Contains(files[0], tn.Org.ID) || !strings.Contains(files[0], ag.ID) {
			t.Fatalf("stored as %v", files)
		}
		first := files[0]
		for _, token := range []string{tn.Token, viewer} {
			r = app.call(t, "GET", path, req{Token: token})
			mustStatus(t, r, 200, "download")
			if !bytes.Equal(r.Body, pdf) {
				t.Fatalf("downloaded %d bytes, not the %d uploaded", len(r.Body), len(pdf))
			}
			h := r.Header
			if h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Length") != "300000" ||
				!strings.Contains(h.Get("Cache-Control"), "no-store") || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
				t.Fatalf("download headers: %v", h)
			}
			cd := h.Get("Content-Disposition")
			disp, params, err := mime.ParseMediaType(cd)
			if err != nil || disp != "attachment" || params["filename"] != name {
				t.Fatalf("Content-Disposition %q: %s %v %v", cd, disp, params, err)
			}
			if !strings.Contains(cd, `filename="`) || !strings.Contains(cd, "filename*=UTF-8''%E7%A7%98%E5%AF%86") {
				t.Fatalf("Content-Disposition %q lacks the ASCII name or the UTF-8 one", cd)
			}
		}
		// The list shows it too; an edit of the agreement keeps it.
		var listed list[apiDocumentT]
		app.call(t, "GET", "/api/v1/partners/"+p.ID+"/agreements", req{Token: viewer}).JSON(t, &listed)
		if len(listed.Items) != 1 || listed.Items[0] != got {
			t.Fatalf("listed: %+v, want %+v", listed.Items, got)
		}
		r = app.call(t, "PATCH", "/api/v1/partners/"+p.ID+"/agreements/"+ag.ID, req{Token: tn.Token, Body: `{"contract":"秘密保持契約（改定）"}`})
		mustStatus(t, r, 200, "patch")
		var patched apiDocumentT
		if r.JSON(t, &patched); !patched.HasDocument || patched.DocumentName != name {
			t.Fatalf("after patch: %+v", patched)
		}

		// A viewer may download but not change it.
		app.refused(t, tn, "PUT", path+"?filename=x.pdf", req{Token: viewer, Body: pdf[:100], Header: map[string]string{"Content-Type": "application/pdf"}}, 403, "forbidden")
		app.refused(t, tn, "DELETE", path, req{Token: viewer}, 403, "forbidden")

		// Refused files keep nothing: not in the database (the audit head
		// is unchanged, checked by refused), not in the directory.
		en := func(ct string) map[string]string {
			return map[string]string{"Content-Type": ct, "Accept-Language": "en"}
		}
		exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), bytes.Repeat([]byte{0}, 200)...)
		html := []byte("<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>")
		for _, c := range []struct {
			what, name, ct string
			data           []byte
			field          string
		}{
			{"a program", "setup.exe", "application/octet-stream", exe, "document"},
			{"a program named .pdf", "契約書.pdf", "application/pdf", exe, "document"},
			{"HTML named .pdf", "invoice.pdf", "application/pdf", html, "document"},
			{"HTML", "page.html", "text/html", html, "document"},
			{"a PNG named .jpg", "scan.jpg", "image/jpeg", testPNG, "document"},
			{"a ZIP named .docx", "覚書.docx", "application/octet-stream", testOffice(t, "readme.txt"), "document"},
			{"an XLSX named .docx", "覚書.docx", "application/octet-stream", testOffice(t, "[Content_Types].xml", "xl/workbook.xml"), "document"},
			{"Shift_JIS text", "メモ.txt", "text/plain", []byte("\x8c\x5f\x96\xf1\x8f\x91"), "document"},
			{"an empty file", "empty.pdf", "application/pdf", []byte{}, "document"},
			{"a path in the name", "../../orgs/x/secret.pdf", "application/pdf", pdf[:100], "filename"},
			{"a backslash in the name", `C:\tmp\contract.pdf`, "application/pdf", pdf[:100], "filename"},
			{"a direction override in the name", "invoice\u202efdp.exe", "application/pdf", pdf[:100], "filename"},
			{"a name too long", strings.Repeat("契", 200) + ".pdf", "application/pdf", pdf[:100], "filename"},
			{"no name", "", "application/pdf", pdf[:100], "filename"},
		} {
			e := app.refused(t, tn, "PUT", path+"?filename="+url.QueryEscape(c.name), req{Token: tn.Token, Body: c.data, Header: en(c.ct)}, 400, "invalid")
			if e.Error.Fields[c.field] == "" || len(e.Error.Fields) != 1 {
				t.Errorf("%s: fields %v, want %s", c.what, e.Error.Fields, c.field)
			}
			if got := app.dataFiles(t); !slices.Equal(got, []string{first}) {
				t.Fatalf("%s: files %v", c.what, got)
			}
		}
		e := app.refused(t, tn, "PUT", path+"?filename=x.pdf", req{Token: tn.Token, Body: html, Header: en("application/pdf")}, 400, "invalid")
		if e.Error.Fields["document"] != i18n.T("en", "field.document_type") {
			t.Errorf("type message: %q", e.Error.Fields["document"])
		}
		// Over 20 MB: 413, announced or not; a form instead of the file: 415.
		big := testPDF(21 << 20)
		e = app.refused(t, tn, "PUT", path+"?filename=big.pdf", req{Token: tn.Token, Body: big, Header: en("application/pdf")}, 413, "too_large")
		if !strings.Contains(e.Error.Message, "20 MB") || e.Error.Fields["document"] == "" {
			t.Errorf("too large: %+v", e.Error)
		}
		before := app.state(t, tn)
		hr, _ := http.NewRequest("PUT", app.Server.URL+path+"?filename=big.pdf", io.MultiReader(bytes.NewReader(big)))
		hr.Header.Set("Authorization", "Bearer "+tn.Token)
		hr.Header.Set("Content-Type", "application/pdf")
		res, err := http.DefaultClient.Do(hr)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if hr.ContentLength != 0 || res.StatusCode != 413 || !strings.Contains(string(body), `"too_large"`) {
			t.Fatalf("chunked over the limit: %d %s", res.StatusCode, body)
		}
		loadSpec(t).checkResponse(t, "PUT", path, res.StatusCode, body)
		if app.state(t, tn).AuditSeq != before.AuditSeq {
			t.Fatal("an oversized upload changed something")
		}
		for _, ct := range []string{"multipart/form-data; boundary=x", "application/x-www-form-urlencoded"} {
			app.refused(t, tn, "PUT", path+"?filename=x.pdf", req{Token: tn.Token, Body: pdf[:100], Header: en(ct)}, 415, "unsupported_media_type")
		}
		if got := app.dataFiles(t); !slices.Equal(got, []string{first}) {
			t.Fatalf("after refusals: %v", got)
		}
		r = app.call(t, "GET", path, req{Token: tn.Token})
		if r.Status != 200 || !bytes.Equal(r.Body, pdf) {
			t.Fatal("a refused upload changed the document")
		}

		// Replacing: the new file is served, the old one is gone.
		r = putDocument(t, app, tn.Token, path, "scan.PNG", "image/png", testPNG)
		mustStatus(t, r, 200, "replace")
		if r.JSON(t, &got); got.DocumentName != "scan.PNG" || got.DocumentContentType != "image/png" || got.DocumentSize != int64(len(testPNG)) {
			t.Fatalf("after replace: %+v", got)
		}
		files = app.dataFiles(t)
		if len(files) != 1 || files[0] == first || !documentKeyPattern.MatchString(files[0]) {
			t.Fatalf("after replace: files %v (first %s)", files, first)
		}
		r = app.call(t, "GET", path, req{Token: viewer})
		if r.Status != 200 || !bytes.Equal(r.Body, testPNG) || r.Header.Get("Content-Type") != "image/png" ||
			!strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("replaced download: %d %v", r.Status, r.Header)
		}
		// Word, Excel and text are allowed too; the type is the server's,
		// whatever the client said.
		for _, c := range []struct {
			name, want string
			data       []byte
		}{
			{"覚書.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", testOffice(t, "[Content_Types].xml", "_rels/.rels", "word/document.xml")},
			{"台帳.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", testOffice(t, "[Content_Types].xml", "xl/workbook.xml")},
			{"メモ.txt", "text/plain; charset=utf-8", []byte("72時間以内に報告すること。\r\n")},
		} {
			r = putDocument(t, app, tn.Token, path, c.name, "application/octet-stream", c.data)
			mustStatus(t, r, 200, c.name)
			if r.JSON(t, &got); got.DocumentContentType != c.want {
				t.Errorf("%s: %+v", c.name, got)
			}
			r = app.call(t, "GET", path, req{Token: tn.Token})
			if !bytes.Equal(r.Body, c.data) || r.Header.Get("Content-Type") != c.want {
				t.Errorf("%s: downloaded as %s", c.name, r.Header.Get("Content-Type"))
			}
			if files := app.dataFiles(t); len(files) != 1 {
				t.Fatalf("%s: files %v", c.name, files)
			}
		}

		// Removing: the file goes; the agreement stays.
		mustStatus(t, app.call(t, "DELETE", path, req{Token: tn.Token}), 204, "remove")
		if files := app.dataFiles(t); len(files) != 0 {
			t.Fatalf("after remove: files %v", files)
		}
		app.refused(t, tn, "GET", path, req{Token: tn.Token}, 404, "not_found")
		app.refused(t, tn, "DELETE", path, req{Token: tn.Token}, 404, "not_found")
		app.call(t, "GET", "/api/v1/partners/"+p.ID+"/agreements", req{Token: viewer}).JSON(t, &listed)
		if len(listed.Items) != 1 || listed.Items[0].HasDocument || listed.Items[0].DocumentName != "" || listed.Items[0].DocumentSize != 0 {
			t.Fatalf("after remove: %+v", listed.Items)
		}
		// Deleting an agreement deletes its document.
		mustStatus(t, putDocument(t, app, tn.Token, path, name, "application/pdf", pdf), 200, "upload again")
		if files := app.dataFiles(t); len(files) != 1 {
			t.Fatalf("files %v", files)
		}
		mustStatus(t, app.call(t, "DELETE", "/api/v1/partners/"+p.ID+"/agreements/"+ag.ID, req{Token: tn.Token}), 204, "delete agreement")
		if files := app.dataFiles(t); len(files) != 0 {
			t.Fatalf("after deleting the agreement: files %v", files)
		}
		// Attach, replace ×4, remove, attach: seven entries.
		admin := *tn
		admin.Token = app.addUserToken(tn, renkei.RoleAdmin)
		es := auditFor(t, app, &admin, "agreement.document")
		if len(es) != 7 {
			t.Fatalf("%d agreement.document audit entries, want 7", len(es))
		}
		if es[len(es)-1].Detail["name"] != name || es[len(es)-1].ObjectID != ag.ID {
			t.Fatalf("first audit entry: %+v", es[len(es)-1])
		}
	})
}

// uploadDocument posts a file to an agreement's upload form on the page;
// name "" sends the form without a file.
func uploadDocument(t *testing.T, app *testApp, c *http.Client, path, tok, name string, data []byte, header ...string) *page {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if tok != "" {
		_ = mw.WriteField("csrf_token", tok)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("document", name)
		_, _ = fw.Write(data)
	}
	mw.Close()
	rq, _ := http.NewRequest("POST", app.Server.URL+path, &body)
	rq.Header.Set("Content-Type", mw.FormDataContentType())
	for i := 0; i+1 < len(header); i += 2 {
		rq.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(rq)
	return readPage(t, res, err)
}

func TestPartnerPageAgreementDocument(t *testing.T) {
	eachApp(t, func(t *testing.T, app *testApp) {
		tn := app.newTenant("株式会社書類", renkei.RoleLegal)
		p := seedPartner(t, app, tn.Org.ID, "株式会社添付先", nil)
		ag := seedAgreement(t, app, p)
		c := signIn(t, app, tn.User)
		base := "/partners/" + p.ID
		upload := base + "/agreements/" + ag.ID + "/document"
		tok := csrf(t, app, c, base)

		pg := get(t, app, c, base)
		checkPartnerPage(t, "partner page", pg)
		form := pg.Doc.Find(`form[action="` + upload + `"]`)
		if enc, _ := form.Attr("enctype"); enc != "multipart/form-data" || form.Find(`input[name="csrf_token"]`).Length() != 1 {
			t.Fatalf("upload form: enctype %q", enc)
		}
		if acc, _ := form.Find(`input[type="file"][name="document"]`).Attr("accept"); acc != ".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.txt" {
			t.Fatalf("accept = %q", acc)
		}
		if pg.Doc.Find(`a[href="`+upload+`"]`).Length() != 0 {
			t.Fatal("a download link without a document")
		}

		// Without the CSRF token: 403, nothing kept.
		if res := uploadDocument(t, app, c, upload, "", "契約書.pdf", testPDF(2000)); res.Status != http.StatusForbidden {
			t.Fatalf("without CSRF: %d", res.Status)
		}
		if res := uploadDocument(t, app, c, upload, "wrong", "契約書.pdf", testPDF(2000)); res.Status != http.StatusForbidden {
			t.Fatalf("wrong CSRF: %d", res.Status)
		}
		// Refused files come back by the form, in the page's language.
		for _, x := range []struct {
			what, name string
			data       []byte
			status     int
			key        string
		}{
			{"HTML named .pdf", "請求書.pdf", []byte("<html><script>alert(1)</script></html>"), 400, "field.document_type"},
			{"a program", "setup.exe", []byte("MZ\x90\x00\x03"), 400, "field.document_type"},
			{"no file", "", nil, 400, "partners_web.agreement.document_no_file"},
			{"over 20 MB", "big.pdf", testPDF(21 << 20), 413, "field.document_size"},
		} {
			res := uploadDocument(t, app, c, upload, tok, x.name, x.data)
			checkPartnerPage(t, x.what, res)
			if msg := res.Doc.Find("#document-" + ag.ID + "-error").Text(); res.Status != x.status || msg != i18n.T("ja", x.key) {
				t.Errorf("%s: %d %q", x.what, res.Status, msg)
			}
			if res.Doc.Find(".error-summary").Length() != 1 {
				t.Errorf("%s: no error summary", x.what)
			}
			if files := app.dataFiles(t); len(files) != 0 {
				t.Fatalf("%s: files %v", x.what, files)
			}
		}
		toEnglish(t, app, c)
		res := uploadDocument(t, app, c, upload, tok, "invoice.pdf", []byte("MZ"))
		if msg := res.Doc.Find("#document-" + ag.ID + "-error").Text(); msg != i18n.T("en", "field.document_type") {
			t.Fatalf("English error: %q", msg)
		}

		// A PDF is attached and downloads as it was.
		const name = "秘密保持契約書.pdf"
		pdf := testPDF(50_000)
		wantRedirect(t, uploadDocument(t, app, c, upload, tok, name, pdf), base+"?done=document_attached")
		if files := app.dataFiles(t); len(files) != 1 || !documentKeyPattern.MatchString(files[0]) {
			t.Fatalf("files %v", files)
		}
		pg = get(t, app, c, base)
		checkPartnerPage(t, "with a document", pg)
		link := pg.Doc.Find(`a[href="` + upload + `"]`)
		if link.Length() != 1 || !strings.Contains(link.Text(), name) {
			t.Fatalf("download link: %q", link.Text())
		}
		dl, err := c.Get(app.Server.URL + upload)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(dl.Body)
		dl.Body.Close()
		if _, params, _ := mime.ParseMediaType(dl.Header.Get("Content-Disposition")); dl.StatusCode != 200 || !bytes.Equal(got, pdf) || params["filename"] != name ||
			dl.Header.Get("Content-Type") != "application/pdf" || dl.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("page download: %d, %d bytes, %v", dl.StatusCode, len(got), dl.Header)
		}
		// A viewer sees and downloads it, and has no form.
		viewer := signIn(t, app, app.addUser(tn, renkei.RoleViewer))
		vp := get(t, app, viewer, base)
		if vp.Doc.Find(`a[href="`+upload+`"]`).Length() != 1 || vp.Doc.Find(`main form[method="post"]`).Length() != 0 {
			t.Fatal("viewer's page: no link, or a form")
		}
		if dl, err := viewer.Get(app.Server.URL + upload); err != nil || dl.StatusCode != 200 {
			t.Fatalf("viewer download: %v %v", dl, err)
		} else {
			dl.Body.Close()
		}
		// Replaced from the page: the old file goes.
		first := app.dataFiles(t)[0]
		wantRedirect(t, uploadDocument(t, app, c, upload, tok, "scan.png", testPNG), base+"?done=document_attached")
		if files := app.dataFiles(t); len(files) != 1 || files[0] == first {
			t.Fatalf("after replace: %v", files)
		}
		// Removed from the page.
		wantRedirect(t, post(t, app, c, upload+"/delete", url.Values{"csrf_token": {tok}}), base+"?done=document_removed")
		if files := app.dataFiles(t); len(files) != 0 {
			t.Fatalf("after remove: %v", files)
		}
		if list, _ := app.DB.Agreements(context.Background(), tn.Org.ID, p.ID); len(list) != 1 || list[0].HasDocument() {
			t.Fatalf("after remove: %+v", list)
		}
		if res := get(t, app, c, upload); res.Status != http.StatusNotFound {
			t.Fatalf("download after remove: %d", res.Status)
		}
		if res := post(t, app, c, upload+"/delete", url.Values{"csrf_token": {tok}}); res.Status != http.StatusNotFound {
			t.Fatalf("remove twice: %d", res.Status)
		}
		// Another tenant's document is not found, by page either.
		other := app.newTenant("株式会社他人", renkei.RoleAdmin)
		oc := signIn(t, app, other.User)
		mustStatus(t, putDocument(t, app, tn.Token, documentPath(p.ID, ag.ID), name, "application/pdf", pdf), 200, "upload by API")
		if res := get(t, app, oc, upload); res.Status != http.StatusNotFound || strings.Contains(res.Body, name) {
			t.Fatalf("other tenant's download: %d", res.Status)
		}
		otok := csrf(t, app, oc, "/partners")
		if res := uploadDocument(t, app, oc, upload, otok, "乗っ取り.pdf", testPDF(100)); res.Status != http.StatusNotFound {
			t.Fatalf("other tenant's upload: %d", res.Status)
		}
		if res := post(t, app, oc, upload+"/delete", url.Values{"csrf_token": {otok}}); res.Status != http.StatusNotFound {
			t.Fatalf("other tenant's remove: %d", res.Status)
		}
		if list, _ := app.DB.Agreements(storetest.System(), tn.Org.ID, p.ID); len(list) != 1 || list[0].DocumentName != name || len(app.dataFiles(t)) != 1 {
			t.Fatalf("another tenant changed the document: %+v", list)
		}
	})
}
