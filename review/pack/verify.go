package pack

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"os"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"qianfa/review"
	"qianfa/review/sshsig"
)

// Default bounds for Verify. A package is a document with its attachments:
// gigabytes mean an error or an attack, and the verifier must not be the
// one to find out by filling the disk or the memory.
const (
	DefaultMaxEntry   = 1 << 30 // 1 GiB per entry, decompressed
	DefaultMaxTotal   = 4 << 30 // 4 GiB for the whole package, decompressed
	DefaultMaxEntries = 10000
	// maxTag bounds a tag file, which is read into memory, and maxTags
	// all of them together: a bag has half a dozen small ones, and a
	// package of hundreds must not make the verifier hold gigabytes.
	maxTag  = 16 << 20
	maxTags = 64 << 20
)

// Options tune Verify. The zero value verifies against the package's own
// allowed_signers at the current time with the default bounds.
type Options struct {
	// AllowedSigners, if non-nil, replaces the package's own
	// allowed_signers; a non-nil empty list trusts no key at all. Only a
	// list obtained from the office by other means proves who signed: a
	// forger would ship their own key in the package.
	AllowedSigners sshsig.AllowedSigners
	// Principal, if set, is the signer the package must come from
	// (ssh-keygen's -I).
	Principal string
	// Now is the time at which the signing key must be valid; zero means
	// time.Now().
	Now time.Time
	// SHA256, if set, is the package fingerprint the exporting clerk read
	// out; it covers every byte of the zip, including zip metadata that no
	// manifest covers.
	SHA256 string
	// Bounds on decompressed sizes and entry count; zero means the default.
	MaxEntry, MaxTotal int64
	MaxEntries         int
}

// Check is one line of a verification report.
type Check struct {
	Name   string // what was checked, in Chinese
	OK     bool
	Detail string // which file, and why it holds or fails
}

// Report is the outcome of Verify.
type Report struct {
	OK     bool
	Checks []Check
	// Bag is the bag's top directory.
	Bag string
	// SHA256 is the hex digest of the whole zip as read.
	SHA256 string
	// Info holds bag-info.txt's fields, trustworthy only if OK.
	Info []Field
	// Signer is the allowed_signers entry that vouches for the package,
	// nil unless the signature holds.
	Signer *sshsig.AllowedSigner
	// SignersFromBag says the signature was checked against the
	// package's own allowed_signers, which proves integrity but not
	// origin.
	SignersFromBag bool
	// Files and Bytes count the payload.
	Files int
	Bytes int64
}

// String renders the check as one line for the CLI: a mark, the name and
// the detail.
func (c Check) String() string {
	mark := "✓"
	if !c.OK {
		mark = "✗"
	}
	return mark + " " + c.Name + "：" + c.Detail
}

func (r *Report) add(name string, ok bool, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, OK: ok, Detail: fmt.Sprintf(format, args...)})
	if !ok {
		r.OK = false
	}
}

// Check names, as the CLI prints them.
const (
	checkZip       = "压缩包结构"
	checkLayout    = "压缩包布局"
	checkBagIt     = "BagIt 声明"
	checkManifest  = "载荷清单"
	checkPayload   = "载荷文件"
	checkTags      = "标签文件"
	checkOxum      = "载荷统计"
	checkSignature = "签名"
	checkPrint     = "文件指纹"
)

// VerifyFile opens the package at path and verifies it. The error is only
// for a file that cannot be read at all; a bad package is a Report with OK
// false.
func VerifyFile(path string, opt Options) (*Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open package: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("stat package: %w", err)
	}
	return Verify(f, fi.Size(), opt), nil
}

