// Package comment is public comment on drafts (征求意见稿): the comment
// window and its history, the comments received, near-duplicate grouping of
// campaign submissions, dispositions and the feedback report
// (意见采纳情况说明).
//
// The rules come from 《规章制定程序条例》第十五条 (规章: at least 30 days),
// 国办发〔2018〕37号 (行政规范性文件: at least 7 working days), 《优化营商环境条例》
// 第六十二条 (30 days for documents concerning market actors) and
// 国办发〔2018〕115号 §五, which lists 征求意见及采纳情况 among the materials
// legality review reads. Window lengths are checked by review/calendar; the
// report compares the draft put out for comment with the final revision
// through review/compare.
//
// Like review, the package knows nothing of screens or SQL: storage
// implements Store and calls the same checks inside its transactions.
package comment
