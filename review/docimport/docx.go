package docimport

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode"
)

// XML namespaces of WordprocessingML. Word writes the transitional one; the
// strict one appears when a user saves as "Strict Open XML Document".
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	nsPkgRels = "http://schemas.openxmlformats.org/package/2006/relationships"

	// Small parts (relationships, styles) get their own, lower bound.
	maxSmallPart = 20 << 20
	// headingWindow is how many non-empty paragraphs from the top a styled
	// title may be: further down, a Heading 1 is a chapter, not the title.
	headingWindow = 5
)

// errTooLarge marks a part that decompressed past its bound.
var errTooLarge = errors.New("part exceeds size bound")

// readDocx returns the main text of a .docx and, if it has one near the top,
// the text of a paragraph styled Title or Heading 1.
//
// What is read: the paragraphs of the main document part in order, including
// those in tables (each cell's paragraphs are lines of their own, row by row)
// and in text boxes; inserted revisions are kept and deleted ones (w:del,
// w:moveFrom) dropped, i.e. the text as it reads with all changes accepted.
// What is not: headers, footers, footnotes, endnotes, comments, and the
// images' alt text; they live in other parts.
func readDocx(base string, data []byte) (text, title string, err error) {
	if bytes.HasPrefix(data, magicOLE) {
		return "", "", invalid(base, "文件已加密或为旧版 .doc 格式，无法读取。请在 Word 中取消密码保护，并另存为 .docx 后再导入。")
	}
	if !bytes.HasPrefix(data, magicZip) {
		return "", "", invalid(base, "文件不是有效的 .docx 文档（可能是其他类型的文件改了扩展名）。")
	}
	// archive/zip builds a File for every central-directory record before
	// we can look at the count, and the header's count is only checked
	// modulo 65536. Count the record signatures ourselves first: in
	// compressed data the 4-byte signature is as rare as chance makes it.
	if n := bytes.Count(data, []byte("PK\x01\x02")); n > MaxZipEntries {
		return "", "", invalid(base, "压缩包内的文件超过 %d 个，疑似压缩炸弹，已拒绝导入。", MaxZipEntries)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", "", invalidWrap(base, err, "文件已损坏，无法作为 .docx 文档打开。")
	}
	if len(zr.File) > MaxZipEntries {
		return "", "", invalid(base, "压缩包内的文件超过 %d 个，疑似压缩炸弹，已拒绝导入。", MaxZipEntries)
	}

	mainName := mainPartName(zr)
	main := findPart(zr, mainName)
	if main == nil {
		return "", "", invalid(base, "压缩包中没有 Word 正文（%s），不是 .docx 文档（可能是 .xlsx、.pptx 或其他压缩包改了扩展名）。", mainName)
	}
	if main.Flags&0x1 != 0 {
		// Zip-level encryption (not Word's own, which is the OLE case):
		// archive/zip would hand back ciphertext.
		return "", "", invalid(base, "文件已加密，无法读取。请取消密码保护并另存为 .docx 后再导入。")
	}
	bomb := func(err error) error {
		return invalidWrap(base, err, "Word 正文解压后超过 %d MB，疑似压缩炸弹，已拒绝导入。", MaxUnzippedSize>>20)
	}
	// The declared size rejects an honest bomb at once; the bounded reader
	// below catches one that lies, whatever archive/zip itself checks.
	if main.UncompressedSize64 > MaxUnzippedSize {
		return "", "", bomb(fmt.Errorf("%s declares %d bytes", main.Name, main.UncompressedSize64))
	}
	headings := headingStyles(findPart(zr, path.Join(path.Dir(mainName), "styles.xml")))

	rc, err := main.Open()
	if err != nil {
		return "", "", invalidWrap(base, err, "文件已损坏，无法读取 Word 正文。")
	}
	defer rc.Close()
	w := &docxWalker{headings: headings}
	if err := w.walk(&boundedReader{r: rc, n: MaxUnzippedSize}); err != nil {
		if errors.Is(err, errTooLarge) {
			return "", "", bomb(err)
		}
		return "", "", invalidWrap(base, err, "文件已损坏，Word 正文无法解析。")
	}
	return w.text(), w.title, nil
}

