#!/usr/bin/env bash
# test_pg_same.sh — one store on SQLite, one on PostgreSQL, the same imports
# into both: every report, balance table, statement, check, listing, rollup
# and ledger status in every text format must come out byte-identical
# (issue 14 item 2). Runs on a throw-away PostgreSQL cluster (tests/pglib.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../pglib.sh"
FISC=${FISC:-$root/build/fisc}
export FISC_DATADIR=${FISC_DATADIR:-$root/data}
if ! pg_start; then
	echo "SKIP test_pg_same: PostgreSQL is not installed (scripts/deps.sh test installs it)"
	exit 0
fi
dir=$(mktemp -d /tmp/fisc-pgsame.XXXXXX)
trap 'pg_stop; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
fail=0
sq="$dir/s.db"
pg=$(pg_newdb same) || { echo "FAIL: createdb"; exit 1; }
cd "$root/examples"

# run NAME ARGS…: the command on both stores; stdout, stderr and exit code compared.
run() { pg_both "$@"; }
# out NAME FILE ARGS…: the same for a command that writes a file (-o).
out() {
	local name=$1 ext=$2; shift 2
	"$FISC" --db "$sq" "$@" -o "$dir/$name.sq.$ext" >/dev/null 2>&1
	"$FISC" --db "$pg" "$@" -o "$dir/$name.pg.$ext" >/dev/null 2>&1
	if ! cmp -s "$dir/$name.sq.$ext" "$dir/$name.pg.$ext"; then
		echo "FAIL: $name ($ext) differs between SQLite and PostgreSQL: $*"; fail=1
	fi
}

run import import regions.csv 0*.csv
run import-again import regions.csv 003_beibei_2023_2024.csv
run vouchers import-vouchers vouchers/beibei_2024q1.csv
run vouchers-again import-vouchers vouchers/beibei_2024q1.csv
run regions regions
run departments departments
run editions-count catalog lookup 2050201
for f in text json; do
	run check-$f check --format $f
	run check-all-$f check --all --format $f
	run check-beibei-$f check --region 北碚区 --year 2023 --format $f
done
for f in text md html json csv; do
	run balance-all-$f report balance --all --format $f
	run statement-all-$f report statement --all --format $f
	run balance-one-$f report balance --region 北碚区 --year 2023 --book gpb --scope all --phase execution --format $f
done
for f in text md html json; do
	run congress-beibei-$f report congress --region 北碚区 --year 2023 --format $f
	run congress-jiefang-$f report congress --region 解放区 --year 2023 --format $f
	run congress-dalian-$f report congress --region 大连高新技术产业园区 --year 2024 --format $f
	run debt-beibei-$f report debt --region 北碚区 --year 2023 --format $f
	run dept-ccc-$f report department --department 大连高新技术产业园区创新创业创投服务中心 --year 2025 --format $f
	run dept-yanling-$f report department --department 炎陵高新技术产业开发区管理委员会 --year 2024 --phase 决算 --format $f
	run perf-yanling-$f report performance --department 炎陵高新技术产业开发区管理委员会 --year 2024 --format $f
done
for by in function-month region-class total; do
	run rollup-$by rollup --by $by
done
run audit audit 001_jiefang_report.txt
# The ledger: the year's 指标 from the budget, documents, payments, status, journal.
run quota-issue quota issue --from-budget --region 210200-GX --year 2025 --date 20250101
run quota-import quota import ledger/documents_2025.csv
run pay-1 pay request --key p1 --line 1 --amount 1000 --payee 甲
run pay-2 pay request --key p2 --line 2 --amount 2000.50 --payee 乙
run pay-too-much pay request --key p3 --line 3 --amount 99999999
run pay-again pay request --key p1 --line 1 --amount 1000 --payee 甲
run pay-confirm pay confirm p1 --date 20250315
run pay-void pay void p2
run pay-refund pay refund --key r1 --payment p1 --amount 100 --date 20250320
run quota-status quota status
run quota-rollup rollup --by function-month
# The journal: both verify, and hold the same entries — the same head hash
# (every import's entry names its history document, numbered alike).
for b in sq pg; do
	db=$sq; [ $b = pg ] && db=$pg
	"$FISC" --db "$db" journal verify >"$dir/jv.$b" 2>&1 || { echo "FAIL: journal verify on $b"; cat "$dir/jv.$b"; fail=1; }
done
run journal-verify journal verify
run journal-head journal head
[ $fail = 0 ] && echo "ok: SQLite and PostgreSQL outputs identical"
exit $fail
