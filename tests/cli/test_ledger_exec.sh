#!/usr/bin/env bash
# Seed 002 end to end through the ledger: its 2025 department budget issued
# as 指标, a year of generated payments (36 a month, confirmed on dates in
# each month, one refund) applied as one batch file, the month rollup, the
# execution facts written from the ledger, the department's execution report
# from them, and `fisc quota check` and `fisc check` finding them equal —
# then both finding a stored fact changed by hand.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/e.db")
trap 'rm -rf "$dir"' EXIT
fail=0
F() { "$FISC" --db "$db" "$@"; }
F import examples/regions.csv examples/002_dalian_gxq_ccc_2025.csv >/dev/null
F quota issue --from-budget --region 210200-GX --year 2025 >/dev/null
# Lines 1-3 are 301, 302, 312. Each month 3 payments per line of 10,000 元
# + line × 100 元 + k 元, all confirmed on the 10th/15th/20th.
{
  echo "action,key,line,amount,payee,purpose,payment,date"
  for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    for line in 1 2 3; do
      for k in 0 1 2; do
        echo "request,2025$m-$line-$k,$line,$((10000 + line * 100 + k)),收款单位$k,月度支出,,"
        echo "confirm,2025$m-$line-$k,,,,,,2025-$m-$((10 + k * 5))"
      done
    done
  done
  echo "refund,rf-1,,1000.50,,,202503-1-0,2025-04-02"
} >"$dir/year.csv"
F pay batch "$dir/year.csv" >"$dir/out.tsv" 2>"$dir/err" || { echo "batch:"; cat "$dir/err"; fail=1; }
grep -qF "217 accepted, 0 refused" "$dir/err" || { echo "batch: $(cat "$dir/err")"; fail=1; }
# Per month, line 1 (301): 10100 + 10101 + 10102 = 30303 元; April less the refund.
got=$(F quota rollup --year 2025 | awk -F'\t' '$7=="301" && ($9=="2025-03" || $9=="2025-04"){print $9, $10}')
[ "$got" = "$(printf '2025-03 30303.00\n2025-04 29302.50')" ] || { echo "rollup: $got"; fail=1; }
# A year: line 1 12 × 30303 − 1000.50 = 362635.50; 支出进度 of the total, half up.
got=$(F quota status | awk -F'\t' '$1=="1" || $1=="合计"{print $1, $12, $15}')
[ "$got" = "$(printf '1 362635.50 4.49\n合计 1100707.50 3.01')" ] || { echo "status: $got"; fail=1; }

out=$(F quota facts --region 210200-GX --year 2025)
echo "$out" | grep -qF "wrote 3 execution fact(s)" || { echo "facts: $out"; fail=1; }
got=$(tsql "$db" "SELECT item, econ, fen FROM fact WHERE phase=3 ORDER BY econ" | tr '\n' ' ')
[ "$got" = "own_exp|301|36263550 own_exp|302|36723600 own_exp|312|37083600 " ] || { echo "facts: $got"; fail=1; }
if F quota facts --region 210200-GX --year 2025 >/dev/null 2>&1; then echo "facts written twice"; fail=1; fi
out=$(F quota check --region 210200-GX --year 2025) || { echo "check: $out"; fail=1; }
out=$(F check --region 210200-GX --year 2025 --format json || true)
if echo "$out" | grep -qF '"rule": "ledger.execution"'; then echo "fisc check: ledger finding on equal data"; fail=1; fi
# The department's execution (决算-style) report comes from those facts, printed at the
# precision of the report (万元 to two places, half up).
out=$(F report department --department 大连高新技术产业园区创新创业创投服务中心 --year 2025 --phase 执行 --format md)
echo "$out" | grep -qF "支出执行数110.07万元" || { echo "report: $(echo "$out" | head -12)"; fail=1; }
echo "$out" | grep -qF "工资福利支出36.26万元" || { echo "report 301: $(echo "$out" | head -12)"; fail=1; }
# 支出进度 by month (issue 13, item 3), from the ledger that holds the year:
# a sentence and a chart of each month's payments (net of the April refund)
# and the running total, in every graphic form; the budget disclosure has none.
echo "$out" | grep -qF "根据指标账，截至2025年12月末，本部门2025年指标3658.95万元，累计支出110.07万元，支出进度3.01%。" ||
  { echo "report: no 支出进度 sentence: $(echo "$out" | grep 指标账)"; fail=1; }
ccc=大连高新技术产业园区创新创业创投服务中心
F report department --department $ccc --year 2025 --phase 执行 --format json >"$dir/e.json"
python3 - "$dir/e.json" <<'PY' || fail=1
import json, sys
c = [b for b in json.load(open(sys.argv[1], encoding="utf-8"))["blocks"]
     if b["type"] == "chart" and b["title"] == "2025年支出进度（按月）"]
if len(c) != 1:
    print("no 支出进度 chart"); sys.exit(1)
c = c[0]
month = [9180900] * 12
month[3] -= 100050  # the refund of 2025-04-02
cum = [sum(month[:m + 1]) for m in range(12)]
want = ([f"{m}月" for m in range(1, 13)], month, cum)
got = (c["categories"], c["series"][0]["fen"], c["series"][1]["fen"])
if c["kind"] != "columns" or got != want or [s["name"] for s in c["series"]] != ["当月支出", "累计支出"]:
    print("支出进度 chart:", c); sys.exit(1)
PY
F report department --department $ccc --year 2025 --phase 执行 --format pdf -o "$dir/e.pdf"
pdftotext "$dir/e.pdf" - | grep -qF "2025年支出进度（按月）" || { echo "PDF: no 支出进度 chart"; fail=1; }
F report department --department $ccc --year 2025 --phase 执行 --format html -o "$dir/e.html"
grep -qF 'alt="2025年支出进度（按月）"' "$dir/e.html" || { echo "HTML: no 支出进度 chart"; fail=1; }
F report department --department $ccc --year 2025 --phase 执行 --format docx -o "$dir/e.docx"
unzip -l "$dir/e.docx" | grep -q 'word/media/chart.*\.png' || { echo "DOCX: no 支出进度 chart"; fail=1; }
python3 tests/ooxml/check_docx.py "$dir/e.docx" || { echo "DOCX with the chart not valid"; fail=1; }
if F report department --department $ccc --year 2025 --format md | grep -qF "指标账"; then
  echo "the budget disclosure shows 支出进度"; fail=1
fi
tsql "$db" "UPDATE fact SET fen=fen+1 WHERE phase=3 AND econ='302'"
if out=$(F quota check --region 210200-GX --year 2025); then echo "changed fact passes"; fail=1; fi
echo "$out" | grep -qF "账本 ledger 367,236.00	事实 facts 367,236.01" || { echo "check changed: $out"; fail=1; }
# fisc check reports it too, as an error of rule ledger.execution.
out=$(F check --region 210200-GX --year 2025 --format json || true)
n=$(echo "$out" | grep -c '"rule": "ledger.execution"' || true)
[ "$n" = 1 ] || { echo "fisc check: $n ledger findings"; fail=1; }
out=$(F check --region 210200-GX --year 2025 || true)
echo "$out" | grep -qF "事实 367,236.01 元，账本 367,236.00 元" || { echo "fisc check text: $out"; fail=1; }
F journal verify >/dev/null || { echo "verify"; fail=1; }
exit $fail
