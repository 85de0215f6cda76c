#!/usr/bin/env bash
# test_pg_store.sh — what is the PostgreSQL backend's own (issue 14 items 1
# and 3), on a throw-away cluster (tests/pglib.sh): a database without fisc's
# schema is "store not found" and stays untouched; a failed creation leaves
# nothing; the schema version is
# kept and a newer one refused; a server error reads as what it is
# (SQLSTATE mapped, "中文 / English"); an import is all or nothing; a
# kill -9 in the middle of a voucher import leaves nothing; two processes
# paying against one 指标 line at once never take it beyond its quota and
# keep one journal chain.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../pglib.sh"
FISC=${FISC:-$root/build/fisc}
export FISC_DATADIR=${FISC_DATADIR:-$root/data}
if ! pg_start; then
	echo "SKIP test_pg_store: PostgreSQL is not installed (scripts/deps.sh test installs it)"
	exit 0
fi
dir=$(mktemp -d /tmp/fisc-pgstore.XXXXXX)
trap 'pg_stop; rm -rf "$dir"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
SQL() { local db=$1; shift; "$PGBIN/psql" -X -q -At -h "$PGD" -U postgres -d "$db" -c "$*"; }
cd "$root/examples"

# 1. An empty database is no store: commands that do not create refuse it
#    and leave it as it was; a database that does not exist neither.
db=$(pg_newdb empty)
"$FISC" --db "$db" regions >/dev/null 2>"$dir/err" && die "regions on an empty database succeeded"
grep -q "store not found" "$dir/err" || { die "no 'store not found'"; cat "$dir/err"; }
[ "$(SQL empty "SELECT count(*) FROM pg_tables WHERE schemaname='public'")" = 0 ] ||
	die "opening an empty database created tables"
"$FISC" --db "host=$PGD user=postgres dbname=nosuchdb" regions >/dev/null 2>"$dir/err" &&
	die "a missing database opened"
grep -q "store not found" "$dir/err" || { die "missing database: no 'store not found'"; cat "$dir/err"; }

# 1b. A creation that fails half way (here: no bundled catalogue to seed)
#     leaves no store behind, not tables without a catalogue: the
#     migrations and the catalogue are one transaction.
db=$(pg_newdb half)
FISC_DATADIR=$dir/no-such-datadir "$FISC" --db "$db" init >/dev/null 2>"$dir/err" && die "init without a catalogue succeeded"
[ "$(SQL half "SELECT count(*) FROM pg_tables WHERE schemaname='public'")" = 0 ] ||
	die "a failed creation left tables behind"
"$FISC" --db "$db" init >/dev/null 2>&1 || die "init after a failed creation"
[ "$(SQL half "SELECT count(*) FROM edition")" = 1 ] || die "no catalogue after init"

# 2. Creation applies every migration in one transaction; a newer schema is refused.
db=$(pg_newdb s)
"$FISC" --db "$db" init >/dev/null 2>&1 || die "init failed"
v=$(SQL s "SELECT version FROM schema_version")
[ "$v" -ge 6 ] || die "schema_version is '$v'"
[ "$(SQL s "SELECT count(*) FROM catalog")" -gt 1000 ] || die "bundled catalogue not seeded"
SQL s "UPDATE schema_version SET version=version+1"
"$FISC" --db "$db" regions >/dev/null 2>"$dir/err" && die "a newer schema was opened"
grep -q "newer than this fisc" "$dir/err" || { die "newer schema: wrong message"; cat "$dir/err"; }
SQL s "UPDATE schema_version SET version=version-1"

# 3. An import is all or nothing: a bad row in the second file leaves nothing
#    of the first.
printf 'region,year,book,scope,phase,item,amount\n北碚区,2023,gpb,all,execution,本级收入,一百万元\n' >"$dir/bad.csv"
"$FISC" --db "$db" import regions.csv 003_beibei_2023_2024.csv "$dir/bad.csv" >/dev/null 2>&1 &&
	die "an import with a bad file succeeded"
[ "$(SQL s "SELECT count(*) FROM fact")" = 0 ] || die "a failed import left facts"
[ "$(SQL s "SELECT count(*) FROM region")" = 0 ] || die "a failed import left regions"
"$FISC" --db "$db" import regions.csv 0*.csv >/dev/null 2>&1 || die "the examples do not import"
n=$(SQL s "SELECT count(*) FROM fact")
[ "$n" = 458 ] || die "examples: $n facts"
# the same file again: every fact reported as stored already, nothing added
"$FISC" --db "$db" import 003_beibei_2023_2024.csv >/dev/null 2>"$dir/err" && die "a duplicate import succeeded"
grep -q "重复的事实" "$dir/err" || die "duplicates not reported"
[ "$(grep -c '重复的事实' "$dir/err")" -gt 10 ] || die "the import stopped at the first duplicate"
[ "$(SQL s "SELECT count(*) FROM fact")" = "$n" ] || die "a duplicate import changed the facts"

