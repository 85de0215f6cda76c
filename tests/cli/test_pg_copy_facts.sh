#!/usr/bin/env bash
# test_pg_copy_facts.sh — facts go into PostgreSQL by COPY, 8,192 a batch
# (pg.c, pg_fact_put), and still behave as the one-INSERT-per-fact path and
# SQLite do: a duplicate of a stored fact met after a whole batch has been
# sent is reported at its own file and line, with the same message as on
# SQLite; an import that fails after batches were sent leaves the store as
# it was; a good import numbers its facts exactly as SQLite does (ids are
# hashed by the journal). Runs on a throw-away cluster (tests/pglib.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/../pglib.sh"
FISC=${FISC:-$root/build/fisc}
export FISC_DATADIR=${FISC_DATADIR:-$root/data}
if ! pg_start; then
	echo "SKIP test_pg_copy_facts: PostgreSQL is not installed (scripts/deps.sh test installs it)"
	exit 0
fi
dir=$(mktemp -d /tmp/fisc-pgcopy.XXXXXX)
trap 'pg_stop; [ -n "${KEEP:-}" ] || rm -rf "$dir"' EXIT
fail=0
sq="$dir/s.db"
pg=$(pg_newdb copyfacts) || { echo "FAIL: createdb"; exit 1; }
PSQL() { psql -X -q -At -h "$PGD" -U postgres -d copyfacts -c "$1"; }

# run NAME ARGS…: the command on both stores; stdout, stderr and exit code compared.
run() { pg_both "$@"; }
# facts FILE FROM TO PREFIX: facts of 渝北… region 500109, one per project.
facts() {
	local i
	for ((i = $2; i <= $3; i++)); do
		echo "500109,all,2023,gpb,execution,tax,$i,万元,base,,$4$i"
	done >>"$1"
}
head="region,scope,year,book,phase,item,amount,unit,kind,department,project"
ids() { # every fact's id and project, in id order, on each backend
	sqlite3 "$sq" "SELECT id, project FROM fact ORDER BY id" >"$dir/ids.sq"
	PSQL "SELECT id || '|' || project FROM fact ORDER BY id" >"$dir/ids.pg"
}

echo "$head" >"$dir/base.csv"; facts "$dir/base.csv" 1 20 P
"$FISC" --db "$sq" init >/dev/null && "$FISC" --db "$pg" init >/dev/null || { echo "FAIL: init"; exit 1; }
run base import "$root/examples/regions.csv" "$dir/base.csv"

# A duplicate of a stored fact on line 9002, after one full COPY batch.
echo "$head" >"$dir/dup.csv"; facts "$dir/dup.csv" 1 9000 Q
echo "500109,all,2023,gpb,execution,tax,5,万元,base,,P5" >>"$dir/dup.csv"
facts "$dir/dup.csv" 9001 9010 Q
run dup import "$dir/dup.csv"
grep -q "dup.csv:9002: 字段「amount」：重复的事实：已存在" "$dir/dup.sq.err" ||
	{ echo "FAIL: the duplicate is not reported at dup.csv:9002: $(head -3 "$dir/dup.sq.err")"; fail=1; }

# Half way: a batch sent, then a figure that cannot be read.
echo "$head" >"$dir/bad.csv"; facts "$dir/bad.csv" 1 9000 R
echo "500109,all,2023,gpb,execution,tax,1x,万元,base,,R-bad" >>"$dir/bad.csv"
run bad import "$dir/bad.csv"
grep -q "bad.csv:9002: 字段「amount」：无法解析金额「1x」" "$dir/bad.sq.err" ||
	{ echo "FAIL: the bad amount is not reported at bad.csv:9002: $(head -3 "$dir/bad.sq.err")"; fail=1; }
[ "$(PSQL "SELECT count(*) FROM fact")" = 20 ] ||
	{ echo "FAIL: the failed imports left $(PSQL "SELECT count(*) FROM fact") facts on PostgreSQL, not 20"; fail=1; }
ids
cmp -s "$dir/ids.sq" "$dir/ids.pg" || { echo "FAIL: stores differ after the failed imports"; fail=1; }

# The same file without its duplicate: every fact, numbered as on SQLite.
grep -v ',P5$' "$dir/dup.csv" >"$dir/good.csv"
run good import "$dir/good.csv"
ids
[ "$(wc -l <"$dir/ids.pg")" = 9030 ] || { echo "FAIL: $(wc -l <"$dir/ids.pg") facts on PostgreSQL, not 9030"; fail=1; }
cmp -s "$dir/ids.sq" "$dir/ids.pg" || { echo "FAIL: fact ids differ between SQLite and PostgreSQL"; diff "$dir/ids.sq" "$dir/ids.pg" | head -5; fail=1; }
run again import "$dir/base.csv"
run check check --region 500109 --format json

[ $fail = 0 ] && echo "ok: facts by COPY on PostgreSQL: duplicates at their line, all-or-nothing, ids as SQLite's"
exit $fail
