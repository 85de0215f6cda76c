#!/usr/bin/env bash
# diff.sh — the history benchmark (issue 11, item 7): `fisc diff` of two
# national datasets (bench/gen's, ~1.1 M facts each; the second with every
# 97th figure changed and every 1009th dropped), an amendment of ~12 k
# figures on the national store (`fisc import --amend`), and `fisc check`
# on the amended store, current and `--as-of` the import, against the same
# check before the amendment (current reads must not slow down).
# Writes the "History" section of BENCHMARKS.md (replacing an earlier one).
#
#   bench/diff.sh          (make bench-diff)
#
# Environment: BENCH_COUNTIES, BENCH_TOWNSHIPS, BENCH_SEED, BENCH_RUNS
# (timed runs after a warm-up, default 3), BENCH_OUT, BENCH_MD; BENCH_REUSE=1
# reuses the stores a previous run loaded.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
COUNTIES=${BENCH_COUNTIES:-1300}
TOWNSHIPS=${BENCH_TOWNSHIPS:-12}
SEED=${BENCH_SEED:-20240601}
RUNS=${BENCH_RUNS:-3}
OUT=${BENCH_OUT:-$ROOT/build/bench}
MD=${BENCH_MD:-$ROOT/BENCHMARKS.md}
W=$OUT/history
D=$W/data
FISC=$ROOT/build/fisc
export FISC_DATADIR=$ROOT/data LC_ALL=C.UTF-8
log() { printf '\033[1mbench diff:\033[0m %s\n' "$*" >&2; }
die() { log "$*"; exit 2; }
mkdir -p "$W"

make --no-print-directory all >"$W/build.log" 2>&1 || { tail -20 "$W/build.log"; die "build failed"; }
cc -std=c11 -O2 -Wall -Wextra -o "$W/gen" bench/gen.c || die "cannot build bench/gen"
log "generating the national dataset (seed $SEED, $COUNTIES counties)"
"$W/gen" --seed "$SEED" --vouchers 1000 --counties "$COUNTIES" --townships "$TOWNSHIPS" \
	--datadir "$ROOT/data" --out "$D" --what national 2>"$W/gen.log" || { cat "$W/gen.log"; die "gen failed"; }

# The second dataset: every 97th figure's last digit moved by one (a change
# of at most 0.09 元), every 1009th figure dropped. The same rows, changed
# only, are the amendment of the first store.
awk -F, -v OFS=, 'NR == 1 { print; next }
	NR % 1009 == 0 { next }
	NR % 97 == 0 { d = substr($7, length($7), 1); $7 = substr($7, 1, length($7) - 1) ((d + 1) % 10) }
	{ print }' "$D/facts.csv" >"$D/facts-b.csv"
awk -F, -v OFS=, 'NR == 1 { print; next }
	NR % 97 == 0 && NR % 1009 != 0 { d = substr($7, length($7), 1); $7 = substr($7, 1, length($7) - 1) ((d + 1) % 10); print }' \
	"$D/facts.csv" >"$D/amend.csv"
NFACTS=$(( $(wc -l <"$D/facts.csv") - 1 ))
NCHANGED=$(( $(wc -l <"$D/amend.csv") - 1 ))
NDROPPED=$(awk 'NR > 1 && NR % 1009 == 0' "$D/facts.csv" | wc -l)

load() { # store facts-file
	rm -f "$1" "$1"-wal "$1"-shm
	"$FISC" --db "$1" catalog import 2024 "$D/catalog" >/dev/null &&
		"$FISC" --db "$1" import "$D/regions.csv" "$2" >"$W/load.log" 2>&1 ||
		{ tail -3 "$W/load.log"; die "cannot load $2"; }
}
if [ "${BENCH_REUSE:-0}" = 1 ] && [ -f "$W/a-orig.db" ] && [ -f "$W/b.db" ] && [ -f "$W/load-ms" ]; then
	log "reusing the loaded stores (BENCH_REUSE=1)"
	cp "$W/a-orig.db" "$W/a.db"
