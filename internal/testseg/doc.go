// Package testseg gives tests a jieba segmenter built from the bundled
// dictionaries, once per test process. Only tests import it.
//
// The dictionaries are written to one directory under the system's
// temporary directory, shared by every test process and reused from run to
// run (segment installs them atomically and only when missing), so that no
// test leaves a copy of them behind.
//
// testseg imports internal/segment only.
package testseg
