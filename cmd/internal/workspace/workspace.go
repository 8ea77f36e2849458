// Package workspace says where the workspace file lives, so that the app and
// the CLI open the same one by default.
package workspace

import (
	"os"
	"path/filepath"
)

// DefaultPath is $QIANFA_DB if set, else workspace.db in the XDG data
// directory ($XDG_DATA_HOME/qianfa, or ~/.local/share/qianfa).
func DefaultPath() string {
	if p := os.Getenv("QIANFA_DB"); p != "" {
		return p
	}
	dir := os.Getenv("XDG_DATA_HOME")
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			home = "."
		}
		dir = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(dir, "qianfa", "workspace.db")
}
