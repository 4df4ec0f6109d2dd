package blobstore

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/renkei/renkei"
)

// files lists the regular files under dir, relative to it.
func files(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestFilesOnADirectory(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var fstore renkei.FileStore = Files{Bucket: b}
	const key = "orgs/0190a0a0-0000-7000-8000-000000000001/agreements/0190a0a0-0000-7000-8000-000000000002/0190a0a0-0000-7000-8000-000000000003"
	data := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 100_000)...)

	if err := fstore.Put(ctx, key, bytes.NewReader(data), int64(len(data)), renkei.ContentTypePDF); err != nil {
		t.Fatal(err)
	}
	if got := files(t, dir); len(got) != 1 || got[0] != key {
		t.Fatalf("files after put: %v (no metadata sidecar, no temporary file)", got)
	}
	r, info, err := fstore.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(r)
	r.Close()
	if err != nil || !bytes.Equal(back, data) || info.Size != int64(len(data)) {
		t.Fatalf("read back %d bytes (info %+v), %v", len(back), info, err)
	}

	// A body shorter or longer than announced stores nothing, and leaves
	// the file that was there.
	for name, c := range map[string]struct {
		body string
		size int64
	}{"short": {"%PDF-1.7", 100}, "long": {"%PDF-1.7 and more", 8}} {
		if err := fstore.Put(ctx, key, strings.NewReader(c.body), c.size, renkei.ContentTypePDF); err == nil {
			t.Errorf("%s body accepted", name)
		}
		if err := fstore.Put(ctx, key+"-"+name, strings.NewReader(c.body), c.size, renkei.ContentTypePDF); err == nil {
			t.Errorf("%s body accepted", name)
		}
	}
	// A cancelled upload stores nothing either.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if err := fstore.Put(cctx, key+"-cancelled", strings.NewReader("%PDF-1.7"), 8, renkei.ContentTypePDF); err == nil {
		t.Error("cancelled put succeeded")
	}
	if got := files(t, dir); len(got) != 1 || got[0] != key {
		t.Fatalf("files after failed puts: %v", got)
	}
	if r, _, _ := fstore.Open(ctx, key); r != nil {
		back, _ := io.ReadAll(r)
		r.Close()
		if !bytes.Equal(back, data) {
			t.Fatal("a failed put changed the file")
		}
	}

	if err := fstore.Delete(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, filepath.FromSlash(key))); !os.IsNotExist(err) {
		t.Fatalf("file left after delete: %v", err)
	}
	if err := fstore.Delete(ctx, key); renkei.ErrorCode(err) != renkei.ENOTFOUND {
		t.Fatalf("delete twice: %v", err)
	}
	if _, _, err := fstore.Open(ctx, key); renkei.ErrorCode(err) != renkei.ENOTFOUND {
		t.Fatalf("open missing: %v", err)
	}
}
