package extract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
	"time"

	"github.com/xinwen/xinwen/internal/news"
)

// decodeRecord decodes one JSON object into a Record (without File and
// Line). The object is decoded once into Go values; strings are not
// re-parsed.
func decodeRecord(raw []byte) Record {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return Record{Err: syntaxError(err)}
	}
	if _, err := dec.Token(); err != io.EOF {
		return Record{Err: news.Errorf(news.EINVALID, "invalid JSON: more than one value")}
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return Record{Err: news.Errorf(news.EINVALID, "want a JSON object, found %s", typeName(v))}
	}
	var rec Record
	rec.Err = fillArticle(&rec, fieldsOf(obj))
	return rec
}

// field kinds: what an input field means for the Article.
type field int

const (
	fNone field = iota
	fID
	fTitle
	fBody
	fDate
	fSection
	fURL
	fSource
	fAuthor
	fEditor
	fRegion
	fOriginalTitle
)

// fieldNames maps lower-case input names to their kind and a priority (lower
// wins) among names of the same kind. section, category, 栏目, CCTV's
// section_guess and column all outrank channel, which is a code on Sina.
var fieldNames = map[string]struct {
	kind field
	prio int
}{
	"id": {fID, 0}, "_id": {fID, 1}, "guid": {fID, 2}, "docid": {fID, 3}, "doc_id": {fID, 4},
	"title": {fTitle, 0}, "headline": {fTitle, 1}, "标题": {fTitle, 2},
	"body": {fBody, 0}, "content": {fBody, 1}, "text": {fBody, 2}, "article": {fBody, 3}, "正文": {fBody, 4},
	"published_at": {fDate, 0}, "publish_time": {fDate, 1}, "pub_time": {fDate, 2}, "pubdate": {fDate, 3},
	"published": {fDate, 4}, "date": {fDate, 5}, "datetime": {fDate, 6}, "time": {fDate, 7}, "发布时间": {fDate, 8},
	"pub_date": {fDate, 9}, "publish_date": {fDate, 10},
	"section": {fSection, 0}, "category": {fSection, 1}, "栏目": {fSection, 2}, "section_guess": {fSection, 3},
	"column": {fSection, 4}, "channel": {fSection, 5},
	"url": {fURL, 0}, "link": {fURL, 1}, "href": {fURL, 2},
	"source": {fSource, 0}, "media": {fSource, 1}, "来源": {fSource, 2},
	"authors": {fAuthor, 0}, "author": {fAuthor, 1}, "byline": {fAuthor, 2}, "reporter": {fAuthor, 3}, "作者": {fAuthor, 4}, "记者": {fAuthor, 5},
	"editor": {fEditor, 0}, "责任编辑": {fEditor, 1}, "编辑": {fEditor, 2},
	"province": {fRegion, 0}, "city": {fRegion, 1}, "county": {fRegion, 2}, "district": {fRegion, 3}, "region": {fRegion, 4}, "地区": {fRegion, 5},
	"original_title": {fOriginalTitle, 0}, "原标题": {fOriginalTitle, 1},
}

// input is one field of a record: its name as written and its value.
type input struct {
	name string
	val  any
	prio int
}

// fieldsOf groups the fields of obj by kind, each kind's fields in priority
// order (then by name, so that the result does not depend on map order).
func fieldsOf(obj map[string]any) map[field][]input {
	out := make(map[field][]input, len(obj))
	for name, val := range obj {
		f, ok := fieldNames[strings.ToLower(strings.TrimSpace(name))]
		if !ok {
			continue
		}
		in := input{name, val, f.prio}
		list := out[f.kind]
		i := len(list)
		for i > 0 && (list[i-1].prio > in.prio || list[i-1].prio == in.prio && list[i-1].name > in.name) {
			i--
		}
		out[f.kind] = append(list[:i], append([]input{in}, list[i:]...)...)
	}
	return out
}

// fillArticle sets rec from the grouped fields and returns the first problem.
func fillArticle(rec *Record, fields map[field][]input) error {
	a := &rec.Article
	var err error
	keep := func(e error) {
		if err == nil {
			err = e
		}
	}
	str := func(kind field) string {
		for _, in := range fields[kind] {
			s, e := stringValue(in)
			if e != nil {
				keep(e)
				continue
			}
			if s = strings.TrimSpace(s); s != "" {
				return s
			}
		}
		return ""
	}
	a.ID = cleanLine(str(fID))
	a.Title = cleanLine(unescape(str(fTitle)))
	a.Body = firstList(fields[fBody], keep, func(list []string) string { return strings.Join(list, "\n") })
	if looksLikeHTML(a.Body) {
		a.Body = htmlFragmentText(a.Body)
	} else {
		a.Body = unescape(a.Body)
	}
	a.Body = cleanBody(a.Body)
	a.URL = cleanLine(str(fURL))
	a.Source = cleanLine(firstList(fields[fSource], keep, func(list []string) string { return list[0] }))
	a.Editor = cleanLine(str(fEditor))
	a.OriginalTitle = cleanLine(unescape(str(fOriginalTitle)))
	for _, in := range fields[fAuthor] {
		list, e := stringList(in)
		if e != nil {
			keep(e)
			continue
		}
		for _, s := range list {
			a.Authors = appendNames(a.Authors, splitNames(s)...)
		}
		if len(a.Authors) > 0 {
			break
		}
	}
	a.Section = sectionOf(fields[fSection], keep)
	var region []string
	for _, in := range fields[fRegion] {
		list, e := stringList(in)
		if e != nil {
			keep(e)
		}
		for _, s := range list {
			region = appendNames(region, cleanLine(s))
		}
	}
	rec.RegionHint = strings.Join(region, " ")
	t, derr := dateOf(fields[fDate])
	if derr != nil {
		return derr
	}
	a.PublishedAt = t
	if err != nil {
		return err
	}
	return finish(a)
}

