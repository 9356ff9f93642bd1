package region

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xinwen/xinwen/internal/news"
)

// Weights of the evidence for a place. A full name (天水市) weighs more than a
// short name (天水), and a name that needed context (清水, 鼓楼) least; a
// mention in the title or the dateline counts several times.
const (
	weightFull     = 3
	weightShort    = 2
	weightWeak     = 1
	titleFactor    = 3
	datelineWeight = 6
	// capitalFactor discounts the names 北京/北京市 themselves (not its
	// districts): national news names the capital as the venue of meetings
	// and the filing place of national stories (在北京人民大会堂, 新华社北京电).
	capitalFactor = 0.5
	capitalCode   = "11"
)

// Decision thresholds.
const (
	minProvince    = 5   // least evidence for a province
	minChild       = 3   // least evidence for a city or county below a chosen place
	dominance      = 2.0 // the winner must have this many times the runner-up
	leadDominance  = 3.0 // or this many times a rival named in the lead
	provinceShare  = 0.6 // and this share of all evidence for provinces
	childShare     = 0.5 // a city or county must hold this share of its parent's evidence
	leadMinRunes   = 20  // the lead is the first paragraph, or more if it is shorter (a headline)
	datelineWindow = 40  // runes at the start of the body searched for a dateline
)

// Resolve returns where article a happens, or the zero Region for a national,
// foreign or many-province story, or one with too little evidence.
//
// The evidence is read in order of authority:
//  1. hint, explicit metadata such as "甘肃省天水市" or "甘肃 天水 清水县",
//     then the section breadcrumb a.Section (甘肃新闻 > 市州播报 > 天水). The
//     places they name, each inside the one before, fix an anchor that the
//     rest can refine (to 清水县) but not contradict.
//  2. the dateline at the start of the body (新华社兰州9月28日电, 本报天水讯);
//     "央视网消息（新闻联播）：" and "本台消息" name no place.
//  3. the places named in the title and body, weighted: title mentions weigh
//     more, full names more than short names, and a county's mention counts
//     for its city and province too.
//
// A name shared by several places (朝阳, 鼓楼) or that is also an ordinary
// word counts only where the text names its province or city unambiguously;
// otherwise it is ignored, never guessed. Without an anchor the province must
// be named in the title, dateline or lead, have enough evidence and clearly
// dominate every other province and the foreign places named; a title that
// names no province but marks the story as national (全国, 各地) gives the
// zero Region. The result is then refined level by level as long as one
// city, then one county, holds most of the evidence. A nil a is an empty
// article.
func (g *Gazetteer) Resolve(a *news.Article, hint string) news.Region {
	if a == nil {
		a = &news.Article{}
	}
	anchor := g.anchorOf(splitHint(hint))
	if crumb := g.anchorOf(a.Section); crumb != nil && (anchor == nil || crumb.within(anchor)) {
		anchor = crumb
	}

	e := g.weigh(g.mentions(a), anchor)
	cur := anchor
	if cur == nil {
		if len(e.inTitle) == 0 && hasAny(a.Title, nationalMarkers) {
			return news.Region{}
		}
		cur = e.province()
		if cur == nil {
			return news.Region{}
		}
	}
	return g.Region(e.refine(g, cur))
}

// Where a mention stands.
const (
	inBody = iota
	inLead
	inDateline
	inTitle
)

// weighted is a mention with where it stands.
type weighted struct {
	t     *term
	where int
}

// mentions scans the title, the dateline and the body of a.
func (g *Gazetteer) mentions(a *news.Article) []weighted {
	var ms []weighted
	g.m.scan(a.Title, func(m mention) { ms = append(ms, weighted{m.t, inTitle}) })
	place, body := dateline(a.Body)
	var dl []weighted
	covered := 0
	g.m.scan(place, func(m mention) {
		dl = append(dl, weighted{m.t, inDateline})
		covered += m.end - m.start
	})
	if covered != len(place) {
		// Not a dateline but a sentence that happens to look like one
		// (国家电网…): read the whole body.
		dl, body = nil, a.Body
	}
	ms = append(ms, dl...)
	lead := leadEnd(body)
	g.m.scan(body, func(m mention) {
		where := inBody
		if m.start < lead {
			where = inLead
		}
		ms = append(ms, weighted{m.t, where})
	})
	return ms
}

func hasAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// evidence is the weight of the mentions of each place, counted for the
// place and every place above it.
type evidence struct {
	score   map[*Place]float64
	boost   map[*Place]float64 // dateline evidence, for choosing the province only
	inTitle map[*Place]bool    // provinces named in the title
	inLead  map[*Place]bool    // provinces named in the dateline or lead
	foreign float64            // evidence for countries and world regions
}

