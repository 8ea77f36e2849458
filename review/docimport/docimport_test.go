package docimport

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	xunicode "golang.org/x/text/encoding/unicode"

	"qianfa/review"
)

func gb18030(tb testing.TB, s string) []byte {
	tb.Helper()
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

func TestReadBytes_Docx(t *testing.T) {
	const ns = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	tests := []struct {
		name      string
		body      []string
		parts     map[string]string // replace or add parts
		wantText  string
		wantTitle string
	}{
		{
			name:      "paragraphs become lines, first one is the title",
			body:      []string{para("关于做好政府信息公开工作的通知"), para(""), para("各司局："), para("　　现将有关事项通知如下。  ")},
			wantText:  "关于做好政府信息公开工作的通知\n\n各司局：\n　　现将有关事项通知如下。\n",
			wantTitle: "关于做好政府信息公开工作的通知",
		},
		{
			name:      "a paragraph styled Title near the top wins over the first line",
			body:      []string{para("国办发〔2018〕115号"), styled("a3", "关于全面推行行政规范性文件合法性审核机制的指导意见"), para("各省、自治区、直辖市人民政府：")},
			wantText:  "国办发〔2018〕115号\n关于全面推行行政规范性文件合法性审核机制的指导意见\n各省、自治区、直辖市人民政府：\n",
			wantTitle: "关于全面推行行政规范性文件合法性审核机制的指导意见",
		},
		{
			name:      "Heading 1 by its localised style ID",
			body:      []string{styled("1", "统计法实施方案"), para("正文")},
			wantText:  "统计法实施方案\n正文\n",
			wantTitle: "统计法实施方案",
		},
		{
			name:      "a Heading 1 far down is a chapter, not the title",
			body:      []string{para("甲"), para("乙"), para("丙"), para("丁"), para("戊"), styled("1", "第一章 总则")},
			wantText:  "甲\n乙\n丙\n丁\n戊\n第一章 总则\n",
			wantTitle: "甲",
		},
		{
			name:      "outline level 0 marks a heading too",
			body:      []string{para("附件1"), `<w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>实施细则</w:t></w:r></w:p>`},
			wantText:  "附件1\n实施细则\n",
			wantTitle: "实施细则",
		},
		{
			name:      "runs join, tabs and breaks are kept, tab stops are not text",
			body:      []string{`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="420"/></w:tabs></w:pPr><w:r><w:t>第一条</w:t></w:r><w:r><w:tab/><w:t>为了规范</w:t></w:r><w:r><w:t>管理，</w:t><w:br/><w:t>制定本法。</w:t></w:r></w:p>`},
			wantText:  "第一条\t为了规范管理，\n制定本法。\n",
			wantTitle: "第一条 为了规范管理，",
		},
		{
			name: "a table reads row by row, each cell's paragraphs as lines",
			body: []string{para("修改对照表"), `<w:tbl><w:tblPr/><w:tr><w:tc><w:p><w:r><w:t>原条文</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>修改后条文</w:t></w:r></w:p></w:tc></w:tr>` +
				`<w:tr><w:tc><w:p><w:r><w:t>第一条</w:t></w:r></w:p><w:p><w:r><w:t>第二款</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>第一条（修改）</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`},
			wantText:  "修改对照表\n原条文\n修改后条文\n第一条\n第二款\n第一条（修改）\n",
			wantTitle: "修改对照表",
		},
		{
			name: "tracked changes read as accepted: insertions kept, deletions dropped",
			body: []string{`<w:p><w:r><w:t>应当在</w:t></w:r><w:del w:id="1" w:author="张三"><w:r><w:delText>十五</w:delText></w:r></w:del><w:ins w:id="2" w:author="张三"><w:r><w:t>二十</w:t></w:r></w:ins><w:r><w:t>个工作日内公开。</w:t></w:r></w:p>`,
				`<w:p><w:moveFrom w:id="3" w:author="李四"><w:r><w:t>挪走的句子。</w:t></w:r></w:moveFrom><w:r><w:t>留下的句子。</w:t></w:r><w:moveTo w:id="4" w:author="李四"><w:r><w:t>挪来的句子。</w:t></w:r></w:moveTo></w:p>`},
			wantText:  "应当在二十个工作日内公开。\n留下的句子。挪来的句子。\n",
			wantTitle: "应当在二十个工作日内公开。",
		},
		{
			name:      "a deleted paragraph mark joins the paragraph to the next",
			body:      []string{`<w:p><w:pPr><w:rPr><w:del w:id="5" w:author="王五"/></w:rPr></w:pPr><w:r><w:t>前半句，</w:t></w:r></w:p>`, para("后半句。"), para("下一段。")},
			wantText:  "前半句，后半句。\n下一段。\n",
			wantTitle: "前半句，后半句。",
		},
		{
			name:      "a text box is read once, not again from its fallback",
			body:      []string{`<w:p><w:r><w:t>正文前</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></wps:txbx></w:drawing></mc:Choice><mc:Fallback><w:pict><v:textbox><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></v:textbox></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>正文后</w:t></w:r></w:p>`},
			wantText:  "正文前正文后\n文本框\n",
			wantTitle: "正文前正文后",
		},
		{
			name:      "entities, symbols and non-breaking hyphens",
			body:      []string{`<w:p><w:r><w:t>A&amp;B &lt;说明&gt;</w:t><w:sym w:font="Wingdings" w:char="F0FC"/><w:sym w:font="SimSun" w:char="2605"/><w:t>2019</w:t><w:noBreakHyphen/><w:t>2020</w:t><w:softHyphen/></w:r></w:p>`},
			wantText:  "A&B <说明>★2019-2020\n",
			wantTitle: "A&B <说明>★2019-2020",
		},
		{
			name: "the main part is found through the package relationships",
			parts: map[string]string{
				"word/document.xml": "",
				"_rels/.rels":       strings.Replace(packageRels, "word/document.xml", "/word/main.xml", 1),
				"word/main.xml":     documentXML(para("另存的正文")),
			},
			wantText:  "另存的正文\n",
			wantTitle: "另存的正文",
		},
		{
			name: "Strict Open XML namespace",
			parts: map[string]string{
				"word/document.xml": `<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>严格格式</w:t></w:r></w:p></w:body></w:document>`,
			},
			wantText:  "严格格式\n",
			wantTitle: "严格格式",
		},
		{
			name: "text outside the Word namespace is not document text",
			parts: map[string]string{
				"word/document.xml": `<w:document ` + ns + ` xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body><w:p><w:r><w:t>正文</w:t><a:t>图表标签</a:t></w:r></w:p></w:body></w:document>`,
			},
			wantText:  "正文\n",
			wantTitle: "正文",
		},
		{
			name: "no styles part, no relationships: defaults apply",
			parts: map[string]string{
				"word/styles.xml": "",
				"_rels/.rels":     "",
			},
			body:      []string{styled("1", "标题"), para("正文")},
			wantText:  "标题\n正文\n",
			wantTitle: "标题",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			parts := docxParts(strings.Join(tc.body, ""))
			for k, v := range tc.parts {
				if v == "" {
					delete(parts, k)
				} else {
					parts[k] = v
				}
			}
			doc, err := ReadBytes("草稿.docx", zipOf(t, parts))
			if err != nil {
				t.Fatalf("ReadBytes: %v", err)
			}
			if doc.Text != tc.wantText {
				t.Errorf("Text\n got %q\nwant %q", doc.Text, tc.wantText)
			}
			if doc.Title != tc.wantTitle {
				t.Errorf("Title got %q, want %q", doc.Title, tc.wantTitle)
			}
			if doc.Format != FormatDocx || doc.Encoding != EncodingUTF8 {
				t.Errorf("Format, Encoding = %q, %q", doc.Format, doc.Encoding)
			}
		})
	}
}

