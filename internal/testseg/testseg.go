package testseg

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/xinwen/xinwen/internal/segment"
)

var (
	once   sync.Once
	shared *segment.Segmenter
	err    error
)

// DictDir is the directory of the bundled dictionaries the segmenters of
// tests are built from; a test may build more (segment.New with user
// entries) there.
func DictDir() string { return filepath.Join(os.TempDir(), "xinwen-testseg-dict") }

// Segmenter returns the process-wide test segmenter: the bundled
// dictionaries and no user words.
func Segmenter(tb testing.TB) *segment.Segmenter {
	tb.Helper()
	once.Do(func() { shared, err = segment.New(DictDir(), nil) })
	if err != nil {
		tb.Fatalf("build the test segmenter: %v", err)
	}
	return shared
}

// Current returns a new segment.Current holding Segmenter(tb): a test that
// stores another segmenter in it changes no other test's.
func Current(tb testing.TB) *segment.Current {
	tb.Helper()
	return segment.NewCurrent(Segmenter(tb))
}
