package review

import (
	"testing"
	"time"
)

func TestMetadata_ValidateRejectsBadInput(t *testing.T) {
	ok := Metadata{Title: "关于做好2025年政务公开工作的通知", Kind: KindNotice, Disclosure: DisclosureActive, DocNumber: "应急〔2025〕12号", WrittenOn: "2025-03-04"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid metadata refused: %v", err)
	}
	tests := []struct {
		name string
		edit func(*Metadata)
	}{
		{"empty title", func(m *Metadata) { m.Title = " " }},
		{"unknown kind", func(m *Metadata) { m.Kind = "公函" }},
		{"round brackets in doc number", func(m *Metadata) { m.DocNumber = "应急(2025)12号" }},
		{"two-digit year", func(m *Metadata) { m.DocNumber = "应急〔25〕12号" }},
		{"leading zero", func(m *Metadata) { m.DocNumber = "应急〔2025〕012号" }},
		{"bad date", func(m *Metadata) { m.WrittenOn = "2025-02-30" }},
		{"withheld without ground", func(m *Metadata) { m.Disclosure = DisclosureNone }},
		{"unknown disclosure", func(m *Metadata) { m.Disclosure = "公开" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := ok
			tt.edit(&m)
			err := m.Validate()
			if ErrorCode(err) != EINVALID || ErrorMessage(err) == "" {
				t.Fatalf("want EINVALID with a message, got %v", err)
			}
		})
	}
}

func TestRevisionHash_CoversTextAndMetadata(t *testing.T) {
	m := Metadata{Title: "标题", Kind: KindOther, Disclosure: DisclosureActive}
	h := RevisionHash(m, "正文")
	if len(h) != 64 || h != RevisionHash(m, "正文") {
		t.Fatalf("hash not stable: %s", h)
	}
	m2 := m
	m2.Title = "标题二"
	if RevisionHash(m2, "正文") == h || RevisionHash(m, "正文。") == h {
		t.Fatal("hash does not change with content")
	}
}

func TestFormatIndexNo(t *testing.T) {
	got, err := FormatIndexNo("{org}/{year}-{seq:5}", "000014349", 2018, 216)
	if err != nil || got != "000014349/2018-00216" {
		t.Fatalf("got %q, %v", got, err)
	}
	if _, err := FormatIndexNo("{org}/{year}", "x", 2018, 1); ErrorCode(err) != EINVALID {
		t.Fatalf("pattern without seq accepted: %v", err)
	}
	for _, p := range []string{"{org}-{seqq}", "{org}-{seq}", "{year}-{seq}"} {
		if _, err := FormatIndexNo(p, "x", 2018, 1); ErrorCode(err) != EINVALID {
			t.Errorf("pattern %s accepted: %v", p, err)
		}
	}
	for _, s := range []Settings{{OrgCode: "", IndexPattern: DefaultSettings.IndexPattern}, {OrgCode: "机构", IndexPattern: DefaultSettings.IndexPattern},
		{OrgCode: "000014349", OrgName: "一\n二", IndexPattern: DefaultSettings.IndexPattern}} {
		if ErrorCode(s.Validate()) != EINVALID {
			t.Errorf("settings %+v accepted", s)
		}
	}
	if err := DefaultSettings.Validate(); err != nil {
		t.Errorf("default settings refused: %v", err)
	}
}

func TestVerifyChain_FindsTheFirstAlteredEntry(t *testing.T) {
	var entries []AuditEntry
	prev := GenesisHash
	for i := 1; i <= 5; i++ {
		e := AuditEntry{Seq: int64(i), At: time.Date(2026, 1, i, 9, 0, 0, 0, time.UTC), Actor: "zhang", Action: ActionCreate, DocumentID: int64(i), Detail: "导入", PrevHash: prev}
		e.Hash = e.ComputeHash()
		prev = e.Hash
		entries = append(entries, e)
	}
	if b := VerifyChain(entries, GenesisHash, 0); b != nil {
		t.Fatalf("intact chain reported broken: %+v", b)
	}
	entries[2].Detail = "改过"
	if b := VerifyChain(entries, GenesisHash, 0); b == nil || b.Seq != 3 {
		t.Fatalf("want break at 3, got %+v", b)
	}
	entries[2].Hash = entries[2].ComputeHash() // a forger rehashes the entry...
	if b := VerifyChain(entries, GenesisHash, 0); b == nil || b.Seq != 4 {
		t.Fatalf("...then the next entry must break: got %+v", b)
	}
	if b := VerifyChain(append(entries[:1:1], entries[2:]...), GenesisHash, 0); b == nil || b.Seq != 3 {
		t.Fatalf("deleted entry not found: %+v", b)
	}
}

func TestSnippet_MarksEveryOccurrence(t *testing.T) {
	s, spans := Snippet("第一条 为了规范政府信息公开工作，保障公民获取政府信息。", "政府信息", 40)
	if len(spans) != 2 {
		t.Fatalf("want 2 matches, got %v in %q", spans, s)
	}
	r := []rune(s)
	for _, sp := range spans {
		if string(r[sp.Start:sp.End]) != "政府信息" {
			t.Fatalf("span %v marks %q", sp, string(r[sp.Start:sp.End]))
		}
	}
}

func TestParseRole_AcceptsChineseAndEnglish(t *testing.T) {
	for in, want := range map[string]Role{"签发人": RoleSignoff, "legal": RoleLegal, "Admin": RoleAdmin} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	if _, err := ParseRole("boss"); ErrorCode(err) != EINVALID {
		t.Errorf("unknown role accepted")
	}
}

func TestUser_ValidateRefusesNamesThatAreSignerPatterns(t *testing.T) {
	for _, name := range []string{"*", "zhang*", "li?", "!boss", "a,b", "a b", "", `back\slash`} {
		u := User{Name: name, Roles: []Role{RoleClerk}}
		if err := u.Validate(); ErrorCode(err) != EINVALID {
			t.Errorf("user name %q accepted", name)
		}
	}
	if err := (&User{Name: "zhangwei", Roles: []Role{RoleClerk}}).Validate(); err != nil {
		t.Errorf("plain name refused: %v", err)
	}
}
