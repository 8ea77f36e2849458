package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"qianfa/review"
	"qianfa/review/sshsig"
)

var (
	signedAt = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)
	verifyAt = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
)

// testSigner derives a key from a fixed seed: deterministic signatures need
// a deterministic key, and bcrypt-encrypted keys would only slow tests.
func testSigner(t testing.TB, seed byte) ssh.Signer {
	t.Helper()
	s, err := ssh.NewSignerFromKey(ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize)))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func allowedFile(t testing.TB, key ssh.PublicKey, after, before time.Time) []byte {
	t.Helper()
	data, err := sshsig.AllowedSigners{{
		Principals: []string{"zhangsan"}, Namespaces: []string{Namespace},
		ValidAfter: after, ValidBefore: before, Key: key, Comment: "经办人 张三",
	}}.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func randBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		v := r.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	return b
}

func sampleBag(t testing.TB) *Bag {
	signer := testSigner(t, 1)
	return &Bag{
		Name: "GB-2026-00012-3f2a9c1d",
		Info: []Field{
			{"Source-Organization", "某部办公厅"},
			{"External-Identifier", "某部发〔2026〕12号"},
			{"Bagging-Date", "2026-03-02"},
			{"Internal-Sender-Description", "关于进一步规范政府信息公开工作的通知\n（第二行）"},
		},
		Files: []File{
			{Path: "document.txt", Data: []byte(strings.Repeat("第一条 为了规范政府信息公开工作，制定本办法。\n", 200))},
			{Path: "document.html", Data: []byte("<html><body><p>第一条</p></body></html>\n")},
			{Path: "metadata.json", Data: []byte(`{"title":"关于进一步规范政府信息公开工作的通知"}` + "\n")},
			{Path: "attachments/附件1 申请表.pdf", Data: randBytes(1, 70000), Compressed: true},
			{Path: "attachments/附件2.xlsx", Data: randBytes(2, 30000), Compressed: true},
			{Path: "review/record.json", Data: []byte(`{"stages":[]}` + "\n")},
			{Path: "empty.txt"},
		},
		Tags:     []TagFile{{Name: AllowedSigners, Data: allowedFile(t, signer.PublicKey(), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))}},
		Signer:   signer,
		Modified: signedAt,
	}
}

func build(t testing.TB, b *Bag) ([]byte, *Result) {
	t.Helper()
	var buf bytes.Buffer
	res, err := Write(context.Background(), &buf, b)
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), res
}

func verify(pkg []byte, opt Options) *Report {
	if opt.Now.IsZero() {
		opt.Now = verifyAt
	}
	return Verify(bytes.NewReader(pkg), int64(len(pkg)), opt)
}

func failures(r *Report) string {
	var s []string
	for _, c := range r.Checks {
		if !c.OK {
			s = append(s, c.Name+": "+c.Detail)
		}
	}
	return strings.Join(s, "\n")
}

