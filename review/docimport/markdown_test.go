package docimport

import "testing"

func TestStripMarkdown(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"ATX headings", "# 一级\n## 二级 ##\n###### 六级", "一级\n二级\n六级"},
		{"heading without the space, as Chinese editors write it", "#关于印发办法的通知", "关于印发办法的通知"},
		{"seven hashes are text", "####### 不是标题", "####### 不是标题"},
		{"empty heading", "##", ""},
		{"setext underline and rules are dropped", "标题\n===\n正文\n---\n* * *\n___", "标题\n正文"},
		{"block quote", "> 引用\n>> 二层", "引用\n二层"},
		{"bullets and numbers stay", "- 第一项\n* 第二项\n+ 第三项\n1. 有序", "- 第一项\n* 第二项\n+ 第三项\n1. 有序"},
		{"emphasis, strong, strike", "**重要**、*强调*、__加粗__、_斜体_、~~删除~~", "重要、强调、加粗、斜体、删除"},
		{"nested strong and emphasis", "***非常重要***", "非常重要"},
		{"a lone star is text", "2 * 3 * 4，注*", "2 * 3 * 4，注*"},
		{"underscores inside words stay", "file_name_v2 与 中_文_字", "file_name_v2 与 中_文_字"},
		{"links and images become their text", "见[条例](https://www.gov.cn/zhengce \"标题\")与![图一](a.png)及[附件][1]", "见条例与图一及附件"},
		{"autolinks become their address", "<https://www.gov.cn> 或 <xxgk@example.gov.cn>", "https://www.gov.cn 或 xxgk@example.gov.cn"},
		{"link definitions are dropped", "正文\n[1]: https://www.gov.cn", "正文"},
		{"code spans keep their content verbatim", "运行 `go test -run *_x_*` 即可", "运行 go test -run *_x_* 即可"},
		{"fenced code keeps its lines", "```sh\n**不变**\n```\n~~~\n# 也不变\n~~~~\n后", "**不变**\n# 也不变\n后"},
		{"unclosed fence runs to the end", "```\n# 代码", "# 代码"},
		{"tables become tab-separated cells", "| 条 | 内容 |\n|:---|---:|\n| 第一条 | 立法目的 |", "条\t内容\n第一条\t立法目的"},
		{"escapes become the character", `\*不是强调\* \# \[x\]`, "*不是强调* # [x]"},
		{"CR line ends", "# 标题\r\n正文\r末行", "标题\n正文\n末行"},
		{"HTML is kept", "甲<br>乙", "甲<br>乙"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := stripMarkdown(tc.in); got != tc.want {
				t.Errorf("stripMarkdown(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}