func TestReadBytes_Text(t *testing.T) {
	const law = "中华人民共和国统计法\r\n\r\n\r\n第一章　总则  \r\n第一条　为了科学、有效地组织统计工作，制定本法。\t\r\n"
	const lawNorm = "中华人民共和国统计法\n\n第一章　总则\n第一条　为了科学、有效地组织统计工作，制定本法。\n"
	utf16 := func(e xunicode.Endianness) []byte {
		b, err := xunicode.UTF16(e, xunicode.UseBOM).NewEncoder().Bytes([]byte(law))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name, file string
		data       []byte
		want       Doc
	}{
		{"UTF-8 with CRLF", "统计法.txt", []byte(law), Doc{"中华人民共和国统计法", lawNorm, FormatText, EncodingUTF8}},
		{"UTF-8 with BOM", "统计法.TXT", append([]byte{0xEF, 0xBB, 0xBF}, law...), Doc{"中华人民共和国统计法", lawNorm, FormatText, EncodingUTF8}},
		{"GB18030 (GBK) converted", "统计法.txt", gb18030(t, law), Doc{"中华人民共和国统计法", lawNorm, FormatText, EncodingGB18030}},
		{"GB18030 four-byte characters", "人名.txt", gb18030(t, "经办人：王䶮、张𠀀，联系方式见附件。\n"), Doc{"经办人：王䶮、张𠀀，联系方式见附件。", "经办人：王䶮、张𠀀，联系方式见附件。\n", FormatText, EncodingGB18030}},
		{"UTF-16LE with BOM", "统计法.txt", utf16(xunicode.LittleEndian), Doc{"中华人民共和国统计法", lawNorm, FormatText, EncodingUTF16LE}},
		{"UTF-16BE with BOM", "统计法.txt", utf16(xunicode.BigEndian), Doc{"中华人民共和国统计法", lawNorm, FormatText, EncodingUTF16BE}},
		{"old Mac line ends, form feed, stray controls", "a.txt", []byte("\n\n标题\r正文\f第二页\x01\x7f\u2028末行\u00a0\u3000\n\n\n"), Doc{"标题", "标题\n正文\n第二页\n末行\n", FormatText, EncodingUTF8}},
		{"BOM-like U+FEFF inside is dropped", "a.txt", []byte("甲\uFEFF乙\n"), Doc{"甲乙", "甲乙\n", FormatText, EncodingUTF8}},
		{"long first line is clipped as a title", "a.txt", []byte(strings.Repeat("长", MaxTitleRunes+5)), Doc{strings.Repeat("长", MaxTitleRunes), strings.Repeat("长", MaxTitleRunes+5) + "\n", FormatText, EncodingUTF8}},
		{"Markdown", "说明.md", []byte("# 政策解读\n\n**一、背景**\n\n- 依据[条例](https://www.gov.cn/x)第二十条\n"), Doc{"政策解读", "政策解读\n\n一、背景\n\n- 依据条例第二十条\n", FormatMarkdown, EncodingUTF8}},
		{"Markdown in GBK", "说明.markdown", gb18030(t, "## 解读\n_重点_\n"), Doc{"解读", "解读\n重点\n", FormatMarkdown, EncodingGB18030}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ReadBytes(tc.file, tc.data)
			if err != nil {
				t.Fatalf("ReadBytes: %v", err)
			}
			if *doc != tc.want {
				t.Errorf("got  %+q\nwant %+q", *doc, tc.want)
			}
		})
	}
}

