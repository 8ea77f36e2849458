package calendar_test

import (
	"io"
	"strings"
)

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

func cutSuffix(s, suffix string) (string, bool) { return strings.CutSuffix(s, suffix) }
