// Package pack writes and verifies publication packages: a zip holding one
// BagIt bag (RFC 8493) with SHA-256 manifests and an SSH signature over the
// tag manifest.
//
// The format is chosen so that the website team, on the other side of the
// network gap, can check a package with tools they already have: unzip,
// `sha256sum -c manifest-sha256.txt` and `ssh-keygen -Y verify`. The package
// knows nothing of review's documents; callers hand it paths, bytes and
// bag-info fields.
package pack

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/ssh"
	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"

	"qianfa/review"
	"qianfa/review/sshsig"
)

// Names fixed by RFC 8493 and by DESIGN's package layout.
const (
	BagItFile      = "bagit.txt"
	BagInfoFile    = "bag-info.txt"
	ManifestFile   = "manifest-sha256.txt"
	TagManifest    = "tagmanifest-sha256.txt"
	SignatureFile  = "tagmanifest-sha256.txt.sig"
	AllowedSigners = "allowed_signers"
	PayloadDir     = "data"

	// Namespace is the SSHSIG namespace of package signatures, so that a
	// reviewer's decision signature can never pass for a package signature.
	Namespace = "qianfa-package"
)

// bagitDecl is the whole of bagit.txt (RFC 8493 §2.1.1).
const bagitDecl = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"

// defaultModified stands in when Bag.Modified is zero: the earliest time a
// zip can record, so the output depends on nothing but the inputs.
var defaultModified = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// File is one payload file. Give its content either as Data or as Open and
// Size; Open is for attachments too large to hold in memory.
type File struct {
	// Path is relative to data/, slash-separated, e.g. "attachments/附件1.pdf".
	Path string
	Data []byte
	// Open returns the content; it is called once, while the file is
	// written, and must yield exactly Size bytes.
	Open func() (io.ReadCloser, error)
	Size int64
	// Compressed marks content that is already compressed (PDF, images,
	// .docx, zip): it is stored as is, because deflating it again costs
	// time and saves nothing.
	Compressed bool
}

func (f *File) size() int64 {
	if f.Open != nil {
		return f.Size
	}
	return int64(len(f.Data))
}

// Field is one bag-info.txt line. Order is kept, since RFC 8493 lets a label
// repeat and readers show the fields as written.
type Field struct {
	Label, Value string
}

// TagFile is an extra tag file at the top of the bag, such as
// allowed_signers or a reviewer's statement.
type TagFile struct {
	Name string
	Data []byte
}

// Bag describes a package to write.
type Bag struct {
	// Name is the bag's top directory inside the zip, e.g. "<索引号>-<hash>".
	Name string
	// Info becomes bag-info.txt; Payload-Oxum is added after it.
	Info  []Field
	Files []File
	// Tags are extra tag files; include AllowedSigners so the package
	// carries the keys that vouch for it.
	Tags []TagFile
	// Signer signs tagmanifest-sha256.txt. Required: an unsigned package
	// proves nothing across the gap.
	Signer ssh.Signer
	// Modified is written as every entry's time; zero means 1980-01-01.
	// Use a time from the inputs (e.g. the sign-off), never time.Now, or
	// two exports of the same document will differ.
	Modified time.Time
	// Progress, if set, is called as payload bytes are written.
	Progress func(done, total int64)
}

// Result describes a written package.
type Result struct {
	// SHA256 is the hex digest of the whole zip, the fingerprint to read
	// out over the phone.
	SHA256 string
	Size   int64
	// TagManifestSHA256 is the hex digest of tagmanifest-sha256.txt, the file
	// the signature covers.
	TagManifestSHA256 string
}

// copyBuf is the read size of verification: large enough that hashing
// and syscalls, not loop overhead, dominate.
const copyBuf = 256 << 10

