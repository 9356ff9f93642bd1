// Package cache puts a result cache and a cap on concurrent searches in
// front of any backend's Search (the embedded index, the live service that
// swaps it, a search cluster): identical requests are answered from memory
// until the data changes or a minute passes, identical requests that miss
// together share one search, and no more than a set number of searches run
// at once while answers from the cache never wait.
//
// cache imports internal/news only.
package cache
