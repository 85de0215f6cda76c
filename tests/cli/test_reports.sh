#!/usr/bin/env bash
# The document reports from the command line (issue 5): every report in every
# format, -o handling (a file; for xlsx a workbook; for csv a directory or a
# prefix), the seeds' figures in the output, and usage errors.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/r.db")
trap 'rm -rf "$dir"' EXIT
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null
fail=0
ccc=大连高新技术产业园区创新创业创投服务中心
ylg=炎陵高新技术产业开发区管理委员会
run() { # name args… : writes $dir/out, fails the test on a nonzero exit
  if ! "$FISC" --db "$db" report "$@" >"$dir/out" 2>"$dir/err"; then
    echo "FAIL report $*: $(cat "$dir/err")"; fail=1
  fi
}
has() { # file substring…
  local f=$1; shift
  for want in "$@"; do
    grep -qF -- "$want" "$f" || { echo "FAIL $f: missing «$want»"; fail=1; }
  done
}

# --- every report in every format
for fmt in md html json csv; do
  run congress --region 北碚区 --year 2023 --format $fmt
  run congress --region 解放区 --year 2023 --format $fmt
  run department --department $ccc --year 2025 --format $fmt
  run performance --department $ylg --year 2024 --format $fmt
  run debt --region 解放区 --year 2023 --format $fmt
done

# --- Markdown (the default): figures of the seeds
run congress --region 北碚区 --year 2023
has "$dir/out" "关于北碚区2023年预算执行情况和2024年预算草案的报告" "| 总 计 | 883,868 | 总 计 | 883,868 |" \
  "对镇级转移支付41948万元。其中一般性转移支付23591万元，专项转移支付18357万元" \
  "动用后余额为3426万元" "区级“三公”经费支出2021.6万元" "## 名词解释"
run congress --region 解放区 --year 2023
has "$dir/out" "为调整预算89850万元的100.25%" "为调整预算127717万元的98.56%" \
  "占一般公共预算收入的95.99%" "比上年执行数90074万元增长5.0%" "可用财力为94069万元" \
  "资料表述的政府债务余额合计为174666万元，按分项计算为174676万元"
run department --department $ccc --year 2025
has "$dir/out" "| 收 入 总 计 | 3,658.95 | 支 出 总 计 | 3,658.95 |" "| 工资福利支出 | 807.99 |" \
  "| 商品和服务支出 | 821.64 |" "| 对企业补助 | 2,029.32 |" "本表为空表" "的99.76%"
run performance --department $ylg --year 2024
has "$dir/out" "4.84%" "95.16%" "3.71%" "72.96%" "49.06%" "37.62%" "46.09%" "35.34%" "23.33%" \
  "29.56%" "6.90%" "70.44%" "16.43%" \
  "| 产出指标 | 数量指标 | 盘活“僵尸企业” | ≥1家 | 2家 | 达成 |"
# what the data cannot support: on stderr, and in the document only as a draft
has "$dir/err" "以下部分因数据中没有相应内容而为空"
grep -qF "以下部分因数据中没有相应内容而为空" "$dir/out" && { echo "FAIL a data gap in the publishable report"; fail=1; }
run performance --department $ylg --year 2024 --draft
has "$dir/out" "## 附：数据缺口" "以下部分因数据中没有相应内容而为空"
run debt --region 北碚区 --year 2023
has "$dir/out" "| 政府债务限额 | 59.04 | 102.32 |  | 161.36 |" "全年发行地方政府债券16.08亿元"

# --- JSON: a document tree with exact amounts in fen
run congress --region 北碚区 --year 2023 --format json
jq -e '.kind == "congress"' "$dir/out" >/dev/null || { echo "FAIL json kind"; fail=1; }
n=$(jq '[.blocks[] | select(.type=="table") | .rows[][] | select(.type=="amount" and .fen==883868000000)] | length' "$dir/out")
[ "$n" -ge 2 ] || { echo "FAIL json: 883868万元 as fen ($n)"; fail=1; }

# --- -o: md/html to a file, xlsx a workbook, csv a directory or a prefix
"$FISC" --db "$db" report congress --region 北碚区 --year 2023 --format html -o "$dir/c.html"
has "$dir/c.html" "<!DOCTYPE html>" "883,868"
"$FISC" --db "$db" report department --department $ccc --year 2025 --format xlsx -o "$dir/d.xlsx"
[ "$(head -c 2 "$dir/d.xlsx")" = PK ] || { echo "FAIL xlsx is not a zip"; fail=1; }
"$FISC" --db "$db" report debt --region 北碚区 --year 2023 --format xlsx >"$dir/s.xlsx"
[ "$(head -c 2 "$dir/s.xlsx")" = PK ] || { echo "FAIL xlsx to stdout"; fail=1; }
"$FISC" --db "$db" report department --department $ccc --year 2025 --format csv -o "$dir/csv/"
[ "$(ls "$dir/csv" | wc -l)" = 9 ] || { echo "FAIL csv: $(ls "$dir/csv" | wc -l) files, want 9"; fail=1; }
has "$dir/csv/01-表1_部门收支总表.csv" "一、一般公共预算拨款收入,3652.30,工资福利支出,807.99"
"$FISC" --db "$db" report debt --region 解放区 --year 2023 --format csv -o "$dir/jf"
has "$dir/jf-01-2023年全区政府债务情况.csv" "政府债务余额,20776.00,153900.00,174676.00"

# --- balance and statement are unchanged, --all included
"$FISC" --db "$db" report balance --region 北碚区 --year 2023 --book gpb --scope all --phase execution | \
  grep -qP '^总 计\t883,868\t总 计\t883,868$' || { echo "FAIL balance"; fail=1; }