# 3b. Two imports adding the same regions at the same time both succeed (the
#     second waits for the first's rows and finds them the same).
db2=$(pg_newdb two)
"$FISC" --db "$db2" init >/dev/null 2>&1 || die "init two"
"$FISC" --db "$db2" import regions.csv 003_beibei_2023_2024.csv >"$dir/i1" 2>&1 &
p1=$!
"$FISC" --db "$db2" import regions.csv 001_jiefang_2023_2024.csv >"$dir/i2" 2>&1 &
p2=$!
wait $p1 || { die "first concurrent import failed"; cat "$dir/i1"; }
wait $p2 || { die "second concurrent import failed"; cat "$dir/i2"; }
[ "$(SQL two "SELECT count(*) FROM region")" = 12 ] || die "concurrent imports: regions not 12"

# 4. A server error reads as what it is: a read-only database.
SQL postgres "ALTER DATABASE s SET default_transaction_read_only = on"
"$FISC" --db "$db" import-vouchers vouchers/beibei_2024q1.csv >/dev/null 2>"$dir/err" &&
	die "an import into a read-only database succeeded"
grep -q "数据库不可写或无权访问" "$dir/err" && grep -q "PostgreSQL 25006" "$dir/err" ||
	{ die "read-only: not named"; cat "$dir/err"; }
SQL postgres "ALTER DATABASE s RESET default_transaction_read_only"

# 5. Vouchers: a second import is a no-op, a number reused with other content
#    names both lines, and kill -9 in the middle leaves nothing.
"$FISC" --db "$db" import-vouchers vouchers/beibei_2024q1.csv >/dev/null 2>&1 || die "vouchers"
"$FISC" --db "$db" import-vouchers vouchers/beibei_2024q1.csv >/dev/null 2>&1 || die "vouchers again"
[ "$(SQL s "SELECT count(*) FROM voucher")" = 12 ] || die "vouchers counted twice"
{ echo "date,region,unit,book,function,economic,amount,number"
  echo "2024-01-10,500109,101001,gpb,2050201,30101,1.00,BB2024-0001"; } >"$dir/clash.csv"
"$FISC" --db "$db" import-vouchers "$dir/clash.csv" >/dev/null 2>"$dir/err" && die "a clashing voucher was taken"
grep -q "clash.csv:2" "$dir/err" && grep -q "beibei_2024q1.csv:" "$dir/err" ||
	{ die "clash: both lines not named"; cat "$dir/err"; }
awk 'BEGIN { print "date,region,unit,book,function,economic,amount,number";
	for (i = 0; i < 400000; i++) printf "2025-%02d-10,500109,%d,gpb,2050201,30101,%d.%02d,K%07d\n", i % 12 + 1, 100000 + i % 50, i % 9000 + 1, i % 100, i }' >"$dir/big.csv"
"$FISC" --db "$db" import-vouchers "$dir/big.csv" >/dev/null 2>&1 &
pid=$!
sleep 1
kill -9 $pid 2>/dev/null
wait $pid 2>/dev/null
n=$(SQL s "SELECT count(*) FROM voucher")
[ "$n" = 12 ] || [ "$n" = 400012 ] || die "kill -9 during an import left $n vouchers (12 or 400012 expected)"
sum=$(SQL s "SELECT coalesce(sum(n),0) FROM voucher_month")
[ "$sum" = "$n" ] || die "aggregates ($sum) disagree with vouchers ($n) after kill -9"

# 6. Two processes pay against one line at once: 40 requests of 100 000 元
#    each on a line of 1 800 000 元; 18 fit. The line never goes beyond its
#    quota, each request is accepted or refused once, the journal is one chain.
"$FISC" --db "$db" quota issue --from-budget --region 210200-GX --year 2025 --date 20250101 >/dev/null 2>&1 ||
	die "quota issue"
printf 'no,date,kind,author,region,year,book,department,project,function,economic,fund_source,fund_doc,expense_kind,amount\n测试〔2025〕1号,2025-03-01,追加,测试,210200-GX,2025,gpb,大连高新技术产业园区创新创业创投服务中心,并发,2060499,30305,本级财力,,项目支出,1800000\n' >"$dir/doc.csv"
"$FISC" --db "$db" quota import "$dir/doc.csv" >/dev/null 2>&1 || die "quota import"
line=$(SQL s "SELECT id FROM ledger_line WHERE project='并发'")
for w in a b; do
	{ echo "action,key,line,amount,payee,purpose,payment,date"
	  for i in $(seq 1 20); do echo "request,$w$i,$line,100000,收款人,并发,,"; done; } >"$dir/pay-$w.csv"
done
"$FISC" --db "$db" pay batch "$dir/pay-a.csv" >"$dir/out-a" 2>&1 &
pa=$!
"$FISC" --db "$db" pay batch "$dir/pay-b.csv" >"$dir/out-b" 2>&1 &
pb=$!
wait $pa; wait $pb
row=$(SQL s "SELECT quota, paid, pending FROM ledger_line WHERE id=$line")
[ "$row" = "180000000|0|180000000" ] || die "line after concurrent payments: $row (quota|paid|pending in fen)"
[ "$(SQL s "SELECT count(*) FROM ledger_payment WHERE line_id=$line")" = 18 ] || die "not 18 payments"
"$FISC" --db "$db" journal verify >"$dir/verify" 2>&1 || { die "journal does not verify"; cat "$dir/verify"; }
[ $fail = 0 ] && echo "ok: PostgreSQL store"
exit $fail
