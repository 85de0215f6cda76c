#!/usr/bin/env bash
# test_pg_restart.sh — PostgreSQL itself crashes under load (issue 14 item
# 3): several fisc processes import vouchers and request payments against
# one 指标 line while the server is stopped with `pg_ctl stop -m immediate`
# (no checkpoint: what a power cut leaves) and started again. The cluster
# runs with fsync on (tests/pglib.sh "durable"). Afterwards every import and
# every payment request that a process acknowledged (exit 0) is there
# exactly once, an import that was not acknowledged is there whole or not
# at all, the journal verifies against the ledger's tables, the line holds
# its invariant, and requests sent again with their keys are not applied
# twice.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../pglib.sh"
FISC=${FISC:-$root/build/fisc}
export FISC_DATADIR=${FISC_DATADIR:-$root/data}
if ! pg_start durable; then
	echo "SKIP test_pg_restart: PostgreSQL is not installed (scripts/deps.sh test installs it)"
	exit 0
fi
dir=$(mktemp -d /tmp/fisc-pgrestart.XXXXXX)
pids=()
trap 'for p in ${pids[@]+"${pids[@]}"}; do kill -9 "$p" 2>/dev/null; done; pg_stop; rm -rf "$dir"' EXIT
fail=0
die() { echo "FAIL: $*"; fail=1; }
SQL() { "$PGBIN/psql" -X -q -At -h "$PGD" -U postgres -d r -c "$*"; }
db=$(pg_newdb r) || { echo "FAIL: createdb"; exit 1; }
F() { "$FISC" --db "$db" "$@"; }
cd "$root/examples"

# One line of 10 000 000 元 for the payments: every request (1 元 … ) fits,
# so that each acknowledged one must be there.
F import regions.csv 002_dalian_gxq_ccc_2025.csv >/dev/null || die "import"
F quota issue --from-budget --region 210200-GX --year 2025 --date 20250101 >/dev/null || die "quota issue"
printf 'no,date,kind,author,region,year,book,department,project,function,economic,fund_source,fund_doc,expense_kind,amount\n重启〔2025〕1号,2025-03-01,追加,测试,210200-GX,2025,gpb,大连高新技术产业园区创新创业创投服务中心,重启,2060499,30305,本级财力,,项目支出,10000000\n' >"$dir/doc.csv"
F quota import "$dir/doc.csv" >/dev/null || die "quota import"
line=$(SQL "SELECT id FROM ledger_line WHERE project='重启'")
[ -n "$line" ] || { die "no line"; exit 1; }

# Voucher files of 3 000 vouchers each, numbered by file.
for k in $(seq 1 8); do
	awk -v k=$k 'BEGIN { print "number,date,region,unit,book,function,economic,fen"
		for (i = 1; i <= 3000; i++) printf "R%02d-%05d,2024-%02d-%02d,500109,%d,gpb,2050201,30101,%d\n", k, i, i % 12 + 1, i % 28 + 1, 100000 + k, i }' \
		>"$dir/v$k.csv"
done

# A writer refused (the server is down) waits until it is back, so that the
# work left after the crash is done against the restarted server however
# slowly a loaded machine restarts it (the test asserts that it is).
back() { while [ ! -e "$dir/up" ]; do sleep 0.05; done; }
# Writers: three payers (12 requests each, one process per request) and one
# importer; each logs what it was told had succeeded.
payer() {
	local w=$1 i
	for i in $(seq 1 12); do
		if F pay request --key "$w-$i" --line "$line" --amount "$i" --payee 收款人 >/dev/null 2>&1; then
			echo "$w-$i $i" >>"$dir/ack-pay"
		else
			back
		fi
	done
}
importer() {
	local k
	for k in $(seq 1 8); do
		F import-vouchers "$dir/v$k.csv" >/dev/null 2>&1 && echo "$k" >>"$dir/ack-import" || back
	done
}
: >"$dir/ack-pay"; : >"$dir/ack-import"
for w in a b c; do payer $w & pids+=($!); done
importer & pids+=($!)
# Crash the server once some of the work is done, then bring it back.
for _ in $(seq 200); do
	[ "$(wc -l <"$dir/ack-pay")" -ge 4 ] && break
	sleep 0.05
