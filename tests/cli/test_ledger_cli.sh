#!/usr/bin/env bash
# fisc quota / pay / journal from the command line: seed 002's department
# budget issued as 年初批复 (3 lines, 807.99 + 821.64 + 2029.32 万元), a quota
# file applied all or nothing with file:line:field errors, payments one by
# one and as a batch (a result row each, never all or nothing), status in
# TSV and JSON with 支出进度 half-up, the year-end close, and journal verify
# catching a hand edit.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/l.db")
trap 'rm -rf "$dir"' EXIT
fail=0
F() { "$FISC" --db "$db" "$@"; }
F import examples/regions.csv examples/002_dalian_gxq_ccc_2025.csv >/dev/null
# The import is the journal's first entry: the files' SHA-256 and the counts.
[ "$(F journal head | cut -f1)" = 1 ] || { echo "import not journaled"; fail=1; }
sum=$(sha256sum examples/002_dalian_gxq_ccc_2025.csv | cut -d' ' -f1)
text="CAST(bytes AS TEXT)"; tpg && text="convert_from(bytes, 'UTF8')"
got=$(tsql "$db" "SELECT $text FROM journal WHERE seq=1")
echo "$got" | grep -qF "examples/002_dalian_gxq_ccc_2025.csv sha256 $sum" || { echo "journal: $got"; fail=1; }
echo "$got" | grep -qF "facts 21 regions 12" || { echo "journal counts: $got"; fail=1; }

out=$(F quota issue --from-budget --region 210200-GX --year 2025)
echo "$out" | grep -qF "年初批复 with 3 leg(s)" || { echo "issue: $out"; fail=1; }
out=$(F quota issue --from-budget --region 210200-GX --year 2025)
echo "$out" | grep -qF "replay" || { echo "issue twice: $out"; fail=1; }
got=$(F quota status | awk -F'\t' 'NR>1{print $1, $8, $11}')
want=$(printf '1 301 8079900.00\n2 302 8216400.00\n3 312 20293200.00\n合计  36589500.00')
[ "$got" = "$want" ] || { echo "status after issue:"; echo "$got"; fail=1; }

cat >"$dir/q.csv" <<'CSV'
no,date,kind,author,region,year,book,department,project,function,economic,fund_source,fund_doc,expense_kind,amount
大高财〔2025〕10号,2025-03-01,追加,张三,210200-GX,2025,gpb,教育局,校舍维修,2050201,30213,本级财力,,项目支出,120000.50
大高财〔2025〕10号,2025-03-01,追加,张三,210200-GX,2025,gpb,教育局,,2050201,30101,本级财力,,基本支出,50000
辽财预〔2025〕8号,2025-03-02,下达,李四,210200-GX,2025,gpb,教育局,,2050201,30213,上级转移支付,辽财预〔2025〕8号,项目支出,300000
大高财〔2025〕11号,2025-04-01,调剂,张三,210200-GX,2025,gpb,教育局,,2050201,30101,本级财力,,基本支出,-10000
大高财〔2025〕11号,2025-04-01,调剂,张三,210200-GX,2025,gpb,教育局,校舍维修,2050201,30213,本级财力,,项目支出,10000
CSV
out=$(F quota import "$dir/q.csv")
echo "$out" | grep -qF "imported 3 document(s)" || { echo "import: $out"; fail=1; }

# A bad file: every problem with file:line:field, nothing written.
cat >"$dir/bad.csv" <<'CSV'
no,date,kind,author,region,year,book,department,project,function,economic,fund_source,fund_doc,expense_kind,amount
X1,2025-13-01,追加,张三,210200-GX,2025,gpb,教育局,,2050201,30101,本级财力,,基本支出,1
X1,2025-03-01,追加,张三,210200-GX,2025,gpb,教育局,,2050201,30101,外星,,基本支出,1.001
CSV
before=$(F journal head)
if err=$(F quota import "$dir/bad.csv" 2>&1); then echo "bad file accepted"; fail=1; fi
echo "$err" | grep -qF "bad.csv:2: 字段「date」" || { echo "date error: $err"; fail=1; }
echo "$err" | grep -qF "bad.csv:3: 字段「fund_source」" || { echo "fund error: $err"; fail=1; }
echo "$err" | grep -qF "bad.csv:3: 字段「amount」" || { echo "amount error: $err"; fail=1; }
# A readable file whose second document breaks a line: refused with the
# line's figures, and the first document is not applied either.
cat >"$dir/bad2.csv" <<'CSV'
no,date,kind,author,region,year,book,department,project,function,economic,fund_source,fund_doc,expense_kind,amount
X3,2025-03-01,追加,张三,210200-GX,2025,gpb,教育局,,2050201,30101,本级财力,,基本支出,1
X2,2025-03-01,调减,张三,210200-GX,2025,gpb,教育局,,2050201,30101,本级财力,,基本支出,-40002
CSV
if err=$(F quota import "$dir/bad2.csv" 2>&1); then echo "bad2 accepted"; fail=1; fi
echo "$err" | grep -qF "bad2.csv:3: 字段「no」" || { echo "bad2: $err"; fail=1; }
echo "$err" | grep -qF "可用 40,001.00 元" || { echo "bad2 figures: $err"; fail=1; }
[ "$(F journal head)" = "$before" ] || { echo "a refused import wrote"; fail=1; }