// Verify checks a package read from r. Nothing is extracted: entries are
// streamed through hashes, and only tag files, which are small and bounded,
// are held in memory. It reports every check, not just the first failure,
// so the website team sees the whole picture in one run.
func Verify(r io.ReaderAt, size int64, opt Options) *Report {
	if opt.MaxEntry <= 0 {
		opt.MaxEntry = DefaultMaxEntry
	}
	if opt.MaxTotal <= 0 {
		opt.MaxTotal = DefaultMaxTotal
	}
	if opt.MaxEntries <= 0 {
		opt.MaxEntries = DefaultMaxEntries
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	rep := &Report{OK: true}
	v := &verifier{opt: opt, rep: rep}

	rep.SHA256 = fingerprint(r, size)
	if opt.SHA256 != "" {
		if strings.EqualFold(opt.SHA256, rep.SHA256) {
			rep.add(checkPrint, true, "与导出时的指纹一致：%s", rep.SHA256)
		} else {
			rep.add(checkPrint, false, "指纹不符：应为 %s，实为 %s", strings.ToLower(opt.SHA256), rep.SHA256)
		}
	}

	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		rep.add(checkZip, false, "不是有效的 zip 文件：%v", err)
		return rep
	}
	entries, ok := v.structure(zr)
	if !ok {
		return rep
	}
	if err := layout(r, size, zr); err != nil {
		rep.add(checkLayout, false, "%v", err)
	} else {
		rep.add(checkLayout, true, "各条目首尾相接，本地文件头与中央目录一致，无多余数据")
	}
	v.bag(entries)
	return rep
}

// fingerprint hashes the whole zip once, sequentially; it returns "" if the
// file cannot be read to the end, which the zip checks then report.
func fingerprint(r io.ReaderAt, size int64) string {
	h := sha256.New()
	if _, err := io.Copy(h, bufio.NewReaderSize(io.NewSectionReader(r, 0, size), copyBuf)); err != nil {
		return ""
	}
	return hex.EncodeToString(h.Sum(nil))
}

type verifier struct {
	opt   Options
	rep   *Report
	total int64 // decompressed bytes actually read so far
	tags  int64 // of which tag files held in memory
}

// structure checks the central directory before a single entry is read:
// names, types, declared sizes, duplicates, one top directory. Everything
// wrong is reported; if anything is, no entry is opened. It returns the
// regular files keyed by their path inside the bag.
func (v *verifier) structure(zr *zip.Reader) (map[string]*zip.File, bool) {
	rep := v.rep
	ok := true
	fail := func(format string, args ...any) {
		rep.add(checkZip, false, format, args...)
		ok = false
	}
	if len(zr.File) > v.opt.MaxEntries {
		fail("条目过多：%d 个，上限 %d 个", len(zr.File), v.opt.MaxEntries)
		return nil, false
	}
	entries := map[string]*zip.File{}
	folded := map[string]string{}
	tops := map[string]bool{}
	var declared uint64
	for _, f := range zr.File {
		name := f.Name
		shown := strings.ToValidUTF8(name, "�")
		if !utf8.ValidString(name) || f.NonUTF8 {
			fail("“%s”：文件名不是 UTF-8 编码", shown)
			continue
		}
		if reason := unsafeName(name); reason != "" {
			fail("“%s”：%s", shown, reason)
			continue
		}
		mode := f.Mode()
		isDir := strings.HasSuffix(name, "/") || mode.IsDir()
		switch {
		case mode&fs.ModeSymlink != 0:
			fail("“%s”：是符号链接", name)
			continue
		case mode.Type()&^fs.ModeDir != 0:
			fail("“%s”：不是普通文件（%v）", name, mode.Type())
			continue
		case isDir && f.UncompressedSize64 != 0:
			fail("“%s”：目录条目带有内容", name)
			continue
		case f.Flags&0x1 != 0:
			fail("“%s”：条目已加密", name)
			continue
		}
		if id, ok := foreignExtra(f.Extra); !ok {
			// Info-ZIP's unzip takes the name from a Unicode Path field
			// (0x7075) over the header's, so a re-zipped package could
			// unpack under other names than the ones checked here.
			fail("“%s”：带有未知的扩展字段 0x%04x（可能改变解压后的文件名）", name, id)
			continue
		}
		if key := foldName(name); folded[key] != "" {
			if prev := folded[key]; prev == name {
				fail("“%s”：条目重复", name)
			} else {
				fail("“%s”与“%s”：文件名仅大小写或 Unicode 组合方式不同，在 Windows 或 macOS 上会互相覆盖", prev, name)
			}
			continue
		} else {
			folded[key] = name
		}
		if f.UncompressedSize64 > uint64(v.opt.MaxEntry) {
			fail("“%s”：声明解压后 %d 字节，超过单个条目上限 %d 字节", name, f.UncompressedSize64, v.opt.MaxEntry)
			continue
		}
		declared += f.UncompressedSize64
		top, rest, _ := strings.Cut(name, "/")
		tops[top] = true
		if rest == "" && !isDir {
			fail("“%s”：位于包的顶层，应在包目录之内", name)
			continue
		}
		if isDir {
			continue
		}
		entries[rest] = f
	}
	if declared > uint64(v.opt.MaxTotal) {
		fail("声明解压后共 %d 字节，超过上限 %d 字节", declared, v.opt.MaxTotal)
	}
	switch len(tops) {
	case 0:
		fail("压缩包是空的，不是 BagIt 包")
	case 1:
		for t := range tops {
			rep.Bag = t
		}
	default:
		names := make([]string, 0, len(tops))
		for t := range tops {
			names = append(names, t)
		}
		slices.Sort(names)
		fail("顶层有 %d 个目录（%s），BagIt 包应只有一个", len(names), strings.Join(names, "、"))
	}
	if ok {
		rep.add(checkZip, true, "%d 个条目，路径、类型与大小均合规，包目录“%s”", len(zr.File), rep.Bag)
	}
	return entries, ok
}