// stringValue returns a field's value as text: a string, or a number's
// literal; "" for null.
func stringValue(in input) (string, error) {
	switch v := in.val.(type) {
	case nil:
		return "", nil
	case string:
		return v, nil
	case json.Number:
		return v.String(), nil
	}
	return "", news.Errorf(news.EINVALID, "field %q: want a string, found %s", in.name, typeName(in.val))
}

func typeName(v any) string {
	switch v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case string:
		return "a string"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// stringList returns a field's value as a list of non-empty strings: an
// array of strings (or of objects with a "name"), or one string or object.
func stringList(in input) ([]string, error) {
	items, ok := in.val.([]any)
	if !ok {
		items = []any{in.val}
	}
	var out []string
	for _, it := range items {
		s, err := nameValue(input{name: in.name, val: it})
		if err != nil {
			return nil, err
		}
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// nameValue reads a string, or the "name" of an object such as
// {"name": "新华社"}.
func nameValue(in input) (string, error) {
	if obj, ok := in.val.(map[string]any); ok {
		for k, v := range obj {
			if strings.EqualFold(k, "name") {
				return stringValue(input{name: in.name + "." + k, val: v})
			}
		}
		return "", news.Errorf(news.EINVALID, "field %q: want a string or an object with a name", in.name)
	}
	return stringValue(in)
}

// firstList returns join of the first field with a non-empty list value.
func firstList(ins []input, keep func(error), join func([]string) string) string {
	for _, in := range ins {
		list, err := stringList(in)
		if err != nil {
			keep(err)
			continue
		}
		if len(list) > 0 {
			return join(list)
		}
	}
	return ""
}

// sectionOf reads the first section field: an array of levels, or a string
// with levels separated by ">", "/", "»" or "＞". The value "unknown" means
// no section (CCTV's section_guess), without falling back to other fields.
func sectionOf(ins []input, keep func(error)) []string {
	for _, in := range ins {
		list, err := stringList(in)
		if err != nil {
			keep(err)
			continue
		}
		var path []string
		if len(list) == 1 {
			path = splitPath(list[0])
		} else {
			for _, s := range list {
				path = appendNames(path, cleanLine(s))
			}
		}
		if len(path) == 1 && (strings.EqualFold(path[0], "unknown") || path[0] == "未知") {
			return nil
		}
		if len(path) > 0 {
			return path
		}
	}
	return nil
}

// splitPath splits a section string into its levels.
func splitPath(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool {
		return r == '>' || r == '/' || r == '»' || r == '＞' || r == '›' || r == '／'
	})
	var out []string
	for _, p := range parts {
		if p = cleanLine(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// dateOf parses the first non-empty date field: a string for ParseTime or a
// number of Unix seconds (milliseconds above 1e12). A database's zero date
// (0000-00-00 00:00:00) counts as none.
func dateOf(ins []input) (time.Time, error) {
	for _, in := range ins {
		s, err := stringValue(in)
		if err != nil {
			return time.Time{}, err
		}
		if strings.Trim(s, " 0-/:.T") == "" {
			continue
		}
		t, err := ParseTime(s)
		if err != nil {
			return time.Time{}, news.Errorf(news.EINVALID, "field %q: %s", in.name, news.ErrorMessage(err))
		}
		return t, nil
	}
	return time.Time{}, nil
}

// unescape decodes HTML entities (&quot; &#8220; &nbsp;) that exports leave
// in text.
func unescape(s string) string {
	if i := strings.IndexByte(s, '&'); i < 0 || !strings.Contains(s[i:], ";") {
		return s
	}
	return html.UnescapeString(s)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// looksLikeHTML reports whether an exported body is HTML markup rather than
// text.
func looksLikeHTML(s string) bool {
	i := strings.IndexByte(s, '<')
	if i < 0 {
		return false
	}
	s = strings.ToLower(s[i:])
	for _, tag := range []string{"<p>", "<p ", "<br", "</p>", "</div>", "<div", "<img", "</span>"} {
		if strings.Contains(s, tag) {
			return true
		}
	}
	return false
}
