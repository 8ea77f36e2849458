#!/usr/bin/env bash
# screenshots.sh: refresh docs/screenshots from the sample workspace, as a
# person sees the app under Xvfb. Needs ../shared/tools/screenshot (it
# installs Xvfb, xdotool and ImageMagick when missing) and bin/ built by
# `make build`. Each picture starts the app on the view it shows (--view).
set -euo pipefail
cd "$(dirname "$0")/.."
shot=../shared/tools/screenshot
[ -x "$shot" ] || { echo "找不到截图工具 $shot" >&2; exit 1; }
app=$PWD/bin/qianfa cli=$PWD/bin/qianfa-cli out=docs/screenshots
mkdir -p "$out"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
db=$w/ws.db
export QIANFA_PASSPHRASE=qianfa2026
q() { "$cli" --db "$db" "$@"; }
snap() { local name=$1; shift; "$shot" -w 3 "$@"; echo "$out/$name"; }

q init --sample >/dev/null
# The sample's law in two versions when the corpus is there, else the rule.
law=$(q list --query 统计法 --json | grep -m1 '"id"' | tr -dc 0-9)
[ -n "$law" ] || law=2

snap main.png "$out/main.png" -- "$app" --db "$db" --sample --user zhangwei --view documents --open 2
snap login.png "$out/login.png" -- "$app" --db "$db" --sample
snap inbox.png "$out/inbox.png" -- "$app" --db "$db" --user lina
snap settings.png "$out/settings.png" -- "$app" --db "$db" --user zhaomin --view settings
snap screening.png "$out/screening.png" -- "$app" --db "$db" --user lina --open 3 --view screening
snap compare.png -t 比较 "$out/compare.png" -- "$app" --db "$db" --user wangfang --open "$law" --view compare
snap duizhao.png -t 比较 "$out/duizhao.png" -- "$app" --db "$db" --user wangfang --open "$law" --view duizhao

# Legality review of the rule, so that 签发 has both reviews to show.
cat > "$w/checklist.json" <<'JSON'
{"1": {"result": "通过", "note": "本部依职责制定"},
 "2": {"result": "通过", "note": "未超越法定职权"},
 "3": {"result": "通过", "note": "与安全生产法第七十四条一致"},
 "4": {"result": "不适用", "note": "未设定许可、处罚、强制、征收、收费"},
 "5": {"result": "通过", "note": ""},
 "6": {"result": "通过", "note": ""},
 "7": {"result": "通过", "note": "已公开征求意见"}}
JSON
q --user wangfang review approve 2 --stage legality --checklist "$w/checklist.json" --reason "经审核，该文件合法" >/dev/null
snap signoff.png "$out/signoff.png" -- "$app" --db "$db" --user liuyang

# Sign-off, then the clerk exports the package.
q --user liuyang review approve 2 --stage signoff >/dev/null
snap export.png "$out/export.png" -- "$app" --db "$db" --user zhangwei --view export --open 2 --export-to "$w/out"

# Public comment on the signed-off rule, closing in a few days.
start=$(date -d '-12 days' +%F) end=$(date -d '+2 days' +%F)
q --user zhangwei comments open 2 --start "$start" --end "$end" --channel 网站,电子邮件 >/dev/null
for text in "建议将最低奖励标准进一步提高。" "建议将最低奖励标准进一步提高！" "建议将最低奖励标准进一步提高" \
            "第六条受理时限宜明确从何时起算。" "建议增加对匿名举报的奖励办法。"; do
  q --user zhangwei comments add 2 --text "$text" --type 个人 >/dev/null
done
q --user zhangwei comments add 2 --text "第八条中一次性奖励上限建议区分企业规模。" --type 企业 --article 8 >/dev/null
q --user zhangwei comments dispose 2 1 --as 部分采纳 --reason "已提高至三千元，进一步提高需财政评估" >/dev/null
snap comments.png "$out/comments.png" -- "$app" --db "$db" --user zhangwei --view comments
