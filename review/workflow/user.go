package workflow

import (
	"io"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"

	"qianfa/review"
	"qianfa/review/sshsig"
)

// Random is the entropy for salts and keys; nil means crypto/rand. Tests
// leave it alone: nothing here needs to be reproducible.
var Random io.Reader

// NewUser makes a user with roles, their passphrase hash and their first
// signing key (valid from now), ready for Store.CreateUserWithKey. The
// passphrase both logs in and unlocks the key.
func NewUser(name, display string, roles []review.Role, passphrase string, now time.Time) (*review.User, *review.Key, error) {
	u := &review.User{Name: name, DisplayName: strings.TrimSpace(display), Roles: dedupRoles(roles), CreatedAt: now.UTC()}
	if err := u.Validate(); err != nil {
		return nil, nil, err
	}
	if err := CheckPassphraseStrength(passphrase); err != nil {
		return nil, nil, err
	}
	h, err := HashPassphrase(passphrase, DefaultPassParams, Random)
	if err != nil {
		return nil, nil, err
	}
	u.PassHash = h
	k, err := newKey(name, passphrase, now)
	if err != nil {
		return nil, nil, err
	}
	return u, k, nil
}

// NewKey makes a new signing key for u, encrypted with passphrase, which
// must be u's: one passphrase logs in and unlocks the key, so a key under
// another one could never be used. Store.AddKey closes the old key's
// validity at the new one's ValidFrom.
func NewKey(u *review.User, passphrase string, now time.Time) (*review.Key, error) {
	if err := CheckPassphrase(u.PassHash, passphrase); err != nil {
		return nil, err
	}
	return newKey(u.Name, passphrase, now)
}

func newKey(name, passphrase string, now time.Time) (*review.Key, error) {
	comment := name + "@qianfa"
	priv, pub, err := sshsig.NewKey(comment, []byte(passphrase), Random)
	if err != nil {
		return nil, err
	}
	pk, _, err := sshsig.ParsePublicKey(pub)
	if err != nil {
		return nil, err
	}
	return &review.Key{User: name, PublicKey: strings.TrimSpace(string(pub)), Fingerprint: sshsig.Fingerprint(pk),
		PrivateKey: priv, ValidFrom: now.UTC()}, nil
}

// Unlock checks passphrase against u's hash and decrypts key with it,
// returning the signer a decision is signed with. A wrong passphrase is
// EFORBIDDEN.
func Unlock(u *review.User, key *review.Key, passphrase string) (ssh.Signer, error) {
	if err := CheckPassphrase(u.PassHash, passphrase); err != nil {
		return nil, err
	}
	return sshsig.LoadSigner(key.PrivateKey, []byte(passphrase))
}

// CurrentKey returns the key of keys valid at t, the one to sign with;
// ENOTFOUND when there is none.
func CurrentKey(keys []review.Key, user string, t time.Time) (*review.Key, error) {
	for i := len(keys) - 1; i >= 0; i-- {
		if keys[i].User == user && keys[i].ValidAt(t) {
			return &keys[i], nil
		}
	}
	return nil, review.Errorf(review.ENOTFOUND, "“%s”没有有效的签名密钥，请先生成新密钥。", user)
}

func dedupRoles(rs []review.Role) []review.Role {
	var out []review.Role
	seen := map[review.Role]bool{}
	for _, r := range rs {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}