// foreignExtra reports the first extra field that Write never produces;
// ok if there is none. Write's entries carry only the extended timestamp
// (0x5455) and, past 4 GiB, zip64 sizes (0x0001).
func foreignExtra(extra []byte) (id uint16, ok bool) {
	for len(extra) > 0 {
		if len(extra) < 4 {
			return 0xffff, false
		}
		id, n := binary.LittleEndian.Uint16(extra), int(binary.LittleEndian.Uint16(extra[2:]))
		if 4+n > len(extra) || (id != zip64ExtraID && id != extTimeExtraID) {
			return id, false
		}
		extra = extra[4+n:]
	}
	return 0, true
}

// unsafeName says why a name could write outside the folder it is
// unzipped into, or be read differently by different tools; "" if safe.
func unsafeName(name string) string {
	switch {
	case name == "":
		return "文件名为空"
	case strings.HasPrefix(name, "/"):
		return "使用绝对路径"
	case strings.ContainsRune(name, '\\'):
		return "含有反斜杠“\\”"
	case len(name) >= 2 && name[1] == ':':
		return "含有盘符"
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		// A line break or tab in a name breaks the line-based manifests
		// and what sha256sum prints.
		return "含有控制字符（换行、制表符等）"
	}
	trimmed := strings.TrimSuffix(name, "/")
	for part := range strings.SplitSeq(trimmed, "/") {
		switch part {
		case "..":
			return "含有“..”，会写到目标文件夹之外"
		case ".", "":
			return "含有空路径段或“.”"
		}
	}
	return ""
}

