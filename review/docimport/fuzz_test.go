package docimport

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"qianfa/review"
)

// checkResult holds every outcome of reading outside input to the package's
// promises: no panic, a failure is always an EINVALID domain error naming the
// file, and a success is normalised text.
func checkResult(t *testing.T, name string, doc *Doc, err error) {
	t.Helper()
	if err != nil {
		var e *review.Error
		if !errors.As(err, &e) || e.Code != review.EINVALID {
			t.Fatalf("error %v is not an EINVALID review.Error", err)
		}
		if !strings.Contains(e.Message, name) {
			t.Fatalf("message %q does not name %q", e.Message, name)
		}
		return
	}
	switch {
	case doc.Text == "" || !strings.HasSuffix(doc.Text, "\n"):
		t.Fatalf("text %q is empty or lacks its final newline", doc.Text)
	case !utf8.ValidString(doc.Text) || !utf8.ValidString(doc.Title):
		t.Fatalf("invalid UTF-8 in %q / %q", doc.Title, doc.Text)
	case strings.ContainsAny(doc.Text, "\r\x00\uFEFF") || strings.Contains(doc.Text, "\n\n\n"):
		t.Fatalf("text not normalised: %q", doc.Text)
	case utf8.RuneCountInString(doc.Title) > MaxTitleRunes || strings.Contains(doc.Title, "\n"):
		t.Fatalf("bad title %q", doc.Title)
	case normalise(doc.Text) != doc.Text:
		t.Fatalf("normalise is not idempotent on %q", doc.Text)
	}
}

// FuzzReadDocx feeds whole files to the .docx reader. The seeds are valid
// documents, so mutations reach the zip reader and, through stored (not
// deflated) entries, the XML walker.
//
// Run it with a bounded minimisation, or the fuzzer spends its time
// shrinking kilobyte-sized zips instead of fuzzing:
//
//	go test -run '^$' -fuzz '^FuzzReadDocx$' -fuzztime 30s -fuzzminimizetime 200x ./review/docimport
func FuzzReadDocx(f *testing.F) {
	f.Add(docxOf(f, para("关于做好政府信息公开工作的通知"), styled("1", "第一章"), para("正文")))
	f.Add(docxOf(f, `<w:p><w:r><w:t>应当在</w:t></w:r><w:del><w:r><w:delText>十五</w:delText></w:r></w:del><w:ins><w:r><w:t>二十</w:t><w:tab/><w:br/></w:r></w:ins></w:p>`,
		`<w:tbl><w:tr><w:tc><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`))
	f.Add(storedZip(f, docxParts(para("未压缩")+`<w:p><w:pPr><w:rPr><w:del/></w:rPr></w:pPr><w:r><w:t>续</w:t></w:r></w:p>`+para("完"))))
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadBytes("模糊.docx", data)
		checkResult(t, "模糊.docx", doc, err)
	})
}

// FuzzDocumentXML fuzzes the document part itself inside a well-formed zip,
// which the whole-file fuzzer rarely reaches past the checksums.
func FuzzDocumentXML(f *testing.F) {
	f.Add(documentXML(para("正文") + styled("a3", "标题")))
	f.Add(documentXML(`<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:p/></mc:Fallback></mc:AlternateContent></w:r></w:p>`))
	f.Add(documentXML(`<w:p><w:r><w:sym w:char="2605"/><w:noBreakHyphen/><w:moveFrom><w:r><w:t>x</w:t></w:r></w:moveFrom></w:r></w:p>`))
	f.Fuzz(func(t *testing.T, xml string) {
		parts := docxParts("")
		parts["word/document.xml"] = xml
		doc, err := ReadBytes("模糊.docx", storedZip(t, parts))
		checkResult(t, "模糊.docx", doc, err)
	})
}

// FuzzReadText covers encoding detection and Markdown stripping.
func FuzzReadText(f *testing.F) {
	f.Add("说明.md", []byte("# 标题\n**重点** [链接](x)\n| a | b |\n|---|---|\n"))
	f.Add("通知.txt", gb18030(f, "关于开展保密审查的通知\r\n正文"))
	f.Add("u16.txt", []byte{0xFF, 0xFE, 0x6D, 0x51, 0x00, 0x00})
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if !strings.HasSuffix(name, ".txt") && !strings.HasSuffix(name, ".md") {
			name += ".txt"
		}
		if strings.ContainsAny(name, "/\\") || name == ".txt" {
			return // a path, not a name; filepath.Base would rename it
		}
		doc, err := ReadBytes(name, data)
		checkResult(t, name, doc, err)
	})
}
