package comment_test

import (
	"testing"
	"unicode/utf8"

	"qianfa/review/comment"
)

// FuzzCSVImport feeds arbitrary bytes through the CSV import as the
// website's export would arrive: it must never panic, every comment it
// keeps must be valid text, and every refused row must name its line.
func FuzzCSVImport(f *testing.F) {
	f.Add([]byte(exportCSV))
	f.Add([]byte("意见内容,提交时间\n\"未闭合的引号,2025-03-01\n"))
	f.Add([]byte{0xEF, 0xBB, 0xBF, 'a', '\n'})
	f.Add([]byte("text,time\n\xb2\xe2\xca\xd4,2025-03-01\n"))
	arts := comment.ArticlesOf(draftText)
	m := comment.Mapping{comment.FieldText: "意见内容", comment.FieldTime: "提交时间", comment.FieldArticle: "条款", comment.FieldType: "提交者类型"}
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := comment.ReadTable(data)
		if err != nil {
			return
		}
		imp, err := tab.Comments(m, arts, "x.csv", "")
		if err != nil {
			return
		}
		for _, c := range imp.Comments {
			if !utf8.ValidString(c.Text) || c.Text == "" || c.ReceivedAt.IsZero() {
				t.Fatalf("kept an invalid comment %+v", c)
			}
		}
		for _, b := range imp.Bad {
			if b.Line <= 0 || b.Reason == "" {
				t.Fatalf("bad row without line or reason %+v", b)
			}
		}
	})
}
