#!/usr/bin/env bash
# scale.sh — `make bench-scale`: the scale benchmark of issue 14, one run of
# each tool on identical generated data, side by side; writes the "Scale"
# section of BENCHMARKS.md (replacing an earlier one) and
# build/bench-scale/results.tsv.
#
#   bench/scale.sh                                     1M and 10M vouchers
#   SCALE_SIZES=1000000 bench/scale.sh                 1M only (about 3 minutes here)
#
# For each size: ingest of the vouchers by
#   - fisc import-vouchers into SQLite (the store keeps its rollup aggregates
#     and the identity key of every voucher as part of the import);
#   - fisc import-vouchers into PostgreSQL when this fisc has the backend
#     (detected: `fisc --db postgresql://… init` succeeds; otherwise the row
#     says so), and right after it its peer: plain PostgreSQL COPY (server
#     side, from a file) of the same rows, converted beforehand (untimed) to
#     fisc's voucher table shape, into fisc's own voucher table in a
#     database `fisc init` made (same primary key, same identity index);
#   - the same COPY into 16 hash partitions by region (SCALE_PARTITIONS=0
#     skips it), fisc's identity key as a UNIQUE constraint;
#   - DuckDB COPY of the CSV (@duckdb/node-api, as bench/run.sh).
# Then the national dataset (17,264 regions, ~1.1 M facts): fisc check from
# SQLite; from PostgreSQL (catalogue and regions imported by fisc, the facts
# COPYed from the SQLite store, untimed; the two outputs compared byte for
# byte); and, as the PostgreSQL floor, the facts COPYed into 16 hash
# partitions by region and read by one GROUP BY per (region, year, book,
# phase, scope), which is the read check makes.
# Totals of every tool are compared with the generator's; a difference fails
# the run (exit 1). No timing is asserted anywhere.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SIZES=${SCALE_SIZES:-"1000000 10000000"}
COUNTIES=${SCALE_COUNTIES:-1300}
TOWNSHIPS=${SCALE_TOWNSHIPS:-12}
SEED=${SCALE_SEED:-20240601}
TIMEOUT=${SCALE_TIMEOUT:-3600}
OUT=${SCALE_OUT:-$ROOT/build/bench-scale}
MD=${BENCH_MD:-$ROOT/BENCHMARKS.md}
NODE=$ROOT/bench/node
FISC=$OUT/bin/fisc
W=$OUT/work
export FISC_DATADIR=$ROOT/data LC_ALL=C.UTF-8

log() { printf '\033[1mscale:\033[0m %s\n' "$*" >&2; }
mkdir -p "$OUT/bin" "$W"
RES=$OUT/results.tsv   # size workload tool µs rss_kb rows note
NOTES=$OUT/notes.md
FAILED=0
# SCALE_REPORT_ONLY=1: rewrite the section from the last run's results.
if [ "${SCALE_REPORT_ONLY:-0}" != 1 ]; then
: >"$RES"
: >"$NOTES"
: >"$OUT/sizes.tsv"
START=$(date +%s)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)

apt_install() {
	[ "$(id -u)" = 0 ] || return 1
	apt-get update -qq >/dev/null 2>&1 || true
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >"$OUT/apt.log" 2>&1
}
[ -x /usr/bin/time ] || apt_install time || { log "GNU time is needed"; exit 2; }
PGBIN=/usr/lib/postgresql/15/bin
[ -x $PGBIN/initdb ] || apt_install postgresql-15 || true
HAVE_PG=0; [ -x $PGBIN/initdb ] && command -v psql >/dev/null && HAVE_PG=1
HAVE_DUCK=0
if command -v node >/dev/null && command -v npm >/dev/null; then
	[ -d "$NODE/node_modules/@duckdb/node-api" ] ||
		(cd "$NODE" && npm ci --no-audit --no-fund >"$OUT/npm.log" 2>&1) || true
	[ -d "$NODE/node_modules/@duckdb/node-api" ] && HAVE_DUCK=1
