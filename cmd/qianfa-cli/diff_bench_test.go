package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"qianfa/internal/testcorpus"
)

// BenchmarkDiffCommand runs, in one go, the built qianfa-cli diff command
// and git's character-level word diff on the same files, so the two figures
// come from the same machine load. Both are whole processes: start-up,
// reading both files, diffing and writing the output (to /dev/null). Target:
// qianfa-cli no slower than git.
//
//	go test -run '^$' -bench DiffCommand ./cmd/qianfa-cli
func BenchmarkDiffCommand(b *testing.B) {
	git, err := exec.LookPath("git")
	if err != nil {
		b.Skip("skipped: git is not installed")
	}
	corpus := testcorpus.Need(b)
	dir := b.TempDir()
	bin := filepath.Join(dir, "qianfa-cli")
	build := exec.Command("go", "build", "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build qianfa-cli: %v\n%s", err, out)
	}

	pairs := []struct{ name, old, new string }{
		{"公司法", filepath.Join(corpus, "laws", "公司法-2018-10-26.txt"), filepath.Join(corpus, "laws", "公司法-2023-12-29.txt")},
	}
	oldBig, newBig := bigFiles(b, corpus, dir)
	pairs = append(pairs, struct{ name, old, new string }{"Corpus15MB", oldBig, newBig})

	// The workspace is never opened for file arguments; naming one inside
	// the temp folder keeps the user's own out of reach all the same.
	db := filepath.Join(dir, "ws.db")
	for _, p := range pairs {
		b.Run(p.name+"/qianfa-cli", func(b *testing.B) {
			for b.Loop() {
				runQuiet(b, 0, bin, "--db", db, "diff", p.old, p.new)
			}
		})
		b.Run(p.name+"/qianfa-cli-table", func(b *testing.B) {
			for b.Loop() {
				runQuiet(b, 0, bin, "--db", db, "diff", "--table", "--format", "csv", p.old, p.new)
			}
		})
		b.Run(p.name+"/git-word-diff", func(b *testing.B) {
			for b.Loop() {
				// Exit 1 means "the files differ", which is the expected answer.
				runQuiet(b, 1, git, "diff", "--no-index", "--word-diff=porcelain", "--word-diff-regex=.", p.old, p.new)
			}
		})
	}
}

// runQuiet runs a command with its output discarded and fails b unless it
// exits with want. LC_ALL=C.UTF-8 makes git's "." match a whole Chinese
// character rather than one byte of it.
func runQuiet(b *testing.B, want int, name string, args ...string) {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8", "GIT_CONFIG_NOSYSTEM=1", "HOME="+b.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		b.Fatalf("%s: %v", name, err)
	}
	if code != want {
		b.Fatalf("%s exited %d, want %d: %s", filepath.Base(name), code, want, stderr.String())
	}
}

// bigFiles writes a ~1.5 MB pair to dir: the corpus's old versions
// concatenated, and the new versions, repeated until the two together reach
// 1.5 MB, as the engine's own benchmark builds it.
func bigFiles(b *testing.B, corpus, dir string) (string, string) {
	var o, n strings.Builder
	for o.Len()+n.Len() < 1500_000 {
		for _, law := range diffLaws {
			ob, err := os.ReadFile(filepath.Join(corpus, "laws", law.old))
			if err != nil {
				b.Fatal(err)
			}
			nb, err := os.ReadFile(filepath.Join(corpus, "laws", law.new))
			if err != nil {
				b.Fatal(err)
			}
			o.Write(ob)
			o.WriteByte('\n')
			n.Write(nb)
			n.WriteByte('\n')
		}
	}
	op, np := filepath.Join(dir, "old-15MB.txt"), filepath.Join(dir, "new-15MB.txt")
	if err := os.WriteFile(op, []byte(o.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(np, []byte(n.String()), 0o644); err != nil {
		b.Fatal(err)
	}
	return op, np
}
