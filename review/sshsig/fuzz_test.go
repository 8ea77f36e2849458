package sshsig

import (
	"testing"
	"time"
)

// Both parsers read files that crossed from another network.

func FuzzParseSignature(f *testing.F) {
	f.Add([]byte(armorBegin + "\nU1NIU0lHAAAAAQ==\n" + armorEnd + "\n"))
	f.Add([]byte("-----BEGIN SSH SIGNATURE-----\nU1NIU0lHAAAAAQAAADMAAAALc3NoLWVkMjU1MTkAAAAgb9IwqS/LZ70bHCgxKq6gt0fZvT\nc+wP1Yc+H/mvZf8rgAAAACbnMAAAAAAAAABnNoYTUxMgAAAFMAAAALc3NoLWVkMjU1MTkA\nAABAt8uXLfzdWXi5rJiEnqQEDgjVPhNPa8XYatyQECqLJP/VjbQdhXC+N/Kyamoey3I1VA\nl1k/+AXImc+rID8U7qBA==\n-----END SSH SIGNATURE-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sig, err := ParseSignature(data)
		if err == nil {
			_ = sig.Check([]byte("hello\n"), sig.Namespace)
		}
	})
}

func FuzzParseAllowedSigners(f *testing.F) {
	f.Add([]byte(`zhangsan,"lisi" namespaces="qianfa-package",valid-after="20260101000000Z" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/SMKkvy2e9GxwoMSquoLdH2b03PsD9WHPh/5r2X/K4 经办人` + "\n# c\n"))
	f.Add([]byte(`"a b" cert-authority,valid-before="20270101" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG/SMKkvy2e9GxwoMSquoLdH2b03PsD9WHPh/5r2X/K4`))
	f.Fuzz(func(t *testing.T, data []byte) {
		as, err := ParseAllowedSigners(data)
		if err != nil {
			return
		}
		for _, s := range as {
			_, _ = as.Authorize(s.Key, "zhangsan", "qianfa-package", time.Unix(0, 0))
		}
		// What we read and can write again must read back the same.
		out, err := as.Marshal()
		if err != nil {
			return
		}
		again, err := ParseAllowedSigners(out)
		if err != nil || len(again) != len(as) {
			t.Fatalf("re-read of %q: %v", out, err)
		}
	})
}