// read returns an entry's content, at most limit bytes. It decompresses
// the raw entry itself rather than through archive/zip's Open, so that it
// can count what it actually inflates instead of trusting the header (a zip
// bomb stops at the bound), and refuse compressed data with bytes after the
// end of the stream: otherwise a flipped final-block bit would change the
// file and still yield the same content.
func (v *verifier) read(f *zip.File, limit int64, w io.Writer) (int64, error) {
	if remaining := v.opt.MaxTotal - v.total; remaining < limit {
		limit = remaining
	}
	raw, err := f.OpenRaw()
	if err != nil {
		return 0, err
	}
	var src io.Reader
	var rest *bufio.Reader
	switch f.Method {
	case zip.Store:
		if f.CompressedSize64 != f.UncompressedSize64 {
			return 0, errors.New("未压缩条目的两个大小字段不一致")
		}
		src = raw
	case zip.Deflate:
		// flate reads byte by byte from an io.ByteReader, so rest holds
		// exactly what follows the end of the deflate stream.
		rest = bufio.NewReaderSize(raw, 64<<10)
		fr := flate.NewReader(rest)
		defer fr.Close()
		src = fr
	default:
		return 0, fmt.Errorf("不支持的压缩方法 %d", f.Method)
	}
	crc := crc32.NewIEEE()
	n, err := io.CopyBuffer(io.MultiWriter(w, crc), io.LimitReader(src, limit+1), make([]byte, copyBuf))
	v.total += n
	switch {
	case err != nil:
		return n, fmt.Errorf("数据损坏：%w", err)
	case n > limit:
		return n, fmt.Errorf("解压后超过上限 %d 字节", limit)
	case uint64(n) != f.UncompressedSize64:
		return n, fmt.Errorf("实际 %d 字节，与声明的 %d 字节不符", n, f.UncompressedSize64)
	case crc.Sum32() != f.CRC32:
		return n, errors.New("CRC 校验失败")
	}
	if rest != nil {
		if _, err := rest.ReadByte(); err != io.EOF {
			return n, errors.New("压缩数据之后有多余字节")
		}
	}
	return n, nil
}

func (v *verifier) readTag(f *zip.File) ([]byte, error) {
	var b bytes.Buffer
	limit := min(int64(maxTag), v.opt.MaxEntry)
	if left := maxTags - v.tags; left < limit {
		if left <= 0 {
			return nil, fmt.Errorf("标签文件合计超过上限 %d 字节", maxTags)
		}
		limit = left
	}
	n, err := v.read(f, limit, &b)
	v.tags += n
	return b.Bytes(), err
}