# Payments, one by one.
out=$(F pay request --key v1 --line 5 --amount 15000.25 --payee 某公司 --purpose 工资)
echo "$out" | grep -qF "在途 15,000.25 元" || { echo "request: $out"; fail=1; }
if err=$(F pay request --key v2 --line 5 --amount 30000 2>&1); then echo "overdraft accepted"; fail=1; fi
echo "$err" | grep -qF "可用 24,999.75 元" || { echo "overdraft: $err"; fail=1; }
out=$(F pay request --key v1 --line 5 --amount 15000.25 --payee 某公司 --purpose 工资)
echo "$out" | grep -qF "重复提交" || { echo "replay: $out"; fail=1; }
if F pay request --key v1 --line 5 --amount 1 >/dev/null 2>&1; then echo "key reuse accepted"; fail=1; fi
F pay confirm v1 >/dev/null || { echo "confirm"; fail=1; }
out=$(F pay refund --key r1 --payment v1 --amount 0.25)
echo "$out" | grep -qF "已支付 15,000.00 元" || { echo "refund: $out"; fail=1; }

# A batch: one result row per payment, refusals with reasons, exit 1.
cat >"$dir/pay.csv" <<'CSV'
action,key,line,amount,payee,purpose,payment
request,b1,4,1000,甲公司,维修,
request,b2,4,99999999,甲公司,维修,
confirm,b1,,,,,
request,b3,4,10,乙,办公,
void,b3,,,,,
bogus,b9,,,,,
request,b1,4,1000,甲公司,维修,
CSV
if out=$(F pay batch "$dir/pay.csv" 2>/dev/null); then echo "batch with refusals exited 0"; fail=1; fi
got=$(echo "$out" | awk -F'\t' '{print $1, $3, $4}')
want=$(printf '%s\n' "$dir/pay.csv:2 b1 受理 accepted" "$dir/pay.csv:3 b2 拒绝 refused" \
  "$dir/pay.csv:4 b1 受理 accepted" "$dir/pay.csv:5 b3 受理 accepted" "$dir/pay.csv:6 b3 受理 accepted" \
  "$dir/pay.csv:7 b9 拒绝 refused" "$dir/pay.csv:8 b1 受理 accepted")
[ "$got" = "$want" ] || { echo "batch:"; echo "$out"; fail=1; }

# Status: 教育局 lines; 支出进度 = 15000 / 40000 = 37.50 %, 1000 / 130000.50 = 0.77 %.
got=$(F quota status --department 教育局 | awk -F'\t' 'NR>1{print $1, $11, $12, $13, $14, $15}')
want=$(printf '%s\n' '4 130000.50 1000.00 0.00 129000.50 0.77' '5 40000.00 15000.00 0.00 25000.00 37.50' \
  '6 300000.00 0.00 0.00 300000.00 0.00' '合计 470000.50 16000.00 0.00 454000.50 3.40')
[ "$got" = "$want" ] || { echo "status:"; echo "$got"; fail=1; }
got=$(F quota status --department 教育局 --format json | grep -c '"progress_pct"')
[ "$got" = 4 ] || { echo "json: $got"; fail=1; }

# Year end: 基本支出 taken back, 项目支出 (lines 4 and 6) carried into 2026.
out=$(F quota close --year 2025)
echo "$out" | grep -qF "carried into 2026 2 line(s) 429,000.50" || { echo "close: $out"; fail=1; }
got=$(F quota status --year 2026 | awk -F'\t' 'NR>1 && $1!="合计"{print $6, $9, $11}')
want=$(printf '%s\n' '校舍维修 上年结转 129000.50' ' 上年结转 300000.00')
[ "$got" = "$want" ] || { echo "carried:"; echo "$got"; fail=1; }

# The journal verifies; its head is printed; a hand edit of a balance is found.
out=$(F journal verify) || { echo "verify: $out"; fail=1; }
F journal head | grep -qE '^[0-9]+	[0-9a-f]{64}$' || { echo "head"; fail=1; }
# (SQLite keeps a line's figures in ledger_figure, migration 8)
if tpg; then tsql "$db" "UPDATE ledger_line SET paid=paid-100 WHERE id=4"
else tsql "$db" "UPDATE ledger_figure SET paid=paid-100 WHERE line_id=4"; fi
if out=$(F journal verify); then echo "tampered store verifies"; fail=1; fi
echo "$out" | grep -qF "指标行 4" || { echo "verify tampered: $out"; fail=1; }
exit $fail