// Write writes the bag as a zip to w. Every payload byte is read once: it
// is hashed for the manifest while it is copied into the zip, and the zip
// is hashed for its fingerprint as it is written. Reading, hashing and
// writing run as a pipeline (see pipe.go), so that a large export keeps
// two cores busy. The same Bag always gives the same bytes: entries are
// sorted, times fixed, compression settings fixed and Ed25519 signatures
// deterministic.
func Write(ctx context.Context, w io.Writer, b *Bag) (*Result, error) {
	if err := b.validate(); err != nil {
		return nil, err
	}
	files := make([]*File, len(b.Files))
	var total int64
	for i := range b.Files {
		files[i] = &b.Files[i]
		total += files[i].size()
	}
	slices.SortFunc(files, func(x, y *File) int { return strings.Compare(x.Path, y.Path) })

	info := append(slices.Clone(b.Info), Field{"Payload-Oxum", formatOxum(total, len(files))})
	tags := map[string][]byte{
		BagItFile:   []byte(bagitDecl),
		BagInfoFile: marshalInfo(info),
	}
	for _, t := range b.Tags {
		tags[t.Name] = t.Data
	}

	// The zip is written and hashed for its fingerprint on other
	// goroutines while this one hashes and copies the payload: on two
	// cores that keeps export ahead of a plain sha256sum of the same bytes.
	out := newBlockWriter(w)
	defer out.close()
	zw := zip.NewWriter(out)
	// A fixed, fast level: deterministic output needs one setting, and
	// level 1 keeps export near disk speed while text still shrinks well.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	mod := b.Modified
	if mod.IsZero() {
		mod = defaultModified
	}
	ew := entryWriter{zw: zw, prefix: b.Name + "/", mod: mod.UTC()}

	// Zip order is byte order of the full names. Tag files, except the two
	// that depend on the payload, are known now; "data/" sorts before
	// "manifest-…" and "tagmanifest-…", so one pass suffices.
	var early, late []string
	for name := range tags {
		if name < PayloadDir+"/" {
			early = append(early, name)
		} else {
			late = append(late, name)
		}
	}
	slices.Sort(early)
	for _, name := range early {
		if err := ew.bytes(name, tags[name], false); err != nil {
			return nil, err
		}
	}

	var manifest bytes.Buffer
	h := sha256.New()
	// The read-ahead blocks, shared by all files: one being hashed and
	// written, the others being filled from the next file's source.
	free := make(chan []byte, pipeBlocks)
	for range pipeBlocks {
		free <- make([]byte, blockSize)
	}
	var done int64
	for _, f := range files {
		name := PayloadDir + "/" + f.Path
		h.Reset()
		n, err := ew.stream(ctx, name, f, io.MultiWriter(h, progressWriter{&done, total, b.Progress}), free)
		if err != nil {
			return nil, err
		}
		if n != f.size() {
			return nil, review.Errorf(review.EINVALID, "附件“%s”在写入时大小改变：应为 %d 字节，实为 %d 字节。", f.Path, f.size(), n)
		}
		fmt.Fprintf(&manifest, "%s  %s\n", hex.EncodeToString(h.Sum(nil)), name)
	}
	tags[ManifestFile] = manifest.Bytes()
	late = append(late, ManifestFile)

	var tagManifest bytes.Buffer
	tagNames := make([]string, 0, len(tags))
	for name := range tags {
		tagNames = append(tagNames, name)
	}
	slices.Sort(tagNames)
	for _, name := range tagNames {
		sum := sha256.Sum256(tags[name])
		fmt.Fprintf(&tagManifest, "%s  %s\n", hex.EncodeToString(sum[:]), name)
	}
	sig, err := sshsig.Sign(b.Signer, Namespace, tagManifest.Bytes())
	if err != nil {
		return nil, fmt.Errorf("sign tag manifest: %w", err)
	}
	tags[TagManifest] = tagManifest.Bytes()
	tags[SignatureFile] = sig
	late = append(late, TagManifest, SignatureFile)
	slices.Sort(late)
	for _, name := range late {
		if err := ew.bytes(name, tags[name], false); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("close zip: %w", err)
	}
	zipSum, err := out.close()
	if err != nil {
		return nil, fmt.Errorf("write package: %w", err)
	}
	tmSum := sha256.Sum256(tagManifest.Bytes())
	return &Result{
		SHA256:            hex.EncodeToString(zipSum),
		Size:              out.n,
		TagManifestSHA256: hex.EncodeToString(tmSum[:]),
	}, nil
}

// entryWriter adds entries with the fixed header fields that make the
// output reproducible.
type entryWriter struct {
	zw     *zip.Writer
	prefix string
	mod    time.Time
}

func (e entryWriter) create(name string, stored bool) (io.Writer, error) {
	fh := &zip.FileHeader{Name: e.prefix + name, Method: zip.Deflate, Modified: e.mod}
	if stored {
		fh.Method = zip.Store
	}
	// Plain 0644 files: unzip then makes readable files and no links or
	// executables, whatever the exporting machine's umask.
	fh.SetMode(0o644)
	w, err := e.zw.CreateHeader(fh)
	if err != nil {
		return nil, fmt.Errorf("zip entry %s: %w", name, err)
	}
	return w, nil
}

