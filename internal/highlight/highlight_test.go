package highlight_test

import (
	"context"
	"errors"
	"html"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/highlight"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/textnorm"
)

func TestHighlight(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		lits       []string
		want       string
	}{
		{"one literal", "甘肃天水清水县", []string{"清水县"}, "甘肃天水<mark>清水县</mark>"},
		{"every occurrence", "长江大桥和长江", []string{"长江"}, "<mark>长江</mark>大桥和<mark>长江</mark>"},
		{"overlapping literals are one mark", "长江大桥通车", []string{"长江大桥", "大桥通车"}, "<mark>长江大桥通车</mark>"},
		{"touching literals are one mark", "新质生产力", []string{"新质", "生产力"}, "<mark>新质生产力</mark>"},
		{"traditional text, simplified literal: the original is marked", "清水縣脫貧", []string{"清水县"}, "<mark>清水縣</mark>脫貧"},
		{"full-width and case fold, the original kept", "ＡＢＣ新闻和abc", []string{"abc"}, "<mark>ＡＢＣ</mark>新闻和<mark>abc</mark>"},
		{"a Latin literal never inside a longer word", "15g和5G网络", []string{"5g"}, "15g和<mark>5G</mark>网络"},
		{"a Latin word inside Chinese text", "华为5G手机", []string{"5g"}, "华为<mark>5G</mark>手机"},
		{"markup in the text is escaped", "<b>王毅</b>会见&", []string{"王毅"}, "&lt;b&gt;<mark>王毅</mark>&lt;/b&gt;会见&amp;"},
		{"no literal: escaped text", "a<b", nil, "a&lt;b"},
		{"a literal that is not there", "王毅会见", []string{"丁薛祥"}, "王毅会见"},
		{"a phrase with a separator matches any separator", "新质，生产力", []string{"新质 生产力"}, "<mark>新质，生产力</mark>"},
		{"empty literals are ignored", "王毅", []string{""}, "王毅"},
		{"NUL is dropped before matching", "王\x00毅", []string{"王毅"}, "<mark>王毅</mark>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := highlight.Highlight(tc.text, tc.lits); got != tc.want {
				t.Errorf("Highlight(%q, %q) = %q, want %q", tc.text, tc.lits, got, tc.want)
			}
		})
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("无关的内容。", 40) // 240 characters
	for _, tc := range []struct {
		name, body string
		lits       []string
		n          int
		want       string
	}{
		{"short body: all of it", "清水县脱贫摘帽。", []string{"脱贫"}, 120, "清水县<mark>脱贫</mark>摘帽。"},
		{"no match: the opening", long, []string{"王毅"}, 12, "无关的内容。无关的内容。…"},
		{"a match deep in: shown from a little before it", long + "清水县脱贫" + long, []string{"脱贫"}, 12, "…水县<mark>脱贫</mark>无关的内容。无关…"},
		{"the window with the most matches wins", "王毅" + long + "脱贫，王毅，脱贫" + long, []string{"王毅", "脱贫"}, 12, "…容。<mark>脱贫</mark>，<mark>王毅</mark>，<mark>脱贫</mark>无关…"},
		{"paragraph breaks become spaces", "第一段。\n\n第二段脱贫。", []string{"脱贫"}, 120, "第一段。 第二段<mark>脱贫</mark>。"},
		{"empty body", "", []string{"脱贫"}, 120, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := highlight.Snippet(tc.body, tc.lits, tc.n); got != tc.want {
				t.Errorf("Snippet(…, %q, %d) = %q, want %q", tc.lits, tc.n, got, tc.want)
			}
		})
	}
}

type texts map[string]news.Article

func (m texts) GetMany(_ context.Context, ids []string) (map[string]news.Article, error) {
	if _, ok := m["broken"]; ok {
		return nil, errors.New("store closed")
	}
	out := map[string]news.Article{}
	for _, id := range ids {
		if a, ok := m[id]; ok {
			out[id] = a
		}
	}
	return out, nil
}

func TestHits(t *testing.T) {
	hits := []news.Hit{{ID: "a", Title: "清水县<脱贫>"}, {ID: "gone", Title: "清水县"}}
	err := highlight.Hits(context.Background(), texts{"a": {Body: "天水市清水县脱贫攻坚"}}, []string{"清水县"}, hits)
	if err != nil {
		t.Fatal(err)
	}
	if hits[0].Title != "<mark>清水县</mark>&lt;脱贫&gt;" || hits[0].Snippet != "天水市<mark>清水县</mark>脱贫攻坚" {
		t.Errorf("hit a: %q, %q", hits[0].Title, hits[0].Snippet)
	}
	if hits[1].Title != "<mark>清水县</mark>" || hits[1].Snippet != "" {
		t.Errorf("a hit without a body: %q, %q", hits[1].Title, hits[1].Snippet)
	}
	if err := highlight.Hits(context.Background(), texts{"broken": {}}, nil, hits); err == nil {
		t.Error("an error of the texts was dropped")
	}
}

// FuzzHighlight: whatever the text and literal, the result is valid UTF-8,
// its marks are balanced and never nested, and with the marks taken out
// and unescaped it is the text cleaned; a snippet is a part of the body.
func FuzzHighlight(f *testing.F) {
	for _, s := range [][2]string{
		{"长江大桥通车", "大桥"}, {"清水縣", "清水县"}, {"<b>&amp;</b>", "amp"}, {"15g 5G", "5g"},
		{"\x00\xff王毅", "王毅"}, {"ＡＢＣ", "abc"}, {strings.Repeat("啊", 300), "啊啊"}, {"a\u0301b", "b"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, lit string) {
		lits := []string{textnorm.String(lit)}
		for _, out := range []string{highlight.Highlight(text, lits), highlight.Snippet(text, lits, 40)} {
			if !utf8.ValidString(out) {
				t.Fatalf("%q, %q: invalid UTF-8 %q", text, lit, out)
			}
			depth := 0
			for rest := out; rest != ""; {
				i := strings.IndexByte(rest, '<')
				if i < 0 {
					break
				}
				switch {
				case strings.HasPrefix(rest[i:], "<mark>"):
					depth++
				case strings.HasPrefix(rest[i:], "</mark>"):
					depth--
				default:
					t.Fatalf("%q, %q: unescaped < in %q", text, lit, out)
				}
				if depth < 0 || depth > 1 {
					t.Fatalf("%q, %q: marks unbalanced or nested in %q", text, lit, out)
				}
				rest = rest[i+1:]
			}
			if depth != 0 {
				t.Fatalf("%q, %q: a mark left open in %q", text, lit, out)
			}
		}
		plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(highlight.Highlight(text, lits)))
		if want := textnorm.Clean(text); plain != want {
			t.Fatalf("%q, %q: the highlighted text is %q, not the text cleaned %q", text, lit, plain, want)
		}
		snip := strings.Trim(html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(highlight.Snippet(text, lits, 40))), "…")
		if !strings.Contains(strings.Join(strings.Fields(textnorm.Clean(text)), " "), snip) {
			t.Fatalf("%q, %q: snippet %q is not part of the text", text, lit, snip)
		}
	})
}
