package sshsig

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/crypto/ssh"

	"qianfa/review"
)

// AllowedSigner is one line of an allowed_signers file (ssh-keygen(1),
// "ALLOWED SIGNERS"): which principals may sign with a key, for which
// namespaces, and when. Validity bounds let a rotated-out key keep vouching
// for what it signed while it was current.
type AllowedSigner struct {
	Principals    []string  // patterns as OpenSSH reads them: * and ? wildcards, ! negation
	Namespaces    []string  // empty: any namespace
	ValidAfter    time.Time // zero: no lower bound
	ValidBefore   time.Time // zero: no upper bound
	CertAuthority bool      // the key signs certificates; such lines never vouch for a plain key
	Key           ssh.PublicKey
	Comment       string
}

// AllowedSigners is a whole allowed_signers file, in file order.
type AllowedSigners []AllowedSigner

// timeLayout is how we write validity bounds: always UTC with the Z suffix,
// which OpenSSH reads as UTC (since 8.9; checked against 9.2). Without the
// Z it would read the time in the verifier's local zone, and a package
// checked in another zone would move its keys' validity by hours.
const timeLayout = "20060102150405Z"

// ParseAllowedSigners reads an allowed_signers file. Blank lines and lines
// starting with # are skipped. A line we cannot read is an error naming its
// number, rather than being skipped: silently dropping a line of a trust
// file would make verification depend on what we failed to understand.
//
// The result is never nil, even for a file with no signer: pack.Options
// reads nil as "none given, use the package's own", and an empty office
// file must refuse every key rather than fall back to the keys a forger
// ships in the package.
func ParseAllowedSigners(data []byte) (AllowedSigners, error) {
	out := AllowedSigners{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		s, err := parseLine(line)
		if err != nil {
			return nil, review.WrapError(review.EINVALID, err, "allowed_signers 第 %d 行格式不正确。", i+1)
		}
		out = append(out, s)
	}
	return out, nil
}

func parseLine(line string) (AllowedSigner, error) {
	var s AllowedSigner
	var principals string
	if line[0] == '"' {
		end := strings.IndexByte(line[1:], '"')
		if end < 0 {
			return s, errors.New("unterminated quoted principals")
		}
		principals, line = line[1:end+1], line[end+2:]
	} else {
		end := strings.IndexFunc(line, unicode.IsSpace)
		if end < 0 {
			return s, errors.New("missing key")
		}
		principals, line = line[:end], line[end:]
	}
	if principals == "" {
		return s, errors.New("empty principals")
	}
	s.Principals = strings.Split(principals, ",")

	key, comment, options, rest, err := ssh.ParseAuthorizedKey([]byte(strings.TrimSpace(line)))
	if err != nil {
		return s, err
	}
	if len(bytes.TrimSpace(rest)) != 0 {
		return s, errors.New("trailing data")
	}
	s.Key, s.Comment = key, comment
	seen := map[string]bool{}
	for _, opt := range options {
		name, value, hasValue := strings.Cut(opt, "=")
		// OpenSSH refuses a line that repeats an option; taking the last
		// one instead would read a validity ssh-keygen never applies.
		if seen[strings.ToLower(name)] {
			return s, fmt.Errorf("option %s repeated", name)
		}
		seen[strings.ToLower(name)] = true
		if hasValue {
			value, err = unquote(value)
			if err != nil {
				return s, fmt.Errorf("option %s: %w", name, err)
			}
		}
		switch strings.ToLower(name) {
		case "cert-authority":
			s.CertAuthority = true
		case "namespaces":
			s.Namespaces = strings.Split(value, ",")
		case "valid-after":
			if s.ValidAfter, err = parseTime(value); err != nil {
				return s, err
			}
		case "valid-before":
			if s.ValidBefore, err = parseTime(value); err != nil {
				return s, err
			}
		default:
			// OpenSSH refuses unknown options too; ignoring one could widen trust.
			return s, fmt.Errorf("unknown option %q", name)
		}
	}
	if !s.ValidAfter.IsZero() && !s.ValidBefore.IsZero() && !s.ValidBefore.After(s.ValidAfter) {
		return s, errors.New("valid-before is not after valid-after")
	}
	return s, nil
}

func unquote(v string) (string, error) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' {
		return "", errors.New("value must be quoted")
	}
	return strings.ReplaceAll(v[1:len(v)-1], `\"`, `"`), nil
}

// parseTime reads YYYYMMDD[HHMM[SS]][Z] as OpenSSH does: UTC with the Z,
// the local zone without it.
func parseTime(v string) (time.Time, error) {
	loc := time.Local
	if strings.HasSuffix(v, "Z") || strings.HasSuffix(v, "z") {
		v, loc = v[:len(v)-1], time.UTC
	}
	var layout string
	switch len(v) {
	case 8:
		layout = "20060102"
	case 12:
		layout = "200601021504"
	case 14:
		layout = "20060102150405"
	default:
		return time.Time{}, fmt.Errorf("bad time %q", v)
	}
	return time.ParseInLocation(layout, v, loc)
}