func (e entryWriter) bytes(name string, data []byte, stored bool) error {
	w, err := e.create(name, stored)
	if err != nil {
		return err
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("zip entry %s: %w", name, err)
	}
	return nil
}

// stream writes f's content as entry name, handing every byte to tee as
// well. A file given as Open is read ahead, block by block, in another
// goroutine with the blocks from free, so that the source's read (SQLite,
// for attachments) overlaps the hashing and writing of the previous block.
func (e entryWriter) stream(ctx context.Context, name string, f *File, tee io.Writer, free chan []byte) (int64, error) {
	w, err := e.create(name, f.Compressed)
	if err != nil {
		return 0, err
	}
	dst := io.MultiWriter(w, tee)
	if f.Open == nil {
		// In memory already: written in blocks only so that progress
		// moves and a cancel is seen.
		var n int64
		for data := f.Data; len(data) > 0; {
			if err := ctx.Err(); err != nil {
				return n, review.WrapError(review.ECONFLICT, err, "导出已取消。")
			}
			m := min(len(data), blockSize)
			if _, err := dst.Write(data[:m]); err != nil {
				return n, fmt.Errorf("zip entry %s: %w", name, err)
			}
			data, n = data[m:], n+int64(m)
		}
		return n, nil
	}
	rc, err := f.Open()
	if err != nil {
		return 0, review.WrapError(review.EINTERNAL, err, "无法读取附件“%s”。", f.Path)
	}
	defer rc.Close()
	// One byte past Size is enough to see that the source grew.
	ra := startReadAhead(io.LimitReader(rc, f.Size+1), free)
	// Runs before rc.Close: the reading goroutine must be gone first.
	defer ra.stop()
	var n int64
	for b := range ra.full {
		if err := ctx.Err(); err != nil {
			return n, review.WrapError(review.ECONFLICT, err, "导出已取消。")
		}
		if _, err := dst.Write(b); err != nil {
			return n, fmt.Errorf("zip entry %s: %w", name, err)
		}
		n += int64(len(b))
		free <- b[:cap(b)]
	}
	if ra.err != nil {
		return n, review.WrapError(review.EINTERNAL, ra.err, "读取附件“%s”失败。", f.Path)
	}
	return n, nil
}

type progressWriter struct {
	done  *int64
	total int64
	fn    func(done, total int64)
}

func (p progressWriter) Write(b []byte) (int, error) {
	*p.done += int64(len(b))
	if p.fn != nil {
		p.fn(*p.done, p.total)
	}
	return len(b), nil
}

// marshalInfo writes bag-info.txt. A value's line breaks become
// continuation lines (RFC 8493 §2.2.2), so multi-line values survive.
func marshalInfo(fields []Field) []byte {
	var b bytes.Buffer
	for _, f := range fields {
		v := strings.ReplaceAll(strings.ReplaceAll(f.Value, "\r\n", "\n"), "\n", "\n  ")
		fmt.Fprintf(&b, "%s: %s\n", f.Label, v)
	}
	return b.Bytes()
}

// reserved are names Write produces itself; callers may not supply them.
var reserved = []string{BagItFile, BagInfoFile, ManifestFile, TagManifest, SignatureFile}

