// Package compare is Qianfa's revision comparison engine: it parses the
// structure of Chinese legal texts (编/章/节/条/款/项), aligns the articles of
// two versions by content rather than by number, labels every pair
// (未修改 / 修改 / 仅序号变化 / 移动 / 新增 / 删除 / 拆分 / 合并) and produces the
// 修改对照表 with character-level, phrase-cleaned highlights.
//
// Entry points:
//
//   - Compare builds the article-aware Result (the 对照表); Result.Write
//     exports it as text, HTML, CSV or JSON.
//   - DiffText diffs two whole texts line-then-character for the
//     side-by-side and inline views; Apply replays its edits on the old text.
//   - Parse and ParseNumeral expose the structure parser.
//
// go-diff is always run with DiffTimeout 0 (its timeout silently turns the
// result into "delete all, insert all"), and large texts are first diffed by
// line, article or sentence so that the character diff only sees small
// changed blocks. The rare block still too large for a character diff is
// reported as a whole replacement and flagged in Result.Coarse and
// Warnings, never silently. Invalid UTF-8 is replaced by U+FFFD before
// anything else, with a warning, so no input can make the engine panic.
//
// The package uses only the standard library and go-diff; it knows nothing
// of screens or storage.
package compare
