package index

import "fmt"

// FlightWaiters counts the searches now waiting for an identical one.
func FlightWaiters(ix *Index) int { return ix.flights.waitingNow() }

// CacheHeld returns the entries and estimated bytes the result cache holds.
func CacheHeld(ix *Index) (int, int64) { return ix.cache.held() }

// UseBlevePhrase makes ix find literals of two bigrams or more with Bleve's
// phrase query, as it did before gramPhraseQuery, or not; results cached
// until then are dropped.
func UseBlevePhrase(ix *Index, on bool) {
	ix.blevePhrase.Store(on)
	ix.gen.Add(1)
}

// DictTerms returns the terms of a text field ("title_g", "body", …) that
// start with prefix, in order, over every shard; an error if one comes twice.
func DictTerms(ix *Index, field, prefix string) ([]string, error) {
	d, err := ix.fieldDict(field, []byte(prefix))
	if err != nil {
		return nil, err
	}
	defer d.Close()
	var out []string
	for {
		e, err := d.Next()
		if err != nil || e == nil {
			return out, err
		}
		if len(out) > 0 && out[len(out)-1] >= e.Term {
			return nil, fmt.Errorf("term %q after %q", e.Term, out[len(out)-1])
		}
		out = append(out, e.Term)
	}
}

// UseOnePhase makes ix search as it did before exactQuery and runRanked:
// every literal by its gram positions, the proximity factor computed for
// every match (Options.GramsOnly and Options.EagerProximity), or not;
// results cached until then are dropped.
func UseOnePhase(ix *Index, on bool) {
	ix.opts.GramsOnly, ix.opts.EagerProximity = on, on
	ix.gen.Add(1)
}

// SetTwoPhaseMin sets the fewest candidates for which a search runs in two
// phases (0: every search that can); results cached until then are dropped.
func SetTwoPhaseMin(ix *Index, n int) {
	ix.twoPhaseMin = n
	ix.gen.Add(1)
}
