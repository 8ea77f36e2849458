// Package intake turns a file on disk into a new document: read it (.docx,
// .txt, .md), refuse classified material, and store the first revision. The
// app and the CLI both import through here, so they accept and refuse the
// same files with the same words.
package intake

import (
	"context"
	"errors"
	"path/filepath"
	"strings"

	"qianfa/review"
	"qianfa/review/docimport"
	"qianfa/review/screen"
)

// Options are what the clerk chooses at import. Zero fields take defaults:
// the title found in the file, 其他文件, 主动公开.
type Options struct {
	Kind      review.Kind
	Title     string
	Issuer    string
	DocNumber string // 发文字号
	WrittenOn string // 成文日期, YYYY-MM-DD
	Author    string
}

// File imports the file at path as a new document with its first revision.
// Every error names the file, so a report of a multi-file import reads well.
func File(ctx context.Context, docs review.DocumentStore, path string, opt Options) (*review.Document, error) {
	name := filepath.Base(path)
	d, err := docimport.ReadFile(path)
	if err != nil {
		return nil, naming(name, err)
	}
	return store(ctx, docs, name, d, opt)
}

// Bytes imports data, the content of a file called name, as a new document.
func Bytes(ctx context.Context, docs review.DocumentStore, name string, data []byte, opt Options) (*review.Document, error) {
	d, err := docimport.ReadBytes(name, data)
	if err != nil {
		return nil, naming(name, err)
	}
	return store(ctx, docs, name, d, opt)
}

func store(ctx context.Context, docs review.DocumentStore, name string, d *docimport.Doc, opt Options) (*review.Document, error) {
	if err := screen.CheckImportable(d.Text); err != nil {
		return nil, naming(name, err)
	}
	title := strings.TrimSpace(opt.Title)
	if title == "" {
		title = strings.TrimSpace(d.Title)
	}
	if title == "" {
		title = strings.TrimSuffix(name, filepath.Ext(name))
	}
	if r := []rune(title); len(r) > 200 {
		title = string(r[:200])
	}
	kind := opt.Kind
	if kind == "" {
		kind = review.KindOther
	}
	doc, err := docs.CreateDocument(ctx, review.NewDocument{
		Meta: review.Metadata{Title: title, Kind: kind, Issuer: opt.Issuer, DocNumber: opt.DocNumber, WrittenOn: opt.WrittenOn,
			Disclosure: review.DisclosureActive},
		Text:   d.Text,
		Author: opt.Author,
		Source: name,
	})
	if err != nil {
		return nil, naming(name, err)
	}
	return doc, nil
}

// naming makes sure a domain error's message names the file.
func naming(name string, err error) error {
	var e *review.Error
	if !errors.As(err, &e) {
		return review.WrapError(review.EINTERNAL, err, "%s：导入失败。", name)
	}
	if strings.Contains(e.Message, name) {
		return err
	}
	return &review.Error{Code: e.Code, Message: name + "：" + e.Message, Err: e.Err}
}
