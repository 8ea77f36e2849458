package sshsig

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"golang.org/x/crypto/ssh"

	"qianfa/review"
)

// The framing of PROTOCOL.sshsig. The magic opens both the signature blob
// and the data actually signed, so a signature made for SSHSIG can never be
// replayed as an SSH authentication signature and vice versa.
const (
	magic      = "SSHSIG"
	sigVersion = 1
	armorBegin = "-----BEGIN SSH SIGNATURE-----"
	armorEnd   = "-----END SSH SIGNATURE-----"
	armorWidth = 70 // ssh-keygen's line width; keeps our files identical in shape to its own
)

// HashSHA512 is the message hash we sign with: ssh-keygen's default, and the
// one it prefers when verifying.
const HashSHA512 = "sha512"

// maxArmored bounds what ParseSignature accepts. Real signatures are a few
// hundred bytes; the bound stops a hostile package from making us decode
// megabytes of base64.
const maxArmored = 64 << 10

// Signature is a parsed SSHSIG signature.
type Signature struct {
	PublicKey     ssh.PublicKey // the key the signer claims; trust comes only from allowed_signers
	Namespace     string        // what the signature is for, e.g. "qianfa-package"
	HashAlgorithm string        // "sha256" or "sha512"
	Sig           *ssh.Signature
}

// Sign signs message for namespace with signer and returns the armored
// signature that `ssh-keygen -Y verify` accepts. Ed25519 signatures are
// deterministic, so the same key and message always give the same bytes,
// which keeps exported packages byte-identical.
func Sign(signer ssh.Signer, namespace string, message []byte) ([]byte, error) {
	if namespace == "" {
		return nil, review.Errorf(review.EINVALID, "签名用途（namespace）不能为空。")
	}
	h := sha512.Sum512(message)
	data := signedData(namespace, HashSHA512, h[:])

	var sig *ssh.Signature
	var err error
	switch signer.PublicKey().Type() {
	case ssh.KeyAlgoRSA:
		// Plain "ssh-rsa" means SHA-1, which OpenSSH refuses for SSHSIG.
		as, ok := signer.(ssh.AlgorithmSigner)
		if !ok {
			return nil, review.Errorf(review.EINVALID, "该 RSA 密钥不支持 SHA-2 签名。")
		}
		sig, err = as.SignWithAlgorithm(rand.Reader, data, ssh.KeyAlgoRSASHA512)
	default:
		sig, err = signer.Sign(rand.Reader, data)
	}
	if err != nil {
		return nil, fmt.Errorf("sshsig sign: %w", err)
	}

	var blob []byte
	blob = append(blob, magic...)
	blob = binary.BigEndian.AppendUint32(blob, sigVersion)
	blob = appendString(blob, signer.PublicKey().Marshal())
	blob = appendString(blob, []byte(namespace))
	blob = appendString(blob, nil) // reserved
	blob = appendString(blob, []byte(HashSHA512))
	blob = appendString(blob, ssh.Marshal(sig))
	return armor(blob), nil
}

// signedData is what the key actually signs: the hash of the message framed
// with the namespace, so a signature for one purpose is void for another.
func signedData(namespace, hashAlg string, hash []byte) []byte {
	var d []byte
	d = append(d, magic...)
	d = appendString(d, []byte(namespace))
	d = appendString(d, nil) // reserved
	d = appendString(d, []byte(hashAlg))
	d = appendString(d, hash)
	return d
}

func appendString(b, s []byte) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(s)))
	return append(b, s...)
}

func armor(blob []byte) []byte {
	enc := base64.StdEncoding.EncodeToString(blob)
	var out bytes.Buffer
	out.WriteString(armorBegin + "\n")
	for len(enc) > armorWidth {
		out.WriteString(enc[:armorWidth] + "\n")
		enc = enc[armorWidth:]
	}
	out.WriteString(enc + "\n")
	out.WriteString(armorEnd + "\n")
	return out.Bytes()
}

