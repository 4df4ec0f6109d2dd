package vulnfile

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/renkei/renkei"
)

// Record is one OSV record read from a directory or a zip: where it came
// from, and the advisory or why it could not be read. A bad record does not
// stop the others; the caller decides what to do with it.
type Record struct {
	Name     string
	Advisory renkei.Advisory
	Err      error
}

// ReadOSVZip reads the OSV records of a zip such as osv.dev's
// <Ecosystem>/all.zip, calling fn for each .json entry in the order of the
// archive; fn's error stops the reading and is returned. The archive is
// refused (before any entry is read) when it has more than MaxZipEntries
// entries or an entry whose name is absolute, climbs out with "..", or
// holds a backslash or NUL. Each entry is read through a limit: over
// MaxRecordBytes, or over MaxZipRatio times its compressed size, or the
// total over MaxZipTotalBytes, stops the reading with an error — the sizes
// the entry headers claim are not trusted.
func ReadOSVZip(r io.ReaderAt, size int64, fn func(Record) error) error {
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return renkei.Errorf(renkei.EINVALID, KeyZipInvalid, err.Error())
	}
	if zr == nil {
		return renkei.Errorf(renkei.EINVALID, KeyZipInvalid, "no central directory")
	}
	if len(zr.File) > MaxZipEntries {
		return renkei.Errorf(renkei.EINVALID, KeyZipEntries, MaxZipEntries)
	}
	for _, f := range zr.File {
		if !safeEntryName(f.Name) {
			return renkei.Errorf(renkei.EINVALID, KeyZipEntryName, f.Name)
		}
	}
	var total int64
	for _, f := range zr.File {
		if f.FileInfo().IsDir() || !strings.HasSuffix(strings.ToLower(f.Name), ".json") {
			continue
		}
		if f.Mode()&fs.ModeSymlink != 0 {
			continue
		}
		b, err := readEntry(f)
		if err != nil {
			return err
		}
		total += int64(len(b))
		if total > MaxZipTotalBytes {
			return renkei.Errorf(renkei.EINVALID, KeyZipTotalSize, sizeString(MaxZipTotalBytes))
		}
		a, perr := ParseOSV(f.Name, b)
		if err := fn(Record{Name: f.Name, Advisory: a, Err: perr}); err != nil {
			return err
		}
	}
	return nil
}

func readEntry(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, renkei.Errorf(renkei.EINVALID, KeyZipInvalid, f.Name+": "+err.Error())
	}
	defer rc.Close()
	// The compressed size is what the archive really holds for the entry
	// (zip.Reader checks it against the data); the ratio bound uses it.
	limit := int64(MaxRecordBytes)
	if c := int64(f.CompressedSize64); c > 0 && c*MaxZipRatio < limit {
		limit = max(c*MaxZipRatio, 64<<10)
	}
	b, err := io.ReadAll(io.LimitReader(rc, limit+1))
	if err != nil {
		return nil, renkei.Errorf(renkei.EINVALID, KeyZipInvalid, f.Name+": "+err.Error())
	}
	if int64(len(b)) > limit {
		if limit < MaxRecordBytes {
			return nil, renkei.Errorf(renkei.EINVALID, KeyZipRatio, f.Name)
		}
		return nil, renkei.Errorf(renkei.EINVALID, KeyZipEntrySize, f.Name, sizeString(MaxRecordBytes))
	}
	return b, nil
}

// safeEntryName accepts relative, slash-separated names that stay inside
// the archive.
func safeEntryName(name string) bool {
	if name == "" || strings.ContainsAny(name, "\\\x00") || strings.HasPrefix(name, "/") {
		return false
	}
	if len(name) >= 2 && name[1] == ':' { // C:foo
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		if seg == ".." {
			return false
		}
	}
	return path.Clean(name) != ".."
}

// ReadOSVDir reads every *.json file under dir (symbolic links are not
// followed), calling fn for each in lexical order.
func ReadOSVDir(dir string, fn func(Record) error) error {
	n := 0
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Type()&fs.ModeSymlink != 0 || !d.Type().IsRegular() ||
			!strings.HasSuffix(strings.ToLower(d.Name()), ".json") {
			return nil
		}
		n++
		if n > MaxDirFiles {
			return renkei.Errorf(renkei.EINVALID, KeyDirFiles, MaxDirFiles)
		}
		rel, _ := filepath.Rel(dir, p)
		b, err := readFileLimited(p, MaxRecordBytes)
		if err != nil {
			return fn(Record{Name: rel, Err: err})
		}
		a, perr := ParseOSV(rel, b)
		return fn(Record{Name: rel, Advisory: a, Err: perr})
	})
}

func readFileLimited(p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, renkei.Errorf(renkei.ETOOLARGE, KeyTooLarge, sizeString(limit))
	}
	return b, nil
}

func sizeString(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
