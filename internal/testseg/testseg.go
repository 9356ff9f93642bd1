// Package testseg sets up, for a package's tests, the process-wide segmenter
// that the analyzers use: the bundled dictionaries installed in a temporary
// directory. Only tests import it.
package testseg

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/xinwen/xinwen/index/analysis"
	"github.com/xinwen/xinwen/internal/segment"
)

// Main is a TestMain: it installs the segmenter, calls setup (if not nil)
// with it and its dictionary directory, runs the tests, removes the
// directory and exits with the tests' status.
func Main(m *testing.M, setup func(seg *segment.Segmenter, dictDir string)) {
	dir, err := os.MkdirTemp("", "xinwen-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	dictDir := filepath.Join(dir, "dict")
	seg, err := segment.New(dictDir, nil)
	if err != nil {
		os.RemoveAll(dir)
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	analysis.SetSegmenter(seg)
	if setup != nil {
		setup(seg, dictDir)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
