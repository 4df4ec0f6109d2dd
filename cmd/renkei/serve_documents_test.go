package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeDocuments: serve wires the --data directory into the web
// server, so an agreement's signed document attached through the API
// lands in it and downloads again.
func TestServeDocuments(t *testing.T) {
	env := map[string]string{"RENKEI_DB": "sqlite:" + filepath.Join(t.TempDir(), "docs.db")}
	data := filepath.Join(t.TempDir(), "files")
	s := startServer(t, env, "--data", data)
	renkeiCmd(t, env, "", "org", "create", "--name", "文書社", "--slug", "docs")
	if r := renkeiCmd(t, env, "docs-password-123\n", "user", "create", "--org", "docs", "--email", "d@example.jp", "--role", "legal"); r.code != 0 {
		t.Fatal(r)
	}
	tok := lastLine(renkeiCmd(t, env, "", "token", "create", "--org", "docs", "--email", "d@example.jp").stdout)
	call := func(method, path, ctype string, body []byte) (int, []byte) {
		t.Helper()
		req, _ := http.NewRequest(method, s.URL+path, bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		req.Header.Set("Content-Type", ctype)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}
	var obj struct{ ID string }
	code, b := call("POST", "/api/v1/partners", "application/json", []byte(`{"type":"supplier","company":{"name":"株式会社署名"}}`))
	if code != 201 || json.Unmarshal(b, &obj) != nil {
		t.Fatalf("partner: %d %s", code, b)
	}
	pid := obj.ID
	code, b = call("POST", "/api/v1/partners/"+pid+"/agreements", "application/json", []byte(`{"requirement_code":"confidentiality"}`))
	if code != 201 || json.Unmarshal(b, &obj) != nil {
		t.Fatalf("agreement: %d %s", code, b)
	}
	path := "/api/v1/partners/" + pid + "/agreements/" + obj.ID + "/document"
	pdf := []byte("%PDF-1.7\n署名済みの秘密保持契約書\n%%EOF\n")
	if code, b := call("PUT", path+"?filename="+url.QueryEscape("秘密保持契約書.pdf"), "application/pdf", pdf); code != 200 {
		t.Fatalf("upload: %d %s", code, b)
	}
	var stored []string
	filepath.WalkDir(data, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			stored = append(stored, p)
		}
		return nil
	})
	if len(stored) != 1 || !strings.Contains(filepath.ToSlash(stored[0]), "/orgs/") {
		t.Fatalf("files in --data: %v", stored)
	}
	if on, _ := os.ReadFile(stored[0]); !bytes.Equal(on, pdf) {
		t.Fatalf("file on disk: %q", on)
	}
	if code, b := call("GET", path, "", nil); code != 200 || !bytes.Equal(b, pdf) {
		t.Fatalf("download: %d %q", code, b)
	}
}
