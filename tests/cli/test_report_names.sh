#!/usr/bin/env bash
# Issue 10, items 3, 12 and 13: every report command on an unknown region,
# year or department says so and exits 2 (congress used to segfault); names
# that match nothing get the closest valid ones ("did you mean"); missing
# values are named; `fisc departments` lists departments and --department
# takes the name, a unique prefix or the code; `catalog editions` works; the
# top-level help lists every report and command.
. "$(dirname "$0")/../storelib.sh"
set -u
dir=$(mktemp -d); db=$(tdb "$dir/n.db")
trap 'rm -rf "$dir"' EXIT
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null || { echo "FAIL import"; exit 1; }
fail=0
ccc=大连高新技术产业园区创新创业创投服务中心
ylg=炎陵高新技术产业开发区管理委员会

# expect CODE "substring…" -- fisc args…: exit code and stderr+stdout content
expect() {
  local want=$1; shift
  local subs=()
  while [ "$1" != -- ]; do subs+=("$1"); shift; done
  shift
  "$FISC" --db "$db" "$@" >"$dir/out" 2>&1
  local rc=$?
  if [ $rc -ne "$want" ]; then echo "FAIL fisc $* → exit $rc, want $want: $(head -c 600 "$dir/out")"; fail=1; fi
  for s in "${subs[@]}"; do
    grep -qF -- "$s" "$dir/out" || { echo "FAIL fisc $*: missing «$s» in: $(head -c 600 "$dir/out")"; fail=1; }
  done
}

# --- item 3: unknown region, year, department on every report; never a crash
for k in balance statement congress debt; do
  for fmt in md html json; do
    expect 2 "未知地区「北培区」" "unknown region" "did you mean: 北碚区" -- \
      report $k --region 北培区 --year 2023 --format $fmt
  done
  expect 2 "北碚区已有数据的年度和阶段" "2023 执行" "2024 预算" -- report $k --region 北碚区 --year 2031
done
expect 2 "未知地区「nowhere」" -- report congress --region nowhere --year 2023 --format xlsx -o "$dir/c.xlsx"
expect 2 "未知地区「nowhere」" -- report congress --region nowhere --year 2023 --format csv -o "$dir/c/"
for k in department performance; do
  expect 2 "未知部门「没有这个部门」" "unknown department" -- report $k --department 没有这个部门 --year 2024
  expect 2 "已有数据的年度和阶段" -- report $k --department $ylg --year 2019
done

# --- item 13: did you mean, valid values, missing values
expect 2 "did you mean: gpb" "valid values" "ssf" -- report balance --region 北碚区 --year 2023 --book gbp
expect 2 "did you mean: gpb" -- catalog lookup --book gbp 2050201
expect 2 "unknown --scope" "self" -- report balance --region 北碚区 --year 2023 --scope slef
expect 2 "unknown --phase" "execution" -- report balance --region 北碚区 --year 2023 --phase exection
expect 2 "did you mean: report" -- reprot
expect 2 "did you mean: congress" -- report congres --region 北碚区 --year 2023
expect 2 "缺少 --year / --year is required" -- report balance --region 北碚区
expect 2 "缺少 --year / --year is required" -- report congress --region 北碚区
expect 2 "年度无效「20x3」" -- report balance --region 北碚区 --year 20x3
expect 2 "did you mean: 北碚区" -- check --region 北培区
expect 2 "--db 需要一个路径 / --db needs a path" -- --db
"$FISC" --db >/dev/null 2>&1; [ $? -eq 2 ] || { echo "FAIL --db without a value"; fail=1; }
"$FISC" --db --help >"$dir/out" 2>&1; [ $? -eq 2 ] && grep -qF -- "--db needs a path" "$dir/out" ||
  { echo "FAIL --db --help: $(cat "$dir/out")"; fail=1; }
expect 2 "did you mean: --region" -- report balance --regoin 北碚区 --year 2023
expect 2 "--year 需要一个值 / --year needs a value" -- report balance --region 北碚区 --year
expect 2 "did you mean: --year" -- check --yaer 2023
expect 2 "did you mean: function-month" -- rollup --by function-moth
expect 2 "did you mean: editions" -- catalog edition
expect 0 "2024" "classification" -- catalog editions
"$FISC" --help >"$dir/help" 2>&1
for w in balance statement congress department performance debt import catalog regions departments \
         check audit import-vouchers rollup; do
  grep -qw -- "$w" "$dir/help" || { echo "FAIL fisc --help does not list $w"; fail=1; }
done

# --- item 12: departments, and --department by prefix, code or closest
expect 0 "$ccc" "$ylg" "2024" "2025" -- departments
expect 0 "$ylg" -- departments --region 炎陵高新技术产业开发区
"$FISC" --db "$db" departments --year 2025 >"$dir/out" 2>&1
grep -qF "$ylg" "$dir/out" && { echo "FAIL departments --year 2025 lists $ylg"; fail=1; }
grep -qF "$ccc" "$dir/out" || { echo "FAIL departments --year 2025 misses $ccc"; fail=1; }
expect 2 "did you mean: 北碚区" -- departments --region 北培区
expect 0 "$ccc" -- report department --department 大连高新 --year 2025
expect 0 "$ylg" -- report performance --department 炎陵 --year 2024
expect 2 "did you mean" "$ccc" -- report department --department 大连高新区创新 --year 2025
# two departments sharing a prefix: ambiguous, both listed
cat >"$dir/d.csv" <<'CSV'
region,scope,year,book,phase,item,amount,unit,department
大连高新技术产业园区,self,2025,gpb,budget,2010101,1.00,万元,101001 大连高新技术产业园区财政金融局
大连高新技术产业园区,self,2025,gpb,budget,2010101,2.00,万元,[101002]大连高新技术产业园区科技局
CSV
"$FISC" --db "$db" import "$dir/d.csv" >/dev/null || { echo "FAIL import of coded departments"; fail=1; }
expect 0 "101001	大连高新技术产业园区财政金融局" "101002	大连高新技术产业园区科技局" -- departments --year 2025
expect 2 "不唯一" "ambiguous" "101001 大连高新技术产业园区财政金融局" "$ccc" -- \
  report department --department 大连高新技术产业园区 --year 2025
expect 0 "大连高新技术产业园区财政金融局" -- report department --department 101001 --year 2025
expect 0 "大连高新技术产业园区科技局" -- report department --department 大连高新技术产业园区科技局 --year 2025

exit $fail
