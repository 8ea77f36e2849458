package assets

import "embed"

// Samples holds the fictional drafts of the sample workspace (samples/*.txt,
// *.md), so `make run` shows a working office in a clone that lacks the
// shared corpus. They are written for Qianfa: the ministry (国家应急保障部),
// people and numbers in them are invented, and the ID, phone and bank-card
// numbers carry valid check digits so that screening has something to find.
//
//go:embed samples
var Samples embed.FS