done
pg_crash || die "pg_ctl stop -m immediate"
before=$(wc -l <"$dir/ack-pay")
sleep 0.5
pg_restart || { die "PostgreSQL did not start again"; exit 1; }
: >"$dir/up"
for p in "${pids[@]}"; do wait "$p"; done
pids=()
after=$(wc -l <"$dir/ack-pay")
[ "$before" -gt 0 ] && [ "$after" -gt "$before" ] ||
	die "the crash did not fall inside the load ($before acknowledged before, $after at the end)"
# Some requests were refused while the server was down (not acknowledged).
[ "$after" -lt 36 ] || echo "note: no request met the stopped server"

# Every acknowledged payment is there once, with its amount; nothing else.
sort "$dir/ack-pay" >"$dir/ack-pay.s"
SQL "SELECT key, fen / 100 FROM ledger_payment WHERE line_id=$line ORDER BY key" | tr '|' ' ' | sort >"$dir/stored"
comm -23 "$dir/ack-pay.s" "$dir/stored" | head -5 | while read -r k _; do die "acknowledged payment $k lost"; done
# Stored but not acknowledged: committed, then the answer was lost with the
# connection; allowed, and it must then be complete (its journal entry:
# journal verify below).
row=$(SQL "SELECT quota, paid, pending, (SELECT coalesce(sum(fen), 0) FROM ledger_payment WHERE line_id=$line)
	FROM ledger_line WHERE id=$line")
IFS='|' read -r quota paid pending sum <<<"$row"
[ "$paid" = 0 ] && [ "$pending" = "$sum" ] && [ "$pending" -le "$quota" ] ||
	die "line $line: quota $quota paid $paid pending $pending, payments $sum"
F journal verify >"$dir/verify" 2>&1 || { die "journal does not verify after the crash"; cat "$dir/verify"; }

# Vouchers: an acknowledged file whole; any file whole or absent; the
# aggregates agree with the rows.
for k in $(seq 1 8); do
	n=$(SQL "SELECT count(*) FROM voucher WHERE number LIKE 'R$(printf %02d $k)-%'")
	if grep -qx "$k" "$dir/ack-import"; then
		[ "$n" = 3000 ] || die "acknowledged voucher file $k: $n of 3000 stored"
	else
		[ "$n" = 0 ] || [ "$n" = 3000 ] || die "voucher file $k half-written: $n of 3000"
	fi
done
[ "$(SQL "SELECT count(*) FROM voucher")" = "$(SQL "SELECT coalesce(sum(n), 0) FROM voucher_month")" ] ||
	die "voucher aggregates disagree with the vouchers after the crash"

# Sent again with the same keys (one batch), every request is answered
# once: nothing applied twice, the missing ones now accepted.
n0=$(SQL "SELECT count(*) FROM ledger_payment WHERE line_id=$line")
{ echo "action,key,line,amount,payee,purpose,payment,date"
  for w in a b c; do for i in $(seq 1 12); do echo "request,$w-$i,$line,$i,收款人,,,"; done; done; } >"$dir/again.csv"
F pay batch "$dir/again.csv" >"$dir/again.out" 2>&1 || { die "the requests sent again were not all accepted"; head -5 "$dir/again.out"; }
[ "$(SQL "SELECT count(*) FROM ledger_payment WHERE line_id=$line")" = 36 ] || die "after resubmission: not 36 payments"
[ "$(SQL "SELECT pending FROM ledger_line WHERE id=$line")" = $((3 * 78 * 100)) ] ||
	die "after resubmission the line's pending is not the sum of the 36 requests"
F journal verify >/dev/null 2>&1 || die "journal does not verify after resubmission"
[ $fail = 0 ] && echo "ok: PostgreSQL restarted under load ($before acknowledged before the crash, $after at the end, $n0 stored)"
exit $fail
