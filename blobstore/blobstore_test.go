package blobstore

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

func TestDirectoryBucket(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "nested", "data")
	b, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := Check(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := b.WriteAll(ctx, "org/1/evidence.pdf", []byte("%PDF-1.7"), nil); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "org", "1", "evidence.pdf")); err != nil {
		t.Fatalf("file not on disk: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".renkei-check")); !os.IsNotExist(err) {
		t.Fatalf("check object left behind: %v", err)
	}
}

func TestBadURL(t *testing.T) {
	if _, err := Open(context.Background(), "nosuch://bucket"); err == nil {
		t.Fatal("unknown scheme accepted")
	}
	if _, err := Open(context.Background(), ""); err == nil {
		t.Fatal("empty accepted")
	}
}
