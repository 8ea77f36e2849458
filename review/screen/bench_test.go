package screen

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// benchText returns at least size bytes of real text: the corpus repeated.
func benchText(b *testing.B, size int) string {
	b.Helper()
	c := readCorpus(b)
	return strings.Repeat(c, size/len(c)+1)
}

func benchScan(b *testing.B, s *Screener, text string) {
	b.Helper()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	cpu0 := cpuTime()
	n := 0
	for b.Loop() {
		s.Scan(text)
		n++
	}
	reportCPU(b, cpu0, n*len(text))
}

// cpuTime returns the process's CPU time. The machine these benchmarks run
// on is shared, so wall-clock MB/s swings with the neighbours' load; MB per
// CPU-second is what the code itself costs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, cpu0 time.Duration, bytes int) {
	if d := cpuTime() - cpu0; d > 0 {
		b.ReportMetric(float64(bytes)/1e6/d.Seconds(), "MB/cpu-s")
	}
}

// BenchmarkScan_All runs every detector and a 10,000-term keyword list over
// 10 MB of the corpus. Target: 200 MB/s.
func BenchmarkScan_All(b *testing.B) {
	text := benchText(b, 10<<20)
	s := New(Config{Keywords: []KeywordList{{Name: "gen", Ground: Art15, Terms: genTerms(10000, 1)}}})
	benchScan(b, s, text)
}

// BenchmarkScan_Numbers runs the number detectors alone. Target: 1 GB/s.
func BenchmarkScan_Numbers(b *testing.B) {
	text := benchText(b, 10<<20)
	benchScan(b, New(Config{Kinds: NumberKinds()}), text)
}

// BenchmarkScan_Keywords runs the keyword pass alone with lists of growing
// length: the automaton must not slow down more than 2x from 100 to 10,000.
func BenchmarkScan_Keywords(b *testing.B) {
	text := benchText(b, 10<<20)
	for _, n := range []int{100, 1000, 10000} {
		s := New(Config{Kinds: []Kind{KindKeyword}, Keywords: []KeywordList{{Name: "gen", Ground: Art15, Terms: genTerms(n, 1)}}})
		b.Run(fmt.Sprintf("terms=%d", n), func(b *testing.B) { benchScan(b, s, text) })
	}
}

// BenchmarkNew measures building the automaton for 10,000 terms, which the
// application does once per change of the keyword lists.
func BenchmarkNew(b *testing.B) {
	terms := genTerms(10000, 1)
	b.ReportAllocs()
	for b.Loop() {
		New(Config{Keywords: []KeywordList{{Name: "gen", Ground: Art15, Terms: terms}}})
	}
}

// BenchmarkRedact measures redaction and the export check on 10 MB.
func BenchmarkRedact(b *testing.B) {
	text := benchText(b, 10<<20)
	confirmed := []Finding{{Kind: KindKeyword, Text: "国家秘密"}, {Kind: KindMobile, Text: "13800138000"}}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = CheckClean(Redact(text, confirmed), confirmed)
	}
}
