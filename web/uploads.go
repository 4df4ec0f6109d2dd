package web

import (
	"context"
	"errors"
	"io"

	"github.com/renkei/renkei"
)

// checkUpload decides whether a file of size bytes read from src, named
// name by the user, may be attached (renkei.CheckDocument on its first
// bytes, renkei.CheckOfficeDocument on an Office file's insides) and
// returns the content type to record it under. Every attachment —
// agreements' documents, evidence, remediation evidence, incident files —
// goes through it.
func checkUpload(name string, src io.ReaderAt, size int64) (string, error) {
	head := make([]byte, min(max(size, 0), renkei.DocumentHeadBytes))
	if _, err := src.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	ct, err := renkei.CheckDocument(name, head, size)
	if err != nil {
		return "", err
	}
	if err := renkei.CheckOfficeDocument(src, size, ct); err != nil {
		return "", err
	}
	return ct, nil
}

// storeUpload is the order every attachment is kept in: the file is
// checked, put in the file store under key, then recorded by record
// (given its content type; it returns the key of a file the new one
// replaced, if any). When recording fails the new file is deleted again;
// a replaced file is deleted only after the record no longer names it.
func (s *Server) storeUpload(ctx context.Context, key, name string, src io.ReaderAt, size int64, record func(ct string) (replaced string, err error)) error {
	ct, err := checkUpload(name, src, size)
	if err != nil {
		return err
	}
	if err := s.cfg.Files.Put(ctx, key, io.NewSectionReader(src, 0, size), size, ct); err != nil {
		return err
	}
	old, err := record(ct)
	if err != nil {
		s.deleteFile(ctx, key, "recording the file failed")
		return err
	}
	if old != "" {
		s.deleteFile(ctx, old, "replaced")
	}
	return nil
}