// weigh resolves each mention to a place, using the unambiguous mentions and
// the anchor as context for the rest, and sums the weights.
func (g *Gazetteer) weigh(ms []weighted, anchor *Place) *evidence {
	ctx := map[*Place]bool{}
	mark := func(p *Place) {
		for q := p; q != nil; q = q.parent() {
			ctx[q] = true
			if c := g.muni[q]; c != nil {
				ctx[c] = true
			}
		}
	}
	if anchor != nil {
		mark(anchor)
	}
	for _, m := range ms {
		if !m.t.weak && len(m.t.places) == 1 {
			mark(m.t.places[0])
		}
	}
	e := &evidence{
		score:   map[*Place]float64{},
		boost:   map[*Place]float64{},
		inTitle: map[*Place]bool{},
		inLead:  map[*Place]bool{},
	}
	for _, m := range ms {
		factor := 1.0
		if m.where == inTitle {
			factor = titleFactor
		}
		if m.t.foreign {
			e.foreign += weightShort * factor
			continue
		}
		p, base := resolveTerm(m.t, ctx)
		if p == nil || (anchor != nil && !p.within(anchor) && !anchor.within(p)) {
			continue
		}
		w, boost := base*factor, 0.0
		if m.where == inDateline {
			// A dateline names where the story was filed: strong evidence of
			// the province, but agencies file from the provincial capital
			// about the whole province, so only a mention for the place.
			w, boost = base, datelineWeight
		}
		if p.Code == capitalCode || (p.Level == LevelCity && p.Province.Code == capitalCode) {
			w, boost = w*capitalFactor, boost*capitalFactor
		}
		e.boost[p.province()] += boost
		for q := p; q != nil; q = q.parent() {
			e.score[q] += w
		}
		if c := g.muni[p]; c != nil { // a municipality's name names its city too
			e.score[c] += w
		}
		switch m.where {
		case inTitle:
			e.inTitle[p.province()] = true
		case inLead, inDateline:
			e.inLead[p.province()] = true
		}
	}
	return e
}

// resolveTerm returns the place a mention of t stands for given the places
// named unambiguously elsewhere (ctx), and the base weight of the mention;
// nil if the mention is ambiguous or needs context it does not have. A
// candidate counts when its parent (a county's city, a city's province) is
// in ctx, and a weak name that names one place also when its province is.
// Several candidates under one place in ctx vote for that place. A name
// shared by places in different cities is never settled by the province
// alone: 和平 in a story that names Taiwan is not 台中市和平区.
func resolveTerm(t *term, ctx map[*Place]bool) (*Place, float64) {
	if len(t.places) == 0 {
		return nil, 0
	}
	base := float64(weightShort)
	if t.full {
		base = weightFull
	}
	if len(t.places) == 1 {
		p := t.places[0]
		switch {
		case !t.weak:
			return p, base
		case ctx[p.province()]: // ctx holds every place above a marked one
			return p, weightWeak
		}
		return nil, 0
	}
	if t.weak {
		base = weightWeak
	}
	var byParent []*Place
	for _, p := range t.places {
		if par := p.parent(); par != nil && ctx[par] {
			byParent = append(byParent, p)
		}
	}
	switch c := collapse(byParent); {
	case len(c) == 1:
		return c[0], base
	case len(c) > 1:
		if a := commonAncestor(c); a != nil && ctx[a] {
			return a, weightWeak
		}
	}
	return nil, 0
}

// commonAncestor returns the deepest place containing all of ps, or nil.
func commonAncestor(ps []*Place) *Place {
	var a *Place
	for _, cand := range []*Place{ps[0].city(), ps[0].province()} {
		if cand == nil {
			continue
		}
		all := true
		for _, p := range ps {
			if !p.within(cand) {
				all = false
				break
			}
		}
		if all {
			a = cand
			break
		}
	}
	return a
}

// province returns the province the evidence points to, or nil. It must be
// named in the title, dateline or lead, have at least minProvince, dominate
// the runner-up and foreign places, and hold provinceShare of all provincial
// evidence. A title that names no province but a lead that names several
// announce a story about several: then the winner must dominate the other
// provinces of the lead by leadDominance.
func (e *evidence) province() *Place {
	var best, second, total float64
	var p *Place
	for q, s := range e.score {
		if q.Level != LevelProvince {
			continue
		}
		s += e.boost[q]
		total += s
		switch {
		case s > best || (s == best && p != nil && q.Code < p.Code):
			second, best, p = best, s, q
		case s > second:
			second = s
		}
	}
	if p == nil || !(e.inTitle[p] || e.inLead[p]) || best < minProvince || best < dominance*second ||
		best < provinceShare*total || e.foreign >= best {
		return nil
	}
	if len(e.inTitle) == 0 {
		for q := range e.inLead {
			if q != p && best < leadDominance*(e.score[q]+e.boost[q]) {
				return nil
			}
		}
	}
	return p
}

