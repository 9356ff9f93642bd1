package extract

import (
	"crypto/sha1"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/xinwen/xinwen/internal/news"
)

// MaxBodyBytes is the largest article body accepted, in bytes of UTF-8 after
// cleaning. A longer body is an error (code news.ETOOLARGE) naming the limit.
const MaxBodyBytes = 1 << 20

// maxFileBytes bounds whole-file inputs (HTML and page text) read by Walk.
const maxFileBytes = 32 << 20

// Record is one input record: an article, or the failure to read one, with
// where it came from.
type Record struct {
	Article news.Article
	// RegionHint is explicit region metadata (a "region", "province", "city",
	// "county" or "地区" field), raw text joined by spaces; "" if none.
	RegionHint string
	// File is the path of the input file.
	File string
	// Line is the 1-based line for JSON Lines, the index+1 of the element for
	// a JSON array, and 0 for whole-file inputs.
	Line int
	// Err is non-nil when this record failed: a *news.Error whose message
	// names the file, the line and what is wrong. Its code is news.EINVALID,
	// or news.ETOOLARGE for a body over MaxBodyBytes. Article is then partial
	// or zero.
	Err error
}

// finish validates a cleaned article and gives it an ID if it has none.
func finish(a *news.Article) error {
	if a.Title == "" && a.Body == "" {
		return news.Errorf(news.EINVALID, "empty article: no title and no body")
	}
	if len(a.Body) > MaxBodyBytes {
		return news.Errorf(news.ETOOLARGE, "body is %d bytes, over the limit of %d bytes (1 MiB)", len(a.Body), MaxBodyBytes)
	}
	if a.ID == "" {
		a.ID = a.URL
	}
	if a.ID == "" {
		a.ID = hashID(a.Title, a.Body)
	}
	return nil
}

// hashID is the ID of an article that has neither an id nor a URL.
func hashID(title, body string) string {
	h := sha1.New()
	h.Write([]byte(title))
	h.Write([]byte{'\n'})
	h.Write([]byte(body))
	return "sha1-" + hex.EncodeToString(h.Sum(nil))[:16]
}

// where prefixes an error with its location: "a.jsonl: line 3: ...". It
// keeps the code of a *news.Error and turns any other error into EINVALID.
func where(file string, line int, unit string, err error) error {
	prefix := ""
	if file != "" {
		prefix = file + ": "
	}
	if line > 0 {
		prefix += fmt.Sprintf("%s %d: ", unit, line)
	}
	code, msg := news.EINVALID, err.Error()
	var cause error
	var e *news.Error
	if errors.As(err, &e) {
		code, msg, cause = e.Code, e.Message, e.Err
	}
	return &news.Error{Code: code, Message: prefix + msg, Err: cause}
}