// Marshal writes the file in ssh-keygen's format, one line per signer.
// Times are written in UTC with the Z suffix.
func (a AllowedSigners) Marshal() ([]byte, error) {
	var b bytes.Buffer
	for i, s := range a {
		if err := s.validate(); err != nil {
			return nil, review.WrapError(review.EINVALID, err, "第 %d 个签名人无法写入 allowed_signers。", i+1)
		}
		b.WriteString(strings.Join(s.Principals, ","))
		var opts []string
		if s.CertAuthority {
			opts = append(opts, "cert-authority")
		}
		if len(s.Namespaces) > 0 {
			opts = append(opts, `namespaces="`+strings.Join(s.Namespaces, ",")+`"`)
		}
		if !s.ValidAfter.IsZero() {
			opts = append(opts, `valid-after="`+s.ValidAfter.UTC().Format(timeLayout)+`"`)
		}
		if !s.ValidBefore.IsZero() {
			opts = append(opts, `valid-before="`+s.ValidBefore.UTC().Format(timeLayout)+`"`)
		}
		if len(opts) > 0 {
			b.WriteByte(' ')
			b.WriteString(strings.Join(opts, ","))
		}
		b.WriteByte(' ')
		b.Write(MarshalPublicKey(s.Key, s.Comment))
	}
	return b.Bytes(), nil
}

// validate refuses what would not read back the same: whitespace, quotes or
// commas inside a principal or namespace, a line break in a comment, and
// times that lose precision (OpenSSH reads whole seconds).
func (s AllowedSigner) validate() error {
	if s.Key == nil {
		return errors.New("no key")
	}
	if len(s.Principals) == 0 {
		return errors.New("no principal")
	}
	for _, list := range [][]string{s.Principals, s.Namespaces} {
		for _, p := range list {
			if p == "" || strings.ContainsAny(p, ",\"\\") || strings.IndexFunc(p, unicode.IsSpace) >= 0 || strings.IndexFunc(p, unicode.IsControl) >= 0 {
				return fmt.Errorf("bad principal or namespace %q", p)
			}
		}
	}
	if strings.ContainsAny(s.Comment, "\r\n") {
		return errors.New("line break in comment")
	}
	for _, t := range []time.Time{s.ValidAfter, s.ValidBefore} {
		if !t.IsZero() && (t.Nanosecond() != 0 || t.Year() < 1970 || t.Year() > 9999) {
			return fmt.Errorf("time %v not representable", t)
		}
	}
	return nil
}

// Authorize reports which line vouches for key signing as principal (any
// principal if empty) in namespace at time at. Like OpenSSH it keeps
// looking past a line whose options refuse, so a key listed twice (say,
// before and after a rotation) is accepted if either line allows it. The
// error names the nearest reason for refusal.
func (a AllowedSigners) Authorize(key ssh.PublicKey, principal, namespace string, at time.Time) (*AllowedSigner, error) {
	want := key.Marshal()
	var reason error
	for i := range a {
		s := &a[i]
		if s.CertAuthority || !bytes.Equal(s.Key.Marshal(), want) {
			continue
		}
		switch {
		case principal != "" && !matchList(principal, s.Principals):
			if reason == nil {
				reason = review.Errorf(review.EFORBIDDEN, "签名密钥 %s 不属于签名人“%s”。", Fingerprint(key), principal)
			}
		case len(s.Namespaces) > 0 && !matchList(namespace, s.Namespaces):
			reason = review.Errorf(review.EFORBIDDEN, "签名密钥 %s 未被允许用于“%s”。", Fingerprint(key), namespace)
		case !s.ValidAfter.IsZero() && at.Before(s.ValidAfter):
			reason = review.Errorf(review.EFORBIDDEN, "签名密钥 %s 在 %s 尚未生效（生效时间 %s）。",
				Fingerprint(key), at.UTC().Format(time.RFC3339), s.ValidAfter.UTC().Format(time.RFC3339))
		case !s.ValidBefore.IsZero() && at.After(s.ValidBefore):
			reason = review.Errorf(review.EFORBIDDEN, "签名密钥 %s 在 %s 已经失效（失效时间 %s）。",
				Fingerprint(key), at.UTC().Format(time.RFC3339), s.ValidBefore.UTC().Format(time.RFC3339))
		default:
			return s, nil
		}
	}
	if reason == nil {
		reason = review.Errorf(review.EFORBIDDEN, "签名密钥 %s 不在 allowed_signers 所列的可信密钥中。", Fingerprint(key))
	}
	return nil, reason
}

// matchList applies OpenSSH's pattern-list rule: a matching negated pattern
// refuses outright, otherwise any matching pattern accepts.
func matchList(s string, patterns []string) bool {
	matched := false
	for _, p := range patterns {
		if neg, ok := strings.CutPrefix(p, "!"); ok {
			if wildcard(s, neg) {
				return false
			}
			continue
		}
		if wildcard(s, p) {
			matched = true
		}
	}
	return matched
}

// wildcard matches s against a pattern of * (any run) and ? (one
// character), byte-wise as OpenSSH does.
func wildcard(s, p string) bool {
	// Iterative match with one backtrack point: linear enough for
	// the short names in a trust file, and no recursion to exhaust.
	si, pi, star, mark := 0, 0, -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			si++
			pi++
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			si = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}
