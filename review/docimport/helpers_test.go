package docimport

import (
	"archive/zip"
	"bytes"
	"html"
	"sort"
	"strings"
	"testing"
)

// Fixtures are built in code: each test shows the XML it feeds in, and no
// binary file needs explaining.

const (
	contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`
	packageRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`
	// The style IDs are those a Chinese Word writes: localised IDs, English
	// built-in names.
	stylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/></w:style><w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/></w:style><w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style></w:styles>`
)

// documentXML wraps body in a w:document with the namespaces Word declares.
func documentXML(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"><w:body>` +
		body + `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/></w:sectPr></w:body></w:document>`
}

// para is a plain paragraph of one run.
func para(text string) string {
	return `<w:p><w:r><w:t xml:space="preserve">` + html.EscapeString(text) + `</w:t></w:r></w:p>`
}

// styled is a paragraph with a paragraph style.
func styled(styleID, text string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + styleID + `"/><w:jc w:val="center"/></w:pPr><w:r><w:t>` + html.EscapeString(text) + `</w:t></w:r></w:p>`
}

// zipOf packs parts into a zip, deflated, in name order.
func zipOf(tb testing.TB, parts map[string]string) []byte {
	tb.Helper()
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[n])); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// docxParts returns the parts of a minimal .docx whose body is body.
func docxParts(body string) map[string]string {
	return map[string]string{
		"[Content_Types].xml": contentTypes,
		"_rels/.rels":         packageRels,
		"word/document.xml":   documentXML(body),
		"word/styles.xml":     stylesXML,
	}
}

// docxOf builds a .docx from body paragraphs.
func docxOf(tb testing.TB, body ...string) []byte {
	tb.Helper()
	return zipOf(tb, docxParts(strings.Join(body, "")))
}

// docxFromText builds a .docx with one paragraph per line of text, the way
// a law pasted into Word looks.
func docxFromText(tb testing.TB, text string) []byte {
	tb.Helper()
	var b strings.Builder
	for ln := range strings.Lines(text) {
		b.WriteString(para(strings.TrimRight(ln, "\r\n")))
	}
	return zipOf(tb, docxParts(b.String()))
}

// storedZip packs parts without compression, so that a fuzzer's mutations of
// the file land in the XML rather than in a deflate stream.
func storedZip(tb testing.TB, parts map[string]string) []byte {
	tb.Helper()
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[n])); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}
