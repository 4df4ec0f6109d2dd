// Package blobstore keeps files (evidence, SBOMs, reports) in a bucket
// through gocloud.dev/blob: a local directory by default, an S3-compatible
// bucket (s3://bucket?region=…&endpoint=…) when several replicas share it.
package blobstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"gocloud.dev/blob"
	"gocloud.dev/blob/fileblob"
	_ "gocloud.dev/blob/s3blob" // registers s3://
)

// Open opens the bucket named by a --data value: a directory path (created
// if missing) or a bucket URL with a scheme (s3://, file://).
func Open(ctx context.Context, data string) (*blob.Bucket, error) {
	if data == "" {
		return nil, fmt.Errorf("--data is empty: give a directory or an s3:// bucket URL")
	}
	if strings.Contains(data, "://") {
		b, err := blob.OpenBucket(ctx, data)
		if err != nil {
			return nil, fmt.Errorf("open bucket %s: %w", data, err)
		}
		return b, nil
	}
	dir, err := filepath.Abs(data)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory %s: %w", dir, err)
	}
	// Temporary files in the directory itself keep the final rename on one
	// file system; metadata sidecars are not needed.
	b, err := fileblob.OpenBucket(dir, &fileblob.Options{NoTempDir: true, Metadata: fileblob.MetadataDontWrite})
	if err != nil {
		return nil, fmt.Errorf("open data directory %s: %w", dir, err)
	}
	return b, nil
}

// Check writes, reads back and deletes a small object, so that a bucket
// that cannot be written is found at start rather than at the first upload.
func Check(ctx context.Context, b *blob.Bucket) error {
	const key = ".renkei-check"
	want := []byte("ok")
	if err := b.WriteAll(ctx, key, want, nil); err != nil {
		return fmt.Errorf("data store not writable: %w", err)
	}
	got, err := b.ReadAll(ctx, key)
	if err != nil || string(got) != string(want) {
		return fmt.Errorf("data store read-back failed: %v", err)
	}
	return b.Delete(ctx, key)
}
