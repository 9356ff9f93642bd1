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
	for _, root := range paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		fi, err := os.Stat(root)
		if err != nil {
			if err := cb(fileError(root, err)); err != nil {
				return err
			}
			continue
		}
		if !fi.IsDir() {
			if err := walkFile(root, cb); err != nil {
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
				if ferr := cb(fileError(path, err)); ferr != nil {
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
			return walkFile(path, cb)
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
	f, err := os.Open(path)
	if err != nil {
		return fn(fileError(path, err))
	}
	defer f.Close()
	r, name, err := decompress(bufio.NewReaderSize(f, 64<<10), path)
	if err != nil {
		return fn(fileError(path, err))
	}
	if c, ok := r.(io.Closer); ok {
		defer c.Close()
	}
	br := bufio.NewReaderSize(r, 64<<10)
	kind := strings.ToLower(filepath.Ext(name))
	switch kind {
	case ".jsonl", ".ndjson", ".json", ".html", ".htm", ".txt":
	default:
		kind = sniff(br)
	}
	switch kind {
	case ".jsonl", ".ndjson", ".json":
		return JSON(br, path, fn)
	case "binary":
		return fn(Record{File: path, Err: news.Errorf(news.EINVALID, "%s: not an article: binary content", path)})
	}
	b, err := io.ReadAll(io.LimitReader(br, maxFileBytes+1))
	if err != nil {
		return fn(fileError(path, err))
	}
	if len(b) > maxFileBytes {
		return fn(Record{File: path, Err: news.Errorf(news.ETOOLARGE, "%s: file over %d MiB", path, maxFileBytes>>20)})
	}
	var a news.Article
	if kind == ".html" || kind == ".htm" {
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

// Magic numbers of the compressed formats.
var (
	gzipMagic = []byte{0x1f, 0x8b}
	xzMagic   = []byte{0xfd, '7', 'z', 'X', 'Z', 0x00}
)

// decompress wraps r in a decompressor when the name or the first bytes say
// it is gzip or xz, and returns the name without the compression extension.
func decompress(r *bufio.Reader, name string) (io.Reader, string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	head, _ := r.Peek(len(xzMagic))
	switch {
	case ext == ".gz" || ext == ".gzip" || bytes.HasPrefix(head, gzipMagic):
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, name, fmt.Errorf("gzip: %w", err)
		}
		return zr, trimExt(name, ext, ".gz", ".gzip"), nil
	case ext == ".xz" || bytes.HasPrefix(head, xzMagic):
		zr, err := xz.NewReader(r)
		if err != nil {
			return nil, name, fmt.Errorf("xz: %w", err)
		}
		return zr, trimExt(name, ext, ".xz"), nil
	}
	return r, name, nil
}

func trimExt(name, ext string, exts ...string) string {
	for _, e := range exts {
		if ext == e {
			return name[:len(name)-len(ext)]
		}
	}
	return name
}

// sniff guesses the format of a file with an unknown extension.
func sniff(br *bufio.Reader) string {
	head, _ := br.Peek(512)
	if bytes.IndexByte(head, 0) >= 0 {
		return "binary"
	}
	head = bytes.TrimPrefix(head, []byte{0xef, 0xbb, 0xbf})
	head = bytes.TrimLeft(head, " \t\r\n")
	switch {
	case len(head) == 0:
		return ".txt"
	case head[0] == '{' || head[0] == '[':
		return ".json"
	case head[0] == '<':
		return ".html"
	}
	return ".txt"
}
