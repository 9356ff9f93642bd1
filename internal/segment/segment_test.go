package segment_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
)

func TestParseUserDict(t *testing.T) {
	good := "# comment\n\n党建子\n新质生产力 50\n丁薛祥 100 nr\n大湾区 ns\n"
	got, err := segment.ParseUserDict(strings.NewReader(good), "userdict.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := []segment.Entry{{Word: "党建子"}, {Word: "新质生产力", Freq: 50}, {Word: "丁薛祥", Freq: 100, Tag: "nr"}, {Word: "大湾区", Tag: "ns"}}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("entry %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, tc := range []struct{ in, where string }{
		{"好词\n坏 词 条 多 列\n", "userdict.txt:2:"},
		{"词 0 n\n", "userdict.txt:1:"},
		{"词 abc n\n", "userdict.txt:1:"},
		{"好词\n词 5 n1\n", "userdict.txt:2:"},
		{"好词\n，。\n", "userdict.txt:2:"},
		{strings.Repeat("长", segment.MaxWordRunes+1) + "\n", "userdict.txt:1:"},
	} {
		_, err := segment.ParseUserDict(strings.NewReader(tc.in), "userdict.txt")
		if err == nil || news.ErrorCode(err) != news.EINVALID || !strings.HasPrefix(news.ErrorMessage(err), tc.where) {
			t.Errorf("%q: %v, want an EINVALID error starting %q", tc.in, err, tc.where)
		}
	}
}

// TestShipsDictionaries builds a segmenter in an empty directory: the
// dictionaries come from the binary, never from the module cache.
func TestShipsDictionaries(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "dict")
	s, err := segment.New(dir, []segment.Entry{{Word: "党建子", Freq: 20, Tag: "nr"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"jieba.dict.utf8", "hmm_model.utf8", "idf.utf8", "stop_words.utf8"} {
		if fi, err := os.Stat(filepath.Join(dir, f)); err != nil || fi.Size() < 1000 {
			t.Errorf("%s not installed: %v", f, err)
		}
	}
	var words []string
	for _, w := range s.Cut("村民党建子养牛致富") {
		words = append(words, w.Text)
	}
	if got, want := strings.Join(words, "/"), "村民/党建子/养牛/致富"; got != want {
		t.Errorf("cut %q, want %q", got, want)
	}
	if s.Version() == "base" || s.Version() != segment.Version(s.Entries()) {
		t.Errorf("version %q", s.Version())
	}
	if kw := s.Keywords("清水县脱贫攻坚，清水县党建引领", 2); len(kw) == 0 || kw[0].Word != "清水县" {
		t.Errorf("keywords %+v", kw)
	}
	var tags []string
	for _, w := range s.Tag("党建子主持 法国会议") {
		tags = append(tags, w.Word+"/"+w.Tag)
	}
	if got, want := strings.Join(tags, " "), "党建子/nr 主持/v 法国/ns 会议/n"; got != want {
		t.Errorf("tags %q, want %q", got, want)
	}
}
