#!/usr/bin/env bash
# Balance statements computed from the examples state the totals the seeds
# state (issue 2 acceptance): 解放区 2023 GPB/GFB/SOE, 大连高新区 2024 GPB/GFB,
# and the social-insurance roll-forward of 解放区 2024.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/s.db")
trap 'rm -rf "$dir"' EXIT
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null
fail=0
expect() { # selection... -- substring
  local args=() want
  while [ "$1" != -- ]; do args+=("$1"); shift; done; want=$2
  out=$("$FISC" --db "$db" report statement "${args[@]}")
  if ! grep -qF -- "$want" <<<"$out"; then
    echo "statement ${args[*]}: expected «$want» in:"; echo "$out"; fail=1
  fi
}
expect --region 解放区 --year 2023 --book gpb --phase 执行 -- "收入总计213195万元"
expect --region 解放区 --year 2023 --book gpb --phase 执行 -- "支出总计213195万元"
expect --region 解放区 --year 2023 --book 政府性基金预算 --phase 执行 -- "收入总计53913万元"
expect --region 410802 --year 2023 --book soe --phase execution -- "支出总计21267万元"
expect --region 大连高新技术产业园区 --year 2024 --book gpb --phase 执行 -- "一般公共预算支出38.19亿元"
expect --region 大连高新技术产业园区 --year 2024 --book gfb --phase 执行 -- "政府性基金预算支出5.64亿元"
expect --region 大连高新技术产业园区 --year 2024 --book gfb --phase 执行 -- "债务转贷收入-4.3亿元"
expect --region 解放区 --year 2024 --book ssf --phase 预算 -- "年末滚存结余12807万元"
expect --region 北碚区 --year 2023 --book soe --scope 区级 --phase 执行 -- "区级国有资本经营预算支出0万元，加调出资金10553万元后，支出总计10553万元。"
# 2024 全区 GPB own expenditure is composed of 区级 + 镇级 and printed split.
t=$("$FISC" --db "$db" report balance --region 北碚区 --year 2024 --book gpb --scope 全区 --phase 预算)
grep -qP '^一、全区支出\t720,779$|\t一、全区支出\t720,779$' <<<"$t" || { echo "no composed 720,779"; fail=1; }
grep -qP '\t镇级支出\t27,678$' <<<"$t" || { echo "no 镇级支出 row"; fail=1; }
# Errors: unknown region and unknown book are usage errors (exit 2) with a message.
set +e
"$FISC" --db "$db" report balance --region 火星区 --year 2023 --book gpb 2>"$dir/err"; rc=$?
set -e
[ $rc = 2 ] && grep -q "unknown region" "$dir/err" || { echo "unknown region: rc=$rc"; cat "$dir/err"; fail=1; }
exit $fail
