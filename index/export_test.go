package index

// FlightWaiters counts the searches now waiting for an identical one.
func FlightWaiters(ix *Index) int { return ix.flights.waitingNow() }

// CacheHeld returns the entries and estimated bytes the result cache holds.
func CacheHeld(ix *Index) (int, int64) { return ix.cache.held() }
