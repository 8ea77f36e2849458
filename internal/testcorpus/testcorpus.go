// Package testcorpus finds the shared corpus of real documents for tests and
// benchmarks. The corpus lives beside the checkout (../shared/corpus) and is
// absent in a clone elsewhere; tests that need it then skip, saying why.
package testcorpus

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the corpus folder, or "" when it cannot be found. QIANFA_CORPUS
// overrides the search.
func Dir() string {
	if d := os.Getenv("QIANFA_CORPUS"); d != "" {
		return d
	}
	wd, err := os.Getwd()
	if err != nil {
		return ""
	}
	// Walk up to the module root (the folder with go.mod), then look beside it.
	for d := wd; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			c := filepath.Join(filepath.Dir(d), "shared", "corpus")
			if st, err := os.Stat(c); err == nil && st.IsDir() {
				return c
			}
			return ""
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// Need returns the corpus folder or skips tb with a clear message.
func Need(tb testing.TB) string {
	tb.Helper()
	d := Dir()
	if d == "" {
		tb.Skip("skipped: the shared corpus (../shared/corpus beside the checkout) is absent; set QIANFA_CORPUS to run this test")
	}
	return d
}

// Read returns the bytes of a corpus file named relative to the corpus
// folder, skipping tb when the corpus is absent.
func Read(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(Need(tb), name))
	if err != nil {
		tb.Fatalf("read corpus file: %v", err)
	}
	return b
}

// Laws lists the corpus's law files (relative names such as
// "laws/公司法-2018-10-26.txt"), skipping tb when the corpus is absent.
func Laws(tb testing.TB) []string {
	tb.Helper()
	m, err := filepath.Glob(filepath.Join(Need(tb), "laws", "*.txt"))
	if err != nil || len(m) == 0 {
		tb.Fatalf("no law files in the corpus: %v", err)
	}
	out := make([]string, len(m))
	for i, p := range m {
		out[i] = filepath.Join("laws", filepath.Base(p))
	}
	return out
}
