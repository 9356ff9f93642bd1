package segment

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/textnorm"
)

//go:embed dict/*.gz
var dictFS embed.FS

// The dictionary files gojieba needs, in the order NewJieba takes them.
var dictFiles = []string{"jieba.dict.utf8", "hmm_model.utf8", "", "idf.utf8", "stop_words.utf8"}

// installDicts writes the embedded dictionaries into dir unless a file of the
// same size is already there. It writes to a temporary name and renames, so a
// crash never leaves a half-written dictionary behind.
func installDicts(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create dictionary directory: %w", err)
	}
	for _, name := range dictFiles {
		if name == "" {
			continue
		}
		data, err := embedded(name)
		if err != nil {
			return err
		}
		path := filepath.Join(dir, name)
		if fi, err := os.Stat(path); err == nil && fi.Size() == int64(len(data)) {
			continue
		}
		if err := writeAtomic(path, data); err != nil {
			return fmt.Errorf("install dictionary %s: %w", name, err)
		}
	}
	return nil
}

func embedded(name string) ([]byte, error) {
	f, err := dictFS.Open("dict/" + name + ".gz")
	if err != nil {
		return nil, fmt.Errorf("embedded dictionary %s: %w", name, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("embedded dictionary %s: %w", name, err)
	}
	return io.ReadAll(zr)
}

func writeAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Entry is one user-dictionary word.
type Entry struct {
	Word string `json:"word"`
	Freq int    `json:"freq,omitempty"` // 0: jieba's default weight for user words
	Tag  string `json:"tag,omitempty"`  // part of speech, e.g. nr, ns, nz; "" for none
}

// Limits on user-dictionary entries.
const (
	MaxWordRunes = 32
	MaxFreq      = 100_000_000
)

// String formats e as a line of the user-dictionary file format.
func (e Entry) String() string {
	s := e.Word
	if e.Freq > 0 {
		s += " " + strconv.Itoa(e.Freq)
	}
	if e.Tag != "" {
		s += " " + e.Tag
	}
	return s
}

// Validate checks e and returns a *news.Error (EINVALID) saying what is wrong.
func (e Entry) Validate() error {
	switch {
	case e.Word == "":
		return news.Errorf(news.EINVALID, "empty word")
	case !utf8.ValidString(e.Word):
		return news.Errorf(news.EINVALID, "word %q is not valid UTF-8", e.Word)
	case utf8.RuneCountInString(e.Word) > MaxWordRunes:
		return news.Errorf(news.EINVALID, "word %q is longer than %d characters", e.Word, MaxWordRunes)
	case e.Freq < 0 || e.Freq > MaxFreq:
		return news.Errorf(news.EINVALID, "word %q: frequency %d is outside 1..%d", e.Word, e.Freq, MaxFreq)
	}
	if n := textnorm.String(e.Word); strings.ContainsRune(n, ' ') || n == "" {
		return news.Errorf(news.EINVALID, "word %q contains spaces or punctuation; a word is letters, digits and Chinese characters only", e.Word)
	}
	for _, r := range e.Tag {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') || len(e.Tag) > 8 {
			return news.Errorf(news.EINVALID, "word %q: tag %q must be 1 to 8 ASCII letters (e.g. n, nr, ns, nz)", e.Word, e.Tag)
		}
	}
	return nil
}

// ParseUserDict reads a user dictionary: one `word [freq] [tag]` per line,
// blank lines and lines starting with # ignored. A two-field line is word and
// frequency when the second field is a number, else word and tag. The first
// bad line makes it fail with a *news.Error (EINVALID) naming name and the line.
func ParseUserDict(r io.Reader, name string) ([]Entry, error) {
	var out []Entry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 64*1024)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		e, err := ParseEntry(strings.Fields(line))
		if err != nil {
			return nil, news.Errorf(news.EINVALID, "%s:%d: %s", name, n, news.ErrorMessage(err))
		}
		out = append(out, e)
	}
	if err := sc.Err(); err != nil {
		return nil, news.Errorf(news.EINVALID, "%s: %v", name, err)
	}
	return out, nil
}

