package web

import (
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
