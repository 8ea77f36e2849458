// Package docimport reads a draft handed in by a clerk (.docx, .txt or .md)
// into plain text: the text a revision stores, screening scans and comparison
// diffs.
//
// Everything it reads comes from outside (a colleague's e-mail, a USB stick),
// so every size is bounded while reading, headers are not trusted, and every
// way a file can be wrong ends in a review.Error with code EINVALID and a
// Chinese message that names the file and says what is wrong with it. A
// multi-file import reports that message for the one file and goes on with
// the rest.
//
// Only the main text is read. A .docx's headers, footers, footnotes,
// comments and images are not: see the notes on readDocx.
package docimport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"qianfa/review"
)

// Limits on what an import will read. They are far above any real draft (the
// longest law in the corpus is under 1 MB of text) and low enough that a
// hostile or broken file cannot exhaust the memory of an office desktop.
const (
	// MaxFileSize is the largest file accepted, in bytes (50 MB).
	MaxFileSize = 50 << 20
	// MaxUnzippedSize bounds the bytes read from any one part of a .docx
	// after decompression (200 MB), counted while reading, so a zip bomb
	// is stopped whatever its headers claim.
	MaxUnzippedSize = 200 << 20
	// MaxZipEntries bounds the number of entries in a .docx; a real one has
	// a few dozen, a few hundred with many images.
	MaxZipEntries = 10000
	// MaxTitleRunes bounds the guessed title; a longer first line is a
	// paragraph, not a title, and the clerk edits the title anyway.
	MaxTitleRunes = 200
)

// Formats a Doc can come from, named as Doc.Format reports them.
const (
	FormatDocx     = "docx"
	FormatText     = "txt"
	FormatMarkdown = "md"
)

// Text encodings a Doc can have been stored in, named as Doc.Encoding reports
// them. GB18030 covers GBK and GB 2312, which are its subsets.
const (
	EncodingUTF8    = "UTF-8"
	EncodingGB18030 = "GB18030"
	EncodingUTF16LE = "UTF-16LE"
	EncodingUTF16BE = "UTF-16BE"
)

// Doc is a draft read into plain text.
type Doc struct {
	// Title is a best guess for the document's title: a .docx's first
	// paragraph styled Title or Heading 1 near the top, otherwise the first
	// non-empty line, trimmed and at most MaxTitleRunes long. The clerk
	// confirms or corrects it.
	Title string
	// Text is the normalised text: lines end in "\n" (the last one too),
	// one line per paragraph, no byte-order mark, no trailing spaces, no
	// control characters other than tab, no leading or trailing blank
	// lines, and never two blank lines in a row.
	Text string
	// Format is FormatDocx, FormatText or FormatMarkdown, from the file's
	// extension.
	Format string
	// Encoding is the character encoding the file was stored in
	// (EncodingUTF8 for a .docx, whose XML is UTF-8).
	Encoding string
}

// ReadFile reads the draft at path. It refuses a file over MaxFileSize before
// reading it, and anything that is not a regular file.
func ReadFile(path string) (*Doc, error) {
	base := filepath.Base(path)
	if _, err := formatOf(path); err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, openError(base, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, openError(base, err)
	}
	if !st.Mode().IsRegular() {
		return nil, invalid(base, "这不是一个普通文件（可能是文件夹或设备）。")
	}
	if st.Size() > MaxFileSize {
		return nil, tooLarge(base, st.Size())
	}
	return Read(path, f)
}

// Read reads a draft from r. name is the file's name (a path is fine): its
// extension selects the format and it is named in error messages. Read stops
// after MaxFileSize bytes and refuses a longer input.
func Read(name string, r io.Reader) (*Doc, error) {
	if _, err := formatOf(name); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, review.WrapError(review.EINTERNAL, fmt.Errorf("read %s: %w", name, err),
			"读取文件“%s”时出错，请检查文件所在的磁盘或网络位置。", filepath.Base(name))
	}
	if len(data) > MaxFileSize {
		return nil, tooLarge(filepath.Base(name), -1)
	}
	return ReadBytes(name, data)
}

// ReadBytes reads a draft held in memory; name is used as in Read.
func ReadBytes(name string, data []byte) (*Doc, error) {
	base := filepath.Base(name)
	format, err := formatOf(name)
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, tooLarge(base, int64(len(data)))
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, invalid(base, "文件是空的，没有可导入的文字。")
	}

	doc := &Doc{Format: format}
	var text string
	switch format {
	case FormatDocx:
		var styledTitle string
		text, styledTitle, err = readDocx(base, data)
		if err != nil {
			return nil, err
		}
		doc.Encoding = EncodingUTF8
		doc.Title = styledTitle
	default:
		if err := sniffBinary(base, data); err != nil {
			return nil, err
		}
		text, doc.Encoding, err = decodeText(base, data)
		if err != nil {
			return nil, err
		}
		if format == FormatMarkdown {
			text = stripMarkdown(text)
		}
	}

	doc.Text = normalise(text)
	if doc.Text == "" {
		if format == FormatDocx {
			return nil, invalid(base, "文件中没有文字（可能只有图片或扫描页），没有可导入的内容。")
		}
		return nil, invalid(base, "文件中只有空白，没有可导入的文字。")
	}
	if doc.Title == "" {
		doc.Title = firstLine(doc.Text)
	}
	doc.Title = clipTitle(doc.Title)
	return doc, nil
}

// formatOf maps a file name's extension to a format.
func formatOf(name string) (string, error) {
	ext := strings.ToLower(filepath.Ext(name))
	switch ext {
	case ".docx":
		return FormatDocx, nil
	case ".txt", ".text":
		return FormatText, nil
	case ".md", ".markdown":
		return FormatMarkdown, nil
	case ".doc", ".wps":
		return "", invalid(filepath.Base(name), "不支持旧版 Word（.doc）或 WPS（.wps）格式，请另存为 .docx 后再导入。")
	case "":
		return "", invalid(filepath.Base(name), "文件没有扩展名，无法判断格式；只能导入 .docx、.txt 和 .md 文件。")
	}
	return "", invalid(filepath.Base(name), "不支持“%s”格式的文件，只能导入 .docx、.txt 和 .md 文件。", ext)
}

// invalid returns the EINVALID error for a file the user handed in. The
// message always names the file, because a multi-file import lists several.
func invalid(base, reason string, args ...any) *review.Error {
	return review.Errorf(review.EINVALID, "无法导入“%s”：%s", base, fmt.Sprintf(reason, args...))
}

// invalidWrap is invalid keeping the technical cause for the log.
func invalidWrap(base string, err error, reason string, args ...any) *review.Error {
	e := invalid(base, reason, args...)
	e.Err = err
	return e
}

// tooLarge reports a file over MaxFileSize; size < 0 when unknown.
func tooLarge(base string, size int64) *review.Error {
	if size < 0 {
		return invalid(base, "文件超过 %d MB 的上限。", MaxFileSize>>20)
	}
	return invalid(base, "文件大小为 %.1f MB，超过 %d MB 的上限。", float64(size)/(1<<20), MaxFileSize>>20)
}

// openError turns a failure to open or stat a file into a message a clerk
// can act on.
func openError(base string, err error) *review.Error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return review.WrapError(review.ENOTFOUND, err, "无法导入“%s”：找不到这个文件。", base)
	case errors.Is(err, fs.ErrPermission):
		return review.WrapError(review.EFORBIDDEN, err, "无法导入“%s”：没有读取这个文件的权限。", base)
	}
	return review.WrapError(review.EINTERNAL, err, "读取文件“%s”时出错，请检查文件所在的磁盘或网络位置。", base)
}
