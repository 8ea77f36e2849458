package publish

import (
	"context"
	"io"
	"strings"
	"time"

	"qianfa/review"
)

// Attachment is a file that goes out with a document (附件): a form, a
// table, a scanned annex. Its content lives in the store and is streamed
// into the package, so a 200 MB annex never sits in memory.
type Attachment struct {
	ID         int64     `json:"id"`
	DocumentID int64     `json:"document_id"`
	Name       string    `json:"name"` // file name as the package shows it, e.g. 附件1.pdf
	MediaType  string    `json:"media_type"`
	Size       int64     `json:"size"`
	SHA256     string    `json:"sha256"`
	AddedBy    string    `json:"added_by"`
	AddedAt    time.Time `json:"added_at"`
}

// Export records one package written to disk.
type Export struct {
	ID           int64     `json:"id"`
	DocumentID   int64     `json:"document_id"`
	Revision     int       `json:"revision"`
	RevisionHash string    `json:"revision_sha256"`
	Path         string    `json:"path"`
	SHA256       string    `json:"sha256"` // of the whole zip: the fingerprint read out over the phone
	Size         int64     `json:"size"`
	Actor        string    `json:"actor"`
	At           time.Time `json:"at"`
}

// ValidityChange is one change of a published document's 有效性.
type ValidityChange struct {
	DocumentID int64           `json:"document_id"`
	Validity   review.Validity `json:"validity"`
	Successor  int64           `json:"successor,omitempty"` // 已修订: the amending document
	Date       string          `json:"date,omitempty"`      // 已废止: YYYY-MM-DD
	Actor      string          `json:"actor"`
	At         time.Time       `json:"at"`
}

// Store keeps what publication adds to a workspace. Every write appends an
// audit entry in the same transaction, and implementations check the rules
// again inside it (CheckPublish, CheckAmend, CheckRepeal), since the
// document may have changed since the caller looked.
type Store interface {
	// AddAttachment stores a's metadata and content read from r, which
	// must yield a.Size bytes hashing to a.SHA256; it sets a.ID. Only a
	// document that may still be edited (草稿, 退回修改) takes attachments:
	// what was approved must be what goes out.
	AddAttachment(ctx context.Context, a *Attachment, r io.Reader, actor string) error
	// Attachments lists a document's attachments by name.
	Attachments(ctx context.Context, docID int64) ([]Attachment, error)
	// OpenAttachment streams an attachment's content.
	OpenAttachment(ctx context.Context, id int64) (io.ReadCloser, error)
	// RemoveAttachment deletes an attachment, under the same condition as
	// AddAttachment.
	RemoveAttachment(ctx context.Context, id int64, actor string) error
	// RecordExport records a written package; it sets e.ID.
	RecordExport(ctx context.Context, e *Export) error
	// Exports lists a document's exports, oldest first.
	Exports(ctx context.Context, docID int64) ([]Export, error)
	// RecordPublication moves an exported, 已签发 document to 已发布 with
	// its 发布日期 and URL.
	RecordPublication(ctx context.Context, docID int64, date, url, actor string) (*review.Document, error)
	// MarkAmended marks published document docID 已修订 by successor and
	// links both ways (successor.Supersedes, docID's SupersededBy).
	MarkAmended(ctx context.Context, docID, successor int64, actor string) error
	// MarkRepealed marks published document docID 已废止 on date.
	MarkRepealed(ctx context.Context, docID int64, date, actor string) error
	// ValidityChanges lists a document's validity changes, oldest first.
	ValidityChanges(ctx context.Context, docID int64) ([]ValidityChange, error)
	// LinkInterpretation records that interp, a 政策解读, interprets
	// document docID, so docID's package carries it.
	LinkInterpretation(ctx context.Context, interp, docID int64, actor string) error
	// Interpretations lists the documents that interpret docID, newest
	// first.
	Interpretations(ctx context.Context, docID int64) ([]review.Document, error)
}

// compressedExt are formats that are already compressed: deflating them
// again costs time and saves nothing, so they are stored as is.
var compressedExt = map[string]bool{
	".pdf": true, ".docx": true, ".xlsx": true, ".pptx": true, ".odt": true, ".ods": true,
	".zip": true, ".gz": true, ".7z": true, ".rar": true, ".ofd": true,
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true,
	".mp3": true, ".mp4": true, ".m4a": true,
}

// Compressed reports whether a file of this name is already compressed.
func Compressed(name string) bool { return compressedExt[strings.ToLower(ext(name))] }

var mediaTypes = map[string]string{
	".pdf": "application/pdf", ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".doc": "application/msword",
	".xls": "application/vnd.ms-excel", ".ofd": "application/ofd", ".zip": "application/zip",
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".txt": "text/plain; charset=utf-8", ".md": "text/markdown; charset=utf-8", ".csv": "text/csv; charset=utf-8",
	".html": "text/html; charset=utf-8", ".json": "application/json",
}

// MediaType guesses a media type from a file name; the workspace records
// it so the website team knows what each attachment is without opening it.
func MediaType(name string) string {
	if t, ok := mediaTypes[strings.ToLower(ext(name))]; ok {
		return t
	}
	return "application/octet-stream"
}

func ext(name string) string {
	i := strings.LastIndexByte(name, '.')
	if i < 0 || strings.ContainsRune(name[i:], '/') {
		return ""
	}
	return name[i:]
}

// OfficeSignersFile is the file name the office's allowed_signers is saved
// under for the website team.
const OfficeSignersFile = "allowed_signers"