fi

log "building fisc and the generator"
make --no-print-directory all >"$OUT/build.log" 2>&1 || { tail -20 "$OUT/build.log"; exit 2; }
cp build/fisc "$FISC.tmp" && mv "$FISC.tmp" "$FISC"
cc -std=c11 -O2 -o "$OUT/gen" bench/gen.c || exit 2

# ---- PostgreSQL: a throw-away cluster on a Unix socket --------------------
PGD=""
cleanup() {
	if [ -n "$PGD" ] && [ -d "$PGD" ]; then
		pg_as "$PGBIN/pg_ctl" -D "$PGD/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$PGD"
	fi
}
trap cleanup EXIT INT TERM
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
PSQL() { psql -X -q -v ON_ERROR_STOP=1 -h "$PGD" -U postgres -d postgres "$@"; }
if [ $HAVE_PG = 1 ]; then
	PGD=$(mktemp -d /tmp/fisc-scale-pg.XXXXXX)
	chmod 755 "$PGD"
	[ "$(id -u)" = 0 ] && chown postgres "$PGD"
	# The settings of a bulk-loading server, the same for COPY and for fisc.
	pg_as "$PGBIN/initdb" -D "$PGD/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
		>"$OUT/initdb.log" 2>&1 &&
		pg_as "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w \
			-o "-k $PGD -c listen_addresses='' -c shared_buffers=512MB -c max_wal_size=8GB -c maintenance_work_mem=256MB" \
			start >"$OUT/pg_ctl.log" 2>&1 || { HAVE_PG=0; echo "- PostgreSQL did not start (build/bench-scale/*.log)." >>"$NOTES"; }
fi
PGURI="postgresql:///postgres?host=$PGD&user=postgres"

# fisc on PostgreSQL: is the backend in this build?
HAVE_FPG=0
if [ $HAVE_PG = 1 ]; then
	FPROBE="postgresql:///probe?host=$PGD&user=postgres"
	PSQL -c "CREATE DATABASE probe" >/dev/null
	if "$FISC" --db "$FPROBE" init >"$OUT/fisc-pg-probe.log" 2>&1; then HAVE_FPG=1; fi
	PSQL -c "DROP DATABASE probe" >/dev/null 2>&1 || true
fi
[ -f "$OUT/fisc-pg-probe.log" ] || echo "PostgreSQL not running" >"$OUT/fisc-pg-probe.log"
FPG_NOTE="backend not built on this branch ($(head -c 160 "$OUT/fisc-pg-probe.log" 2>/dev/null | tr '\n' ' '))"

# run SIZE WORKLOAD TOOL ROWS CMD: one timed run (wall time, peak RSS).
run() {
	local size=$1 wl=$2 tool=$3 rows=$4 cmd=$5 t0 t1 r
	t0=$(date +%s%N)
	timeout "$TIMEOUT" /usr/bin/time -f %M -o "$W/rss" bash -c "$cmd" >"$W/out" 2>"$W/err"
	r=$?
	t1=$(date +%s%N)
	# fisc check exits 1 when it has findings: a result, not a failure.
	if [ $r != 0 ] && ! { [ "$wl" = check ] && [ $r = 1 ]; }; then
		printf '%s\t%s\t%s\t\t\t%s\tfailed (exit %s): %s\n' "$size" "$wl" "$tool" "$rows" "$r" \
			"$(tail -c 300 "$W/err" | tr '\n\t' '  ')" >>"$RES"
		log "$size $wl $tool: failed ($r)"; return 1
	fi
	local us=$(( (t1 - t0) / 1000 ))
	printf '%s\t%s\t%s\t%s\t%s\t%s\t\n' "$size" "$wl" "$tool" "$us" "$(tail -1 "$W/rss")" "$rows" >>"$RES"
	log "$size $wl $tool: $(awk -v u=$us 'BEGIN{printf "%.2f", u/1e6}') s"
}
skip() { printf '%s\t%s\t%s\t\t\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" >>"$RES"; }
bad() { FAILED=1; echo "- **MISMATCH** $*" >>"$NOTES"; log "MISMATCH: $*"; }

# fisc's voucher table (migrations 2 and 4 of src/lib/store/sqlite.c) in
# PostgreSQL, with its identity key; PART=1: 16 hash partitions by region.
pg_voucher_schema() { # PART
	local part="" key="UNIQUE (number, region_id, unit, year)"
	[ "$1" = 1 ] && part="PARTITION BY HASH (region_id)" key="UNIQUE (region_id, unit, year, number)"
	echo "DROP TABLE IF EXISTS voucher; CREATE TABLE voucher(id bigint NOT NULL, date integer NOT NULL,"
	echo " region_id bigint NOT NULL, unit bigint NOT NULL, book smallint NOT NULL, func integer NOT NULL,"
	echo " econ integer NOT NULL, fen bigint NOT NULL, number text, source_id bigint, line bigint,"
	echo " year integer GENERATED ALWAYS AS (date / 10000) STORED, $key) $part;"
	if [ "$1" = 1 ]; then
		for i in $(seq 0 15); do
			echo "CREATE TABLE voucher_p$i PARTITION OF voucher FOR VALUES WITH (MODULUS 16, REMAINDER $i);"
		done
	fi
}

for NV in $SIZES; do
	D=$OUT/data-$NV
	log "generating $NV vouchers (seed $SEED)"
	rm -rf "$D"
	"$OUT/gen" --seed "$SEED" --vouchers "$NV" --counties "$COUNTIES" --townships "$TOWNSHIPS" \
		--datadir "$ROOT/data" --out "$D" --what vouchers 2>"$OUT/gen.log" || { cat "$OUT/gen.log"; exit 2; }
	read -r _ EXP_TOTAL < <(sed -n 2p "$D/vouchers.expected")
	EXPECT="$NV	$EXP_TOTAL"

	# The fisc store template: the catalogue with the synthetic codes, regions.
	rm -f "$W"/tmpl.db* "$W"/f.db*
	"$FISC" --db "$W/tmpl.db" catalog import 2024 "$D/catalog" >/dev/null &&
		"$FISC" --db "$W/tmpl.db" import "$D/vregions.csv" >/dev/null || { log "fisc template failed"; exit 2; }
	cp "$W/tmpl.db" "$W/f.db"
	run "$NV" ingest "fisc → SQLite" "$NV" "'$FISC' --db '$W/f.db' import-vouchers '$D/vouchers.csv'"
	got=$("$FISC" --db "$W/f.db" rollup --by total | sed -n 2p)
	[ "$got" = "$EXPECT" ] || bad "$NV: fisc/SQLite total '$got', generator '$EXPECT'"
	SQ_BYTES=$(stat -c %s "$W/f.db")
	echo "$NV	sqlite_bytes	$SQ_BYTES" >>"$OUT/sizes.tsv"
	rm -f "$W"/f.db*

	if [ $HAVE_PG = 1 ]; then
		# The same rows in fisc's shape (untimed): region code → the id fisc gave it.
		sqlite3 -separator , "$W/tmpl.db" 'SELECT code, id FROM region' >"$W/rid.csv"
		awk -F, -v OFS='\t' 'NR==FNR{id[$1]=$2; next} FNR==1{next}
			{ b = $4=="gpb" ? 1 : $4=="gfb" ? 2 : $4=="soe" ? 3 : 4; d=$1; gsub("-", "", d)
			  print FNR-1, d, id[$2], $3, b, $5, $6, $7, $8, 1, FNR }' \
			"$W/rid.csv" "$D/vouchers.csv" >"$PGD/v.tsv"
		chmod 644 "$PGD/v.tsv"
		COPYCOLS="voucher(id,date,region_id,unit,book,func,econ,fen,number,source_id,line)"
		if [ $HAVE_FPG = 1 ]; then
			# fisc → PostgreSQL, and its peer: plain COPY of the same rows into
			# the same table, in a database `fisc init` made (the same primary
			# key and identity index), one right after the other.
			FV="postgresql:///fv?host=$PGD&user=postgres"
			PSQL -c "DROP DATABASE IF EXISTS fv" -c "CREATE DATABASE fv" >/dev/null
			"$FISC" --db "$FV" catalog import 2024 "$D/catalog" >/dev/null &&
				"$FISC" --db "$FV" import "$D/vregions.csv" >/dev/null
			PSQL -c CHECKPOINT
			run "$NV" ingest "fisc → PostgreSQL" "$NV" "'$FISC' --db '$FV' import-vouchers '$D/vouchers.csv'"
			got=$("$FISC" --db "$FV" rollup --by total | sed -n 2p)
			[ "$got" = "$EXPECT" ] || bad "$NV: fisc/PostgreSQL total '$got'"
			echo "$NV	pg_fisc_bytes	$(PSQL -d fv -At -c "SELECT pg_total_relation_size('voucher')")" >>"$OUT/sizes.tsv"
			PSQL -c "DROP DATABASE fv" -c "CREATE DATABASE fv" >/dev/null
			"$FISC" --db "$FV" init >/dev/null
			PSQL -c CHECKPOINT
			run "$NV" ingest "PostgreSQL COPY (fisc's table as fisc init makes it)" "$NV" \
				"psql -X -q -v ON_ERROR_STOP=1 -h '$PGD' -U postgres -d fv -c \"COPY $COPYCOLS FROM '$PGD/v.tsv'\""
			got=$(PSQL -d fv -At -F $'\t' -c 'SELECT count(*), sum(fen) FROM voucher')
			[ "$got" = "$EXPECT" ] || bad "$NV: COPY into fisc's table total '$got'"
			PSQL -c "DROP DATABASE fv" >/dev/null
		else
			skip "$NV" ingest "fisc → PostgreSQL" "$NV" "$FPG_NOTE"
		fi
		if [ "${SCALE_PARTITIONS:-1}" = 1 ]; then
			PSQL -c "$(pg_voucher_schema 1)" >/dev/null
			PSQL -c CHECKPOINT
			name="PostgreSQL COPY (fisc's table, 16 hash partitions)"
			run "$NV" ingest "$name" "$NV" \
				"psql -X -q -v ON_ERROR_STOP=1 -h '$PGD' -U postgres -d postgres -c \"COPY $COPYCOLS FROM '$PGD/v.tsv'\""
			got=$(PSQL -At -F $'\t' -c 'SELECT count(*), sum(fen) FROM voucher')
			[ "$got" = "$EXPECT" ] || bad "$NV: $name total '$got'"
			PSQL -At -c "SELECT pg_total_relation_size(inhrelid) FROM pg_inherits WHERE inhparent='voucher'::regclass" |
				awk -v n="$NV" '{s+=$1} END{printf "%s\tpg_part_bytes\t%.0f\n", n, s}' >>"$OUT/sizes.tsv"
			PSQL -c "DROP TABLE voucher" >/dev/null
		fi
		rm -f "$PGD/v.tsv"
	else
		skip "$NV" ingest "PostgreSQL COPY" "$NV" "PostgreSQL could not be installed or started"
	fi

	if [ $HAVE_DUCK = 1 ]; then
		rm -f "$W"/duck.db*
		run "$NV" ingest "DuckDB COPY" "$NV" "node '$NODE/duck.mjs' ingest '$W/duck.db' '$D/vouchers.csv'"
		got=$(node "$NODE/duck.mjs" total "$W/duck.db" | tr -d '\n')
		[ "$got" = "$EXPECT" ] || bad "$NV: DuckDB total '$got'"
		rm -f "$W"/duck.db*
	else
		skip "$NV" ingest "DuckDB COPY" "$NV" "@duckdb/node-api could not be installed"
	fi

	rm -f "$D/vouchers.ledger" "$D/vouchers.beancount" "$D/vouchers.csv"
done

# ---- check over the national dataset -------------------------------------
D=$OUT/data-national
log "generating the national dataset"
rm -rf "$D"
"$OUT/gen" --seed "$SEED" --vouchers "${SIZES%% *}" --counties "$COUNTIES" --townships "$TOWNSHIPS" \
	--datadir "$ROOT/data" --out "$D" --what national 2>"$OUT/gen-nat.log" || { cat "$OUT/gen-nat.log"; exit 2; }
NFACTS=$(( $(wc -l <"$D/facts.csv") - 1 ))
NREG=$(( $(wc -l <"$D/regions.csv") - 1 ))
rm -f "$W"/nat.db*
"$FISC" --db "$W/nat.db" catalog import 2024 "$D/catalog" >/dev/null &&
	"$FISC" --db "$W/nat.db" import "$D/regions.csv" "$D/facts.csv" >"$W/nat.log" 2>&1 || { tail "$W/nat.log"; exit 2; }
echo "national	sqlite_bytes	$(stat -c %s "$W/nat.db")" >>"$OUT/sizes.tsv"
"$FISC" --db "$W/nat.db" check >/dev/null 2>&1   # warm the page cache once
run national check "fisc check ← SQLite" "$NFACTS" "'$FISC' --db '$W/nat.db' check >'$W/check-sqlite.out'"

if [ $HAVE_FPG = 1 ]; then
	PSQL -c "DROP DATABASE IF EXISTS nat" -c "CREATE DATABASE nat" >/dev/null
	NAT="postgresql:///nat?host=$PGD&user=postgres"
	# The store on PostgreSQL: catalogue and regions by fisc; the facts
	# copied from the SQLite store by COPY, untimed, in SQLite's id order,
	# region ids mapped by code (the store the 11:48 run of 2026-12-04
	# measured, when fisc's import still sent a fact per round trip).
	"$FISC" --db "$NAT" catalog import 2024 "$D/catalog" >/dev/null &&
		"$FISC" --db "$NAT" import "$D/regions.csv" >"$W/nat-pg.log" 2>&1 || bad "regions into PostgreSQL: $(tail -2 "$W/nat-pg.log")"
	sqlite3 -csv "$W/nat.db" "SELECT f.id, r.code, year, book, phase, scope, item, kind, dept, project,
		econ, fund, fen, ulp, unit, decimals, source, note FROM fact f JOIN region r ON r.id = f.region_id
		ORDER BY f.id" >"$PGD/nfacts.csv"
	chmod 644 "$PGD/nfacts.csv"
	PSQL -d nat >/dev/null <<-SQL || bad "facts into PostgreSQL by COPY failed"
	CREATE TEMP TABLE f_in(id bigint, region text, year integer, book smallint, phase smallint,
	  scope smallint, item text, kind smallint, dept text, project text, econ text, fund text,
	  fen bigint, ulp bigint, unit smallint, decimals smallint, source text, note text);
	COPY f_in FROM '$PGD/nfacts.csv' (FORMAT csv, FORCE_NOT_NULL (item, dept, project, econ, fund, source, note));
	INSERT INTO fact(region_id,year,book,phase,scope,item,kind,dept,project,econ,fund,fen,ulp,unit,decimals,source,note)
	  SELECT r.id, year, book, phase, scope, item, kind, dept, project, econ, fund, fen, ulp, f.unit, decimals, source, note
	  FROM f_in f JOIN region r ON r.code = f.region ORDER BY f.id;
	VACUUM ANALYZE fact;
	SQL
	rm -f "$PGD/nfacts.csv"
	"$FISC" --db "$NAT" check >/dev/null 2>&1
	run national check "fisc check ← PostgreSQL" "$NFACTS" "'$FISC' --db '$NAT' check >'$W/check-pg.out'"
	cmp -s "$W/check-sqlite.out" "$W/check-pg.out" || bad "check from PostgreSQL differs from check from SQLite"
else
	skip national check "fisc check ← PostgreSQL" "$NFACTS" "$FPG_NOTE"
fi

if [ $HAVE_PG = 1 ]; then
	cp "$D/facts.csv" "$PGD/facts.csv" && chmod 644 "$PGD/facts.csv"
	PSQL >/dev/null <<-SQL
	DROP TABLE IF EXISTS nfact;
	CREATE TABLE nfact(region text, scope text, year integer, book text, phase text, item text,
	  amount numeric, unit text, kind text, department text, project text) PARTITION BY HASH (region);
	$(for i in $(seq 0 15); do echo "CREATE TABLE nfact_p$i PARTITION OF nfact FOR VALUES WITH (MODULUS 16, REMAINDER $i);"; done)
	COPY nfact FROM '$PGD/facts.csv' (FORMAT csv, HEADER true);
	VACUUM ANALYZE nfact;
	SQL
	run national check "PostgreSQL GROUP BY over 16 partitions (the read of check, no rules)" "$NFACTS" \
		"psql -X -q -At -h '$PGD' -U postgres -d postgres -c \"SELECT region, year, book, phase, scope, count(*), sum(amount) FROM nfact GROUP BY 1,2,3,4,5\" >'$W/pg-group.out'"
	[ "$(wc -l <"$W/pg-group.out")" -gt 0 ] || bad "the PostgreSQL GROUP BY returned nothing"
	PSQL -c "DROP TABLE nfact" >/dev/null
fi

END=$(date +%s)
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
declare -p START END LOAD0 LOAD1 SIZES NREG NFACTS FAILED >"$OUT/meta.sh"
fi
. "$OUT/meta.sh"

# ---- the section of BENCHMARKS.md -----------------------------------------
sec() { [ -n "$1" ] && awk -v u="$1" 'BEGIN{printf "%.2f s", u/1e6}' || echo "—"; }
rate() { [ -n "$1" ] && [ -n "$2" ] && awk -v n="$2" -v u="$1" 'BEGIN{printf "%\047d", n/(u/1e6)}' || echo "—"; }
get() { awk -F'\t' -v s="$1" -v w="$2" -v t="$3" '$1==s&&$2==w&&$3==t{print $4}' "$RES"; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f×", a/b}' || echo "—"; }
section() {
	echo "## Scale: 1M and 10M vouchers, SQLite, PostgreSQL, DuckDB (issue 14)"
	echo
	echo "Written by \`make bench-scale\` (bench/scale.sh) on $(date -u '+%Y-%m-%d %H:%M') UTC; the run took $((END - START)) s,"
	echo "one run of each tool (no warm-up, no median: the sizes make repeated runs too long for this machine),"
	echo "on the machine of § Machine: $(nproc) cores shared with other work, load $LOAD0 at the start,"
	echo "$LOAD1 at the end. Sizes run: $SIZES. PostgreSQL 15 with shared_buffers=512MB,"
	echo "max_wal_size=8GB, fsync on; SQLite as fisc configures it (WAL, synchronous=NORMAL, 64 KB pages)."
	echo "Other sessions ran on the machine throughout: compare the tools within this table (same run, same"
	echo "load), not with the figures of § Results, measured on a quieter machine."
	echo
	echo "| vouchers | workload | tool | time | peak RSS | rows/s | ÷ fisc → SQLite | notes |"
	echo "|---:|---|---|---:|---:|---:|---:|---|"
	# Tabs to \037: read would merge the empty fields of a row not measured.
	while IFS=$'\037' read -r size wl tool us rss rows note; do
		base=$(get "$size" "$wl" "fisc → SQLite"); [ "$wl" = check ] && base=$(get "$size" check "fisc check ← SQLite")
		r="—"; [ -n "$us" ] && r=$(ratio "$us" "$base")
		mb="—"; [ -n "$rss" ] && mb="$((rss / 1024)) MB"
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$size" "$wl" "$tool" "$(sec "$us")" "$mb" \
			"$(rate "$us" "$rows")" "$r" "$note"
	done < <(tr '\t' '\037' <"$RES")
	echo
	echo "Stored sizes (bytes): $(awk -F'\t' '{printf "%s %s = %s; ", $1, $2, $3}' "$OUT/sizes.tsv")"
	echo "The national dataset: $NREG regions, $NFACTS facts."
	echo
	echo "What each row is: \`fisc → SQLite\` and \`fisc → PostgreSQL\` are \`fisc import-vouchers\` of the CSV (parsing,"
	echo "validation of every code, the identity key, the rollup aggregates, one transaction; on PostgreSQL each batch"
	echo "is COPYed into the voucher table, docs/postgresql.md). The PostgreSQL COPY rows load the same rows already"
	echo "converted to fisc's integer table shape (the conversion is not timed) from a file on the server: into"
	echo "fisc's own voucher table in a database \`fisc init\` made (its primary key and identity index, run right"
	echo "after fisc → PostgreSQL), and into 16 hash partitions by region with the identity key as a UNIQUE"
	echo "constraint; they keep no aggregates. DuckDB loads the CSV as it is, without a key. For \`fisc check ←"
	echo "PostgreSQL\` the catalogue and regions were imported by fisc and the facts COPYed from the SQLite store"
	echo "(untimed; fisc's own import COPYs facts in batches since, docs/postgresql.md); its output was compared"
	echo "with the SQLite check's byte for byte. The PostgreSQL GROUP BY row is the floor of a check from"
	echo "PostgreSQL: the facts of every (region, year, book, phase, scope) summed in the server, no rule evaluated."
	echo
	echo "**Targets of issue 14**, from this run:"
	echo
	local sz f c r
	for sz in $SIZES; do
		f=$(get "$sz" ingest "fisc → PostgreSQL") c=$(get "$sz" ingest "PostgreSQL COPY (fisc's table as fisc init makes it)")
		r=$(awk -v a="$f" -v b="$c" 'BEGIN{ if (a != "" && b > 0) printf "%.2f", a/b }')
		echo "- fisc's PostgreSQL import within 1.2× of plain COPY of the same rows, $sz vouchers: ${r:-—}× —" \
			"$(awk -v x="$r" 'BEGIN{ if (x == "") print "not measured"; else if (x <= 1.2) print "**met**"; else printf "**not met** (by %.0f %%)\n", (x / 1.2 - 1) * 100 }')."
	done
	f=$(get national check "fisc check ← PostgreSQL") c=$(get national check "fisc check ← SQLite")
	r=$(awk -v a="$f" -v b="$c" 'BEGIN{ if (a != "" && b > 0) printf "%.2f", a/b }')
	echo "- check from PostgreSQL within 2× of check from SQLite: ${r:-—}× —" \
		"$(awk -v x="$r" 'BEGIN{ if (x == "") print "not measured"; else if (x <= 2) print "**met**"; else printf "**not met** (by %.0f %%)\n", (x / 2 - 1) * 100 }')."
	echo "- nothing lost: every tool's count and total equal the generator's$( [ "$FAILED" = 0 ] && echo "" || echo " — **not so in this run**, see below")."
	if [ -s "$NOTES" ]; then echo; cat "$NOTES"; fi
	echo
	echo "Reproduce: \`make bench-scale\` (both sizes) or \`SCALE_SIZES=1000000 bench/scale.sh\`."
	echo
}
TMP=$(mktemp)
if [ -f "$MD" ]; then
	awk '/^## Scale: /{skip=1; next} skip && /^## /{skip=0} !skip' "$MD" >"$TMP"
else
	echo "# fisc benchmarks" >"$TMP"
fi
{ cat "$TMP"; echo; section; } | cat -s >"$MD"
rm -f "$TMP"
log "wrote the scale section of $MD"
exit $FAILED
