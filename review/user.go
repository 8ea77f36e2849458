package review

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Role is a duty a user may hold. A person may hold several, but never
// reviews what they wrote nor performs two stages on one revision.
type Role string

// The roles (DESIGN.md, "Who uses it").
const (
	RoleClerk           Role = "经办人"
	RoleConfidentiality Role = "保密审查员"
	RoleLegal           Role = "法制审核员"
	RoleSignoff         Role = "签发人"
	RoleAdmin           Role = "管理员"
)

// Roles lists every role.
var Roles = []Role{RoleClerk, RoleConfidentiality, RoleLegal, RoleSignoff, RoleAdmin}

var roleWords = map[string]Role{
	"clerk": RoleClerk, "confidentiality": RoleConfidentiality, "legal": RoleLegal,
	"signoff": RoleSignoff, "admin": RoleAdmin,
}

// ParseRole accepts a role's Chinese name or its English word (clerk,
// confidentiality, legal, signoff, admin), for scripts.
func ParseRole(s string) (Role, error) {
	s = strings.TrimSpace(s)
	for _, r := range Roles {
		if s == string(r) {
			return r, nil
		}
	}
	if r, ok := roleWords[strings.ToLower(s)]; ok {
		return r, nil
	}
	return "", Errorf(EINVALID, "角色“%s”无效，可选：经办人、保密审查员、法制审核员、签发人、管理员（或 clerk、confidentiality、legal、signoff、admin）。", s)
}

// User is a person who works in Qianfa.
type User struct {
	Name        string    `json:"name"` // login name, unique
	DisplayName string    `json:"display_name"`
	Roles       []Role    `json:"roles"`
	PassHash    string    `json:"-"` // argon2id, encoded; never shown
	Disabled    bool      `json:"disabled,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Has reports whether u holds role r.
func (u *User) Has(r Role) bool {
	if u == nil || u.Disabled {
		return false
	}
	for _, x := range u.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// Label is how the UI names the user: display name, else login name.
func (u *User) Label() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Name
}

// Validate checks a user record before it is stored. The login name is
// the principal of the user's keys in the office's allowed_signers, where
// *, ? and a leading ! are patterns: a user named "*" would vouch for
// everyone's signatures, so those characters are refused too.
func (u *User) Validate() error {
	n := strings.TrimSpace(u.Name)
	if n == "" || n != u.Name || strings.ContainsAny(n, " \t\n,\"'*?!\\") || utf8.RuneCountInString(n) > 32 {
		return Errorf(EINVALID, "用户名“%s”无效：不能为空，不含空格、逗号、引号、反斜杠或 * ? ! 等通配符号，最多 32 字。", u.Name)
	}
	if len(u.Roles) == 0 {
		return Errorf(EINVALID, "用户“%s”至少要有一个角色。", u.Name)
	}
	return nil
}

// Key is one of a user's signing keys. Keys rotate; old ones stay so that
// old decisions remain verifiable within their validity.
type Key struct {
	ID          int64     `json:"id"`
	User        string    `json:"user"`
	PublicKey   string    `json:"public_key"`  // authorized_keys line
	Fingerprint string    `json:"fingerprint"` // SHA256:... as ssh-keygen prints it
	PrivateKey  []byte    `json:"-"`           // OpenSSH format, encrypted with the user's passphrase
	ValidFrom   time.Time `json:"valid_from"`
	ValidTo     time.Time `json:"valid_to,omitzero"` // zero while the key is current
}

// ValidAt reports whether the key was in force at t.
func (k *Key) ValidAt(t time.Time) bool {
	return !t.Before(k.ValidFrom) && (k.ValidTo.IsZero() || t.Before(k.ValidTo))
}
