// Package publish turns an approved document into a signed publication
// package (DESIGN.md, "Publication package") and keeps the catalogue true
// afterwards: publication date and URL, 已修订 and 已废止.
//
// It gathers what review, workflow and screening know about a document,
// refuses to export anything whose approval does not hold up, and hands
// review/pack a bag whose every byte follows from the workspace: the same
// document, decisions and keys give the same zip, byte for byte, so a
// package exported twice can be compared by its fingerprint alone.
package publish
