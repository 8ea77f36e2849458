package screen

import "strings"

// scanEmails finds e-mail addresses. Every address has an “@”, which
// strings.IndexByte finds with vector instructions, so the cost on a
// Chinese text without addresses is close to nothing.
func scanEmails(text string, hits []hit) []hit {
	floor := 0
	for from := 0; from < len(text); {
		i := strings.IndexByte(text[from:], '@')
		if i < 0 {
			break
		}
		at := from + i
		from = at + 1
		bs := at
		for bs > floor && isLocalByte(text[bs-1]) {
			bs--
		}
		for bs < at && text[bs] == '.' {
			bs++
		}
		if bs == at {
			continue
		}
		be := at + 1
		for be < len(text) && isDomainByte(text[be]) {
			be++
		}
		for be > at+1 && (text[be-1] == '.' || text[be-1] == '-') {
			be--
		}
		if !validDomain(text[at+1 : be]) {
			continue
		}
		hits = append(hits, hit{kind: KindEmail, bs: bs, be: be})
		floor, from = be, be
	}
	return hits
}

func isLocalByte(b byte) bool {
	return isASCIIAlnum(b) || strings.IndexByte("._%+-", b) >= 0
}

func isDomainByte(b byte) bool { return isASCIIAlnum(b) || b == '.' || b == '-' }

// validDomain wants at least two non-empty labels and a final label of two
// or more letters, which rules out “a@b” and version strings.
func validDomain(d string) bool {
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" || l[0] == '-' {
			return false
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := range len(tld) {
		if (tld[i]|0x20)-'a' >= 26 {
			return false
		}
	}
	return true
}
