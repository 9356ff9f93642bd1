package extract

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"github.com/xinwen/xinwen/internal/news"
)

// maxLineBytes bounds one line of JSON Lines (and one whole-file JSON
// document): room for a MaxBodyBytes body written with \u escapes.
const maxLineBytes = 8 * MaxBodyBytes

// JSON reads articles from r, which holds JSON Lines (one object a line, blank
// lines allowed), a JSON array of objects, or one JSON object, possibly
// pretty-printed. It calls fn once for every record, in order: with the
// Article, or with Err set when the record is not usable (invalid JSON, a
// field of the wrong type, an unparseable date, no title and no body, a body
// over MaxBodyBytes). Records carry file, which JSON only uses to name their
// origin, and their line (JSON Lines, several pretty-printed objects), their
// element number (array) or 0 (one object).
//
// Field names are matched without regard to case; the first non-empty one of
// each group, in this order, is used:
//
//	ID              id, _id, guid, docid, doc_id (string or number)
//	Title           title, headline, 标题
//	Body            body, content, text, article, 正文 (text or HTML; or an array of paragraphs)
//	PublishedAt     published_at, publish_time, pub_time, pubdate, published, date, datetime, time, 发布时间, pub_date, publish_date (see ParseTime; a number is Unix seconds or milliseconds)
//	Section         section, category, 栏目, section_guess, column, channel (an array of levels, or "a > b", "a/b"; "unknown" is none)
//	URL             url, link, href
//	Source          source, media, 来源 (string or {"name": ...})
//	Authors         authors, author, byline, reporter, 作者, 记者 (array, or names separated by 、，,; or spaces)
//	Editor          editor, 责任编辑, 编辑
//	OriginalTitle   original_title, 原标题
//	Record.RegionHint  province, city, county, district, region, 地区, all of them joined by spaces
//
// A bad line does not stop the others; a syntax error inside an array or a
// multi-line object does, since nothing after it can be trusted. Read errors
// are reported as a final record with Err. JSON returns only the error
// returned by fn, which stops it.
func JSON(r io.Reader, file string, fn func(Record) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	skipBOM(br)
	first, err := firstByte(br)
	if err != nil {
		if err == io.EOF {
			return nil // an empty file holds no records
		}
		return fn(Record{File: file, Err: where(file, 0, "", readError(err))})
	}
	switch first {
	case '[':
		return jsonArray(br, file, fn)
	case '{':
		return jsonObjects(br, file, fn)
	}
	return fn(Record{File: file, Err: where(file, 0, "", news.Errorf(news.EINVALID,
		"not JSON: want JSON Lines, an array of objects or an object, found %q", first))})
}

// readError describes a failure to read the input (I/O or decompression).
func readError(err error) error {
	return &news.Error{Code: news.EINVALID, Message: "cannot read input", Err: err}
}

func skipBOM(br *bufio.Reader) {
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xef, 0xbb, 0xbf}) {
		br.Discard(3)
	}
}

// firstByte returns the first byte that is not white space, without
// consuming it.
func firstByte(br *bufio.Reader) (byte, error) {
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if len(b) < n {
			if err == nil {
				err = io.EOF
			}
			if n > 1 && err == bufio.ErrBufferFull {
				return 0, errors.New("more than 64 KiB of white space")
			}
			return 0, err
		}
		switch c := b[n-1]; c {
		case ' ', '\t', '\r', '\n':
		default:
			return c, nil
		}
	}
}

// jsonArray streams the elements of a JSON array.
func jsonArray(br *bufio.Reader, file string, fn func(Record) error) error {
	dec := json.NewDecoder(br)
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // '['
		return fn(Record{File: file, Err: where(file, 0, "", syntaxError(err))})
	}
	for i := 1; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fn(Record{File: file, Line: i, Err: where(file, i, "element", syntaxError(err))})
		}
		rec := decodeRecord(raw)
		rec.File, rec.Line = file, i
		if rec.Err != nil {
			rec.Err = where(file, i, "element", rec.Err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // ']'
		return fn(Record{File: file, Err: where(file, 0, "", syntaxError(err))})
	}
	return nil
}

// syntaxError describes JSON that cannot be decoded.
func syntaxError(err error) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return news.Errorf(news.EINVALID, "invalid JSON: %v", err)
	case err == io.ErrUnexpectedEOF || err == io.EOF:
		return news.Errorf(news.EINVALID, "invalid JSON: unexpected end of input")
	}
	return readError(err)
}

