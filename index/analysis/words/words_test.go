package words_test

import (
	"testing"

	"github.com/blevesearch/bleve/v2"

	xa "github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/index/analysis/words"
	"github.com/xinwen/xinwen/internal/testseg"
)

// useSegmenter installs the test segmenter for the tokenizer, as
// index.Open installs an index's.
func useSegmenter(tb testing.TB) { xa.Use(testseg.Current(tb)) }

type tok struct {
	term       string
	start, end int
	pos        int
}

func TestTokenize(t *testing.T) {
	useSegmenter(t)
	for _, tc := range []struct {
		name, in string
		want     []tok
	}{
		{"search mode keeps positions of where words start", "长江大桥通车", []tok{
			{"长江", 0, 6, 1}, {"长江大桥", 0, 12, 1}, {"大桥", 6, 12, 3}, {"通车", 12, 18, 5},
		}},
		{"punctuation and spaces never become terms, but take one position per run", "王毅，会见 。丁薛祥", []tok{
			{"王毅", 0, 6, 1}, {"会见", 9, 15, 4}, {"丁", 19, 22, 7}, {"薛祥", 22, 28, 8},
		}},
		{"latin and digits lower-cased and whole", "iPhone与5G网络2025年", []tok{
			{"iphone", 0, 6, 1}, {"与", 6, 9, 2}, {"5g", 9, 11, 3}, {"网络", 11, 17, 4}, {"2025", 17, 21, 6}, {"年", 21, 24, 7},
		}},
		{"full-width latin folds", "ＡＢＣ新闻", []tok{
			{"abc", 0, 9, 1}, {"新闻", 9, 15, 2},
		}},
		{"traditional folds to simplified, offsets stay on the original", "清水縣", []tok{
			{"清水", 0, 6, 1}, {"清水县", 0, 9, 1},
		}},
		{"NUL, control characters and invalid UTF-8 are separators", "新闻\x00\x01报道\xff\xfe记者", []tok{
			{"新闻", 0, 6, 1}, {"报道", 8, 14, 4}, {"记者", 16, 22, 7},
		}},
		{"empty", "", nil},
		{"only punctuation", "，。！？  ", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := words.Tokenizer{}.Tokenize([]byte(tc.in))
			var got []tok
			for _, x := range ts {
				got = append(got, tok{string(x.Term), x.Start, x.End, x.Position})
				if x.Start < 0 || x.End > len(tc.in) || x.Start >= x.End {
					t.Errorf("offsets %d..%d outside %q", x.Start, x.End, tc.in)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("token %d: got %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestNeverEmptyOnBadBytes: invalid UTF-8 anywhere makes cppjieba return no
// tokens for the whole string; cleaning first must keep every word.
func TestNeverEmptyOnBadBytes(t *testing.T) {
	useSegmenter(t)
	in := "甘肃省天水市清水县\xc3\x28脱贫攻坚取得决定性胜利"
	ts := words.Tokenizer{}.Tokenize([]byte(in))
	if len(ts) < 4 {
		t.Fatalf("got %d tokens from %q, want the words on both sides of the bad byte", len(ts), in)
	}
}

// TestPhraseOverOverlappingWords indexes a field with this analyzer alone and
// runs Bleve's own phrase queries on it: positions from character offsets keep
// phrases working across search mode's overlapping words.
func TestPhraseOverOverlappingWords(t *testing.T) {
	useSegmenter(t)
	m := bleve.NewIndexMapping()
	f := bleve.NewTextFieldMapping()
	f.Analyzer = words.Name
	f.IncludeTermVectors = true
	m.DefaultMapping.AddFieldMappingsAt("text", f)
	ix, err := bleve.NewMemOnly(m)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Index("d", map[string]any{"text": "长江大桥通车"}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		phrase string
		want   uint64
	}{
		{"大桥通车", 1}, {"长江大桥", 1}, {"长江大桥通车", 1}, {"大桥长江", 0}, {"通车大桥", 0},
	} {
		q := bleve.NewMatchPhraseQuery(tc.phrase)
		q.SetField("text")
		res, err := ix.Search(bleve.NewSearchRequest(q))
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != tc.want {
			t.Errorf("phrase %q: %d hits, want %d", tc.phrase, res.Total, tc.want)
		}
	}
}

// TestTermsDoNotOverlap: the terms share one buffer; appending to one (as a
// token filter may) must not change the next.
func TestTermsDoNotOverlap(t *testing.T) {
	useSegmenter(t)
	ts := words.Tokenizer{}.Tokenize([]byte("长江大桥通车5G"))
	before := []string{}
	for _, x := range ts {
		before = append(before, string(x.Term))
	}
	for i, x := range ts {
		_ = append(x.Term, "后缀"...)
		for j, y := range ts {
			if string(y.Term) != before[j] {
				t.Fatalf("appending to token %d changed token %d to %q", i, j, y.Term)
			}
		}
	}
}