// TestReadBytes_BadInput covers each way a file handed in can be wrong. Each
// must be an EINVALID domain error whose message names the file and says why.
func TestReadBytes_BadInput(t *testing.T) {
	valid := docxOf(t, para("正文"))

	bomb := func() []byte {
		// An honest bomb: the header declares what it will expand to.
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate,
			CompressedSize64: 2, UncompressedSize64: MaxUnzippedSize + 1})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte{0x03, 0x00})
		zw.Close()
		return buf.Bytes()
	}
	lying := func() []byte {
		// A header that understates the expanded size: archive/zip and the
		// bounded reader each stop it; either way it must not be read.
		body := documentXML(strings.Repeat(para("炸弹"), 20000))
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: "word/document.xml", Method: zip.Store})
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
		zw.Close()
		b := buf.Bytes()
		// Patch the central directory's uncompressed size to 100 bytes.
		cd := bytes.LastIndex(b, []byte("PK\x01\x02"))
		b[cd+24], b[cd+25], b[cd+26], b[cd+27] = 100, 0, 0, 0
		return b
	}
	manyEntries := func() []byte {
		parts := docxParts(para("正文"))
		for i := 0; i <= MaxZipEntries; i++ {
			parts[fmt.Sprintf("word/media/image%05d.png", i)] = ""
		}
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for n, v := range parts {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: n, Method: zip.Store})
			w.Write([]byte(v))
		}
		zw.Close()
		return buf.Bytes()
	}
	badCRC := func() []byte {
		b := zipOf(t, map[string]string{"word/document.xml": documentXML(para("校验"))})
		// Flip the CRC in the central directory only.
		cd := bytes.LastIndex(b, []byte("PK\x01\x02"))
		b[cd+16] ^= 0xFF
		return b
	}
	zipEncrypted := func() []byte {
		b := zipOf(t, map[string]string{"word/document.xml": documentXML(para("机密"))})
		// Set the "encrypted" flag bit in the central directory entry.
		cd := bytes.LastIndex(b, []byte("PK\x01\x02"))
		b[cd+8] |= 0x1
		return b
	}
	gbkButBig5 := func() []byte {
		b, err := traditionalchinese.Big5.NewEncoder().Bytes([]byte(strings.Repeat("政府資訊公開條例規定，行政機關應當主動公開。", 4)))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	tests := []struct {
		name, file string
		data       []byte
		wantInMsg  string
	}{
		{"empty .docx", "空.docx", nil, "文件是空的"},
		{"empty .txt", "空.txt", []byte{}, "文件是空的"},
		{"only whitespace", "空白.txt", []byte(" \r\n\t\n  "), "文件是空的"},
		{"only ideographic spaces and controls", "空白.md", []byte("\u3000\u3000\n\x01\n"), "只有空白"},
		{"markdown with only markup", "空.md", []byte("---\n#\n***\n"), "只有空白"},
		{"docx without text", "图片.docx", docxOf(t, para(""), `<w:p><w:r><w:drawing/></w:r></w:p>`), "没有文字"},
		{"text file renamed .docx", "草稿.docx", []byte("这其实是一个文本文件\n"), "不是有效的 .docx"},
		{"encrypted docx (OLE compound file)", "加密.docx", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), "已加密或为旧版 .doc"},
		{"zip-encrypted docx", "加密.docx", zipEncrypted(), "文件已加密"},
		{"corrupt zip", "损坏.docx", append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0x55}, 300)...), "已损坏"},
		{"truncated docx", "截断.docx", valid[:len(valid)/2], "已损坏"},
		{"checksum mismatch", "校验.docx", badCRC(), "已损坏"},
		{"zip that is not a Word document", "表格.docx", zipOf(t, map[string]string{"xl/workbook.xml": "<workbook/>"}), "没有 Word 正文"},
		{"document.xml is not XML", "坏.docx", zipOf(t, map[string]string{"word/document.xml": "<w:document><w:body><w:p>"}), "无法解析"},
		{"document.xml with unclosed paragraph at the end", "坏.docx", zipOf(t, map[string]string{"word/document.xml": `<w:p xmlns:w="` + nsW + `"><w:r><w:t>x</w:t></w:r>`}), "无法解析"},
		{"document.xml with invalid UTF-8", "坏.docx", zipOf(t, map[string]string{"word/document.xml": documentXML(para("a\xffb"))}), "无法解析"},
		{"zip bomb, honest header", "炸弹.docx", bomb(), "疑似压缩炸弹"},
		{"zip bomb, lying header", "炸弹.docx", lying(), "已损坏"},
		{"too many zip entries", "多.docx", manyEntries(), "超过 10000 个"},
		{"file over 50 MB", "大.txt", make([]byte, MaxFileSize+1), "超过 50 MB"},
		{"unsupported extension", "报告.pdf", []byte("%PDF-1.7"), "不支持“.pdf”格式"},
		{"legacy .doc", "报告.doc", []byte("x"), "另存为 .docx"},
		{"no extension", "报告", []byte("x"), "没有扩展名"},
		{"invalid UTF-8, not GB18030 either", "乱码.txt", []byte("正文\xff\xfe\x80乱码"), "既不是 UTF-8"},
		{"UTF-8 with one stray byte", "乱码.txt", append([]byte("中华人民共和国统计法第一章总则"), 0xE4), "既不是 UTF-8"},
		{"Big5 is not taken for GBK", "繁体.txt", gbkButBig5(), "既不是 UTF-8"},
		{"Latin-1 is not taken for GBK", "latin.txt", []byte("caf\xe9 cr\xe8me br\xfbl\xe9e"), "既不是 UTF-8"},
		{"odd-length UTF-16", "u16.txt", []byte{0xFF, 0xFE, 0x41, 0x00, 0x42}, "既不是 UTF-8"},
		{"binary with a text extension", "图.txt", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), "二进制"},
		{"docx renamed .txt", "草稿.txt", valid, "扩展名改为 .docx"},
		{"OLE file renamed .md", "草稿.md", append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 64)...), "旧版 Office"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc, err := ReadBytes(filepath.Join("/tmp/收件箱", tc.file), tc.data)
			if err == nil {
				t.Fatalf("ReadBytes succeeded: %+q", doc)
			}
			assertInvalid(t, err, tc.file, tc.wantInMsg)
		})
	}
}

