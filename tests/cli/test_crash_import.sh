#!/usr/bin/env bash
# Crash safety: imports killed with SIGKILL at random points, CRASH_N times
# (default 20, 8 on PostgreSQL, where each round reloads 200 000 vouchers
# over a socket and all-or-nothing is the server's transaction; `make
# torture` runs 500). After every kill the store must
# pass PRAGMA integrity_check and hold all of the import or none of it:
# a facts import into an existing store, a voucher import, and every fourth
# time a facts import that is creating its store (which must then be absent
# or complete, catalogue included).
. "$(dirname "$0")/../storelib.sh"
set -eu
if tpg; then N=${CRASH_N:-8}; else N=${CRASH_N:-20}; fi
dir=$(mktemp -d)
victim=
trap '[ -n "$victim" ] && kill -9 "$victim" 2>/dev/null; rm -rf "$dir"' EXIT
fail=0
regions=$PWD/examples/regions.csv

# Inputs: 20 000 facts (400 项 of the bundled catalogue × 50 departments)
# and 200 000 vouchers numbered per unit.
awk -F, 'NR > 1 && length($1) == 7 { print $1 }' "$FISC_DATADIR/classification/expenditure_function.csv" |
  head -400 >"$dir/items"
awk 'BEGIN { print "region,scope,year,book,phase,item,amount,unit,department" }
     { item[NR] = $1 }
     END { for (d = 1; d <= 50; d++) for (i = 1; i <= NR; i++)
             printf "500109,self,2024,gpb,budget,%s,%d,元,部门%d\n", item[i], d * 1000 + i, d }' \
  "$dir/items" >"$dir/facts.csv"
NF=$(($(wc -l <"$dir/facts.csv") - 1))
awk 'BEGIN { print "number,date,region,unit,book,function,economic,fen"
             for (i = 1; i <= 200000; i++) { u = 100000 + i % 97; n[u]++
               printf "%d-%06d,2024-%02d-%02d,500109,%d,gpb,2050201,30101,%d\n", u, n[u], i % 12 + 1, i % 28 + 1, u, i } }' \
  >"$dir/vouchers.csv"
NV=200000

tpg || "$FISC" --db "$dir/template.db" import "$regions" >/dev/null
count() { tsql "$1" "SELECT (SELECT count(*) FROM fact), (SELECT count(*) FROM voucher),
  (SELECT coalesce(sum(n), 0) FROM voucher_month), (SELECT count(*) FROM region), (SELECT count(*) FROM edition)"; }
# fresh: the store with the regions only; new: no store. On PostgreSQL a
# store is a schema (tests/storelib.sh), made again and given the regions.
fresh() {
  if tpg; then s=$(tdb "$dir/s.db"); "$FISC" --db "$s" import "$regions" >/dev/null
  else rm -f "$dir"/s.db*; cp "$dir/template.db" "$dir/s.db"; s=$dir/s.db; fi
}
new() { rm -f "$dir"/s.db*; s=$(tdb "$dir/s.db"); }
# exists: the store is there (a file; on PostgreSQL, fisc's tables).
exists() {
  if tpg; then [ "$(tsql "$s" "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")" != 0 ]
  else [ -e "$s" ]; fi
}
now() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

# How long each import runs whole, to aim the kills inside it.
fresh; t0=$(now); "$FISC" --db "$s" import "$dir/facts.csv" >/dev/null; t1=$(now)
[ "$(count "$s")" = "$NF|0|0|12|1" ] || { echo "facts import: $(count "$s")"; exit 1; }
fresh; t2=$(now); "$FISC" --db "$s" import-vouchers "$dir/vouchers.csv" >/dev/null; t3=$(now)
[ "$(count "$s")" = "0|$NV|$NV|12|1" ] || { echo "voucher import: $(count "$s")"; exit 1; }
new; t4=$(now); "$FISC" --db "$s" import "$regions" "$dir/facts.csv" >/dev/null; t5=$(now)
span=($((t1 - t0)) $((t3 - t2)) $((t5 - t4)))

kills=0
for i in $(seq 1 "$N"); do
  kind=$((i % 4 == 0 ? 2 : i % 2))
  if [ $kind = 2 ]; then new; else fresh; fi
  case $kind in
    0) "$FISC" --db "$s" import "$dir/facts.csv" >/dev/null 2>&1 & ;;
    1) "$FISC" --db "$s" import-vouchers "$dir/vouchers.csv" >/dev/null 2>&1 & ;;
    2) "$FISC" --db "$s" import "$regions" "$dir/facts.csv" >/dev/null 2>&1 & ;;
  esac
  victim=$!
  ms=$((RANDOM * (span[kind] + 20) / 32768))
  sleep "$((ms / 1000)).$(printf %03d $((ms % 1000)))"
  kill -9 "$victim" 2>/dev/null && kills=$((kills + 1))
  wait "$victim" 2>/dev/null || true
  victim=
  if ! exists; then
    [ $kind = 2 ] || { echo "kill $i: the store vanished"; fail=1; }
    continue
  fi
  if ! tpg; then
    ok=$(sqlite3 "$s" 'PRAGMA integrity_check' 2>&1)
    [ "$ok" = ok ] || { echo "kill $i (kind $kind, ${ms} ms): integrity_check: $ok"; fail=1; continue; }
  fi
  got=$(count "$s")
  case $kind in
    0) want="0|0|0|12|1 $NF|0|0|12|1" ;;
    1) want="0|0|0|12|1 0|$NV|$NV|12|1" ;;
    2) want="0|0|0|0|1 $NF|0|0|12|1" ;;
  esac
  case " $want " in
    *" $got "*) ;;
    *) echo "kill $i (kind $kind, ${ms} ms): store holds $got, want one of: $want"; fail=1 ;;
  esac
done
[ "$kills" -gt 0 ] || { echo "no import was killed (all finished first)"; fail=1; }
[ "${CRASH_VERBOSE:-0}" = 1 ] && echo "crash: $kills of $N imports killed mid-way"
exit $fail
