package compare

import (
	"strings"
	"testing"
	"time"

	"qianfa/internal/testcorpus"
)

// BenchmarkCompare_公司法 is the whole article-aware comparison of 公司法
// 2018 → 2023: parse, align, character diffs, labels (target < 15 ms).
func BenchmarkCompare_公司法(b *testing.B) {
	lp := lawPairs[1]
	o, n := string(testcorpus.Read(b, lp.old)), string(testcorpus.Read(b, lp.new))
	b.SetBytes(int64(len(o) + len(n)))
	start := cpuTime()
	for b.Loop() {
		if _, err := Compare(o, n, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}

// reportCPU adds the CPU milliseconds per operation (all threads, GC
// included), which stays meaningful when other processes share the cores.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}

// bigPair concatenates the corpus's old versions and, separately, the new
// versions, repeating both until the pair reaches 1.5 MB.
func bigPair(tb testing.TB) (string, string) {
	var o, n strings.Builder
	for o.Len()+n.Len() < 1500_000 {
		for _, lp := range lawPairs {
			o.Write(testcorpus.Read(tb, lp.old))
			o.WriteByte('\n')
			n.Write(testcorpus.Read(tb, lp.new))
			n.WriteByte('\n')
		}
	}
	return o.String(), n.String()
}

// BenchmarkCompare_Corpus15MB is the article-aware comparison of a 1.5 MB
// pair (target < 300 ms, never coarse).
func BenchmarkCompare_Corpus15MB(b *testing.B) {
	o, n := bigPair(b)
	b.SetBytes(int64(len(o) + len(n)))
	start := cpuTime()
	for b.Loop() {
		r, err := Compare(o, n, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if r.Coarse {
			b.Fatal("coarse result")
		}
	}
	reportCPU(b, start)
}

// BenchmarkDiffText_Corpus15MB is the whole-text line-then-character diff of
// the same pair, for the side-by-side view.
func BenchmarkDiffText_Corpus15MB(b *testing.B) {
	o, n := bigPair(b)
	b.SetBytes(int64(len(o) + len(n)))
	start := cpuTime()
	for b.Loop() {
		d, err := DiffText(o, n, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if d.Coarse {
			b.Fatal("coarse result")
		}
	}
	reportCPU(b, start)
}

// TestCompare_Corpus15MBIsExact checks, outside the benchmark, that the big
// pair is compared at full precision and every article is accounted for.
func TestCompare_Corpus15MBIsExact(t *testing.T) {
	if testing.Short() {
		t.Skip("large input")
	}
	testcorpus.Laws(t)
	o, n := bigPair(t)
	r, err := Compare(o, n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Coarse {
		t.Errorf("coarse result: %v", r.Warnings)
	}
	oldSeen, newSeen := 0, 0
	for _, row := range r.Rows {
		oldSeen += len(row.OldArticles)
		newSeen += len(row.NewArticles)
	}
	if oldSeen != len(r.Old.Articles) || newSeen != len(r.New.Articles) {
		t.Errorf("rows hold %d/%d old and %d/%d new articles", oldSeen, len(r.Old.Articles), newSeen, len(r.New.Articles))
	}
	d, err := DiffText(o, n, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Apply(o, d.Segments); err != nil || got != n || d.Coarse {
		t.Errorf("text diff of the big pair does not rebuild new exactly (coarse %v, err %v)", d.Coarse, err)
	}
	t.Logf("%d + %d bytes, %d → %d articles: %s", len(o), len(n), len(r.Old.Articles), len(r.New.Articles), r.Summary)
}

// BenchmarkDiffText_公司法 is the whole-text line-then-character diff of
// 公司法 2018 → 2023, what `qianfa-cli diff` runs without --table.
func BenchmarkDiffText_公司法(b *testing.B) {
	lp := lawPairs[1]
	o, n := string(testcorpus.Read(b, lp.old)), string(testcorpus.Read(b, lp.new))
	b.SetBytes(int64(len(o) + len(n)))
	start := cpuTime()
	for b.Loop() {
		if _, err := DiffText(o, n, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, start)
}