// jsonObjects handles input that starts with '{': JSON Lines when the first
// line is a whole object or the next non-blank line starts another one, else
// one (or several concatenated) pretty-printed objects.
func jsonObjects(br *bufio.Reader, file string, fn func(Record) error) error {
	var pending [][]byte
	var errs []error
	for len(pending) < 100 {
		l, err := readLine(br)
		pending, errs = append(pending, l), append(errs, err)
		if err != nil || (len(pending) > 1 && len(bytes.TrimSpace(l)) > 0) {
			break
		}
	}
	t1, tn := bytes.TrimSpace(pending[0]), bytes.TrimSpace(pending[len(pending)-1])
	if (len(t1) > 0 && t1[len(t1)-1] == '}') || (len(pending) > 1 && len(tn) > 0 && tn[0] == '{') || errors.Is(errs[0], errLongLine) {
		return jsonLines(br, file, pending, errs, fn)
	}
	// Put back the line ends readLine removed.
	var head []byte
	for i, l := range pending {
		head = append(head, l...)
		if errs[i] == nil {
			head = append(head, '\n')
		}
	}
	data, err := io.ReadAll(io.LimitReader(io.MultiReader(bytes.NewReader(head), br), maxLineBytes+1))
	if err != nil {
		return fn(Record{File: file, Err: where(file, 0, "", readError(err))})
	}
	if len(data) > maxLineBytes {
		return fn(Record{File: file, Err: where(file, 0, "", news.Errorf(news.ETOOLARGE,
			"JSON document over %d MiB: write one object a line (JSON Lines) instead", maxLineBytes>>20))})
	}
	return jsonDocument(data, file, fn)
}

// jsonDocument decodes one or more concatenated JSON objects held in data.
// A single object is a whole-file record (Line 0); several are numbered by
// the line they start on.
func jsonDocument(data []byte, file string, fn func(Record) error) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	lineAt := func(off int) int { return 1 + bytes.Count(data[:min(off, len(data))], []byte{'\n'}) }
	var raws []json.RawMessage
	var starts []int
	var bad *Record
	for {
		start := skipSpace(data, int(dec.InputOffset()))
		var raw json.RawMessage
		err := dec.Decode(&raw)
		if err == io.EOF {
			break
		}
		if err != nil {
			line := lineAt(start)
			var se *json.SyntaxError
			if errors.As(err, &se) {
				line = lineAt(int(se.Offset))
			}
			bad = &Record{File: file, Line: line, Err: where(file, line, "line", syntaxError(err))}
			break
		}
		raws, starts = append(raws, raw), append(starts, lineAt(start))
	}
	for i, raw := range raws {
		rec := decodeRecord(raw)
		rec.File = file
		if len(raws) > 1 || bad != nil {
			rec.Line = starts[i]
		}
		if rec.Err != nil {
			rec.Err = where(file, rec.Line, "line", rec.Err)
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
	if bad != nil {
		return fn(*bad)
	}
	return nil
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n') {
		i++
	}
	return i
}

// jsonLines decodes one object a line. The first lines, already read, come
// in pending with their read errors.
func jsonLines(br *bufio.Reader, file string, pending [][]byte, errs []error, fn func(Record) error) error {
	for n := 1; ; n++ {
		var line []byte
		var err error
		if len(pending) > 0 {
			line, err = pending[0], errs[0]
			pending, errs = pending[1:], errs[1:]
		} else {
			line, err = readLine(br)
		}
		var rec *Record
		switch {
		case errors.Is(err, errLongLine):
			rec = &Record{Err: news.Errorf(news.ETOOLARGE, "line longer than %d MiB", maxLineBytes>>20)}
		case len(bytes.TrimSpace(line)) > 0:
			r := decodeRecord(line)
			rec = &r
		}
		if rec != nil {
			rec.File, rec.Line = file, n
			if rec.Err != nil {
				rec.Err = where(file, n, "line", rec.Err)
			}
			if ferr := fn(*rec); ferr != nil {
				return ferr
			}
		}
		switch {
		case err == nil || err == errLongLine:
		case errors.Is(err, io.EOF):
			return nil
		default:
			return fn(Record{File: file, Line: n, Err: where(file, n, "line", readError(err))})
		}
	}
}

var errLongLine = errors.New("line too long")

// readLine reads one line, without its "\n". At the end of the input it
// returns the last line (maybe empty) with io.EOF. A line longer than
// maxLineBytes is skipped and reported as errLongLine.
func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(buf)+len(chunk) > maxLineBytes {
			for err == bufio.ErrBufferFull {
				_, err = br.ReadSlice('\n')
			}
			if err != nil && err != io.EOF {
				return nil, err
			}
			if err == io.EOF {
				return nil, errors.Join(errLongLine, io.EOF)
			}
			return nil, errLongLine
		}
		if err == bufio.ErrBufferFull {
			buf = append(buf, chunk...)
			continue
		}
		if buf == nil {
			buf = make([]byte, len(chunk))
			copy(buf, chunk)
		} else {
			buf = append(buf, chunk...)
		}
		return bytes.TrimSuffix(buf, []byte{'\n'}), err
	}
}