else
	log "loading both datasets ($NFACTS facts each)"
	T0=$(date +%s%N); load "$W/a.db" "$D/facts.csv"; echo $(( ($(date +%s%N) - T0) / 1000000 )) >"$W/load-ms"
	load "$W/b.db" "$D/facts-b.csv"
	cp "$W/a.db" "$W/a-orig.db"
fi
LOAD_MS=$(cat "$W/load-ms")

# Median wall time (ms) and peak RSS (KB) of RUNS runs after a warm-up;
# exit 1 of `fisc check` (findings) is a result.
RES=$W/results.tsv
: >"$RES"
measure() { # name command
	local name=$1 cmd=$2 i t0 r rss=0 m
	local -a ts=()
	for ((i = 0; i <= RUNS; i++)); do
		t0=$(date +%s%N)
		/usr/bin/time -f %M -o "$W/rss" bash -c "$cmd" >"$W/$name.out" 2>"$W/$name.err"
		r=$?
		[ $r = 0 ] || [ $r = 1 ] || { tail -3 "$W/$name.err"; die "$name failed (exit $r)"; }
		[ $i = 0 ] && continue
		ts+=($(( ($(date +%s%N) - t0) / 1000000 )))
		m=$(tail -1 "$W/rss"); [ "$m" -gt "$rss" ] && rss=$m
	done
	m=$(printf '%s\n' "${ts[@]}" | sort -n | sed -n "$(( (${#ts[@]} + 1) / 2 ))p")
	printf '%s\t%s\t%s\n' "$name" "$m" "$rss" >>"$RES"
	log "$name: $m ms, $((rss / 1024)) MB"
}

measure check-before "'$FISC' --db '$W/a.db' check"
log "diff of the two national stores"
measure diff-stores "'$FISC' --db '$W/a.db' diff --year 2024 --vs-db '$W/b.db' --format csv >'$W/diff.csv'"
DIFF_LINES=$(( $(grep -c '' "$W/diff.csv") - 2 ))
[ "$DIFF_LINES" = $((NCHANGED + NDROPPED)) ] ||
	die "diff lists $DIFF_LINES lines, expected $((NCHANGED + NDROPPED)) ($NCHANGED changed, $NDROPPED dropped)"

log "amending $NCHANGED figures"
measure amend-dry "'$FISC' --db '$W/a.db' import --amend --dry-run --reason 基准 '$D/amend.csv'"
T0=$(date +%s%N)
"$FISC" --db "$W/a.db" import --amend --reason 基准 --doc BENCH-1 "$D/amend.csv" >"$W/amend.out" ||
	die "amendment failed"
AMEND_MS=$(( ($(date +%s%N) - T0) / 1000000 ))
grep -q "修改 $NCHANGED 处" "$W/amend.out" || die "amendment: $(tail -1 "$W/amend.out")"
measure diff-versions "'$FISC' --db '$W/a.db' diff --year 2024 --as-of '#1' --vs-as-of BENCH-1 --format csv >'$W/diff-v.csv'"
[ $(( $(grep -c '' "$W/diff-v.csv") - 2 )) = "$NCHANGED" ] || die "diff of versions: wrong number of lines"
# A second amendment puts the original figures back: the current facts equal
# the first dataset's again (so check must say exactly what it said before,
# while the store now keeps two ended versions of each of those figures).
awk 'NR == 1 || (NR % 97 == 0 && NR % 1009 != 0)' "$D/facts.csv" >"$D/revert.csv"
"$FISC" --db "$W/a.db" import --amend --reason 基准还原 --doc BENCH-2 "$D/revert.csv" >"$W/revert.out" ||
	die "second amendment failed"
