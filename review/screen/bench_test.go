package screen

import (
	"fmt"
	"strings"
	"testing"
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
	b.ResetTimer()
	for b.Loop() {
		s.Scan(text)
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
