#!/usr/bin/env bash
# test_pg_national.sh — the benchmark's generated national dataset (bench/gen.c,
# as bench/scale.sh makes it) imported into an SQLite store and a PostgreSQL
# one: `fisc check` in every format and a sample of reports (regions,
# balance and statement tables of every region, the congress, debt and
# balance reports of a province, a prefecture and a county) must come out
# byte for byte the same (issue 14 item 2).
#
# make test runs a slice: the first NAT_PROVINCES (1) province of a
# 20-county dataset, 13 regions and 9 500 facts. `make torture` runs
# the whole national dataset: NAT_COUNTIES=1300 NAT_TOWNSHIPS=12
# NAT_PROVINCES=0 (every region).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../pglib.sh"
FISC=${FISC:-$root/build/fisc}
export FISC_DATADIR=${FISC_DATADIR:-$root/data}
COUNTIES=${NAT_COUNTIES:-20}
TOWNSHIPS=${NAT_TOWNSHIPS:-0}
PROVINCES=${NAT_PROVINCES:-1}
if ! pg_start; then
	echo "SKIP test_pg_national: PostgreSQL is not installed (scripts/deps.sh test installs it)"
	exit 0
fi
dir=$(mktemp -d /tmp/fisc-pgnat.XXXXXX)
trap 'pg_stop; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
fail=0
cc -std=c11 -O2 -o "$dir/gen" "$root/bench/gen.c" || { echo "FAIL: bench/gen.c does not build"; exit 1; }
"$dir/gen" --seed 20240601 --vouchers 0 --counties "$COUNTIES" --townships "$TOWNSHIPS" \
	--datadir "$FISC_DATADIR" --out "$dir/nat" --what national 2>"$dir/gen.log" ||
	{ echo "FAIL: gen"; cat "$dir/gen.log"; exit 1; }
D=$dir/nat
if [ "$PROVINCES" -gt 0 ]; then
	# A region's code begins with its province's two digits.
	keep=$(awk -F, -v n="$PROVINCES" 'NR > 1 && $4 == "省" && k < n { printf "%s ", substr($1, 1, 2); k++ }' "$D/regions.csv")
	for f in regions facts; do
		awk -F, -v keep=" $keep" 'NR == 1 || index(keep, " " substr($1, 1, 2) " ")' "$D/$f.csv" >"$D/$f.part"
		mv "$D/$f.part" "$D/$f.csv"
	done
fi
sq=$dir/s.db
pg=$(pg_newdb nat) || { echo "FAIL: createdb"; exit 1; }
for db in "$sq" "$pg"; do
	"$FISC" --db "$db" catalog import 2024 "$D/catalog" >/dev/null 2>"$dir/err" &&
		"$FISC" --db "$db" import "$D/regions.csv" "$D/facts.csv" >"$dir/import.out" 2>>"$dir/err" ||
		{ echo "FAIL: import into $db"; tail -5 "$dir/err"; exit 1; }
done

# run NAME ARGS…: the command on both stores; stdout, stderr and exit code compared.
run() { pg_both "$@"; }
run regions regions
run departments departments --year 2024
for f in text json; do
	run check-$f check --format $f
done
run check-all check --all
run balance-all report balance --all --format csv
run statement-all report statement --all --format csv
# A province, a prefecture and a county (the first of each level).
for level in 省 市 县; do
	code=$(awk -F, -v l="$level" '$4 == l { print $1; exit }' "$D/regions.csv")
	[ -n "$code" ] || continue
	for r in congress debt; do
		for f in md json; do
			run $r-$code-$f report $r --region "$code" --year 2024 --format $f
		done
	done
	run check-$code check --region "$code" --all --format json
done
n=$(($(wc -l <"$D/facts.csv") - 1))
[ $fail = 0 ] && echo "ok: national dataset ($(($(wc -l <"$D/regions.csv") - 1)) regions, $n facts): SQLite and PostgreSQL outputs identical"
exit $fail
