package blobstore

import (
	"context"
	"errors"
	"fmt"
	"io"

	"gocloud.dev/blob"
	"gocloud.dev/gcerrors"

	"github.com/renkei/renkei"
)

// Files is a renkei.FileStore over a bucket opened by Open.
//
// The content type goes to the bucket with each file (an S3 object keeps
// it); a directory bucket writes no metadata, so Open may report none:
// the database, which records every file's name and type, is the source
// of truth for both.
type Files struct {
	Bucket *blob.Bucket
}

var _ renkei.FileStore = Files{}

// errShort is a body that ended before its announced size.
var errShort = errors.New("blobstore: the file is shorter or longer than its size")

// Put writes the file. The bucket makes it visible only when complete (a
// directory bucket renames a finished temporary file into place; S3
// completes the upload): a short or long body, or a cancelled context,
// leaves nothing under key.
func (f Files) Put(ctx context.Context, key string, r io.Reader, size int64, contentType string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	w, err := f.Bucket.NewWriter(ctx, key, &blob.WriterOptions{ContentType: contentType})
	if err != nil {
		return fmt.Errorf("blobstore: put %s: %w", key, err)
	}
	// One byte more than announced tells a long body from an exact one.
	n, err := io.Copy(w, io.LimitReader(r, size+1))
	if err == nil && n != size {
		err = errShort
	}
	if err != nil {
		cancel() // abandons the write
		_ = w.Close()
		return fmt.Errorf("blobstore: put %s: %w", key, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("blobstore: put %s: %w", key, err)
	}
	return nil
}

// Open streams the file under key.
func (f Files) Open(ctx context.Context, key string) (io.ReadCloser, renkei.FileInfo, error) {
	r, err := f.Bucket.NewReader(ctx, key, nil)
	if err != nil {
		return nil, renkei.FileInfo{}, mapErr(key, err)
	}
	return r, renkei.FileInfo{Size: r.Size(), ContentType: r.ContentType()}, nil
}

// Delete removes the file under key.
func (f Files) Delete(ctx context.Context, key string) error {
	return mapErr(key, f.Bucket.Delete(ctx, key))
}

// mapErr makes a missing key the core's ENOTFOUND.
func mapErr(key string, err error) error {
	switch {
	case err == nil:
		return nil
	case gcerrors.Code(err) == gcerrors.NotFound:
		return renkei.ErrNotFound("file")
	}
	return fmt.Errorf("blobstore: %s: %w", key, err)
}
