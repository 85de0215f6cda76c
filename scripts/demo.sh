#!/usr/bin/env bash
# demo.sh FISC — the main job on the bundled data: a fresh SQLite store built
# from examples/, then every balance table and statement the data supports.
set -euo pipefail
fisc=${1:-build/fisc}
out=demo-out
mkdir -p "$out"
db="$out/fisc.db"
rm -f "$db" "$db-wal" "$db-shm"
export FISC_DATADIR="${FISC_DATADIR:-$PWD/data}"
echo "== fisc import examples/ → $db"
"$fisc" --db "$db" import examples/regions.csv examples/[0-9]*.csv
echo
echo "== 收支平衡情况表 (fisc report balance --all)"
"$fisc" --db "$db" report balance --all --format md | tee "$out/balance.md"
echo
echo "== 收支平衡情况表述 (fisc report statement --all)"
"$fisc" --db "$db" report statement --all | tee "$out/statements.md"
if "$fisc" --help | grep -q '^  check'; then
  echo
  echo "== fisc check"
  "$fisc" --db "$db" check | tee "$out/check.txt" || true
fi
echo
echo "demo: store $db; tables and statements also written to $out/"

# --- Document reports (issue 5): every report the examples support, in every
# format, into demo-out/reports/: NAME.md, .html, .json, .xlsx and NAME-csv/
# (one CSV per table). The list follows examples/README.md: the congress and
# debt reports of the three regions with budget books (seeds 000, 001, 003),
# the disclosure of the 002 department, and for the 004 department its
# self-evaluation and its 决算 disclosure.
rep="$out/reports"
rm -rf "$rep"
mkdir -p "$rep"
report() { # NAME ARGS…
  local name=$1; shift
  for fmt in md html json xlsx; do
    "$fisc" --db "$db" report "$@" --format $fmt -o "$rep/$name.$fmt"
  done
  "$fisc" --db "$db" report "$@" --format csv -o "$rep/$name-csv/"
  echo "   $rep/$name.{md,html,json,xlsx} $rep/$name-csv/"
}
echo
echo "== 报告 (fisc report congress|department|performance|debt) → $rep/"
report congress-beibei-2023 congress --region 北碚区 --year 2023
report congress-jiefang-2023 congress --region 解放区 --year 2023
report congress-dalian-gxq-2024 congress --region 大连高新技术产业园区 --year 2024
report debt-beibei-2023 debt --region 北碚区 --year 2023
report debt-jiefang-2023 debt --region 解放区 --year 2023
report debt-dalian-gxq-2024 debt --region 大连高新技术产业园区 --year 2024
report department-dalian-ccc-2025 department --department 大连高新技术产业园区创新创业创投服务中心 --year 2025
report department-yanling-2024-final department --department 炎陵高新技术产业开发区管理委员会 --year 2024 --phase 决算
report performance-yanling-2024 performance --department 炎陵高新技术产业开发区管理委员会 --year 2024
echo
echo "== 北碚区 2023 报告 (Markdown)"
cat "$rep/congress-beibei-2023.md"
