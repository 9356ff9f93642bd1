package extract

import (
	"bytes"
	"context"
	"errors"
	"io"
)

// Count estimates how many records Walk hands over for paths, cheaply enough
// to run before it for a progress bar's total. It lists the files as Walk does
// and counts one record for each file that cannot be read, each HTML or page
// file (compressed or not: by its name, without opening it; by its first
// bytes otherwise), and each line of an uncompressed JSON Lines file (blank
// lines included, so it may count a few too many). Only JSON Lines files are
// read whole.
//
// ok is false, and n 0, when the count is unknown without parsing a file
// whole: JSON (an array or objects), compressed JSON Lines, or a file that
// cannot be read past its start. It is also false if ctx ends.
func Count(ctx context.Context, paths []string) (n int, ok bool) {
	errUnknown := errors.New("count unknown")
	err := walkFiles(ctx, paths, func(path string, err error) error {
		if err != nil {
			n++ // Walk's record for the file it cannot read
			return nil
		}
		k, ok := countFile(path)
		if !ok {
			return errUnknown
		}
		n += k
		return nil
	})
	if err != nil {
		return 0, false
	}
	return n, true
}

// countFile counts the records of one file for Count.
func countFile(path string) (int, bool) {
	_, name := compressedName(path)
	switch formatByName(name) {
	case formatHTML, formatPage:
		return 1, true
	}
	in, err := openFile(path)
	if err != nil {
		return 1, true // Walk's record for the file it cannot read
	}
	defer in.Close()
	switch {
	case in.format != formatJSON && in.format != formatJSONLines:
		return 1, true
	case in.format == formatJSON || in.compressed:
		return 0, false
	}
	n, err := countLines(in.r)
	return n, err == nil
}

// countLines counts the lines of r, the last one even without a newline.
func countLines(r io.Reader) (int, error) {
	buf := make([]byte, 64<<10)
	n, last := 0, byte('\n')
	for {
		k, err := r.Read(buf)
		n += bytes.Count(buf[:k], []byte{'\n'})
		if k > 0 {
			last = buf[k-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if last != '\n' {
		n++
	}
	return n, nil
}
