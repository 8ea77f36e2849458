package sshsig

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/ssh"

	"qianfa/review"
)

var (
	day0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	day1 = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	now  = time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
)

// newTestKey makes one encrypted key per test; bcrypt makes this the slow
// part, so tests share it where they can.
func newTestKey(t *testing.T, pass string) (ssh.Signer, []byte, []byte) {
	t.Helper()
	priv, pub, err := NewKey("zhangsan@qianfa", []byte(pass), nil)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := LoadSigner(priv, []byte(pass))
	if err != nil {
		t.Fatal(err)
	}
	return signer, priv, pub
}

func allowedFor(key ssh.PublicKey, principal string) AllowedSigners {
	return AllowedSigners{{
		Principals:  []string{principal},
		Namespaces:  []string{"qianfa-package"},
		ValidAfter:  day0,
		ValidBefore: day1,
		Key:         key,
		Comment:     "经办人",
	}}
}

func TestLoadSigner_WrongPassphraseIsForbidden(t *testing.T) {
	_, priv, _ := newTestKey(t, "正确口令")
	_, err := LoadSigner(priv, []byte("错误口令"))
	if review.ErrorCode(err) != review.EFORBIDDEN || !strings.Contains(review.ErrorMessage(err), "口令不正确") {
		t.Fatalf("got %v, want EFORBIDDEN 口令不正确", err)
	}
	if bytes.Contains(priv, []byte("\"none\"")) || !bytes.Contains(priv, []byte("OPENSSH PRIVATE KEY")) {
		t.Fatal("private key is not an OpenSSH key")
	}
	if _, err := ssh.ParseRawPrivateKey(priv); err == nil {
		t.Fatal("private key is readable without passphrase")
	}
}

func TestNewKey_EmptyPassphraseRefused(t *testing.T) {
	if _, _, err := NewKey("x", nil, nil); review.ErrorCode(err) != review.EINVALID {
		t.Fatalf("got %v", err)
	}
}