// bag checks the bag itself: declaration, payload against the manifest,
// tag files against the tag manifest, Payload-Oxum and the signature.
func (v *verifier) bag(entries map[string]*zip.File) {
	rep := v.rep
	tags := map[string][]byte{}
	var payload []string
	var stray []string
	for rest, f := range entries {
		switch {
		case strings.HasPrefix(rest, PayloadDir+"/"):
			payload = append(payload, rest)
		case !strings.Contains(rest, "/"):
			data, err := v.readTag(f)
			if err != nil {
				rep.add(checkTags, false, "“%s”：无法读取：%v", rest, err)
				continue
			}
			tags[rest] = data
		default:
			stray = append(stray, rest)
		}
	}
	slices.Sort(payload)
	slices.Sort(stray)
	for _, s := range stray {
		rep.add(checkPayload, false, "“%s”：不在 data/ 之下，也不是标签文件", s)
	}

	// Declaration.
	decl, ok := tags[BagItFile]
	switch {
	case !ok:
		rep.add(checkBagIt, false, "缺少 bagit.txt，这不是 BagIt 包")
		return
	case !validDecl(decl):
		rep.add(checkBagIt, false, "bagit.txt 内容不合规：应声明 BagIt-Version 与 UTF-8 编码")
	default:
		rep.add(checkBagIt, true, "bagit.txt 合规")
	}

	// Payload against manifest.
	mdata, ok := tags[ManifestFile]
	if !ok {
		rep.add(checkManifest, false, "缺少 manifest-sha256.txt")
		return
	}
	manifest, errs := parseManifest(mdata, true)
	for _, e := range errs {
		rep.add(checkManifest, false, "manifest-sha256.txt %s", e)
	}
	if len(errs) == 0 {
		rep.add(checkManifest, true, "manifest-sha256.txt 列出 %d 个载荷文件", len(manifest))
	}
	good := 0
	h := sha256.New()
	for _, p := range payload {
		want, listed := manifest[p]
		if !listed {
			rep.add(checkPayload, false, "“%s”：多余的文件，manifest-sha256.txt 中没有登记", p)
			continue
		}
		delete(manifest, p)
		h.Reset()
		n, err := v.read(entries[p], v.opt.MaxEntry, h)
		rep.Files++
		rep.Bytes += n
		switch {
		case err != nil:
			rep.add(checkPayload, false, "“%s”：无法读取：%v", p, err)
		case hex.EncodeToString(h.Sum(nil)) != want:
			rep.add(checkPayload, false, "“%s”：内容已被改动，SHA-256 与 manifest-sha256.txt 不符", p)
		default:
			good++
		}
	}
	missing := make([]string, 0, len(manifest))
	for p := range manifest {
		missing = append(missing, p)
	}
	slices.Sort(missing)
	for _, p := range missing {
		rep.add(checkPayload, false, "“%s”：manifest-sha256.txt 中登记的文件缺失", p)
	}
	if good == len(payload) && len(missing) == 0 && len(stray) == 0 {
		rep.add(checkPayload, true, "%d 个载荷文件（%d 字节）均与 manifest-sha256.txt 一致", good, rep.Bytes)
	}

	// Tag files against the tag manifest.
	tmdata, ok := tags[TagManifest]
	if !ok {
		rep.add(checkTags, false, "缺少 tagmanifest-sha256.txt")
		return
	}
	tagm, errs := parseManifest(tmdata, false)
	for _, e := range errs {
		rep.add(checkTags, false, "tagmanifest-sha256.txt %s", e)
	}
	tagsOK := len(errs) == 0
	names := make([]string, 0, len(tags))
	for name := range tags {
		if name != TagManifest && name != SignatureFile {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		want, listed := tagm[name]
		delete(tagm, name)
		sum := sha256.Sum256(tags[name])
		switch {
		case !listed:
			rep.add(checkTags, false, "“%s”：未在 tagmanifest-sha256.txt 中登记，可能是事后加入", name)
			tagsOK = false
		case hex.EncodeToString(sum[:]) != want:
			rep.add(checkTags, false, "“%s”：内容已被改动，SHA-256 与 tagmanifest-sha256.txt 不符", name)
			tagsOK = false
		}
	}
	for _, name := range slices.Sorted(maps.Keys(tagm)) {
		rep.add(checkTags, false, "“%s”：tagmanifest-sha256.txt 中登记的文件缺失", name)
		tagsOK = false
	}
	if tagsOK {
		rep.add(checkTags, true, "bagit.txt、bag-info.txt、manifest-sha256.txt 等 %d 个标签文件均与 tagmanifest-sha256.txt 一致", len(names))
	}

	// Payload-Oxum, if declared.
	if info, ok := tags[BagInfoFile]; ok {
		rep.Info = parseInfo(info)
		for _, f := range rep.Info {
			if f.Label != "Payload-Oxum" {
				continue
			}
			if got := formatOxum(rep.Bytes, rep.Files); f.Value != got {
				rep.add(checkOxum, false, "bag-info.txt 的 Payload-Oxum 为 %s，实际为 %s", f.Value, got)
			} else {
				rep.add(checkOxum, true, "Payload-Oxum %s 与实际一致", got)
			}
		}
	}

	v.signature(tags, tmdata)
}

func (v *verifier) signature(tags map[string][]byte, tagManifest []byte) {
	rep := v.rep
	sig, ok := tags[SignatureFile]
	if !ok {
		rep.add(checkSignature, false, "缺少 %s，包未签名", SignatureFile)
		return
	}
	// ParseSignature tolerates CRLF for signatures carried by hand; inside
	// the package, where nothing converts line ends, it is a changed byte.
	if bytes.ContainsRune(sig, '\r') {
		rep.add(checkSignature, false, "%s：签名文件含回车符，已被改动", SignatureFile)
		return
	}
	allowed := v.opt.AllowedSigners
	source := "调用方提供的 allowed_signers"
	if allowed == nil {
		data, ok := tags[AllowedSigners]
		if !ok {
			rep.add(checkSignature, false, "包内缺少 allowed_signers，也未另行提供")
			return
		}
		var err error
		if allowed, err = sshsig.ParseAllowedSigners(data); err != nil {
			rep.add(checkSignature, false, "包内 allowed_signers 无法读取：%v", err)
			return
		}
		rep.SignersFromBag = true
		source = "包内 allowed_signers（只证明包内一致；来源须以发布单位另行提供的 allowed_signers 核验）"
	}
	signer, err := sshsig.Verify(sig, tagManifest, Namespace, allowed, v.opt.Principal, v.opt.Now)
	if err != nil {
		rep.add(checkSignature, false, "%s：%s", SignatureFile, review.ErrorMessage(err))
		return
	}
	rep.Signer = signer
	rep.add(checkSignature, true, "%s 有效，签名人 %s，密钥 %s，依据%s", SignatureFile,
		strings.Join(signer.Principals, ","), sshsig.Fingerprint(signer.Key), source)
}

func validDecl(b []byte) bool {
	var version, enc bool
	for _, f := range parseInfo(b) {
		switch f.Label {
		case "BagIt-Version":
			version = f.Value == "1.0" || f.Value == "0.97"
		case "Tag-File-Character-Encoding":
			enc = strings.EqualFold(f.Value, "UTF-8")
		default:
			return false
		}
	}
	return version && enc
}

// parseInfo reads "Label: value" lines with continuation lines.
func parseInfo(b []byte) []Field {
	var out []Field
	for line := range strings.SplitSeq(strings.ReplaceAll(string(b), "\r\n", "\n"), "\n") {
		if line == "" {
			continue
		}
		if (line[0] == ' ' || line[0] == '\t') && len(out) > 0 {
			out[len(out)-1].Value += "\n" + strings.TrimLeft(line, " \t")
			continue
		}
		label, value, _ := strings.Cut(line, ":")
		out = append(out, Field{Label: strings.TrimSpace(label), Value: strings.TrimSpace(value)})
	}
	return out
}

// parseManifest reads "<sha256 hex>  <path>" lines. Payload manifests list
// paths under data/; tag manifests list top-level names. Paths are checked
// as strictly as zip names, since `sha256sum -c` would open them.
func parseManifest(b []byte, payload bool) (map[string]string, []string) {
	out := map[string]string{}
	var errs []string
	if !utf8.Valid(b) {
		return out, []string{"不是有效的 UTF-8 文本"}
	}
	for i, line := range strings.Split(string(b), "\n") {
		if line == "" {
			continue
		}
		// Exactly what Write and sha256sum write: the digest, two spaces
		// (or " *", sha256sum's binary mode) and the path, nothing around
		// it. Any other spacing is a line that some reader splits otherwise.
		if len(line) <= 66 || (line[64:66] != "  " && line[64:66] != " *") || !isLowerHex(line[:64]) {
			errs = append(errs, fmt.Sprintf("第 %d 行格式不正确：应为 64 位小写十六进制摘要、两个空格和路径", i+1))
			continue
		}
		path := line[66:]
		if strings.TrimSpace(path) != path {
			errs = append(errs, fmt.Sprintf("第 %d 行“%s”：路径首尾有空白", i+1, path))
			continue
		}
		if reason := unsafeName(path); reason != "" {
			errs = append(errs, fmt.Sprintf("第 %d 行“%s”：%s", i+1, path, reason))
			continue
		}
		if payload != strings.HasPrefix(path, PayloadDir+"/") || (!payload && strings.Contains(path, "/")) {
			errs = append(errs, fmt.Sprintf("第 %d 行“%s”：不应列在此清单中", i+1, path))
			continue
		}
		if _, dup := out[path]; dup {
			errs = append(errs, fmt.Sprintf("第 %d 行“%s”：重复登记", i+1, path))
			continue
		}
		out[path] = line[:64]
	}
	return out, errs
}

func isLowerHex(s string) bool {
	for _, c := range []byte(s) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
