// Package vulnfetch downloads vulnerability data (OSV zips and records,
// CSAF advisories, the KEV catalog) over HTTP (net/http) for the scheduled
// import: conditional GETs with the ETag and Last-Modified of the last
// download, a size bound, and the body spooled to a temporary file so that
// a large all.zip is never held in memory.
package vulnfetch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"
)

// Source is one URL and what its server said last time.
type Source struct {
	URL          string
	ETag         string
	LastModified string
}

// Fetcher downloads sources.
type Fetcher struct {
	Client   *http.Client // default: 5-minute timeout
	MaxBytes int64        // default 2 GiB
	Dir      string       // for the temporary files; default os.TempDir()
}

// ErrTooLarge says a download was over MaxBytes.
var ErrTooLarge = errors.New("vulnfetch: the download is larger than allowed")

// Fetch downloads src unless the server says it has not changed. It
// returns the path of the downloaded file ("" when not modified; the
// caller removes it when done) and the source as it now stands.
func (f Fetcher) Fetch(ctx context.Context, src Source) (string, Source, error) {
	client := f.Client
	if client == nil {
		client = &http.Client{Timeout: 5 * time.Minute}
	}
	limit := f.MaxBytes
	if limit <= 0 {
		limit = 2 << 30
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, src.URL, nil)
	if err != nil {
		return "", src, err
	}
	if src.ETag != "" {
		req.Header.Set("If-None-Match", src.ETag)
	}
	if src.LastModified != "" {
		req.Header.Set("If-Modified-Since", src.LastModified)
	}
	res, err := client.Do(req)
	if err != nil {
		return "", src, err
	}
	defer res.Body.Close()
	switch {
	case res.StatusCode == http.StatusNotModified:
		return "", src, nil
	case res.StatusCode != http.StatusOK:
		return "", src, fmt.Errorf("vulnfetch: %s: %s", src.URL, res.Status)
	case res.ContentLength > limit:
		return "", src, ErrTooLarge
	}
	tmp, err := os.CreateTemp(f.Dir, "renkei-vulndb-*")
	if err != nil {
		return "", src, err
	}
	n, err := io.Copy(tmp, io.LimitReader(res.Body, limit+1))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > limit {
		err = ErrTooLarge
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", src, err
	}
	next := Source{URL: src.URL, ETag: res.Header.Get("ETag"), LastModified: res.Header.Get("Last-Modified")}
	return tmp.Name(), next, nil
}
