package extract

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/ulikunitz/xz"

	"github.com/xinwen/xinwen/internal/news"
)

// Walk reads the articles in paths, in order, and calls fn with each Record.
// A directory is read recursively, its entries in lexical order, skipping
// hidden files and directories (names starting with "."). Files ending in .gz
// or .xz, or starting with their magic bytes, are decompressed. The format
// follows the extension left after that: .jsonl, .ndjson and .json are read
// by JSON, .html and .htm by HTML, .txt by Page; any other file is sniffed by
// its first byte: '{' or '[' is JSON, '<' is HTML, anything else Page.
//
// A file that cannot be opened, decompressed or parsed is a Record with File
// and Err (a *news.Error with code news.EINVALID), and Walk goes on with the
// next one. Walk returns ctx.Err() if ctx ends, the error fn returns (which
// stops it), or nil.
func Walk(ctx context.Context, paths []string, fn func(Record) error) error {
	cb := func(r Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return fn(r)
	}
	return walkFiles(ctx, paths, func(path string, err error) error {
		if err != nil {
			return cb(fileError(path, err))
		}
		return walkFile(path, cb)
	})
}

// walkFiles calls fn with each file Walk reads, in Walk's order, or with a
// path and the error that keeps it (or a directory's entries) from being
// listed. It returns ctx.Err() if ctx ends, the error fn returns (which stops
// it), or nil.
func walkFiles(ctx context.Context, paths []string, fn func(path string, err error) error) error {
	for _, root := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		fi, err := os.Stat(root)
		if err != nil || !fi.IsDir() {
			if err := fn(root, err); err != nil {
				return err
			}
			continue
		}
		if li, err := os.Lstat(root); err == nil && li.Mode()&fs.ModeSymlink != 0 {
			root += string(filepath.Separator) // WalkDir then reads the linked directory
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			if path != root && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if err != nil {
				if ferr := fn(path, err); ferr != nil {
					return ferr
				}
				if d != nil && d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			if !d.Type().IsRegular() {
				fi, err := os.Stat(path) // follow a symbolic link to a file
				if err != nil || !fi.Mode().IsRegular() {
					return nil
				}
			}
			return fn(path, nil)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// fileError is the Record for a file that cannot be read.
func fileError(path string, err error) Record {
	msg := "cannot read file"
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if errors.Is(err, fs.ErrNotExist) {
		msg = "no such file"
	}
	return Record{File: path, Err: &news.Error{Code: news.EINVALID, Message: path + ": " + msg, Err: err}}
}

// walkFile reads one file and calls fn with its records. It returns only
// fn's error.
func walkFile(path string, fn func(Record) error) error {
	in, err := openFile(path)
	if err != nil {
		return fn(fileError(path, err))
	}
	defer in.Close()
	switch in.format {
	case formatJSON, formatJSONLines:
		return JSON(in.r, path, fn)
	case formatBinary:
		return fn(Record{File: path, Err: news.Errorf(news.EINVALID, "%s: not an article: binary content", path)})
	}
	b, err := io.ReadAll(io.LimitReader(in.r, maxFileBytes+1))
	if err != nil {
		return fn(fileError(path, err))
	}
	if len(b) > maxFileBytes {
		return fn(Record{File: path, Err: news.Errorf(news.ETOOLARGE, "%s: file over %d MiB", path, maxFileBytes>>20)})
	}
	var a news.Article
	if in.format == formatHTML {
		a, err = HTML(b, "")
	} else {
		a, err = Page(string(b))
	}
	rec := Record{Article: a, File: path}
	if err != nil {
		rec.Err = where(path, 0, "", err)
	}
	return fn(rec)
}

// The formats of Walk's files. Each HTML, page or binary file is one record.
const (
	formatJSONLines = "jsonl"  // .jsonl, .ndjson: one record a line
	formatJSON      = "json"   // .json, or sniffed: JSON Lines, an array or an object
	formatHTML      = "html"   // .html, .htm, or sniffed
	formatPage      = "page"   // .txt, or sniffed: the text of a portal page
	formatBinary    = "binary" // sniffed: not an article
)

// formatByName returns the format a file's name (without its compression
// extension) declares, or "" if its content must say.
func formatByName(name string) string {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".jsonl", ".ndjson":
		return formatJSONLines
	case ".json":
		return formatJSON
	case ".html", ".htm":
		return formatHTML
	case ".txt":
		return formatPage
	}
	return ""
}

// inputFile is a file of Walk, opened: decompressed, its format known.
type inputFile struct {
	r          *bufio.Reader
	format     string
	compressed bool
	closers    []io.Closer
}

// openFile opens path, decompresses it if its name or first bytes say so,
// and finds its format by its name or, failing that, its first bytes. Its
// errors are those of opening the file or starting to decompress it.
func openFile(path string) (*inputFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	fr := bufio.NewReaderSize(f, 64<<10)
	r, name, err := decompress(fr, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	in := &inputFile{r: fr, closers: []io.Closer{f}}
	if r != io.Reader(fr) {
		in.r, in.compressed = bufio.NewReaderSize(r, 64<<10), true
		if c, ok := r.(io.Closer); ok {
			in.closers = append(in.closers, c)
		}
	}
	if in.format = formatByName(name); in.format == "" {
		in.format = sniff(in.r)
	}
	return in, nil
}

// Close closes the decompressor, if any, and the file.
func (in *inputFile) Close() error {
	var errs []error
	for i := len(in.closers) - 1; i >= 0; i-- {
		errs = append(errs, in.closers[i].Close())
	}
	return errors.Join(errs...)
}

// Magic numbers of the compressed formats.
var (
	gzipMagic = []byte{0x1f, 0x8b}
	xzMagic   = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
)

// compressedName returns the compression a file name's extension declares,
// "gzip", "xz" or "", and the name without that extension.
func compressedName(name string) (string, string) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".gz", ".gzip":
		return "gzip", name[:len(name)-len(ext)]
	case ".xz":
		return "xz", name[:len(name)-len(ext)]
	}
	return "", name
}

// decompress wraps r in a decompressor when the name or the first bytes say
// it is gzip or xz, and returns the name without the compression extension.
func decompress(r *bufio.Reader, name string) (io.Reader, string, error) {
	byName, base := compressedName(name)
	head, _ := r.Peek(len(xzMagic))
	switch {
	case byName == "gzip" || bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, name, fmt.Errorf("gzip: %w", err)
		}
		if byName == "gzip" {
			name = base
		}
		return zr, name, nil
	case byName == "xz" || bytes.HasPrefix(head, xzMagic):
		zr, err := xz.NewReader(r)
		if err != nil {
			return nil, name, fmt.Errorf("xz: %w", err)
		}
		if byName == "xz" {
			name = base
		}
		return zr, name, nil
	}
	return r, name, nil
}

// sniff guesses the format of a file with an unknown extension.
func sniff(br *bufio.Reader) string {
	head, _ := br.Peek(512)
	if bytes.IndexByte(head, 0) >= 0 {
		return formatBinary
	}
	head = bytes.TrimPrefix(head, []byte{0xef, 0xbb, 0xbf})
	head = bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(head) == 0:
		return formatPage
	case head[0] == '{' || head[0] == '[':
		return formatJSON
	case head[0] == '<':
		return formatHTML
	}
	return formatPage
}
