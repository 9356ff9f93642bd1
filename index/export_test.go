package index

// FlightWaiters counts the searches now waiting for an identical one.
func FlightWaiters(ix *Index) int { return ix.flights.waitingNow() }