func TestWrite_VerifiesAndHasLayout(t *testing.T) {
	pkg, res := build(t, sampleBag(t))
	sum := sha256.Sum256(pkg)
	if res.SHA256 != hex.EncodeToString(sum[:]) || res.Size != int64(len(pkg)) {
		t.Fatalf("result %+v does not describe the bytes written", res)
	}
	rep := verify(pkg, Options{SHA256: res.SHA256})
	if !rep.OK {
		t.Fatalf("fresh package refused:\n%s", failures(rep))
	}
	if rep.Signer == nil || rep.Signer.Principals[0] != "zhangsan" || !rep.SignersFromBag || rep.Files != 7 {
		t.Errorf("report: %+v", rep)
	}
	for _, c := range rep.Checks {
		t.Log(c)
	}
	if got := rep.Info[len(rep.Info)-1]; got.Label != "Payload-Oxum" {
		t.Errorf("last bag-info field %v", got)
	}
	if rep.Info[3].Value != "关于进一步规范政府信息公开工作的通知\n（第二行）" {
		t.Errorf("multi-line value read back as %q", rep.Info[3].Value)
	}

	zr, _ := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
		wantStored := strings.HasSuffix(f.Name, ".pdf") || strings.HasSuffix(f.Name, ".xlsx")
		if (f.Method == zip.Store) != wantStored {
			t.Errorf("%s: method %d", f.Name, f.Method)
		}
		if !f.Modified.Equal(signedAt) || f.Mode() != 0o644 {
			t.Errorf("%s: modified %v mode %v", f.Name, f.Modified, f.Mode())
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("entries not sorted: %v", names)
	}
	want := []string{"allowed_signers", "bag-info.txt", "bagit.txt", "data/attachments/附件1 申请表.pdf", "data/attachments/附件2.xlsx",
		"data/document.html", "data/document.txt", "data/empty.txt", "data/metadata.json", "data/review/record.json",
		"manifest-sha256.txt", "tagmanifest-sha256.txt", "tagmanifest-sha256.txt.sig"}
	for i := range want {
		want[i] = "GB-2026-00012-3f2a9c1d/" + want[i]
	}
	if !slices.Equal(names, want) {
		t.Errorf("entries:\n%v\nwant\n%v", names, want)
	}
}

func TestWrite_Deterministic(t *testing.T) {
	a, ra := build(t, sampleBag(t))
	b := sampleBag(t)
	// The same content given as a stream must not change a byte either.
	for i := range b.Files {
		data := b.Files[i].Data
		b.Files[i].Data = nil
		b.Files[i].Size = int64(len(data))
		b.Files[i].Open = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	}
	slices.Reverse(b.Files) // input order must not matter
	c, rc := build(t, b)
	if !bytes.Equal(a, c) || ra.SHA256 != rc.SHA256 {
		t.Fatal("two exports of the same inputs differ")
	}
}

func TestWrite_Refuses(t *testing.T) {
	other := testSigner(t, 2)
	tests := []struct {
		name string
		edit func(b *Bag)
	}{
		{"no signer", func(b *Bag) { b.Signer = nil }},
		{"signer not in allowed_signers", func(b *Bag) { b.Signer = other }},
		{"dot-dot path", func(b *Bag) { b.Files[0].Path = "../x.txt" }},
		{"absolute path", func(b *Bag) { b.Files[0].Path = "/etc/passwd" }},
		{"backslash", func(b *Bag) { b.Files[0].Path = `a\b.txt` }},
		{"percent", func(b *Bag) { b.Files[0].Path = "100%.txt" }},
		{"newline", func(b *Bag) { b.Files[0].Path = "a\nb.txt" }},
		{"case duplicate", func(b *Bag) { b.Files[1].Path = "DOCUMENT.TXT" }},
		{"normalisation duplicate", func(b *Bag) {
			b.Files[0].Path, b.Files[1].Path = "caf\u00e9.txt", "cafe\u0301.txt"
		}},
		{"reserved tag", func(b *Bag) { b.Tags = append(b.Tags, TagFile{Name: BagInfoFile}) }},
		{"payload oxum given", func(b *Bag) { b.Info = append(b.Info, Field{"Payload-Oxum", "1.1"}) }},
		{"bad bag name", func(b *Bag) { b.Name = "a/b" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := sampleBag(t)
			tt.edit(b)
			_, err := Write(context.Background(), io.Discard, b)
			if review.ErrorCode(err) != review.EINVALID {
				t.Fatalf("got %v, want EINVALID", err)
			}
		})
	}
	t.Run("source changes size", func(t *testing.T) {
		b := sampleBag(t)
		b.Files[0] = File{Path: "grow.bin", Size: 3, Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader("four")), nil }}
		if _, err := Write(context.Background(), io.Discard, b); review.ErrorCode(err) != review.EINVALID {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := Write(ctx, io.Discard, sampleBag(t)); err == nil {
			t.Fatal("cancelled export succeeded")
		}
	})
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"000014349/2026-00012":   "000014349-2026-00012",
		"  a:b*c?  ":             "a-b-c-",
		"..":                     "package",
		"":                       "package",
		"关于\n通知":                 "关于-通知",
		strings.Repeat("长", 100): strings.Repeat("长", 66),
	} {
		got := SafeName(in)
		if got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
		if checkComponent(got) != nil {
			t.Errorf("SafeName(%q) = %q is refused by Write", in, got)
		}
	}
}