[ "$("$FISC" --db "$db" report statement --all | grep -c 收入总计)" -ge 10 ] || { echo "FAIL statement --all"; fail=1; }

# --- usage errors: exit 2 with a message
usage() { # expected-substring args…
  local want=$1; shift
  set +e; "$FISC" --db "$db" report "$@" >/dev/null 2>"$dir/err"; local rc=$?; set -e
  [ $rc = 2 ] && grep -qF -- "$want" "$dir/err" || { echo "FAIL report $*: rc=$rc $(cat "$dir/err")"; fail=1; }
}
usage "--department is required" department --year 2025
usage "--region is required" congress --year 2023
usage "--year is required" debt --region 北碚区
usage "unknown format 'odt'" congress --region 北碚区 --year 2023 --format odt
usage "--all is for balance and statement only" congress --all --region 北碚区 --year 2023
usage "unknown department" department --department 不存在 --year 2025
usage "no debt facts" debt --region 北碚区 --year 2019

# --- balance and statement in every document format (issue 10, item 13):
# the same table through the same renderers as the reports
bal=(balance --region 北碚区 --year 2023 --book gpb --scope all --phase execution)
run "${bal[@]}" --format md
has "$dir/out" "**2023年全区一般公共预算收支平衡情况**" "单位：万元" "| 总 计 | 883,868 | 总 计 | 883,868 |"
run "${bal[@]}" --format html
has "$dir/out" "<!DOCTYPE html>" '<td class="strong nw">总 计</td><td class="num strong">883,868</td>'
run "${bal[@]}" --format csv
has "$dir/out" "总 计,883868,总 计,883868"
run "${bal[@]}" --format json # the balance's own JSON (docs/formats.md)
jq -e '.balanced and .income[0].fen == 883868000000' "$dir/out" >/dev/null || { echo "FAIL balance json"; fail=1; }
run "${bal[@]}" --format tsv
cmp -s "$dir/out" tests/golden/003/2023_all_gpb.tsv || { echo "FAIL balance tsv differs from the golden table"; fail=1; }
"$FISC" --db "$db" report "${bal[@]}" --format xlsx -o "$dir/b.xlsx"
unzip -p "$dir/b.xlsx" xl/sharedStrings.xml | grep -qF "2023年全区一般公共预算收支平衡情况" || { echo "FAIL balance xlsx"; fail=1; }
unzip -p "$dir/b.xlsx" xl/worksheets/sheet1.xml | grep -qF "<v>883868</v>" || { echo "FAIL balance xlsx: 883868 not a number"; fail=1; }
run statement --region 北碚区 --year 2023 --book gpb --format html
has "$dir/out" "<p>全区一般公共预算收入300276万元，加上级补助收入327574万元"
"$FISC" --db "$db" report statement --region 北碚区 --year 2023 --book gpb --format xlsx -o "$dir/st.xlsx"
unzip -p "$dir/st.xlsx" xl/sharedStrings.xml | grep -qF "收入总计883868万元" || { echo "FAIL statement xlsx"; fail=1; }
# --all: one page, one workbook (a sheet per table), one JSON array
run balance --all --format html
[ "$(grep -c '<!DOCTYPE html>' "$dir/out")" = 1 ] || { echo "FAIL balance --all html: not one page"; fail=1; }
has "$dir/out" "北碚区2023年全区一般公共预算收支平衡情况（执行）" "解放区2023年全区一般公共预算收支平衡情况（执行）"
"$FISC" --db "$db" report balance --all --format xlsx -o "$dir/all.xlsx"
sheets=$(unzip -l "$dir/all.xlsx" | grep -c 'xl/worksheets/sheet[0-9]*.xml')
[ "$sheets" -ge 20 ] || { echo "FAIL balance --all xlsx: $sheets sheets"; fail=1; }
run balance --all --format json
[ "$(jq 'length' "$dir/out")" = "$sheets" ] || { echo "FAIL balance --all json: not one array of $sheets"; fail=1; }
"$FISC" --db "$db" report balance --all --region 北碚区 --format csv -o "$dir/bb/"
[ "$(ls "$dir/bb" | wc -l)" = 13 ] || { echo "FAIL balance --all csv: $(ls "$dir/bb" | wc -l) files, want 13"; fail=1; }
run statement --all --format md
[ "$(grep -c 收入总计 "$dir/out")" -ge 10 ] || { echo "FAIL statement --all md"; fail=1; }
"$FISC" --db "$db" report "${bal[@]}" -o "$dir/b.tsv"
cmp -s "$dir/b.tsv" tests/golden/003/2023_all_gpb.tsv || { echo "FAIL balance -o"; fail=1; }

# --- one unit per report (issue 10, item 11): 大连高新区 is written in 亿元
run congress --region 大连高新技术产业园区 --year 2024
has "$dir/out" "金额单位除注明外为亿元" "| 总 计 | 50.25 | 总 计 | 50.25 |" "| 社会保障和就业支出 | 2.29元※ |" \
  "合计35.34亿元" "疑似单位错误"
grep -qF "0.000229" "$dir/out" && { echo "FAIL 2.29元 printed as 0.000229"; fail=1; }
grep -qF "35.3400000229" "$dir/out" && { echo "FAIL total printed at the precision of 元"; fail=1; }
run congress --region 大连高新技术产业园区 --year 2024 --unit 万元
has "$dir/out" "金额单位除注明外为万元" "| 总 计 | 502,500 | 总 计 | 502,500 |" "收入总计502500万元"
run debt --region 北碚区 --year 2023 --unit 万元
has "$dir/out" "全年发行地方政府债券160800万元" "单位：万元"
run statement --region 北碚区 --year 2023 --book gpb --unit 亿元
has "$dir/out" "收入总计88.3868亿元"
usage "unknown unit" congress --region 北碚区 --year 2023 --unit 千元
exit $fail
