// Package sshsig holds users' signing keys and the SSH signatures they make.
//
// Keys are Ed25519 in OpenSSH's own formats (private key encrypted with the
// user's passphrase, public key as an authorized_keys line) and signatures
// follow OpenSSH's PROTOCOL.sshsig, so that anyone outside the office can
// check a package or a decision with the stock `ssh-keygen -Y verify` and an
// allowed_signers file: the website team needs no Qianfa to trust a file.
package sshsig

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/crypto/ssh"

	"qianfa/review"
)

// NewKey generates an Ed25519 key pair. It returns the private key in the
// OpenSSH format, encrypted with passphrase (bcrypt KDF, aes256-ctr, as
// ssh-keygen writes it), and the public key as an authorized_keys line
// ending in comment. The private key never exists unencrypted outside
// memory, so a copy of the database file yields no usable key. random is
// the entropy source; nil means crypto/rand.
func NewKey(comment string, passphrase []byte, random io.Reader) (privatePEM, authorizedKey []byte, err error) {
	if len(passphrase) == 0 {
		return nil, nil, review.Errorf(review.EINVALID, "口令不能为空：私钥必须用口令加密保存。")
	}
	if random == nil {
		random = rand.Reader
	}
	pub, priv, err := ed25519.GenerateKey(random)
	if err != nil {
		return nil, nil, fmt.Errorf("generate ed25519 key: %w", err)
	}
	block, err := ssh.MarshalPrivateKeyWithPassphrase(priv, comment, passphrase)
	if err != nil {
		return nil, nil, fmt.Errorf("marshal private key: %w", err)
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil, nil, fmt.Errorf("public key: %w", err)
	}
	return pem.EncodeToMemory(block), MarshalPublicKey(sshPub, comment), nil
}

// LoadSigner decrypts an OpenSSH private key with the user's passphrase. A
// wrong passphrase is an EFORBIDDEN domain error, because it is the moment a
// user proves they are who decides.
func LoadSigner(privatePEM, passphrase []byte) (ssh.Signer, error) {
	raw, err := ssh.ParseRawPrivateKeyWithPassphrase(privatePEM, passphrase)
	if errors.Is(err, x509.IncorrectPasswordError) {
		return nil, review.WrapError(review.EFORBIDDEN, err, "口令不正确，无法解锁签名密钥。")
	}
	if err != nil {
		return nil, review.WrapError(review.EINVALID, err, "签名密钥文件无法读取或未加密。")
	}
	signer, err := ssh.NewSignerFromKey(raw)
	if err != nil {
		return nil, review.WrapError(review.EINVALID, err, "不支持的签名密钥类型。")
	}
	return signer, nil
}

// ParsePublicKey reads a public key from an authorized_keys line (as
// NewKey returns and `ssh-keygen -y` prints) and returns it with its
// comment.
func ParsePublicKey(authorizedKey []byte) (ssh.PublicKey, string, error) {
	key, comment, _, _, err := ssh.ParseAuthorizedKey(authorizedKey)
	if err != nil {
		return nil, "", review.WrapError(review.EINVALID, err, "公钥格式不正确。")
	}
	return key, comment, nil
}

// MarshalPublicKey returns key as a one-line authorized_keys entry with an
// optional comment, newline-terminated.
func MarshalPublicKey(key ssh.PublicKey, comment string) []byte {
	line := bytes.TrimRight(ssh.MarshalAuthorizedKey(key), "\n")
	// A line break in the comment would start a new, bogus line in an
	// allowed_signers or authorized_keys file.
	comment = strings.Join(strings.Fields(comment), " ")
	if comment != "" {
		line = append(line, ' ')
		line = append(line, comment...)
	}
	return append(line, '\n')
}

// Fingerprint returns the key's SHA256 fingerprint as ssh-keygen prints it
// ("SHA256:..."), short enough to read out over the phone.
func Fingerprint(key ssh.PublicKey) string {
	return ssh.FingerprintSHA256(key)
}