// entry is one zip entry for rewritten test packages.
type entry struct {
	hdr  zip.FileHeader
	data []byte
}

func entries(t testing.TB, pkg []byte) []entry {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	var out []entry
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		out = append(out, entry{hdr: f.FileHeader, data: data})
	}
	return out
}

func rezip(t testing.TB, es []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range es {
		h := e.hdr
		h.CompressedSize64, h.UncompressedSize64, h.CRC32 = 0, 0, 0
		w, err := zw.CreateHeader(&h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func edit(t testing.TB, pkg []byte, fn func([]entry) []entry) []byte {
	return rezip(t, fn(entries(t, pkg)))
}

func find(es []entry, suffix string) int {
	for i, e := range es {
		if strings.HasSuffix(e.hdr.Name, suffix) {
			return i
		}
	}
	panic(suffix)
}

func withEntry(name string, data []byte, mode fs.FileMode) entry {
	h := zip.FileHeader{Name: name, Method: zip.Deflate}
	h.SetMode(mode)
	return entry{hdr: h, data: data}
}

func TestVerify_ChangedByteInEveryEntry(t *testing.T) {
	pkg, _ := build(t, sampleBag(t))
	zr, _ := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	for _, f := range zr.File {
		if f.CompressedSize64 == 0 {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			off, _ := f.DataOffset()
			for _, at := range []int64{0, int64(f.CompressedSize64) / 2, int64(f.CompressedSize64) - 1} {
				bad := slices.Clone(pkg)
				bad[off+at] ^= 0x01
				if rep := verify(bad, Options{}); rep.OK {
					t.Fatalf("byte %d of %s changed, package accepted", at, f.Name)
				}
			}
		})
	}
	t.Run("any byte before the central directory", func(t *testing.T) {
		// A small package, so that every byte can be tried in seconds.
		b := sampleBag(t)
		b.Files = slices.DeleteFunc(b.Files, func(x File) bool { return len(x.Data) > 1000 })
		small, _ := build(t, b)
		zr, _ := zip.NewReader(bytes.NewReader(small), int64(len(small)))
		cd, err := layoutEnd(bytes.NewReader(small), int64(len(small)), zr)
		if err != nil {
			t.Fatal(err)
		}
		var passed []int
		for i := range small {
			bad := slices.Clone(small)
			bad[i] ^= 0x01
			if rep := verify(bad, Options{}); rep.OK {
				passed = append(passed, i)
			}
		}
		// What may pass is central-directory bookkeeping no reader uses to
		// place or fill a file (version made by, disk number, internal
		// and external attribute bits); the fingerprint covers those.
		for _, i := range passed {
			if int64(i) < cd {
				t.Errorf("byte %d (before the central directory at %d) changed, package accepted", i, cd)
			}
		}
		t.Logf("%d of %d single-byte changes pass, all in the central directory (%d bytes)", len(passed), len(small), int64(len(small))-cd)
	})
	t.Run("any byte with fingerprint", func(t *testing.T) {
		sum := sha256.Sum256(pkg)
		for i := 0; i < len(pkg); i += 997 {
			bad := slices.Clone(pkg)
			bad[i] ^= 0x80
			if rep := verify(bad, Options{SHA256: hex.EncodeToString(sum[:])}); rep.OK {
				t.Fatalf("byte %d changed, package accepted", i)
			}
		}
	})
}

func TestVerify_Refuses(t *testing.T) {
	pkg, _ := build(t, sampleBag(t))
	const top = "GB-2026-00012-3f2a9c1d/"
	forger := testSigner(t, 9)
	tests := []struct {
		name  string
		pkg   func(t *testing.T) []byte
		opt   Options
		check string // name of a check that must fail
		says  string // and a word its detail must contain
	}{
		{"payload byte changed", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { es[find(es, "document.txt")].data[5] ^= 1; return es })
		}, Options{}, checkPayload, "document.txt"},
		{"payload file missing", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				return slices.Delete(es, find(es, "附件2.xlsx"), find(es, "附件2.xlsx")+1)
			})
		}, Options{}, checkPayload, "缺失"},
		{"extra payload file", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { return append(es, withEntry(top+"data/extra.txt", []byte("x"), 0o644)) })
		}, Options{}, checkPayload, "多余"},
		{"file outside data", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { return append(es, withEntry(top+"other/x.txt", []byte("x"), 0o644)) })
		}, Options{}, checkPayload, "other/x.txt"},
		{"bag-info changed", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				i := find(es, "bag-info.txt")
				es[i].data = bytes.Replace(es[i].data, []byte("12号"), []byte("13号"), 1)
				return es
			})
		}, Options{}, checkTags, "bag-info.txt"},
		{"allowed_signers swapped", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				es[find(es, "allowed_signers")].data = allowedFile(t, forger.PublicKey(), time.Time{}, time.Time{})
				return es
			})
		}, Options{}, checkTags, "allowed_signers"},
		{"unlisted tag file", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { return append(es, withEntry(top+"notes.txt", []byte("x"), 0o644)) })
		}, Options{}, checkTags, "notes.txt"},
		{"manifest changed consistently but unsigned", func(t *testing.T) []byte {
			// An attacker who edits a file and fixes both manifests still
			// cannot fix the signature.
			return edit(t, pkg, func(es []entry) []entry {
				d := es[find(es, "document.txt")]
				d.data[0] ^= 1
				old := sha256.Sum256(entries(t, pkg)[find(es, "document.txt")].data)
				nw := sha256.Sum256(d.data)
				m := find(es, "/manifest-sha256.txt")
				es[m].data = bytes.Replace(es[m].data, []byte(hex.EncodeToString(old[:])), []byte(hex.EncodeToString(nw[:])), 1)
				oldM := sha256.Sum256(entries(t, pkg)[m].data)
				newM := sha256.Sum256(es[m].data)
				tm := find(es, "/tagmanifest-sha256.txt")
				es[tm].data = bytes.Replace(es[tm].data, []byte(hex.EncodeToString(oldM[:])), []byte(hex.EncodeToString(newM[:])), 1)
				return es
			})
		}, Options{}, checkSignature, "签名与内容不符"},
		{"signature re-spelt with CRLF", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				i := find(es, ".sig")
				es[i].data = bytes.ReplaceAll(es[i].data, []byte("\n"), []byte("\r\n"))
				return es
			})
		}, Options{}, checkSignature, "回车"},
		{"signature re-wrapped", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				i := find(es, ".sig")
				es[i].data = bytes.Replace(es[i].data, []byte("\n"), []byte("\n\n"), 1)
				return es
			})
		}, Options{}, checkSignature, SignatureFile},
		{"signature missing", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { i := find(es, ".sig"); return slices.Delete(es, i, i+1) })
		}, Options{}, checkSignature, "未签名"},
		{"forged package with its own key", func(t *testing.T) []byte {
			b := sampleBag(t)
			b.Signer = forger
			b.Tags = []TagFile{{Name: AllowedSigners, Data: allowedFile(t, forger.PublicKey(), time.Time{}, time.Time{})}}
			p, _ := build(t, b)
			return p
		}, Options{AllowedSigners: mustParse(t, sampleBag(t).Tags[0].Data)}, checkSignature, "不在 allowed_signers"},
		{"key expired", func(t *testing.T) []byte { return pkg }, Options{Now: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}, checkSignature, "已经失效"},
		{"key not yet valid", func(t *testing.T) []byte { return pkg }, Options{Now: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)}, checkSignature, "尚未生效"},
		{"wrong principal", func(t *testing.T) []byte { return pkg }, Options{Principal: "lisi"}, checkSignature, "lisi"},
		{"fingerprint differs", func(t *testing.T) []byte { return pkg }, Options{SHA256: strings.Repeat("0", 64)}, checkPrint, "指纹不符"},
		{"absolute path", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { return append(es, withEntry("/etc/cron.d/x", []byte("x"), 0o644)) })
		}, Options{}, checkZip, "绝对路径"},
		{"dot-dot", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { return append(es, withEntry(top+"data/../../x", []byte("x"), 0o644)) })
		}, Options{}, checkZip, ".."},
		{"backslash", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { return append(es, withEntry(top+`data\..\..\x`, []byte("x"), 0o644)) })
		}, Options{}, checkZip, "反斜杠"},
		{"symlink", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				return append(es, withEntry(top+"data/link", []byte("/etc/passwd"), fs.ModeSymlink|0o777))
			})
		}, Options{}, checkZip, "符号链接"},
		{"duplicate name", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				return append(es, withEntry(es[find(es, "document.txt")].hdr.Name, []byte("x"), 0o644))
			})
		}, Options{}, checkZip, "重复"},
		{"case-folded duplicate", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { return append(es, withEntry(top+"data/DOCUMENT.txt", []byte("x"), 0o644)) })
		}, Options{}, checkZip, "大小写"},
		{"Unicode-normalisation duplicate", func(t *testing.T) []byte {
			// "é" as one code point, then as "e" and U+0301: one file on macOS.
			return edit(t, pkg, func(es []entry) []entry {
				return append(es, withEntry(top+"data/r\u00e9sum\u00e9.txt", []byte("x"), 0o644),
					withEntry(top+"data/re\u0301sume\u0301.txt", []byte("y"), 0o644))
			})
		}, Options{}, checkZip, "Unicode"},
		{"long-s case-fold duplicate", func(t *testing.T) []byte {
			// NTFS upper-cases "ſ" to "S", yet strings.ToLower leaves it.
			return edit(t, pkg, func(es []entry) []entry {
				return append(es, withEntry(top+"data/\u017fign.txt", []byte("x"), 0o644), withEntry(top+"data/sign.txt", []byte("y"), 0o644))
			})
		}, Options{}, checkZip, "大小写"},
		{"line break in a name", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				return append(es, withEntry(top+"data/a\nb.txt", []byte("x"), 0o644))
			})
		}, Options{}, checkZip, "控制字符"},
		{"non-UTF-8 name", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				return append(es, withEntry(top+"data/\xb8\xbd\xbc\xfe.txt", []byte("x"), 0o644))
			})
		}, Options{}, checkZip, "UTF-8"},
		{"name flagged as legacy encoding", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				e := withEntry(top+"data/附件.txt", []byte("x"), 0o644)
				e.hdr.NonUTF8 = true
				return append(es, e)
			})
		}, Options{}, checkZip, "UTF-8"},
		{"Unicode Path extra field renames an entry for unzip", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				i := find(es, "document.txt")
				name := top + "data/document.html"
				// Info-ZIP 0x7075: version 1, CRC-32 of the header name, UTF-8 name.
				field := binary.LittleEndian.AppendUint16(nil, 0x7075)
				field = binary.LittleEndian.AppendUint16(field, uint16(5+len(name)))
				field = append(field, 1)
				field = binary.LittleEndian.AppendUint32(field, crc32.ChecksumIEEE([]byte(es[i].hdr.Name)))
				es[i].hdr.Extra = append(slices.Clone(es[i].hdr.Extra), append(field, name...)...)
				return es
			})
		}, Options{}, checkZip, "0x7075"},
		{"tag files beyond the memory bound", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry {
				for i := range 5 {
					es = append(es, withEntry(fmt.Sprintf("%spad%d", top, i), make([]byte, maxTag), 0o644))
				}
				return es
			})
		}, Options{}, checkTags, "合计超过上限"},
		{"entry over size bound", func(t *testing.T) []byte { return pkg }, Options{MaxEntry: 50000}, checkZip, "单个条目上限"},
		{"total over size bound", func(t *testing.T) []byte { return pkg }, Options{MaxTotal: 100000}, checkZip, "超过上限"},
		{"too many entries", func(t *testing.T) []byte { return pkg }, Options{MaxEntries: 5}, checkZip, "条目过多"},
		{"zip bomb with lying header", func(t *testing.T) []byte { return bomb(t, top) }, Options{MaxEntry: 1 << 20, MaxTotal: 2 << 20}, checkPayload, "bomb.bin"},
		{"no bagit.txt", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { i := find(es, "bagit.txt"); return slices.Delete(es, i, i+1) })
		}, Options{}, checkBagIt, "bagit.txt"},
		{"two top directories", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { return append(es, withEntry("second/bagit.txt", []byte(bagitDecl), 0o644)) })
		}, Options{}, checkZip, "顶层"},
		{"file at top level", func(t *testing.T) []byte {
			return edit(t, pkg, func(es []entry) []entry { return append(es, withEntry("README", []byte("x"), 0o644)) })
		}, Options{}, checkZip, "README"},
		{"local header names another file", func(t *testing.T) []byte {
			// Streaming unzippers read local headers, archive/zip the
			// central directory: the two must agree.
			return bytes.Replace(pkg, []byte("data/document.txt"), []byte("data/documen_.txt"), 1)
		}, Options{}, checkLayout, "本地文件头中的文件名"},
		{"data appended", func(t *testing.T) []byte { return append(slices.Clone(pkg), "tail"...) }, Options{}, checkLayout, "文件末尾"},
		{"data prepended", func(t *testing.T) []byte { return append([]byte("#!/bin/sh\n"), pkg...) }, Options{}, checkLayout, "未知数据"},
		{"not a zip", func(t *testing.T) []byte { return []byte("PK\x03\x04 not really") }, Options{}, checkZip, "zip"},
		{"empty zip", func(t *testing.T) []byte { return rezip(t, nil) }, Options{}, checkZip, "空"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := verify(tt.pkg(t), tt.opt)
			if rep.OK {
				t.Fatal("package accepted")
			}
			for _, c := range rep.Checks {
				if c.Name == tt.check && !c.OK && strings.Contains(c.Detail, tt.says) {
					return
				}
			}
			t.Fatalf("no failed %q check mentioning %q:\n%s", tt.check, tt.says, failures(rep))
		})
	}
}

