package main

import (
	"github.com/xinwen/xinwen/internal/news"
	"github.com/xinwen/xinwen/internal/region"
)

// resolveRegion sets an article's region from its metadata and text unless
// the input already gave one.
func resolveRegion(a *news.Article, hint string) {
	if a.Region.IsZero() {
		a.Region = region.Default().Resolve(a, hint)
	}
}