// refine descends from p while one child holds most of the evidence.
func (e *evidence) refine(g *Gazetteer, p *Place) *Place {
	for p.Level < LevelCounty {
		if c := g.muni[p]; c != nil {
			p = c
			continue
		}
		var best, second float64
		var c *Place
		for _, k := range g.children(p) {
			s := e.score[k]
			switch {
			case s > best:
				second, best, c = best, s, k
			case s > second:
				second = s
			}
		}
		if c == nil || best < minChild || best < dominance*second || best < childShare*e.score[p] {
			break
		}
		p = c
	}
	return p
}

// anchorOf returns the place named by levels, a path from the top such as a
// breadcrumb (甘肃新闻, 市州播报, 天水) or a split hint: each name is looked
// for inside the place named before it. A name shared by several places, or
// that is also a word, counts only inside an earlier place or when it is a
// whole level. Places that do not nest give their common ancestor (nil for
// two provinces).
func (g *Gazetteer) anchorOf(levels []string) *Place {
	var cur *Place
	for _, lv := range levels {
		lv = strings.TrimSpace(lv)
		conflict := false
		g.m.scan(lv, func(m mention) {
			if conflict {
				return
			}
			cands := m.t.places
			if cur != nil {
				var inside []*Place
				for _, p := range cands {
					if p.within(cur) {
						inside = append(inside, p)
					}
				}
				if len(inside) == 0 {
					if len(cands) == 1 && !m.t.weak && !cur.within(cands[0]) {
						cur = commonAncestor([]*Place{cur, cands[0]})
						conflict = cur == nil
					}
					return // an ancestor of cur, or a name that cannot be placed
				}
				cands = inside
			}
			cands = collapse(cands)
			if len(cands) != 1 || (m.t.weak && cur == nil && m.t.key != lv) {
				return
			}
			cur = cands[0]
		})
		if conflict {
			return nil
		}
	}
	return cur
}

// splitHint cuts a hint such as "甘肃 天水 清水县" or "甘肃/天水" into levels.
func splitHint(hint string) []string {
	return strings.FieldsFunc(hint, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("/>|,，、;；", r)
	})
}

// datelineRE matches a dateline: an agency, the filing place, an optional
// date and 电 or 讯 (新华社兰州9月28日电, 本报天水讯), or a place followed by
// a date and 电, or by 讯 (天水讯). Blank space, a bracket or a colon follows.
var datelineRE = regexp.MustCompile(`^(?:(?:新华社|中新社|中新网|人民网|新华网|央视网|光明网|本报|本网|本台)(\p{Han}{2,10}?)(?:\d{1,2}月\d{1,2}日)?(?:电|讯)|(\p{Han}{2,10}?)(?:\d{1,2}月\d{1,2}日电|讯))([\s\x{3000}\x{a0}（(：:]|$)`)

// dateline splits body into the place of its dateline ("" if none) and the
// text after the place. "央视网消息（新闻联播）：" and "本台消息" name no
// place and are cut off; so is a reporter's byline in brackets after them.
func dateline(body string) (place, rest string) {
	rest = strings.TrimLeftFunc(body, isBlank)
	head := rest
	if n := byteIndexOfRune(head, datelineWindow); n >= 0 {
		head = head[:n]
	}
	for _, p := range []string{"央视网消息", "本台消息", "本报讯", "本网讯"} {
		if strings.HasPrefix(head, p) {
			rest = cutByline(rest[len(p):])
			return "", strings.TrimLeft(rest, "：:，, ")
		}
	}
	if m := datelineRE.FindStringSubmatchIndex(head); m != nil {
		i, j := m[2], m[3]
		if i < 0 {
			i, j = m[4], m[5]
		}
		return rest[i:j], strings.TrimLeft(cutByline(rest[m[6]:]), "：:")
	}
	return "", rest
}

// cutByline drops a leading bracketed byline or source: （记者 …）, （新闻联播）.
func cutByline(s string) string {
	s = strings.TrimLeftFunc(s, isBlank)
	for _, p := range [][2]string{{"（", "）"}, {"(", ")"}} {
		if strings.HasPrefix(s, p[0]) {
			if i := strings.Index(s, p[1]); i > 0 && utf8.RuneCountInString(s[:i]) < datelineWindow {
				return strings.TrimLeftFunc(s[i+len(p[1]):], isBlank)
			}
		}
	}
	return s
}

func isBlank(r rune) bool { return unicode.IsSpace(r) || r == '\u3000' || r == '\u00a0' }

// byteIndexOfRune returns the byte offset of the n-th rune of s, or -1.
func byteIndexOfRune(s string, n int) int {
	for i := range s {
		if n == 0 {
			return i
		}
		n--
	}
	return -1
}

// leadEnd returns the byte offset where the lead of body ends: the first
// paragraphs, at least leadMinRunes long.
func leadEnd(body string) int {
	runes, end := 0, 0
	for _, par := range strings.SplitAfter(body, "\n") {
		end += len(par)
		runes += utf8.RuneCountInString(strings.TrimFunc(par, isBlank))
		if runes >= leadMinRunes {
			break
		}
	}
	return end
}