func mustParse(t testing.TB, data []byte) sshsig.AllowedSigners {
	as, err := sshsig.ParseAllowedSigners(data)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// bomb builds a bag whose payload entry claims 1 KiB but inflates to
// 64 MiB: the verifier must stop counting at its own bound, not the header's.
func bomb(t testing.TB, top string) []byte {
	var deflated bytes.Buffer
	fw, _ := zip.NewWriter(io.Discard), 0
	_ = fw
	{
		zw := zip.NewWriter(&deflated)
		w, _ := zw.Create("x")
		w.Write(make([]byte, 64<<20))
		zw.Close()
	}
	zr, _ := zip.NewReader(bytes.NewReader(deflated.Bytes()), int64(deflated.Len()))
	raw, _ := zr.File[0].OpenRaw()
	rawData, _ := io.ReadAll(raw)

	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range []entry{
		withEntry(top+"bagit.txt", []byte(bagitDecl), 0o644),
		withEntry(top+"manifest-sha256.txt", []byte(strings.Repeat("0", 64)+"  data/bomb.bin\n"), 0o644),
	} {
		w, _ := zw.CreateHeader(&e.hdr)
		w.Write(e.data)
	}
	h := &zip.FileHeader{Name: top + "data/bomb.bin", Method: zip.Deflate, CRC32: zr.File[0].CRC32,
		CompressedSize64: uint64(len(rawData)), UncompressedSize64: 1024}
	w, err := zw.CreateRaw(h)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(rawData)
	zw.Close()
	return buf.Bytes()
}

func TestVerify_AllowedSignersOverride(t *testing.T) {
	pkg, _ := build(t, sampleBag(t))
	rep := verify(pkg, Options{AllowedSigners: mustParse(t, sampleBag(t).Tags[0].Data), Principal: "zhangsan"})
	if !rep.OK || rep.SignersFromBag {
		t.Fatalf("override: %+v\n%s", rep, failures(rep))
	}
	// An office file with no signer trusts nobody: it must not fall back
	// to the package's own list.
	rep = verify(pkg, Options{AllowedSigners: mustParse(t, []byte("# empty\n"))})
	if rep.OK || rep.SignersFromBag || rep.Signer != nil {
		t.Fatalf("empty office list fell back to the package's own: %+v", rep)
	}
}

// stockTools skips unless the website team's tools are here; the test is
// about agreeing with them.
func stockTools(t *testing.T) {
	for _, tool := range []string{"sha256sum", "ssh-keygen"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s 未安装，跳过与标准工具的互操作测试（apt-get install coreutils openssh-client）", tool)
		}
	}
}