// ParseEntry reads one entry from its fields, word [freq] [tag], as a line
// of a user dictionary or the arguments of xinwen dict add: with two fields,
// the second is the frequency when it is a number, else the tag. A frequency
// must be a positive whole number. The entry is checked with Validate; errors
// are *news.Error with code EINVALID.
func ParseEntry(f []string) (Entry, error) {
	var e Entry
	switch len(f) {
	case 1:
		e.Word = f[0]
	case 2:
		e.Word = f[0]
		if n, err := strconv.Atoi(f[1]); err == nil {
			e.Freq = n
			if n <= 0 {
				return e, news.Errorf(news.EINVALID, "word %q: frequency must be a positive number, not %s", e.Word, f[1])
			}
		} else {
			e.Tag = f[1]
		}
	case 3:
		e.Word, e.Tag = f[0], f[2]
		n, err := strconv.Atoi(f[1])
		if err != nil || n <= 0 {
			return e, news.Errorf(news.EINVALID, "word %q: frequency must be a positive number, not %q", e.Word, f[1])
		}
		e.Freq = n
	default:
		return e, news.Errorf(news.EINVALID, "expected `word [freq] [tag]`, got %d fields", len(f))
	}
	return e, e.Validate()
}

// LastGoodPath is where a data directory keeps a copy of the last user
// dictionary that loaded, to fall back on when userdict.txt has a bad line.
func LastGoodPath(dataDir string) string {
	return filepath.Join(dataDir, "dict", "userdict.last-good.txt")
}

// SaveLastGood records entries as the last good user dictionary of dataDir.
func SaveLastGood(dataDir string, entries []Entry) error {
	return writeAtomic(LastGoodPath(dataDir), FormatUserDict(entries))
}

// SaveUserDict writes entries as the user dictionary of dataDir and as its
// last good copy. Each file is replaced atomically: a reader sees the old
// file or the new one, never a part.
func SaveUserDict(dataDir string, entries []Entry) error {
	if err := writeAtomic(UserDictPath(dataDir), FormatUserDict(entries)); err != nil {
		return err
	}
	return SaveLastGood(dataDir, entries)
}

// LoadUserDict reads and validates the user dictionary at path. A missing file
// is an empty dictionary.
func LoadUserDict(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, news.Errorf(news.EINVALID, "open user dictionary: %v", err)
	}
	defer f.Close()
	return ParseUserDict(f, path)
}

// FormatUserDict renders entries in the file format ParseUserDict reads.
func FormatUserDict(entries []Entry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		b.WriteString(e.String())
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// cppjiebaUserDict renders entries for cppjieba, which reads a two-column line
// as word and tag: a frequency is always written with a tag. Words are
// normalized the way the text they must match is normalized.
func cppjiebaUserDict(entries []Entry) []byte {
	var b bytes.Buffer
	for _, e := range entries {
		w := textnorm.String(e.Word)
		switch {
		case e.Freq > 0:
			tag := e.Tag
			if tag == "" {
				tag = "nz"
			}
			fmt.Fprintf(&b, "%s %d %s\n", w, e.Freq, tag)
		case e.Tag != "":
			fmt.Fprintf(&b, "%s %s\n", w, e.Tag)
		default:
			fmt.Fprintf(&b, "%s\n", w)
		}
	}
	return b.Bytes()
}

// Version identifies a user dictionary by content: "base" when empty, else
// the first 12 hex digits of the SHA-256 of its normalized form.
func Version(entries []Entry) string {
	if len(entries) == 0 {
		return "base"
	}
	sum := sha256.Sum256(cppjiebaUserDict(entries))
	return hex.EncodeToString(sum[:6])
}
