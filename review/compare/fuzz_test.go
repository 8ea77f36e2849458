package compare

import (
	"testing"
)

// FuzzCompare feeds arbitrary bytes (invalid UTF-8 included) to the parser,
// the article-aware comparison and the text diff: none may panic, and the
// text diff must always rebuild the (sanitised) new text.
func FuzzCompare(f *testing.F) {
	f.Add(sampleLaw, mutateSeed)
	f.Add("第一条 甲\xff\xfe乙", "第一条 甲乙\n第二条 丙")
	f.Add("第十条之一　", "第十条之 ")
	f.Add("第一万一万条 x", "第零条 y")
	f.Add("\r\n第一章\r第一条\t甲。\n（一）", "（一）\n第一条")
	f.Add("", "\u200b\u3000")
	f.Fuzz(func(t *testing.T, old, new string) {
		for _, opt := range []Options{{}, {IgnoreSpace: true, IgnoreWidth: true, HideUnchanged: true}} {
			r, err := Compare(old, new, opt)
			if err != nil {
				t.Fatalf("Compare: %v", err)
			}
			for _, row := range r.Rows {
				if got, err := Apply(row.OldText, row.Inline); err != nil || got != row.NewText {
					t.Fatalf("row %s→%s does not rebuild", row.OldNo, row.NewNo)
				}
			}
			d, err := DiffText(old, new, opt)
			if err != nil {
				t.Fatalf("DiffText: %v", err)
			}
			so, sn := sanitizeForTest(old), sanitizeForTest(new)
			if got, err := Apply(so, d.Segments); err != nil || got != sn {
				t.Fatalf("Apply(old) != new: %v", err)
			}
		}
	})
}

const mutateSeed = "中华人民共和国示例法（修订）\n第一章 总则\n第一条 为了示例，制定本法，并加一句。\n第二条 本法所称示例，是指：\n（一）甲；\n第十条之一 新。\n"

func sanitizeForTest(s string) string {
	var w []string
	return sanitize(s, "", &w)
}
