#!/usr/bin/env bash
# fisc import-vouchers and fisc rollup from the command line: a good file is
# imported and rolled up to exact fen at every level, in TSV and JSON, from
# the aggregates and from a scan alike; a bad row is reported with
# file:line:field in Chinese and English, exits 1 and writes nothing.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/v.db")
trap 'rm -rf "$dir"' EXIT
fail=0
"$FISC" --db "$db" import examples/regions.csv >/dev/null
cat >"$dir/v.csv" <<'CSV'
date,region,unit,book,function,economic,fen,凭证号
2024-01-05,500109,101001,gpb,2050201,30101,123456,ZF0001
2024-01-20,500109,101002,gpb,2050202,30201,1000,ZF0002
2024-02-06,北碚区,101002,gfb,2050202,50101,-50,ZF0003
2024-02-07,500109,101003,soe,2010101,30101,7,ZF0004
CSV
out=$("$FISC" --db "$db" import-vouchers "$dir/v.csv")
echo "$out" | grep -qF "imported 4 voucher(s), total 1,244.13 元" || { echo "import: $out"; fail=1; }
want=$(printf '%s\n' \
  'level	code	name	month	count	fen' \
  '类	201	一般公共服务支出	2024-02	1	7' \
  '类	205	教育支出	2024-01	2	124456' \
  '类	205	教育支出	2024-02	1	-50')
for scan in "" --scan; do
  got=$("$FISC" --db "$db" rollup $scan --by function-month)
  [ "$got" = "$want" ] || { echo "rollup $scan:"; echo "$got"; fail=1; }
done
got=$("$FISC" --db "$db" rollup --by function-month --level 款 | awk -F'\t' '$2=="20502"{print $4, $5, $6}')
[ "$got" = "$(printf '2024-01 2 124456\n2024-02 1 -50')" ] || { echo "款: $got"; fail=1; }
got=$("$FISC" --db "$db" rollup --by region-class --format json | grep -c '"fen":')
[ "$got" = 2 ] || { echo "json rows: $got"; fail=1; }
got=$("$FISC" --db "$db" rollup --by total | tail -1)
[ "$got" = "$(printf '4\t124413')" ] || { echo "total: $got"; fail=1; }
# Both tables in one process, the second after a blank line.
got=$("$FISC" --db "$db" rollup --by function-month,region-class --level 项,类 | grep -c '^$')
[ "$got" = 1 ] || { echo "two tables: $got blank lines"; fail=1; }

printf 'number,date,region,unit,book,function,economic,fen\nB1,2024-01-05,500109,1,gpb,2050201,30101,5\nB2,2024-13-01,500109,1,gpb,2050201,30101,5\n' >"$dir/bad.csv"
set +e
"$FISC" --db "$db" import-vouchers "$dir/bad.csv" 2>"$dir/err"; rc=$?
set -e
[ $rc = 1 ] || { echo "bad import: exit $rc, want 1"; fail=1; }
grep -qF "bad.csv:3: 字段「date」：日期「2024-13-01」无效" "$dir/err" &&
  grep -qF "field 'date': bad date '2024-13-01'" "$dir/err" || { echo "missing date error:"; cat "$dir/err"; fail=1; }
got=$("$FISC" --db "$db" rollup --by total | tail -1)
[ "$got" = "$(printf '4\t124413')" ] || { echo "store changed by a failed import: $got"; fail=1; }
# The same file again is a no-op that says so; a number re-used with other
# content is refused, naming the stored line and the new one.
out=$("$FISC" --db "$db" import-vouchers "$dir/v.csv")
echo "$out" | grep -qF "4 条已存在，跳过" && echo "$out" | grep -qF "4 already present, skipped" ||
  { echo "re-import: $out"; fail=1; }
got=$("$FISC" --db "$db" rollup --by total | tail -1)
[ "$got" = "$(printf '4\t124413')" ] || { echo "re-import changed the store: $got"; fail=1; }
printf 'number,date,region,unit,book,function,economic,fen\nZF0009,2024-03-01,500109,1,gpb,2050201,30101,5\nZF0003,2024-02-06,北碚区,101002,gfb,2050202,50101,-60\n' >"$dir/conflict.csv"
set +e
"$FISC" --db "$db" import-vouchers "$dir/conflict.csv" 2>"$dir/err"; rc=$?
set -e
[ $rc = 1 ] || { echo "conflicting number: exit $rc, want 1"; fail=1; }
grep -qF "conflict.csv:3" "$dir/err" && grep -qF "v.csv:4" "$dir/err" && grep -qF "ZF0003" "$dir/err" ||
  { echo "conflict message:"; cat "$dir/err"; fail=1; }
got=$("$FISC" --db "$db" rollup --by total | tail -1)
[ "$got" = "$(printf '4\t124413')" ] || { echo "a refused import changed the store: $got"; fail=1; }
set +e
"$FISC" --db "$db" import-vouchers "$dir/nope.csv" 2>/dev/null; rc=$?
set -e
[ $rc = 2 ] || { echo "missing file: exit $rc, want 2"; fail=1; }
exit $fail
