package index

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