measure check-after "'$FISC' --db '$W/a.db' check"
cmp -s "$W/check-before.out" "$W/check-after.out" || die "check after the amendment and its reversal differs from before"
measure check-as-of "'$FISC' --db '$W/a.db' check --as-of '#1'"
cmp -s "$W/check-before.out" "$W/check-as-of.out" || die "check --as-of #1 differs from the check before the amendment"
measure verify "'$FISC' --db '$W/a.db' journal verify"

get() { awk -F'\t' -v n="$1" -v c="$2" '$1==n{print $c}' "$RES"; }
s() { awk -v m="$1" 'BEGIN{printf "%.2f", m/1000}'; }
section() {
	echo "## History: amendments and \`fisc diff\` (issue 11, item 7)"
	echo
	echo "Written by \`bench/diff.sh\` (\`make bench-diff\`) on $(date -u '+%Y-%m-%d %H:%M') UTC; $(nproc) cores,"
	echo "load average $(cut -d' ' -f1-3 /proc/loadavg) at the end (the machine is shared: compare rows of one run)."
	echo "National dataset of \`bench/gen\` (seed $SEED, $COUNTIES counties × $TOWNSHIPS townships): $NFACTS facts"
	echo "(loaded $([ "$LOAD_MS" -gt 0 ] && echo "in $(s $LOAD_MS) s" || echo "by an earlier run")). Second dataset: every 97th figure changed, every 1009th dropped"
	echo "($NCHANGED changed, $NDROPPED dropped). Median of $RUNS runs after a warm-up; RSS is the peak."
	echo
	echo "| workload | time | RSS |"
	echo "|---|---:|---:|"
	echo "| \`fisc diff --year 2024 --vs-db B\` (two national stores, every region; $DIFF_LINES lines written) | $(s "$(get diff-stores 2)") s | $(( $(get diff-stores 3) / 1024 )) MB |"
	echo "| \`fisc import --amend --dry-run\` ($NCHANGED changes shown) | $(s "$(get amend-dry 2)") s | $(( $(get amend-dry 3) / 1024 )) MB |"
	echo "| \`fisc import --amend\` (the same, committed; one run) | $(s $AMEND_MS) s | — |"
	echo "| \`fisc check\` before the amendment | $(s "$(get check-before 2)") s | $(( $(get check-before 3) / 1024 )) MB |"
	echo "| \`fisc check\` after it and a second amendment that restores the figures (current view, $((2 * NCHANGED)) ended versions kept; same output as before) | $(s "$(get check-after 2)") s | $(( $(get check-after 3) / 1024 )) MB |"
	echo "| \`fisc check --as-of '#1'\` (the import's view; same output as before) | $(s "$(get check-as-of 2)") s | $(( $(get check-as-of 3) / 1024 )) MB |"
	echo "| \`fisc diff --as-of '#1' --vs-as-of BENCH-1\` (every region) | $(s "$(get diff-versions 2)") s | $(( $(get diff-versions 3) / 1024 )) MB |"
	echo "| \`fisc journal verify\` (recomputes both amendments' digests) | $(s "$(get verify 2)") s | $(( $(get verify 3) / 1024 )) MB |"
	echo
	echo "The current view reads \`fact\` as before (ended versions live in \`fact_version\`), so"
	echo "\`check\` on the amended store costs what it cost before; an as-of view reads \`fact\` and"
	echo "\`fact_version\` as one ordered union and loses the whole-table fast path of \`sqlite_scan.c\`."
	echo "\`fisc diff\` holds both sides' lines in memory (a key, two figures per line) and renders only"
	echo "the changed ones. Raw results: build/bench/history/results.tsv."
}
TMP=$(mktemp)
if [ -f "$MD" ]; then
	awk '/^## History: amendments and/{skip=1; next} skip && /^## /{skip=0} !skip' "$MD" >"$TMP"
fi
{ cat "$TMP"; echo; section; } | cat -s >"$MD"
rm -f "$TMP"
log "wrote the history section of $MD"
