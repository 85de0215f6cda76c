#!/usr/bin/env bash
# The congress report's HTML rendered in headless Chromium: tables hold the
# expected cells, Chinese headings lay out and are drawn with a CJK font, its
# four charts are drawn (issue 13: charts in HTML), so is the 绩效 report's
# chart of indicator targets against results (numbers, not money), and
# screenshots of the page, a table and a chart are saved next to the binary ($FISC's directory,
# e.g. build/).
# Installs what it needs when missing (as root): Debian chromium and
# fonts-noto-cjk, node/npm, and playwright-core into tests/web (npm ci).
. "$(dirname "$0")/../storelib.sh"
set -eu
root=$PWD
out=$(cd "$(dirname "$FISC")" && pwd)
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list :lang=zh family 2>/dev/null | grep -q . || need+=(fonts-noto-cjk)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "test_html_chromium: missing ${need[*]} and not root: apt-get install -y ${need[*]}" >&2
    exit 1
  fi
  echo "test_html_chromium: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ ! -d tests/web/node_modules/playwright-core ]; then
  (cd tests/web && npm ci --no-audit --no-fund --loglevel=error)
fi
fc-list :lang=zh family | grep -qiE 'Noto (Serif|Sans) CJK' || { echo "no Noto CJK font"; exit 1; }

dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
db=$(tdb "$dir/h.db")
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null
"$FISC" --db "$db" report congress --region 北碚区 --year 2023 --format html -o "$dir/congress.html"
"$FISC" --db "$db" report department --department 大连高新技术产业园区创新创业创投服务中心 \
  --year 2025 --format html -o "$dir/department.html"
"$FISC" --db "$db" report performance --department 炎陵高新技术产业开发区管理委员会 \
  --year 2024 --format html -o "$dir/performance.html" 2>/dev/null
fail=0
# 883,868: 2023 全区 GPB 总计; 882,607: 区级; 3,426: 稳定调节基金 after the 2024 draw
node "$root/tests/web/check_html.mjs" "$dir/congress.html" "$out/congress-html" --charts=4 \
  "883,868" "882,607" "3,426" "2,021.6" || fail=1
# 3,658.95 and its parts in the disclosure's 部门收支总表
node "$root/tests/web/check_html.mjs" "$dir/department.html" "$out/department-html" \
  "3,658.95" "807.99" "821.64" "2,029.32" || fail=1
# 盘活“僵尸企业”: target ≥1家, result 2家 (examples/004_yanling_gxq_2024_indicators.csv)
node "$root/tests/web/check_html.mjs" "$dir/performance.html" "$out/performance-html" --charts=1 \
  "≥1家" "2家" || fail=1
exit $fail