func assertInvalid(t *testing.T, err error, file, wantInMsg string) {
	t.Helper()
	var e *review.Error
	if !errors.As(err, &e) || e.Code != review.EINVALID {
		t.Fatalf("error %v: want a review.Error with code EINVALID", err)
	}
	msg := review.ErrorMessage(err)
	if !strings.Contains(msg, "“"+file+"”") {
		t.Errorf("message %q does not name the file %q", msg, file)
	}
	if !strings.Contains(msg, wantInMsg) {
		t.Errorf("message %q does not say %q", msg, wantInMsg)
	}
}

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	t.Run("reads a docx from disk", func(t *testing.T) {
		doc, err := ReadFile(write("通知.docx", docxOf(t, para("通知"), para("正文"))))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Title != "通知" || doc.Text != "通知\n正文\n" {
			t.Errorf("got %+q", *doc)
		}
	})
	t.Run("testdata GBK file", func(t *testing.T) {
		doc, err := ReadFile(filepath.Join("testdata", "gbk-notice.txt"))
		if err != nil {
			t.Fatal(err)
		}
		if doc.Encoding != EncodingGB18030 || doc.Title != "关于开展政府信息公开保密审查的通知" {
			t.Errorf("got %+q", *doc)
		}
	})
	t.Run("refuses a file over 50 MB without reading it", func(t *testing.T) {
		p := filepath.Join(dir, "大文件.docx")
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		// Sparse: no 50 MB is written, so only the size check can refuse it.
		if err := f.Truncate(MaxFileSize + 1); err != nil {
			t.Fatal(err)
		}
		f.Close()
		_, err = ReadFile(p)
		assertInvalid(t, err, "大文件.docx", "文件大小为 50.0 MB，超过 50 MB 的上限")
	})
	t.Run("missing file", func(t *testing.T) {
		_, err := ReadFile(filepath.Join(dir, "没有.txt"))
		if review.ErrorCode(err) != review.ENOTFOUND || !strings.Contains(review.ErrorMessage(err), "找不到") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("a directory", func(t *testing.T) {
		if err := os.Mkdir(filepath.Join(dir, "文件夹.txt"), 0o700); err != nil {
			t.Fatal(err)
		}
		_, err := ReadFile(filepath.Join(dir, "文件夹.txt"))
		assertInvalid(t, err, "文件夹.txt", "不是一个普通文件")
	})
	t.Run("unsupported extension is refused before opening", func(t *testing.T) {
		_, err := ReadFile(filepath.Join(dir, "不存在.xlsx"))
		assertInvalid(t, err, "不存在.xlsx", "不支持")
	})
	t.Run("unreadable file", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root reads any file")
		}
		p := write("锁定.txt", []byte("x"))
		os.Chmod(p, 0)
		_, err := ReadFile(p)
		if review.ErrorCode(err) != review.EFORBIDDEN {
			t.Errorf("got %v", err)
		}
	})
}

