#!/usr/bin/env bash
# serve_pay.sh — `make bench-serve-pay`: controlled payments over HTTP (issues
# 12 and 14). wrk (Debian's wrk, bench/pay.lua) keeps 64 connections each
# POSTing payment requests, every one with its own Idempotency-Key, 1 fen on
# the 指标 lines of one region, for PAY_SECONDS (default 10) against
#   (a) one `fisc serve` on SQLite (the ledger engine: group commit);
#   (b) two `fisc serve` processes sharing one PostgreSQL, 32 connections
#       each (each server has its own engine; their batches queue on the
#       ledger's advisory lock, docs/postgresql.md);
# and, for reference, (c) PostgreSQL alone doing the same with 64
# submitters, one transaction per payment (bench/ledger.c's `pg` peer, the
# PostgreSQL row of bench/ledger.sh), on the same number of lines.
# After each fisc run: every acknowledged (201) payment is stored (stored ≥
# acknowledged; the excess is at most the requests in flight when wrk
# stopped, whose answers it no longer read), no other status was answered,
# the invariant 0 ≤ 已支付 + 在途 ≤ 指标 holds on every line, and `fisc
# journal verify` passes; a failure fails the run (exit 1). No timing is
# asserted. Writes the "Payments over HTTP" section of BENCHMARKS.md.
#
#   PAY_SECONDS=10 bench/serve_pay.sh
#   PAY_REPORT_ONLY=1 bench/serve_pay.sh    rewrite the section from the last run
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
SECS=${PAY_SECONDS:-10}
CONNS=64
OUT=${BENCH_OUT:-$ROOT/build/bench}
MD=${BENCH_MD:-$ROOT/BENCHMARKS.md}
W=$OUT/serve-pay
PGBIN=/usr/lib/postgresql/15/bin
FISC=$ROOT/build/fisc
BIN=$OUT/ledger-bench
export FISC_DATADIR=$ROOT/data LC_ALL=C.UTF-8
log() { printf '\033[1mbench serve-pay:\033[0m %s\n' "$*" >&2; }
mkdir -p "$W"
RES=$W/results.tsv   # setup payments/s p50_us p99_us acked stored other errors verdict
META=$W/run.sh

if [ "${PAY_REPORT_ONLY:-0}" != 1 ]; then
scripts/deps.sh bench >"$W/deps.log" 2>&1 || { cat "$W/deps.log"; exit 2; }
make --no-print-directory all >"$W/build.log" 2>&1 || { tail -20 "$W/build.log"; exit 2; }
# shellcheck disable=SC2046
cc -std=c11 -D_GNU_SOURCE -O2 -Iinclude -Isrc/lib -DWITH_PQ $(pkg-config --cflags libpq) \
	bench/ledger.c build/libfisc.a \
	$(pkg-config --libs sqlite3 libzip expat jansson libutf8proc xlsxwriter libsodium libcrypto libxml-2.0 libpq) \
	-lm -lpthread -o "$BIN" || exit 2

# A throw-away PostgreSQL 15 with its defaults for durability (fsync,
# synchronous_commit on), as bench/ledger.sh starts it.
PGD="" PIDS=""
pg_as() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
	for p in $PIDS; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	if [ -n "$PGD" ] && [ -d "$PGD" ]; then
		pg_as "$PGBIN/pg_ctl" -D "$PGD/data" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$PGD"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
PGD=$(mktemp -d /tmp/fisc-bench-pay-pg.XXXXXX)
chmod 755 "$PGD"
[ "$(id -u)" = 0 ] && chown postgres "$PGD"
pg_as "$PGBIN/initdb" -D "$PGD/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$W/initdb.log" 2>&1 &&
	pg_as "$PGBIN/pg_ctl" -D "$PGD/data" -l "$PGD/log" -w \
		-o "-k $PGD -c listen_addresses='' -c max_connections=200 -c shared_buffers=256MB" \
		start >"$W/pg_ctl.log" 2>&1 || { log "PostgreSQL did not start ($W/pg_ctl.log)"; exit 2; }
PSQL() { psql -X -q -At -v ON_ERROR_STOP=1 -h "$PGD" -U postgres "$@"; }

A=210200-GX
EA=210200-GX   # its path segment (nothing to encode)
FAILED=0
: >"$RES"
rm -f "$W/notes.md"

