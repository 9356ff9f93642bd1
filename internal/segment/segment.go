package segment

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/yanyiwu/gojieba"
)

// Word is a word cut from a text: its text and byte offsets in that text.
type Word struct {
	Text       string
	Start, End int
}

// Segmenter cuts text into words with one jieba instance and one user
// dictionary. It is safe for concurrent use and never changes.
type Segmenter struct {
	jieba   *gojieba.Jieba
	version string
	entries []Entry
	stop    map[string]bool
}

// New builds a Segmenter from the dictionaries shipped in the binary, written
// to dictDir if they are not there yet, plus the user entries (validated; the
// first bad one is returned as an EINVALID error and nothing is built).
func New(dictDir string, user []Entry) (*Segmenter, error) {
	for _, e := range user {
		if err := e.Validate(); err != nil {
			return nil, err
		}
	}
	if err := installDicts(dictDir); err != nil {
		return nil, err
	}
	version := Version(user)
	userPath := filepath.Join(dictDir, "user."+version+".utf8")
	if err := writeAtomic(userPath, cppjiebaUserDict(user)); err != nil {
		return nil, fmt.Errorf("write user dictionary: %w", err)
	}
	paths := make([]string, len(dictFiles))
	for i, name := range dictFiles {
		if name == "" {
			paths[i] = userPath
		} else {
			paths[i] = filepath.Join(dictDir, name)
		}
	}
	stopData, err := os.ReadFile(paths[4])
	if err != nil {
		return nil, fmt.Errorf("read stop words: %w", err)
	}
	stop := make(map[string]bool, 2000)
	for _, w := range strings.Split(string(stopData), "\n") {
		if w = strings.TrimSpace(w); w != "" {
			stop[w] = true
		}
	}
	return &Segmenter{
		jieba:   gojieba.NewJieba(paths...),
		version: version,
		entries: append([]Entry(nil), user...),
		stop:    stop,
	}, nil
}

// Open builds the Segmenter of a data directory: dictionaries under
// dir/dict and the user dictionary dir/userdict.txt (see UserDictPath). A
// user dictionary that loads is kept as the last good one; one with a bad
// line is passed to warn (its error names the file and line) and the last
// good one is used instead, so a typo never takes the service down. warn may
// be nil.
func Open(dir string, warn func(error)) (*Segmenter, error) {
	entries, err := LoadUserDict(UserDictPath(dir))
	if err != nil {
		if warn != nil {
			warn(err)
		}
		if entries, err = LoadUserDict(LastGoodPath(dir)); err != nil {
			entries = nil
		}
	} else if err := SaveLastGood(dir, entries); err != nil {
		return nil, fmt.Errorf("save the last good user dictionary: %w", err)
	}
	return New(filepath.Join(dir, "dict"), entries)
}

// UserDictPath is where a data directory keeps its user dictionary.
func UserDictPath(dataDir string) string { return filepath.Join(dataDir, "userdict.txt") }

// Version identifies the user dictionary this Segmenter was built with.
func (s *Segmenter) Version() string { return s.version }

// Entries returns a copy of the user dictionary.
func (s *Segmenter) Entries() []Entry { return append([]Entry(nil), s.entries...) }

// IsStop reports whether w is in jieba's stop-word list.
func (s *Segmenter) IsStop(w string) bool { return s.stop[w] }

// Cut cuts text into words in jieba's accurate mode (no overlaps). Text must
// be normalized (see textnorm): cppjieba truncates at NUL and returns nothing
// for invalid UTF-8. Spaces are not returned as words.
func (s *Segmenter) Cut(text string) []Word { return s.tokenize(text, gojieba.DefaultMode) }

// CutForSearch cuts text in jieba's search mode: long words are followed by
// the dictionary words inside them (长江大桥 gives 长江, 大桥, 长江大桥).
func (s *Segmenter) CutForSearch(text string) []Word { return s.tokenize(text, gojieba.SearchMode) }

func (s *Segmenter) tokenize(text string, mode gojieba.TokenizeMode) []Word {
	if text == "" {
		return nil
	}
	ws := s.jieba.Tokenize(text, mode, true)
	out := make([]Word, 0, len(ws))
	for _, w := range ws {
		if w.Str == " " || strings.TrimSpace(w.Str) == "" {
			continue
		}
		out = append(out, Word{Text: w.Str, Start: w.Start, End: w.End})
	}
	return out
}

// Keyword is a word with its TF-IDF weight.
type Keyword struct {
	Word   string
	Weight float64
}

// Keywords returns up to k of text's most distinctive words by TF-IDF, using
// jieba's IDF table.
func (s *Segmenter) Keywords(text string, k int) []Keyword {
	ws := s.jieba.ExtractWithWeight(text, k)
	out := make([]Keyword, len(ws))
	for i, w := range ws {
		out[i] = Keyword{Word: w.Word, Weight: w.Weight}
	}
	return out
}

// Tagged is a word with its part of speech in jieba's tag set (n noun, nr
// person, ns place, nt organisation, v verb, x punctuation, ...).
type Tagged struct {
	Word, Tag string
}

// Tag cuts text in accurate mode and tags every word with its part of
// speech. Text must be normalized, as for Cut; spaces are not returned.
func (s *Segmenter) Tag(text string) []Tagged {
	if text == "" {
		return nil
	}
	ws := s.jieba.Tag(text)
	out := make([]Tagged, 0, len(ws))
	for _, w := range ws {
		i := strings.LastIndexByte(w, '/')
		if i <= 0 {
			continue
		}
		if word := w[:i]; strings.TrimSpace(word) != "" {
			out = append(out, Tagged{Word: word, Tag: w[i+1:]})
		}
	}
	return out
}