func (b *Bag) validate() error {
	if err := checkComponent(b.Name); err != nil {
		return review.WrapError(review.EINVALID, err, "发布包名称“%s”不可用作目录名。", b.Name)
	}
	if b.Signer == nil {
		return review.Errorf(review.EINVALID, "发布包必须签名：缺少签名密钥。")
	}
	for _, f := range b.Info {
		if f.Label == "" || strings.ContainsAny(f.Label, ":\r\n") || strings.TrimSpace(f.Label) != f.Label {
			return review.Errorf(review.EINVALID, "bag-info 字段名“%s”不合规。", f.Label)
		}
		if strings.EqualFold(f.Label, "Payload-Oxum") {
			return review.Errorf(review.EINVALID, "bag-info 字段 Payload-Oxum 由系统自动生成。")
		}
		if !utf8.ValidString(f.Value) {
			return review.Errorf(review.EINVALID, "bag-info 字段“%s”的值不是有效的 UTF-8 文本。", f.Label)
		}
	}
	seen := map[string]string{}
	claim := func(name string) error {
		key := foldName(name)
		if prev, ok := seen[key]; ok {
			return review.Errorf(review.EINVALID, "发布包中文件名重复：“%s”与“%s”。", prev, name)
		}
		seen[key] = name
		return nil
	}
	for _, name := range reserved {
		_ = claim(name)
	}
	for _, t := range b.Tags {
		if err := checkComponent(t.Name); err != nil || strings.EqualFold(t.Name, PayloadDir) {
			return review.WrapError(review.EINVALID, err, "标签文件名“%s”不合规。", t.Name)
		}
		if err := claim(t.Name); err != nil {
			return err
		}
		if t.Name == AllowedSigners {
			if err := signerListed(t.Data, b.Signer.PublicKey()); err != nil {
				return err
			}
		}
	}
	for i := range b.Files {
		f := &b.Files[i]
		if err := checkPayloadPath(f.Path); err != nil {
			return review.WrapError(review.EINVALID, err, "附件路径“%s”不可用：%s", f.Path, err.Error())
		}
		if f.Open != nil && f.Size < 0 {
			return review.Errorf(review.EINVALID, "附件“%s”大小无效。", f.Path)
		}
		if err := claim(PayloadDir + "/" + f.Path); err != nil {
			return err
		}
	}
	return nil
}

// signerListed refuses to write a package that its own allowed_signers
// would not vouch for: better to stop the clerk now than the website team
// later.
func signerListed(data []byte, key ssh.PublicKey) error {
	as, err := sshsig.ParseAllowedSigners(data)
	if err != nil {
		return err
	}
	want := key.Marshal()
	for _, s := range as {
		if bytes.Equal(s.Key.Marshal(), want) {
			return nil
		}
	}
	return review.Errorf(review.EINVALID, "签名密钥 %s 不在随包的 allowed_signers 中，接收方将无法核验。", sshsig.Fingerprint(key))
}

// SafeName turns s (an index number such as "000014349/2026-00012", a
// title) into a name Write accepts for a bag or a file: characters that
// some unzip, sha256sum or Windows would mangle become "-", and the result
// is cut to 200 bytes on a character boundary. It is deterministic, so
// the same document always gets the same package name.
func SafeName(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune(`/\%<>:"|?*`, r):
			r = '-'
		}
		if b.Len()+utf8.RuneLen(r) > 200 {
			break
		}
		b.WriteRune(r)
	}
	out := strings.TrimSpace(b.String())
	if out == "" || out == "." || out == ".." {
		return "package"
	}
	return out
}

// checkPayloadPath allows what survives every unzip and `sha256sum -c`
// unchanged: relative, slash-separated, no empty, "." or ".." parts, no
// backslash (sha256sum escapes names with one), no control characters, and
// no "%" (RFC 8493 percent-encodes it in manifests, sha256sum would not).
func checkPayloadPath(p string) error {
	if p == "" {
		return errors.New("路径为空")
	}
	for part := range strings.SplitSeq(p, "/") {
		if err := checkComponent(part); err != nil {
			return err
		}
	}
	return nil
}

func checkComponent(s string) error {
	switch {
	case s == "" || s == "." || s == "..":
		return errors.New("路径含空段或“.”“..”")
	case !utf8.ValidString(s):
		return errors.New("不是有效的 UTF-8 文本")
	case strings.ContainsAny(s, `/\%<>:"|?*`):
		// Also what Windows cannot name a file, since the website
		// team may unzip there.
		return errors.New(`含有 / \ % < > : " | ? * 等字符`)
	case strings.IndexFunc(s, unicode.IsControl) >= 0:
		return errors.New("含有控制字符")
	case len(s) > 255:
		return errors.New("名称超过 255 字节")
	case strings.TrimSpace(s) != s:
		return errors.New("首尾含空白")
	}
	return nil
}

// foldName is the key under which two names would become one file on
// some disk the package is unzipped to: Windows and macOS compare names
// without case, and macOS also without Unicode normalisation ("é" as one
// code point or as "e" and a combining accent). Full case folding is a
// little stricter than either, which only refuses more.
func foldName(name string) string {
	return norm.NFC.String(cases.Fold().String(norm.NFC.String(name)))
}

// formatOxum is shared with Verify so both sides spell it alike.
func formatOxum(octets int64, files int) string {
	return strconv.FormatInt(octets, 10) + "." + strconv.Itoa(files)
}