// ParseSignature decodes an armored SSHSIG signature without checking it.
// It is strict about the framing, because the input usually comes from a
// file that crossed from another network.
func ParseSignature(armored []byte) (*Signature, error) {
	bad := func(err error) error {
		return review.WrapError(review.EINVALID, err, "签名文件格式不正确。")
	}
	if len(armored) > maxArmored {
		return nil, bad(errors.New("armored signature too large"))
	}
	// Exactly ssh-keygen's shape (CRLF tolerated for files that passed
	// through Windows): any other byte changed is refused, not skipped.
	text := bytes.ReplaceAll(armored, []byte("\r\n"), []byte("\n"))
	if !bytes.HasSuffix(text, []byte("\n")) {
		return nil, bad(errors.New("missing final newline"))
	}
	text = text[:len(text)-1]
	lines := bytes.Split(text, []byte("\n"))
	if len(lines) < 3 || string(lines[0]) != armorBegin {
		return nil, bad(errors.New("missing BEGIN SSH SIGNATURE"))
	}
	if string(lines[len(lines)-1]) != armorEnd {
		return nil, bad(errors.New("missing END SSH SIGNATURE"))
	}
	b64 := bytes.Join(lines[1:len(lines)-1], nil)
	blob, err := base64.StdEncoding.Strict().DecodeString(string(b64))
	if err != nil {
		return nil, bad(err)
	}
	// Only the one armoring of the blob, as ssh-keygen and Sign write it:
	// no blank or re-wrapped lines, no stray bits in the last base64
	// character, the final newline present. The signature file is the one
	// file of a package no manifest covers, so any other spelling of the
	// same signature would be a changed byte that still verified.
	if !bytes.Equal(armor(blob), append(text, '\n')) {
		return nil, bad(errors.New("non-canonical armor"))
	}

	r := reader{b: blob}
	if string(r.bytes(len(magic))) != magic {
		return nil, bad(errors.New("bad magic"))
	}
	if v := r.uint32(); v != sigVersion {
		return nil, bad(fmt.Errorf("unsupported version %d", v))
	}
	pubBytes := r.string()
	namespace := r.string()
	// reserved: PROTOCOL.sshsig lets a reader ignore it, but every
	// signer writes it empty, and bytes ignored here would be bytes an
	// attacker may change without the signature failing.
	if reserved := r.string(); len(reserved) != 0 {
		return nil, bad(errors.New("non-empty reserved field"))
	}
	hashAlg := r.string()
	sigBytes := r.string()
	if r.err != nil {
		return nil, bad(r.err)
	}
	if len(r.b) != 0 {
		return nil, bad(errors.New("trailing data"))
	}
	pub, err := ssh.ParsePublicKey(pubBytes)
	if err != nil {
		return nil, bad(err)
	}
	if _, isCert := pub.(*ssh.Certificate); isCert {
		return nil, bad(errors.New("certificates are not supported"))
	}
	sig := new(ssh.Signature)
	if err := ssh.Unmarshal(sigBytes, sig); err != nil {
		return nil, bad(err)
	}
	return &Signature{PublicKey: pub, Namespace: string(namespace), HashAlgorithm: string(hashAlg), Sig: sig}, nil
}

// Check verifies the signature cryptographically: it was made over message
// for namespace by s.PublicKey. It says nothing about whether that key is
// trusted; see Verify.
func (s *Signature) Check(message []byte, namespace string) error {
	if s.Namespace != namespace {
		return review.Errorf(review.EINVALID, "签名用途不符：应为“%s”，实为“%s”。", namespace, s.Namespace)
	}
	var h []byte
	switch s.HashAlgorithm {
	case "sha512":
		sum := sha512.Sum512(message)
		h = sum[:]
	case "sha256":
		sum := sha256.Sum256(message)
		h = sum[:]
	default:
		return review.Errorf(review.EINVALID, "不支持的签名摘要算法“%s”。", s.HashAlgorithm)
	}
	if s.Sig.Format == ssh.KeyAlgoRSA {
		return review.Errorf(review.EINVALID, "签名使用了已淘汰的 SHA-1 算法。")
	}
	if err := s.PublicKey.Verify(signedData(s.Namespace, s.HashAlgorithm, h), s.Sig); err != nil {
		return review.WrapError(review.EINVALID, err, "签名与内容不符：内容已被改动，或签名不是对此内容所作。")
	}
	return nil
}

// Verify checks an armored signature over message the way
// `ssh-keygen -Y verify -f allowed_signers -I principal -n namespace` does:
// the signature must be valid, and allowed must hold a line for its key
// that names principal, permits namespace and is valid at time at. An empty
// principal accepts any principal the key is allowed for (ssh-keygen's
// find-principals followed by verify). It returns the allowed_signers entry
// that vouches for the signature.
//
// A malformed or false signature is EINVALID; a good signature by a key the
// office does not vouch for (unknown, wrong principal or namespace, outside
// its validity) is EFORBIDDEN.
func Verify(armored, message []byte, namespace string, allowed AllowedSigners, principal string, at time.Time) (*AllowedSigner, error) {
	sig, err := ParseSignature(armored)
	if err != nil {
		return nil, err
	}
	if err := sig.Check(message, namespace); err != nil {
		return nil, err
	}
	return allowed.Authorize(sig.PublicKey, principal, namespace, at)
}

// reader decodes SSH wire strings; the first error sticks so the parser
// reads straight through and checks once.
type reader struct {
	b   []byte
	err error
}

func (r *reader) bytes(n int) []byte {
	if r.err != nil {
		return nil
	}
	if n < 0 || n > len(r.b) {
		r.err = errors.New("truncated signature")
		return nil
	}
	out := r.b[:n]
	r.b = r.b[n:]
	return out
}

func (r *reader) uint32() uint32 {
	b := r.bytes(4)
	if b == nil {
		return 0
	}
	return binary.BigEndian.Uint32(b)
}

func (r *reader) string() []byte {
	n := r.uint32()
	if r.err != nil {
		return nil
	}
	if uint64(n) > uint64(len(r.b)) {
		r.err = errors.New("truncated signature")
		return nil
	}
	return r.bytes(int(n))
}
