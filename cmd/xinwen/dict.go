package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/xinwen/xinwen/internal/dictionary"
	"github.com/xinwen/xinwen/internal/httpapi"
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/segment"
)

const dictSummary = `Show or edit the user dictionary, DATA/userdict.txt: words jieba must keep
whole (names, places, new terms). A change is checked before anything is
written and takes effect for new articles and searches at once; articles
already indexed keep their old words until 'xinwen reindex'.

While 'xinwen serve' holds the data directory this command cannot open it;
edit the dictionary over HTTP instead: GET, PUT or POST /api/admin/dictionary
with an editor token.`

func dictUsage(w io.Writer) {
	fmt.Fprintf(w, `usage: xinwen dict list [--data DIR]
       xinwen dict add WORD [FREQ] [TAG] [--data DIR]
       xinwen dict remove WORD... [--data DIR]

%s

FREQ is a positive whole number (higher keeps the word whole more often; without
it jieba picks a middling weight); TAG is a part of speech such as nr (person),
ns (place) or nz (other proper noun).
`, dictSummary)
}

func runDict(ctx context.Context, args []string, e *env) error {
	if len(args) == 0 {
		dictUsage(e.stderr)
		return usageError{fmt.Errorf("missing action: list, add or remove")}
	}
	action, args := args[0], args[1:]
	var argsHelp string
	switch action {
	case "-h", "--help", "help":
		dictUsage(e.stdout)
		return errHelp
	case "list":
	case "add":
		argsHelp = "WORD [FREQ] [TAG]"
	case "remove":
		argsHelp = "WORD..."
	default:
		dictUsage(e.stderr)
		return usageError{fmt.Errorf("unknown action %q: try list, add or remove", action)}
	}
	fs := newFlags("dict "+action, argsHelp, dictSummary, e.stderr)
	dir := dataFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	rest := fs.Args()
	var add []segment.Entry
	switch action {
	case "list":
		if len(rest) > 0 {
			return usageError{fmt.Errorf("list takes no arguments")}
		}
	case "add":
		ent, err := dictEntry(rest)
		if err != nil {
			return err
		}
		add = []segment.Entry{ent}
	case "remove":
		if len(rest) == 0 {
			return usageError{fmt.Errorf("name at least one word to remove")}
		}
	}

	d, err := openData(ctx, *dir, e.stderr)
	if news.ErrorCode(err) == news.ECONFLICT {
		return fmt.Errorf("%w\nis 'xinwen serve' running on this data directory? Edit the dictionary over HTTP instead: /api/admin/dictionary", err)
	}
	if err != nil {
		return err
	}
	defer d.Close()
	m := dictionary.Open(*dir, d.seg)
	before := m.Version()
	switch action {
	case "list":
		for _, ent := range m.Entries() {
			fmt.Fprintln(e.stdout, ent)
		}
		fmt.Fprintf(e.stderr, "%d words, dictionary %s\n", len(m.Entries()), before)
	case "add", "remove":
		var seg *segment.Segmenter
		if action == "add" {
			seg, err = m.Add(ctx, add...)
		} else {
			seg, err = m.Remove(ctx, rest...)
		}
		if news.ErrorCode(err) == news.EINVALID {
			return usageError{fmt.Errorf("%s", news.ErrorMessage(err))}
		}
		if err != nil {
			return err
		}
		if action == "add" {
			fmt.Fprintf(e.stdout, "added %s\n", add[0])
		} else {
			fmt.Fprintf(e.stdout, "removed %s\n", strings.Join(rest, " "))
		}
		fmt.Fprintf(e.stdout, "dictionary %s (was %s), %d words\n", seg.Version(), before, len(seg.Entries()))
	}
	note := e.stdout // list keeps stdout for the entries alone
	if action == "list" {
		note = e.stderr
	}
	if iv, cur := d.live.DictVersion(), m.Version(); iv != "" && iv != cur {
		fmt.Fprintf(note, "rebuild due: index built with dictionary %s, current %s\n", iv, cur)
		fmt.Fprintf(note, "run 'xinwen reindex --data %s' so that articles already indexed use it\n", *dir)
	}
	return nil
}

// dictEntry reads WORD [FREQ] [TAG] by the user dictionary's rule
// (segment.ParseEntry). A bad entry is a usage error naming it.
func dictEntry(args []string) (segment.Entry, error) {
	if len(args) < 1 || len(args) > 3 {
		return segment.Entry{}, usageError{fmt.Errorf("add takes WORD [FREQ] [TAG], got %d arguments", len(args))}
	}
	ent, err := segment.ParseEntry(args)
	if err != nil {
		return ent, usageError{fmt.Errorf("entry 1 (%q): %s", args[0], news.ErrorMessage(err))}
	}
	return ent, nil
}

// dictAPI serves the dictionary Manager to the HTTP layer.
type dictAPI struct{ m *dictionary.Manager }

func (a dictAPI) Entries() []httpapi.DictEntry {
	var out []httpapi.DictEntry
	for _, e := range a.m.Entries() {
		out = append(out, httpapi.DictEntry(e))
	}
	return out
}

func (a dictAPI) Version() string { return a.m.Version() }

func (a dictAPI) Replace(ctx context.Context, entries []httpapi.DictEntry) (string, error) {
	seg, err := a.m.Update(ctx, segmentEntries(entries))
	if err != nil {
		return "", err
	}
	return seg.Version(), nil
}

func (a dictAPI) Edit(ctx context.Context, add []httpapi.DictEntry, remove []string) (string, error) {
	seg, err := a.m.Edit(ctx, segmentEntries(add), remove)
	if err != nil {
		return "", err
	}
	return seg.Version(), nil
}

func segmentEntries(in []httpapi.DictEntry) []segment.Entry {
	out := make([]segment.Entry, len(in))
	for i, e := range in {
		out[i] = segment.Entry(e)
	}
	return out
}
