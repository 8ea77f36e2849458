package workflow

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"qianfa/review"
)

// PassParams are argon2id's cost parameters. They travel inside each
// encoded hash, so raising them later leaves old hashes checkable.
type PassParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultPassParams follow RFC 9106's second recommendation (64 MiB, three
// passes), cut to the two threads an office desktop can spare.
var DefaultPassParams = PassParams{Memory: 64 * 1024, Time: 3, Threads: 2}

// MinPassphrase is the shortest passphrase accepted, in characters. The
// passphrase also guards the signing key, so a copy of the database must
// not open it by trying short words.
const MinPassphrase = 8

const (
	saltLen = 16
	hashLen = 32
)

// CheckPassphraseStrength refuses a passphrase too short to protect a key.
func CheckPassphraseStrength(pass string) error {
	if utf8.RuneCountInString(pass) < MinPassphrase {
		return review.Errorf(review.EINVALID, "口令至少 %d 个字符：它同时保护您的签名密钥。", MinPassphrase)
	}
	return nil
}

// HashPassphrase returns pass hashed with argon2id in the encoded form
// $argon2id$v=19$m=65536,t=3,p=2$SALT$HASH (unpadded base64), as the
// reference implementation writes it. random supplies the salt; nil means
// crypto/rand.
func HashPassphrase(pass string, params PassParams, random io.Reader) (string, error) {
	if random == nil {
		random = rand.Reader
	}
	salt := make([]byte, saltLen)
	if _, err := io.ReadFull(random, salt); err != nil {
		return "", fmt.Errorf("passphrase salt: %w", err)
	}
	sum := argon2.IDKey([]byte(pass), salt, params.Time, params.Memory, params.Threads, hashLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		params.Memory, params.Time, params.Threads, b64.EncodeToString(salt), b64.EncodeToString(sum)), nil
}

// CheckPassphrase reports whether pass matches encoded, comparing in
// constant time. A mismatch is EFORBIDDEN; an unreadable hash is
// EINTERNAL, since only the program writes it.
func CheckPassphrase(encoded, pass string) error {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return review.Errorf(review.EINTERNAL, "口令记录格式不正确。")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return review.Errorf(review.EINTERNAL, "口令记录的版本不受支持。")
	}
	var p PassParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil || p.Time == 0 || p.Threads == 0 {
		return review.Errorf(review.EINTERNAL, "口令记录的参数不正确。")
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return review.Errorf(review.EINTERNAL, "口令记录的编码不正确。")
	}
	got := argon2.IDKey([]byte(pass), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return review.Errorf(review.EFORBIDDEN, "口令不正确。")
	}
	return nil
}