func TestVerify(t *testing.T) {
	signer, _, _ := newTestKey(t, "pw")
	other, _, _ := newTestKey(t, "pw")
	msg := []byte("tagmanifest 内容\n")
	sig, err := Sign(signer, "qianfa-package", msg)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := Sign(signer, "qianfa-package", msg)
	if !bytes.Equal(sig, again) {
		t.Error("Ed25519 signatures should be deterministic")
	}
	allowed := allowedFor(signer.PublicKey(), "zhangsan")
	changed := append([]byte(nil), msg...)
	changed[0] ^= 1

	tests := []struct {
		name      string
		msg       []byte
		ns        string
		allowed   AllowedSigners
		principal string
		at        time.Time
		code      string
	}{
		{"good", msg, "qianfa-package", allowed, "zhangsan", now, ""},
		{"any principal", msg, "qianfa-package", allowed, "", now, ""},
		{"changed message", changed, "qianfa-package", allowed, "zhangsan", now, review.EINVALID},
		{"wrong namespace", msg, "qianfa-decision", allowed, "zhangsan", now, review.EINVALID},
		{"unknown key", msg, "qianfa-package", allowedFor(other.PublicKey(), "zhangsan"), "zhangsan", now, review.EFORBIDDEN},
		{"principal mismatch", msg, "qianfa-package", allowed, "lisi", now, review.EFORBIDDEN},
		{"before validity", msg, "qianfa-package", allowed, "zhangsan", day0.Add(-time.Second), review.EFORBIDDEN},
		{"after validity", msg, "qianfa-package", allowed, "zhangsan", day1.Add(time.Second), review.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Verify(sig, tt.msg, tt.ns, tt.allowed, tt.principal, tt.at)
			if got := review.ErrorCode(err); got != tt.code {
				t.Fatalf("code %q, want %q (%v)", got, tt.code, err)
			}
		})
	}

	t.Run("namespace not allowed for key", func(t *testing.T) {
		s2, _ := Sign(signer, "qianfa-decision", msg)
		_, err := Verify(s2, msg, "qianfa-decision", allowed, "zhangsan", now)
		if review.ErrorCode(err) != review.EFORBIDDEN {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("rotated key listed twice", func(t *testing.T) {
		two := append(AllowedSigners{{Principals: []string{"zhangsan"}, Key: signer.PublicKey(), ValidBefore: day0}}, allowed...)
		if _, err := Verify(sig, msg, "qianfa-package", two, "zhangsan", now); err != nil {
			t.Fatal(err)
		}
	})
}

func TestParseSignature_Malformed(t *testing.T) {
	for _, in := range []string{"", "garbage", armorBegin + "\n!!!\n" + armorEnd, armorBegin + "\nU1NIU0lH\n" + armorEnd} {
		if _, err := ParseSignature([]byte(in)); review.ErrorCode(err) != review.EINVALID {
			t.Errorf("%q: got %v", in, err)
		}
	}
}

// The signature file is the one file of a package no manifest covers:
// every other spelling of the same signature must be refused, or a changed
// byte would still verify.
func TestParseSignature_OnlyTheCanonicalSpelling(t *testing.T) {
	signer, _, _ := newTestKey(t, "pw")
	msg := []byte("tagmanifest\n")
	sig, err := Sign(signer, "qianfa-package", msg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseSignature(bytes.ReplaceAll(sig, []byte("\n"), []byte("\r\n"))); err != nil {
		t.Errorf("CRLF line ends (documented as tolerated): %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(sig), "\n"), "\n")
	b64 := strings.Join(lines[1:len(lines)-1], "")
	blob, _ := base64.StdEncoding.DecodeString(b64)
	// The reserved field follows magic, version, public key and namespace.
	off := 6 + 4
	for range 2 {
		off += 4 + int(binary.BigEndian.Uint32(blob[off:]))
	}
	reserved := slices.Concat(blob[:off], []byte{0, 0, 0, 1, 'x'}, blob[off+4:])
	// With padding, the lowest bit of the last data character is unused:
	// flipping it spells the same blob differently.
	pad := len(b64) - len(strings.TrimRight(b64, "="))
	if pad == 0 {
		t.Fatal("test assumes base64 padding")
	}
	i := len(b64) - pad - 1
	stray := b64[:i] + string(base64Alphabet[strings.IndexByte(base64Alphabet, b64[i])^1]) + b64[i+1:]
	if got, _ := base64.StdEncoding.DecodeString(stray); !bytes.Equal(got, blob) {
		t.Fatal("stray bits changed the blob")
	}

	for name, bad := range map[string]string{
		"no final newline":   strings.TrimSuffix(string(sig), "\n"),
		"blank line":         strings.Replace(string(sig), "\n", "\n\n", 1),
		"rewrapped at 64":    armorBegin + "\n" + wrap(b64, 64) + armorEnd + "\n",
		"stray padding bits": armorBegin + "\n" + wrap(stray, 70) + armorEnd + "\n",
		"reserved field":     string(armor(reserved)),
		"lone CR in a line":  strings.Replace(string(sig), "\n", "\r\r\n", 2),
	} {
		if _, err := ParseSignature([]byte(bad)); review.ErrorCode(err) != review.EINVALID {
			t.Errorf("%s: accepted (%v)", name, err)
		}
		if _, err := Verify([]byte(bad), msg, "qianfa-package", allowedFor(signer.PublicKey(), "zhangsan"), "zhangsan", now); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
}

const base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

func wrap(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\n")
		s = s[n:]
	}
	return b.String() + s + "\n"
}

func TestAllowedSigners_RoundTrip(t *testing.T) {
	signer, _, _ := newTestKey(t, "pw")
	in := AllowedSigners{
		{Principals: []string{"zhangsan", "张三"}, Namespaces: []string{"qianfa-package", "qianfa-decision"}, ValidAfter: day0, ValidBefore: day1, Key: signer.PublicKey(), Comment: "经办人 2026"},
		{Principals: []string{"*@qianfa"}, Key: signer.PublicKey()},
	}
	data, err := in.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`valid-after="20260101000000Z"`)) {
		t.Errorf("times not written as UTC with Z:\n%s", data)
	}
	out, err := ParseAllowedSigners(append([]byte("# office keys\n\n"), data...))
	if err != nil {
		t.Fatal(err)
	}
	again, _ := out.Marshal()
	if !bytes.Equal(data, again) {
		t.Fatalf("round trip differs:\n%s\n%s", data, again)
	}
	if _, err := out.Authorize(signer.PublicKey(), "wangwu@qianfa", "x", now); err != nil {
		t.Errorf("wildcard principal: %v", err)
	}

	for _, bad := range []string{
		"zhangsan",
		"zhangsan ssh-ed25519 AAAA",
		`zhangsan bogus="1" ` + strings.TrimSpace(string(MarshalPublicKey(signer.PublicKey(), ""))),
		`zhangsan valid-after="2026" ` + strings.TrimSpace(string(MarshalPublicKey(signer.PublicKey(), ""))),
	} {
		if _, err := ParseAllowedSigners([]byte(bad)); review.ErrorCode(err) != review.EINVALID {
			t.Errorf("%q: got %v", bad, err)
		}
	}
	if _, err := (AllowedSigners{{Principals: []string{"has space"}, Key: signer.PublicKey()}}).Marshal(); err == nil {
		t.Error("principal with a space accepted")
	}
}

func TestParseTime(t *testing.T) {
	for in, want := range map[string]time.Time{
		"20260102Z":       time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC),
		"202601020304Z":   time.Date(2026, 1, 2, 3, 4, 0, 0, time.UTC),
		"20260102030405Z": time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		"20260102030405":  time.Date(2026, 1, 2, 3, 4, 5, 0, time.Local),
	} {
		got, err := parseTime(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("%s: %v %v", in, got, err)
		}
	}
}

func TestMatchList(t *testing.T) {
	for _, tt := range []struct {
		s    string
		list []string
		want bool
	}{
		{"a", []string{"a"}, true},
		{"ab", []string{"a"}, false},
		{"zhang@x", []string{"*@x"}, true},
		{"zhang@x", []string{"*@x", "!zhang@*"}, false},
		{"abc", []string{"a?c"}, true},
		{"abc", []string{"a*b*c*"}, true},
	} {
		if got := matchList(tt.s, tt.list); got != tt.want {
			t.Errorf("%s %v: %v", tt.s, tt.list, got)
		}
	}
}

// sshKeygen returns the path of ssh-keygen or skips: the interop tests prove
// the website team's stock tools agree with us, and mean nothing without them.
func sshKeygen(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Skip("ssh-keygen 未安装，跳过互操作测试（apt-get install openssh-client）")
	}
	return p
}

func run(t *testing.T, dir string, stdin []byte, name string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Stdin = bytes.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestInterop_SSHKeygen(t *testing.T) {
	keygen := sshKeygen(t)
	dir := t.TempDir()
	signer, priv, pub := newTestKey(t, "口令 pass")
	write := func(name string, data []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("key", priv)
	msg := []byte("bagit tag manifest\n")
	write("msg", msg)

	t.Run("ssh-keygen loads our encrypted key", func(t *testing.T) {
		out, err := run(t, dir, nil, keygen, "-y", "-P", "口令 pass", "-f", "key")
		if err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if !strings.HasPrefix(string(pub), strings.TrimSpace(out)) {
			t.Fatalf("public key differs:\n%s\n%s", out, pub)
		}
		if out, err := run(t, dir, nil, keygen, "-y", "-P", "wrong", "-f", "key"); err == nil {
			t.Fatalf("wrong passphrase accepted: %s", out)
		}
	})

	allowed, err := allowedFor(signer.PublicKey(), "zhangsan").Marshal()
	if err != nil {
		t.Fatal(err)
	}
	write("allowed_signers", allowed)
	sig, err := Sign(signer, "qianfa-package", msg)
	if err != nil {
		t.Fatal(err)
	}
	write("msg.sig", sig)
	verify := func(msg []byte, extra ...string) (string, error) {
		args := append([]string{"-Y", "verify", "-f", "allowed_signers", "-I", "zhangsan", "-n", "qianfa-package", "-s", "msg.sig", "-Overify-time=20260601080000Z"}, extra...)
		return run(t, dir, msg, keygen, args...)
	}

	t.Run("ssh-keygen verifies our signature", func(t *testing.T) {
		if out, err := verify(msg); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		bad := append([]byte(nil), msg...)
		bad[3] ^= 0x20
		if out, err := verify(bad); err == nil {
			t.Fatalf("changed message accepted: %s", out)
		}
	})

	t.Run("ssh-keygen honours our validity window", func(t *testing.T) {
		for _, at := range []string{"20251231235959Z", "20270101000001Z"} {
			out, err := run(t, dir, msg, keygen, "-Y", "verify", "-f", "allowed_signers", "-I", "zhangsan", "-n", "qianfa-package", "-s", "msg.sig", "-Overify-time="+at)
			if err == nil {
				t.Errorf("accepted at %s: %s", at, out)
			}
		}
	})

	t.Run("we verify ssh-keygen's signature", func(t *testing.T) {
		if out, err := run(t, dir, nil, keygen, "-q", "-t", "ed25519", "-N", "", "-C", "lisi", "-f", "theirs"); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		write("theirmsg", msg)
		if out, err := run(t, dir, nil, keygen, "-Y", "sign", "-f", "theirs", "-n", "qianfa-package", "theirmsg"); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		theirPub, _ := os.ReadFile(filepath.Join(dir, "theirs.pub"))
		key, _, err := ParsePublicKey(theirPub)
		if err != nil {
			t.Fatal(err)
		}
		theirSig, _ := os.ReadFile(filepath.Join(dir, "theirmsg.sig"))
		if bytes.Equal(theirSig, sig) {
			t.Fatal("ssh-keygen did not write a new signature")
		}
		as := allowedFor(key, "lisi")
		if _, err := Verify(theirSig, msg, "qianfa-package", as, "lisi", now); err != nil {
			t.Fatalf("ssh-keygen's signature refused: %v", err)
		}
		bad := append([]byte(nil), msg...)
		bad[len(bad)-2]++
		if _, err := Verify(theirSig, bad, "qianfa-package", as, "lisi", now); err == nil {
			t.Fatal("changed message accepted")
		}
		// Same shape as ours, byte for byte apart from the key and signature.
		if len(theirSig) != len(sig) {
			t.Errorf("armor length differs: theirs %d, ours %d", len(theirSig), len(sig))
		}
	})
}

// Lines OpenSSH refuses are refused here too, not read another way.
func TestParseAllowedSigners_RefusesWhatOpenSSHRefuses(t *testing.T) {
	signer, _, _ := newTestKey(t, "pw")
	key := strings.TrimSpace(string(MarshalPublicKey(signer.PublicKey(), "")))
	for _, opts := range []string{
		`valid-before="20200101Z",valid-before="20990101Z"`,
		`namespaces="a",namespaces="b"`,
		`valid-after="20260101Z",valid-before="20250101Z"`,
		`valid-after="20260101Z",valid-before="20260101Z"`,
	} {
		if _, err := ParseAllowedSigners([]byte("zhangsan " + opts + " " + key + "\n")); review.ErrorCode(err) != review.EINVALID {
			t.Errorf("%s: got %v", opts, err)
		}
	}
}
