package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCLI_ExportVerifyPublishWalk(t *testing.T) {
	w := newWalk(t)
	id := w.importDoc("clerk", "行政规范性文件", "某某奖励办法")
	pdf := writeFile(t, w.dir, "附件1.pdf", strings.Repeat("%PDF 附件内容 ", 1000))
	if out := w.ok("clerk", "attach", id, pdf); !strings.Contains(out, "附件1.pdf") {
		t.Errorf("attach said %q", out)
	}
	out := filepath.Join(w.dir, "out")
	w.refused("只有已签发的文件可以导出", "clerk", "export", id, "--out", out)
	if _, err := os.Stat(out); err == nil {
		if ents, _ := os.ReadDir(out); len(ents) > 0 {
			t.Fatal("a refused export wrote files")
		}
	}
	w.ok("clerk", "review", "submit", id)
	w.ok("conf", "review", "approve", id, "--stage", "confidentiality")
	w.ok("legal", "review", "approve", id, "--stage", "legality", "--checklist", w.checklist(0))
	w.ok("boss", "review", "approve", id, "--stage", "signoff")
	w.refused("不是经办人", "conf", "export", id, "--out", out)

	r := w.run("clerk", "export", id, "--out", out)
	if r.code != 0 {
		t.Fatalf("export: %d %s", r.code, r.stderr)
	}
	pkg := strings.TrimSpace(r.stdout)
	if filepath.Dir(pkg) != out || !strings.HasSuffix(pkg, ".zip") || !strings.Contains(r.stderr, "SHA-256 指纹") {
		t.Fatalf("export printed %q / %q", r.stdout, r.stderr)
	}
	fp := strings.TrimSpace(strings.SplitN(r.stderr, "：", 2)[1])

	signers := writeFile(t, w.dir, "allowed_signers", w.ok("admin", "keys", "allowed-signers"))
	cases := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"against the package's own signers", []string{"verify", pkg}, 0, "✓ 签名"},
		{"against the office's signers, signer and fingerprint", []string{"verify", pkg, "--allowed-signers", signers, "--signer", "clerk", "--sha256", fp}, 0, "签名人身份已核验"},
		{"by the wrong signer", []string{"verify", pkg, "--allowed-signers", signers, "--signer", "boss"}, 1, "✗ 签名"},
		// A given office file that lists nobody must not fall back to the
		// package's own allowed_signers, which a forger controls.
		{"against an office file listing nobody", []string{"verify", pkg, "--allowed-signers", writeFile(t, w.dir, "empty_signers", "# nobody yet\n")}, 1, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, w.db, "", c.args...)
			if r.code != c.code || !strings.Contains(r.stdout, c.want) || (c.want == "" && !strings.Contains(r.stderr, "没有任何签名人")) {
				t.Fatalf("exit %d, want %d with %q:\n%s%s", r.code, c.code, c.want, r.stdout, r.stderr)
			}
			if c.code == 0 && strings.Contains(r.stdout, "✗") {
				t.Errorf("a check failed:\n%s", r.stdout)
			}
		})
	}
	for _, line := range strings.Split(strings.TrimSpace(runCLI(t, w.db, "", "verify", pkg).stdout), "\n") {
		if !strings.HasPrefix(line, "✓") && !strings.HasPrefix(line, "结论") {
			t.Errorf("verify line does not say what holds: %q", line)
		}
	}

	w.ok("clerk", "publish", id, "--date", "2026-03-05", "--url", "https://www.example.gov.cn/zwgk/1.html")
	if list := w.ok("", "list", "--status", "已发布"); !strings.Contains(list, "某某奖励办法") {
		t.Errorf("published list:\n%s", list)
	}

	tampered := filepath.Join(w.dir, "tampered.zip")
	data, _ := os.ReadFile(pkg)
	data[len(data)/3] ^= 0x20
	if err := os.WriteFile(tampered, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if r := runCLI(t, w.db, "", "verify", tampered); r.code != 1 || !strings.Contains(r.stdout, "✗") || !strings.Contains(r.stdout, "未通过核验") {
		t.Fatalf("verify of a tampered package: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}
