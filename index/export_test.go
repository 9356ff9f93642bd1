package index

import (
	"fmt"
	"math"
)

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

// SetTwoPhaseMin sets the fewest candidates for which a search runs in two
// phases (0: every search that can).
func SetTwoPhaseMin(ix *Index, n int) { ix.twoPhaseMin = n }

// OnePhase makes every search of ix run in one phase (the proximity factor
// computed for every match as it is matched, the oracle of the two phases)
// until the function it returns is called.
func OnePhase(ix *Index) (restore func()) {
	old := ix.twoPhaseMin
	ix.twoPhaseMin = math.MaxInt
	return func() { ix.twoPhaseMin = old }
}