func TestRead_Reader(t *testing.T) {
	t.Run("stops after the size limit", func(t *testing.T) {
		r := io.MultiReader(strings.NewReader("开头"), zeroReader{})
		_, err := Read("无尽.txt", r)
		assertInvalid(t, err, "无尽.txt", "超过 50 MB")
	})
	t.Run("a read error is an internal error", func(t *testing.T) {
		_, err := Read("坏盘.txt", iotest.ErrReader(errors.New("i/o error")))
		if review.ErrorCode(err) != review.EINTERNAL || !strings.Contains(review.ErrorMessage(err), "坏盘.txt") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("reads a small stream", func(t *testing.T) {
		doc, err := Read("a.md", strings.NewReader("# 标题\n"))
		if err != nil || doc.Title != "标题" {
			t.Errorf("got %+v, %v", doc, err)
		}
	})
}

type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestBoundedReader(t *testing.T) {
	for _, tc := range []struct {
		size, limit int
		wantErr     error
	}{
		{10, 10, nil},
		{9, 10, nil},
		{11, 10, errTooLarge},
		{0, 0, nil},
		{1, 0, errTooLarge},
	} {
		data := bytes.Repeat([]byte("x"), tc.size)
		got, err := io.ReadAll(&boundedReader{r: bytes.NewReader(data), n: int64(tc.limit)})
		if !errors.Is(err, tc.wantErr) && err != tc.wantErr {
			t.Errorf("size %d limit %d: err %v, want %v", tc.size, tc.limit, err, tc.wantErr)
		}
		if tc.wantErr == nil && len(got) != tc.size {
			t.Errorf("size %d limit %d: read %d bytes", tc.size, tc.limit, len(got))
		}
	}
}