// unzip extracts a verified package into dir with archive/zip, as the
// website team's unzip would.
func unzip(t *testing.T, pkg []byte, dir string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(pkg), int64(len(pkg)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if !filepath.IsLocal(f.Name) {
			t.Fatalf("unsafe name %s", f.Name)
		}
		p := filepath.Join(dir, filepath.FromSlash(f.Name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		rc, _ := f.Open()
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestInterop_StockTools(t *testing.T) {
	stockTools(t)
	b := sampleBag(t)
	// ssh-keygen checks validity against the clock, so this key must be
	// valid now, whenever the test runs.
	now := time.Now().UTC().Truncate(time.Second)
	b.Tags[0].Data = allowedFile(t, b.Signer.PublicKey(), now.Add(-24*time.Hour), now.Add(24*time.Hour))
	pkg, _ := build(t, b)

	sh := func(dir string, script string) (string, error) {
		cmd := exec.Command("sh", "-c", script)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	const (
		payloadCheck = "sha256sum -c --strict manifest-sha256.txt"
		tagCheck     = "sha256sum -c --strict tagmanifest-sha256.txt"
		sigCheck     = "ssh-keygen -Y verify -f allowed_signers -I zhangsan -n qianfa-package -s tagmanifest-sha256.txt.sig < tagmanifest-sha256.txt"
	)
	fresh := func(t *testing.T) string {
		dir := t.TempDir()
		unzip(t, pkg, dir)
		return filepath.Join(dir, b.Name)
	}
	flip := func(t *testing.T, path string) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)/2] ^= 0x01
		os.WriteFile(path, data, 0o644)
	}

	t.Run("all pass", func(t *testing.T) {
		bag := fresh(t)
		for _, c := range []string{payloadCheck, tagCheck, sigCheck} {
			if out, err := sh(bag, c); err != nil {
				t.Fatalf("%s: %v\n%s", c, err, out)
			}
		}
	})
	t.Run("Info-ZIP unzip agrees", func(t *testing.T) {
		unzipTool, err := exec.LookPath("unzip")
		if err != nil {
			t.Skip("unzip 未安装")
		}
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "pkg.zip"), pkg, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := sh(dir, unzipTool+" -q pkg.zip -d out"); err != nil {
			t.Fatalf("unzip: %v\n%s", err, out)
		}
		bag := filepath.Join(dir, "out", b.Name)
		for _, c := range []string{payloadCheck, tagCheck, sigCheck} {
			if out, err := sh(bag, c); err != nil {
				t.Fatalf("%s: %v\n%s", c, err, out)
			}
		}
	})
	t.Run("payload byte changed", func(t *testing.T) {
		bag := fresh(t)
		flip(t, filepath.Join(bag, "data", "attachments", "附件1 申请表.pdf"))
		if out, err := sh(bag, payloadCheck); err == nil {
			t.Fatalf("sha256sum accepted a changed payload:\n%s", out)
		}
	})
	t.Run("tag manifest byte changed", func(t *testing.T) {
		bag := fresh(t)
		flip(t, filepath.Join(bag, TagManifest))
		if out, err := sh(bag, sigCheck); err == nil {
			t.Fatalf("ssh-keygen accepted a changed tag manifest:\n%s", out)
		}
	})
	t.Run("bag-info byte changed", func(t *testing.T) {
		// The signature covers bag-info only through the tag manifest, so
		// the website team must run the tag-manifest check too.
		bag := fresh(t)
		flip(t, filepath.Join(bag, BagInfoFile))
		if out, err := sh(bag, tagCheck); err == nil {
			t.Fatalf("sha256sum accepted a changed bag-info:\n%s", out)
		}
	})
}

func FuzzVerify(f *testing.F) {
	// Small seeds: the mutator works far better on a few kilobytes than on
	// the 100 KB sample package.
	b := sampleBag(f)
	b.Files = slices.DeleteFunc(b.Files, func(x File) bool { return len(x.Data) > 1000 })
	pkg, _ := build(f, b)
	f.Add(pkg)
	f.Add(pkg[:len(pkg)/2])
	f.Add(edit(f, pkg, func(es []entry) []entry { return append(es, withEntry("x/../y", []byte("x"), fs.ModeSymlink)) }))
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep := Verify(bytes.NewReader(data), int64(len(data)), Options{Now: verifyAt, MaxEntry: 1 << 20, MaxTotal: 4 << 20, MaxEntries: 200})
		if rep.OK && len(data) != len(pkg) {
			// Only the genuine package, or one differing only in bytes no
			// check covers, may pass; never something of another length.
			t.Fatalf("accepted %d bytes", len(data))
		}
		if len(rep.Checks) == 0 {
			t.Fatal("report without checks")
		}
	})
}

// Manifest lines are read exactly as Write and sha256sum write them.
func TestParseManifest_Strict(t *testing.T) {
	h := strings.Repeat("ab", 32)
	for _, line := range []string{
		h + "  data/a.txt",
		h + " *data/a.txt",
	} {
		if m, errs := parseManifest([]byte(line+"\n"), true); len(errs) != 0 || m["data/a.txt"] != h {
			t.Errorf("%q: %v %v", line, m, errs)
		}
	}
	for _, line := range []string{
		h + " data/a.txt",                   // one space
		h + "   data/a.txt",                 // three
		h + "\tdata/a.txt",                  // tab
		h + " **data/a.txt",                 // two stars
		h + "  data/a.txt ",                 // trailing space
		h + "  data/a.txt\r",                // CRLF line end
		strings.ToUpper(h) + "  data/a.txt", // upper-case digest
		" " + h + "  data/a.txt",            // leading space
		h + "  data/../a.txt",
		h + "  /data/a.txt",
		h + "  bagit.txt",     // not payload
		h + "  data/a\\b.txt", // sha256sum's escaped form
	} {
		if _, errs := parseManifest([]byte(line+"\n"), true); len(errs) == 0 {
			t.Errorf("%q accepted", line)
		}
	}
}