# store DB: the examples, a finance user of A and its API token, A's 2025
# department budget issued as 指标; prints the token.
store() {
	"$FISC" --db "$1" import examples/*.csv >/dev/null &&
		echo bench-password-1 | "$FISC" --db "$1" user add fin --role 财政 --region "$A" >/dev/null &&
		"$FISC" --db "$1" quota issue --from-budget --region "$A" --year 2025 >/dev/null &&
		"$FISC" --db "$1" user token fin
}
# serve DB THREADS: start a server on a free port; sets SPID and SBASE.
serve() {
	local out=$W/serve.$RANDOM
	"$FISC" --db "$1" serve --listen 127.0.0.1:0 --threads "$2" >"$out" 2>"$out.err" &
	SPID=$!
	PIDS="$PIDS $SPID"
	for _ in $(seq 1 100); do
		grep -q '^listening' "$out" && break
		kill -0 "$SPID" 2>/dev/null || { cat "$out.err" >&2; return 1; }
		sleep 0.1
	done
	SBASE=$(sed -n 's/^listening //p' "$out")
	[ -n "$SBASE" ]
}
stop() { for p in "$@"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; PIDS=""; }
# wrk against BASE with C connections and T threads, key prefix P: its PAY line.
load() {
	wrk -t"$2" -c"$3" -d"${SECS}s" --timeout 10s -s bench/pay.lua "$1" -- "$TOKEN" "$EA" "$4" "$LINES" \
		>"$W/wrk-$4.out" 2>&1
	grep '^PAY ' "$W/wrk-$4.out" || echo "PAY 0 0 0 0 0 0"
}
# verdict SETUP ACKED OTHER ERRS STORED BAD VERIFY_RC: nothing lost, or why not.
verdict() {
	local why=""
	[ "$5" -ge "$2" ] || why="$why stored $5 < acknowledged $2;"
	[ "$5" -le $(($2 + $3 + CONNS)) ] || why="$why stored $5 > acknowledged $2 + in flight;"
	[ "$3" = 0 ] || why="$why $3 answers other than 201;"
	[ "$4" = 0 ] || why="$why $4 socket errors;"
	[ "$6" = 0 ] || why="$why $6 lines break 0 ≤ 已支付 + 在途 ≤ 指标;"
	[ "$7" = 0 ] || why="$why journal verify failed;"
	if [ -n "$why" ]; then FAILED=1; log "$1: LOST OR WRONG:$why"; echo "FAILED:$why"; else echo ok; fi
}
INVARIANT="SELECT count(*) FROM ledger_line WHERE paid < 0 OR pending < 0 OR paid + pending > quota"

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
START=$(date +%s)

# (a) one server on SQLite
log "one fisc serve on SQLite, $CONNS connections, ${SECS} s"
SQ=$W/pay.db
rm -f "$SQ"*
TOKEN=$(store "$SQ") || { log "store setup failed"; exit 2; }
LINES=$(sqlite3 "$SQ" "SELECT group_concat(id) FROM ledger_line WHERE region='$A'")
NLINES=$(echo "$LINES" | tr ',' '\n' | wc -l)
serve "$SQ" "$CONNS" || exit 2
read -r _ acked other errs p50 p99 rps < <(load "$SBASE" 2 "$CONNS" sq)
stop "$SPID"
stored=$(sqlite3 "$SQ" "SELECT count(*) FROM ledger_payment WHERE key LIKE 'sq-%'")
bad=$(sqlite3 "$SQ" "$INVARIANT")
"$FISC" --db "$SQ" journal verify >"$W/verify-sq.out" 2>&1; vr=$?
v=$(verdict sqlite "$acked" "$other" "$errs" "$stored" "$bad" "$vr")
printf 'sqlite\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rps" "$p50" "$p99" "$acked" "$stored" "$other" "$errs" "$v" >>"$RES"
log "SQLite: $rps payments/s, p99 $p99 µs, $v"

# (b) two servers on one PostgreSQL
log "two fisc serve on one PostgreSQL, $((CONNS / 2)) connections each, ${SECS} s"
PSQL -d postgres -c "CREATE DATABASE pay" >/dev/null
PG="postgresql:///pay?host=$PGD&user=postgres"
TOKEN=$(store "$PG") || { log "store setup on PostgreSQL failed"; exit 2; }
LINES=$(PSQL -d pay -c "SELECT string_agg(id::text, ',' ORDER BY id) FROM ledger_line WHERE region='$A'")
serve "$PG" $((CONNS / 2)) || exit 2; P1=$SPID B1=$SBASE
serve "$PG" $((CONNS / 2)) || exit 2; P2=$SPID B2=$SBASE
load "$B1" 1 $((CONNS / 2)) pg1 >"$W/pay-pg1" &
L1=$!
load "$B2" 1 $((CONNS / 2)) pg2 >"$W/pay-pg2"
wait $L1
stop "$P1" "$P2"
read -r _ a1 o1 e1 m1 q1 r1 <"$W/pay-pg1"
read -r _ a2 o2 e2 m2 q2 r2 <"$W/pay-pg2"
acked=$((a1 + a2)) other=$((o1 + o2)) errs=$((e1 + e2))
rps=$(awk -v a="$r1" -v b="$r2" 'BEGIN{printf "%.1f", a + b}')
# The two halves' percentiles: the larger of each (wrk cannot merge them).
p50=$((m1 > m2 ? m1 : m2)) p99=$((q1 > q2 ? q1 : q2))
stored=$(PSQL -d pay -c "SELECT count(*) FROM ledger_payment WHERE key LIKE 'pg_-%'")
bad=$(PSQL -d pay -c "$INVARIANT")
"$FISC" --db "$PG" journal verify >"$W/verify-pg.out" 2>&1; vr=$?
v=$(verdict postgresql "$acked" "$other" "$errs" "$stored" "$bad" "$vr")
printf 'pg2\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rps" "$p50" "$p99" "$acked" "$stored" "$other" "$errs" "$v" >>"$RES"
log "two servers on PostgreSQL: $rps payments/s, p99 $p99 µs, $v"

# (c) PostgreSQL alone, one transaction per payment, on as many lines
log "PostgreSQL alone, $CONNS submitters, $NLINES lines, ${SECS} s"
PSQL -d postgres -c "CREATE DATABASE peer" >/dev/null
# ledger-bench prints: system submitters lines payments payments/s p50_us p99_us
read -r _ _ _ n rps p50 p99 < <("$BIN" pg "host=$PGD user=postgres dbname=peer" "$CONNS" "$NLINES" "$SECS")
printf 'pgpeer\t%s\t%s\t%s\t%s\t\t\t\t\n' "$rps" "$p50" "$p99" "$n" >>"$RES"
log "PostgreSQL alone: $rps payments/s, p99 $p99 µs"

LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
END=$(date +%s)
printf 'WHEN=%q\nLOAD0=%q\nLOAD1=%q\nSECS=%q\nNLINES=%q\nSTART=%q\nEND=%q\nFAILED=%q\n' \
	"$(date -u '+%Y-%m-%d %H:%M')" "$LOAD0" "$LOAD1" "$SECS" "$NLINES" "$START" "$END" "$FAILED" >"$META"
fi
# shellcheck disable=SC1090
. "$META"

col() { awk -F'\t' -v s="$1" -v c="$2" '$1==s{print $c}' "$RES"; }
ms() { [ -n "$1" ] && awk -v u="$1" 'BEGIN{printf "%.1f", u/1000}' || echo "—"; }
int() { [ -n "$1" ] && awk -v x="$1" 'BEGIN{printf "%\047d", x}' || echo "—"; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f×", a/b; else print "—" }' || echo "—"; }
section() {
	echo "## Payments over HTTP: one server on SQLite, two servers on one PostgreSQL (issues 12, 14)"
	echo
	echo "Written by \`make bench-serve-pay\` (bench/serve_pay.sh) on $WHEN UTC; the run took $((END - START)) s;"
	echo "$(nproc) cores shared with other sessions, load average $LOAD0 at the start, $LOAD1 at the end:"
	echo "compare the rows of this table with each other (same run, same load), not with other sections."
	echo "wrk (bench/pay.lua) keeps $CONNS connections, each POSTing \`/api/regions/210200-GX/payments\` with a"
	echo "bearer API token (\`fisc user token\`), a new Idempotency-Key per request and 0.01 元 on one of the"
	echo "region's $NLINES 指标 lines (those \`fisc quota issue --from-budget\` makes from examples/: hot lines),"
	echo "for ${SECS} s. A payment is acknowledged (201) only once its batch is committed and fsynced."
	echo
	echo "| setup | payments/s | p50 ms | p99 ms | acknowledged | stored | other answers | nothing lost, invariant, journal verify |"
	echo "|---|---:|---:|---:|---:|---:|---:|---|"
	local s name
	for s in sqlite pg2 pgpeer; do
		case $s in
		sqlite) name="one \`fisc serve\` on SQLite (64 connections; engine: group commit, synchronous=FULL)" ;;
		pg2) name="two \`fisc serve\` on one PostgreSQL (32 connections each)" ;;
		pgpeer) name="PostgreSQL alone: 64 submitters, one transaction per payment (bench/ledger.c \`pg\`)" ;;
		esac
		printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "$(int "$(col $s 2)")" "$(ms "$(col $s 3)")" \
			"$(ms "$(col $s 4)")" "$(int "$(col $s 5)")" "$(int "$(col $s 6)")" "$(col $s 7)" \
			"$( [ $s = pgpeer ] && echo "— (no HTTP; its own tables)" || col $s 9)"
	done
	echo
	echo "Ratios: one server on SQLite ÷ two servers on PostgreSQL $(ratio "$(col sqlite 2)" "$(col pg2 2)");"
	echo "two servers on PostgreSQL ÷ PostgreSQL alone $(ratio "$(col pg2 2)" "$(col pgpeer 2)")."
	echo "Stored may exceed acknowledged by the requests in flight when wrk stopped (committed, answer"
	echo "not read); a stored count below the acknowledged one, any answer other than 201, a line with"
	echo "已支付 + 在途 > 指标 or a failing \`fisc journal verify\` fails the run. The two PostgreSQL servers' p50"
	echo "and p99 are the larger of the two wrk processes' (wrk does not merge histograms)."
	# The run's reading, written by hand after looking at it (kept across
	# PAY_REPORT_ONLY rewrites; a new run clears it).
	if [ -s "$W/notes.md" ]; then echo; cat "$W/notes.md"; fi
	echo
}
TMP=$(mktemp)
if [ -f "$MD" ]; then
	awk '/^## Payments over HTTP: /{skip=1; next} skip && /^## /{skip=0} !skip' "$MD" >"$TMP"
fi
{ cat "$TMP"; echo; section; } | cat -s >"$MD"
rm -f "$TMP"
cat "$RES"
log "wrote the payments-over-HTTP section of $MD"
exit "$FAILED"
