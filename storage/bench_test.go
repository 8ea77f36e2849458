package storage

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"qianfa/assets"
	"qianfa/internal/testcorpus"
	"qianfa/review"
	"qianfa/review/intake"
)

// benchTexts returns real text to fill a benchmark workspace: the corpus
// when present, else the shipped sample drafts.
func benchTexts(b *testing.B) []string {
	var texts []string
	if dir := testcorpus.Dir(); dir != "" {
		files, _ := filepath.Glob(filepath.Join(dir, "laws", "*.txt"))
		for _, f := range files {
			data, _ := os.ReadFile(f)
			texts = append(texts, string(data))
		}
	} else {
		entries, _ := fs.ReadDir(assets.Samples, "samples")
		for _, e := range entries {
			data, _ := fs.ReadFile(assets.Samples, "samples/"+e.Name())
			texts = append(texts, string(data))
		}
	}
	if len(texts) == 0 {
		b.Fatal("no text for the benchmark")
	}
	return texts
}

var (
	bigOnce sync.Once
	bigDB   *DB
	bigErr  error
)

// bigWorkspace is 10,000 documents of about 3,000 characters each, cut from
// real texts, built once per run.
func bigWorkspace(b *testing.B) *DB {
	bigOnce.Do(func() {
		dir, err := os.MkdirTemp("", "qianfa-bench")
		if err != nil {
			bigErr = err
			return
		}
		db, err := Open(filepath.Join(dir, "ws.db"))
		if err != nil {
			bigErr = err
			return
		}
		var chunks []string
		for _, t := range benchTexts(b) {
			r := []rune(t)
			for i := 0; i < len(r); i += 3000 {
				chunks = append(chunks, string(r[i:min(i+3000, len(r))]))
			}
		}
		for i := 0; i < 10000; i++ {
			n := review.NewDocument{Meta: review.Metadata{Title: fmt.Sprintf("文件%05d", i), Kind: review.Kinds[i%len(review.Kinds)], Disclosure: review.DisclosureActive},
				Text: chunks[i%len(chunks)] + fmt.Sprintf("\n编号%05d", i), Author: "clerk"}
			if _, err := db.CreateDocument(ctx, n); err != nil {
				bigErr = err
				return
			}
		}
		bigDB = db
	})
	if bigErr != nil {
		b.Fatal(bigErr)
	}
	return bigDB
}

// BenchmarkSearch10k measures a search as the document list runs it, over
// 10,000 documents: trigram queries of three or more characters and the LIKE
// path for shorter ones (target: under 50 ms a query).
func BenchmarkSearch10k(b *testing.B) {
	db := bigWorkspace(b)
	for _, q := range []string{"国家秘密", "突发事件应对", "统计调查", "编号09999", "秘密", "统", "不存在的词语"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				if _, err := db.FindDocuments(ctx, review.DocumentFilter{Query: q, Limit: 200}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("filter-only", func(b *testing.B) {
		for b.Loop() {
			if _, err := db.FindDocuments(ctx, review.DocumentFilter{Kind: review.KindRule, Limit: 200}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkImportLaw imports 公司法 (2023, 95 KB) into a workspace: read,
// screen for markings, store the revision, index it, audit it.
func BenchmarkImportLaw(b *testing.B) {
	path := filepath.Join(testcorpus.Need(b), "laws", "公司法-2023-12-29.txt")
	st, _ := os.Stat(path)
	db, err := Open(filepath.Join(b.TempDir(), "ws.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	b.SetBytes(st.Size())
	for b.Loop() {
		if _, err := intake.File(ctx, db, path, intake.Options{Kind: review.KindOther, Author: "clerk"}); err != nil {
			b.Fatal(err)
		}
	}
}
