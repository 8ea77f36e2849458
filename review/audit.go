package review

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Action names what an audit entry records. Values are stable identifiers;
// Label gives the Chinese the UI shows.
type Action string

// The actions the audit log records.
const (
	ActionCreate     Action = "document.create"
	ActionRevise     Action = "document.revise"
	ActionSubmit     Action = "review.submit"
	ActionDecide     Action = "review.decide"
	ActionScreen     Action = "screen.decide"
	ActionRedact     Action = "screen.redact"
	ActionExport     Action = "package.export"
	ActionPublish    Action = "document.publish"
	ActionValidity   Action = "document.validity"
	ActionUser       Action = "user.change"
	ActionKey        Action = "user.key"
	ActionSettings   Action = "settings.change"
	ActionComment    Action = "comment.change"
	ActionBackup     Action = "workspace.backup"
	ActionLoginFails Action = "user.login_failed"
	ActionAttachment Action = "document.attachment"
	ActionLink       Action = "document.link"
)

var actionLabels = map[Action]string{
	ActionCreate: "导入/新建", ActionRevise: "修改（新修订版）", ActionSubmit: "提交审查",
	ActionDecide: "审查决定", ActionScreen: "保密筛查处理", ActionRedact: "遮盖处理",
	ActionExport: "导出发布包", ActionPublish: "登记发布", ActionValidity: "变更有效性",
	ActionUser: "用户变更", ActionKey: "签名密钥", ActionSettings: "设置变更",
	ActionComment: "征求意见", ActionBackup: "备份", ActionLoginFails: "登录失败",
	ActionAttachment: "附件", ActionLink: "关联文件",
}

// Label returns the action's Chinese name.
func (a Action) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// AuditEntry is one line of the append-only, hash-chained audit log. Hash
// covers every field and the previous entry's hash, so an entry changed
// behind the application's back breaks the chain from that entry on.
type AuditEntry struct {
	Seq        int64     `json:"seq"`
	At         time.Time `json:"at"`
	Actor      string    `json:"actor"`
	Action     Action    `json:"action"`
	DocumentID int64     `json:"document_id,omitempty"`
	Revision   int       `json:"revision,omitempty"`
	Detail     string    `json:"detail"` // what happened, in Chinese
	PrevHash   string    `json:"prev_hash"`
	Hash       string    `json:"hash"`
}

// GenesisHash is the PrevHash of the first entry.
const GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// ComputeHash returns the hash the entry must carry given its fields and
// PrevHash. Fields are length-prefixed so no two entries encode alike.
func (e *AuditEntry) ComputeHash() string {
	var b strings.Builder
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
		b.WriteByte('\n')
	}
	field("qianfa-audit-v1")
	field(strconv.FormatInt(e.Seq, 10))
	field(e.At.UTC().Format(time.RFC3339Nano))
	field(e.Actor)
	field(string(e.Action))
	field(strconv.FormatInt(e.DocumentID, 10))
	field(strconv.Itoa(e.Revision))
	field(e.Detail)
	field(e.PrevHash)
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// AuditBreak names the first entry where the chain does not hold.
type AuditBreak struct {
	Seq    int64
	Reason string // in Chinese
}

// VerifyChain checks entries given in Seq order, starting after prevHash
// (GenesisHash for the first entry), and returns the first break, or nil.
func VerifyChain(entries []AuditEntry, prevHash string, prevSeq int64) *AuditBreak {
	for _, e := range entries {
		switch {
		case e.Seq != prevSeq+1:
			return &AuditBreak{Seq: e.Seq, Reason: "序号不连续（有记录被删除或插入）"}
		case e.PrevHash != prevHash:
			return &AuditBreak{Seq: e.Seq, Reason: "前一条记录的哈希不符（前面的记录被改动）"}
		case e.ComputeHash() != e.Hash:
			return &AuditBreak{Seq: e.Seq, Reason: "记录内容与其哈希不符（本条记录被改动）"}
		}
		prevHash, prevSeq = e.Hash, e.Seq
	}
	return nil
}

// AuditFilter narrows an audit listing. Zero fields do not filter.
type AuditFilter struct {
	DocumentID int64
	Actor      string
	Limit      int
}