// boundedReader reads at most n bytes and then fails with errTooLarge. It
// counts what actually comes out of the decompressor, not what the zip
// headers say will.
type boundedReader struct {
	r io.Reader
	n int64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	if b.n <= 0 {
		// One more byte tells a part of exactly n bytes from a longer one.
		var one [1]byte
		k, err := io.ReadFull(b.r, one[:])
		if k > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > b.n {
		p = p[:b.n]
	}
	k, err := b.r.Read(p)
	b.n -= int64(k)
	return k, err
}

// findPart returns the zip entry with the given part name. OPC part names
// are case-insensitive, and some tools write a leading slash.
func findPart(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(strings.TrimPrefix(f.Name, "/"), name) {
			return f
		}
	}
	return nil
}

// readSmallPart reads a part of at most maxSmallPart bytes.
func readSmallPart(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(&boundedReader{r: rc, n: maxSmallPart})
}

// mainPartName finds the main document part through the package
// relationships, as the format specifies; almost always word/document.xml,
// which is also the answer when the relationships cannot be read.
func mainPartName(zr *zip.Reader) string {
	const fallback = "word/document.xml"
	f := findPart(zr, "_rels/.rels")
	if f == nil {
		return fallback
	}
	data, err := readSmallPart(f)
	if err != nil {
		return fallback
	}
	var rels struct {
		Rel []struct {
			Type   string `xml:"Type,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if xml.Unmarshal(data, &rels) != nil {
		return fallback
	}
	for _, r := range rels.Rel {
		if strings.HasSuffix(r.Type, "/officeDocument") && r.Target != "" {
			name := path.Clean("/" + r.Target)[1:]
			if name != "" {
				return name
			}
		}
	}
	return fallback
}

// headingStyles returns the IDs of the paragraph styles that mark a title:
// the built-ins named "Title" and "heading 1". The IDs are localised (a
// Chinese Word calls Heading 1 "1"), the names are not.
func headingStyles(f *zip.File) map[string]bool {
	out := map[string]bool{}
	if f == nil {
		return out
	}
	data, err := readSmallPart(f)
	if err != nil {
		return out
	}
	var styles struct {
		Style []struct {
			Type string `xml:"type,attr"`
			ID   string `xml:"styleId,attr"`
			Name struct {
				Val string `xml:"val,attr"`
			} `xml:"name"`
		} `xml:"style"`
	}
	if xml.Unmarshal(data, &styles) != nil {
		return out
	}
	for _, s := range styles.Style {
		switch strings.ToLower(s.Name.Val) {
		case "title", "heading 1":
			out[s.ID] = true
		}
	}
	return out
}

// docxWalker turns the token stream of a document part into lines.
type docxWalker struct {
	headings map[string]bool

	lines   []string
	paras   []*paragraph // open paragraphs; text boxes nest them
	carry   string       // text of a paragraph whose mark was deleted
	pending []line       // its text boxes, read after the joined paragraph

	skip  int // depth inside a subtree being dropped (deletions, fallbacks)
	inT   int // inside w:t
	inRun int // inside w:r
	inPPr int // inside w:pPr

	nonEmpty int    // paragraphs with text so far
	title    string // first styled title within headingWindow
}

type paragraph struct {
	b           strings.Builder
	heading     bool
	markDeleted bool
	// nested holds the paragraphs of text boxes anchored in this one; they
	// are read after it, as a reader's eye would.
	nested []line
}

type line struct {
	text    string
	heading bool
}

func isW(n xml.Name) bool { return n.Space == nsW || n.Space == nsWStrict }

func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && (a.Name.Space == "" || isW(a.Name)) {
			return a.Value
		}
	}
	return ""
}

func (w *docxWalker) top() *paragraph {
	if len(w.paras) == 0 {
		return nil
	}
	return w.paras[len(w.paras)-1]
}

func (w *docxWalker) write(s string) {
	if p := w.top(); p != nil {
		p.b.WriteString(s)
	}
}

// walk reads the part token by token: a law is a few megabytes of XML and
// need not be held as a tree. encoding/xml checks well-formedness (matching
// tags, valid UTF-8) and never expands user-defined entities.
func (w *docxWalker) walk(r io.Reader) error {
	dec := xml.NewDecoder(r)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			w.start(t)
		case xml.EndElement:
			w.end(t)
		case xml.CharData:
			if w.skip == 0 && w.inT > 0 {
				w.write(string(t))
			}
		}
	}
	if len(w.paras) != 0 {
		return fmt.Errorf("%d paragraphs left open", len(w.paras))
	}
	if w.carry != "" || len(w.pending) > 0 {
		w.emit(w.carry, false)
		for _, l := range w.pending {
			w.emit(l.text, l.heading)
		}
	}
	return nil
}

func (w *docxWalker) start(se xml.StartElement) {
	if w.skip > 0 {
		w.skip++
		return
	}
	if se.Name.Space == nsMC && se.Name.Local == "Fallback" {
		// mc:AlternateContent offers a modern choice and a fallback for
		// old readers (text boxes come twice); read the choice only.
		w.skip = 1
		return
	}
	if !isW(se.Name) {
		return
	}
	switch se.Name.Local {
	case "p":
		p := &paragraph{}
		if len(w.paras) == 0 {
			// A carried-over paragraph joins the next one at the top
			// level, not a text box inside it.
			p.b.WriteString(w.carry)
			w.carry = ""
		}
		w.paras = append(w.paras, p)
	case "pPr":
		w.inPPr++
	case "pStyle":
		if p := w.top(); p != nil && w.inPPr > 0 && w.headings[attr(se, "val")] {
			p.heading = true
		}
	case "outlineLvl":
		if p := w.top(); p != nil && w.inPPr > 0 && attr(se, "val") == "0" {
			p.heading = true
		}
	case "del", "moveFrom":
		if w.inPPr > 0 {
			// In the paragraph mark's properties: the mark itself was
			// deleted, so this paragraph runs on into the next one.
			if p := w.top(); p != nil {
				p.markDeleted = true
			}
		}
		w.skip = 1
	case "r":
		w.inRun++
	case "t":
		w.inT++
	case "tab":
		if w.inRun > 0 && w.inPPr == 0 { // not a tab stop definition
			w.write("\t")
		}
	case "br", "cr":
		if w.inRun > 0 {
			w.write("\n")
		}
	case "noBreakHyphen":
		w.write("-")
	case "sym":
		// A symbol-font character; those in the private use area only
		// mean something with that font, so only real characters are kept.
		if v, err := strconv.ParseUint(attr(se, "char"), 16, 32); err == nil {
			if r := rune(v); r >= 0x20 && !(r >= 0xE000 && r <= 0xF8FF) && r <= unicode.MaxRune {
				w.write(string(r))
			}
		}
	}
}

func (w *docxWalker) end(ee xml.EndElement) {
	if w.skip > 0 {
		w.skip--
		return
	}
	if !isW(ee.Name) {
		return
	}
	switch ee.Name.Local {
	case "p":
		p := w.top()
		if p == nil {
			return
		}
		w.paras = w.paras[:len(w.paras)-1]
		if p.markDeleted && len(w.paras) == 0 {
			w.carry = p.b.String()
			w.pending = append(w.pending, p.nested...)
			return
		}
		lines := append([]line{{p.b.String(), p.heading}}, p.nested...)
		if parent := w.top(); parent != nil {
			parent.nested = append(parent.nested, lines...)
			return
		}
		for _, l := range lines {
			w.emit(l.text, l.heading)
		}
		for _, l := range w.pending {
			w.emit(l.text, l.heading)
		}
		w.pending = nil
	case "pPr":
		w.inPPr--
	case "r":
		w.inRun--
	case "t":
		w.inT--
	}
}

// emit ends a paragraph: it becomes a line (more than one if it holds
// line breaks), and it may be the title.
func (w *docxWalker) emit(s string, heading bool) {
	w.lines = append(w.lines, s)
	if strings.TrimSpace(s) == "" {
		return
	}
	w.nonEmpty++
	if heading && w.title == "" && w.nonEmpty <= headingWindow {
		w.title = strings.Join(strings.Fields(s), " ")
	}
}

func (w *docxWalker) text() string {
	if len(w.lines) == 0 {
		return ""
	}
	return strings.Join(w.lines, "\n") + "\n"
}
