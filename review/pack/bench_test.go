package pack

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// The benchmark document carries 200 MB of attachments, as a large
// ministry notice with scanned annexes might: nine already-compressed files
// (PDF scans, spreadsheets) and one compressible one, written to disk first
// so that export and sha256sum read the very same files.
const (
	benchCompressed   = 9
	benchCompressedSz = 21 << 20
	benchPlainSz      = 200<<20 - benchCompressed*benchCompressedSz
)

var (
	benchOnce  sync.Once
	benchDir   string
	benchFiles []string
	benchErr   error
)

func benchData(b *testing.B) (string, []string) {
	b.Helper()
	benchOnce.Do(func() {
		benchDir, benchErr = os.MkdirTemp("", "qianfa-pack-bench-")
		if benchErr != nil {
			return
		}
		for i := range benchCompressed + 1 {
			var data []byte
			name := fmt.Sprintf("附件%02d.pdf", i+1)
			if i < benchCompressed {
				data = randBytes(uint64(i+100), benchCompressedSz)
			} else {
				// Text-like: a 32-letter alphabet deflates to about 60%.
				name = "附件-说明.txt"
				data = randBytes(999, benchPlainSz)
				for j := range data {
					data[j] = 'a' + data[j]&31
				}
			}
			p := filepath.Join(benchDir, name)
			if benchErr = os.WriteFile(p, data, 0o644); benchErr != nil {
				return
			}
			benchFiles = append(benchFiles, p)
		}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDir, benchFiles
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

func benchBag(b *testing.B, files []string) (*Bag, int64) {
	bag := sampleBag(b)
	var total int64
	for i, p := range files {
		fi, err := os.Stat(p)
		if err != nil {
			b.Fatal(err)
		}
		bag.Files = append(bag.Files, File{
			Path:       "attachments/" + filepath.Base(p),
			Size:       fi.Size(),
			Open:       func() (io.ReadCloser, error) { return os.Open(p) },
			Compressed: i < benchCompressed,
		})
		total += fi.Size()
	}
	return bag, total
}

// BenchmarkExport writes the 200 MB package; compare its MB/s with
// BenchmarkSha256sum's, which only hashes the same files.
func BenchmarkExport(b *testing.B) {
	dir, files := benchData(b)
	bag, total := benchBag(b, files)
	b.Run("file", func(b *testing.B) {
		out := filepath.Join(dir, "package.zip")
		b.SetBytes(total)
		for b.Loop() {
			f, err := os.Create(out)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := Write(context.Background(), f, bag); err != nil {
				b.Fatal(err)
			}
			if err := f.Close(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("discard", func(b *testing.B) {
		b.SetBytes(total)
		for b.Loop() {
			if _, err := Write(context.Background(), io.Discard, bag); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSha256sum runs coreutils sha256sum over the same attachment
// files, the yardstick the export must at least match.
func BenchmarkSha256sum(b *testing.B) {
	tool, err := exec.LookPath("sha256sum")
	if err != nil {
		b.Skip("sha256sum 未安装，跳过对照基准")
	}
	_, files := benchData(b)
	var total int64
	for _, p := range files {
		fi, _ := os.Stat(p)
		total += fi.Size()
	}
	b.SetBytes(total)
	for b.Loop() {
		if out, err := exec.Command(tool, files...).CombinedOutput(); err != nil {
			b.Fatalf("%v: %s", err, out)
		}
	}
}

// BenchmarkVerify checks the 200 MB package, reading it from disk.
func BenchmarkVerify(b *testing.B) {
	dir, files := benchData(b)
	bag, total := benchBag(b, files)
	out := filepath.Join(dir, "verify.zip")
	f, err := os.Create(out)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := Write(context.Background(), f, bag); err != nil {
		b.Fatal(err)
	}
	f.Close()
	b.SetBytes(total)
	for b.Loop() {
		rep, err := VerifyFile(out, Options{Now: verifyAt})
		if err != nil || !rep.OK {
			b.Fatalf("%v %s", err, failures(rep))
		}
	}
}
