#!/usr/bin/env bash
# Writers under concurrency: two processes creating the same new store both
# succeed (no "table meta already exists"), and writers queue for the write
# lock instead of failing after a few seconds with "database is locked":
# four voucher imports start while another process holds the lock longer
# than the old 5 s timeout; all four succeed and the counts add up. On a
# terminal a waiting writer says why it waits.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d)
pids=()
trap 'for p in ${pids[@]+"${pids[@]}"}; do kill "$p" 2>/dev/null || true; done; rm -rf "$dir"' EXIT
fail=0
regions=$PWD/examples/regions.csv

# Two creations of one store, a few rounds (the race is narrow).
for round in 1 2 3 4 5; do
  db=$(tdb "$dir/new$round.db")
  "$FISC" --db "$db" import "$regions" >"$dir/a.out" 2>"$dir/a.err" & a=$!
  "$FISC" --db "$db" import "$regions" >"$dir/b.out" 2>"$dir/b.err" & b=$!
  ra=0; rb=0
  wait $a || ra=$?
  wait $b || rb=$?
  if [ $ra != 0 ] || [ $rb != 0 ]; then
    echo "round $round: concurrent creation failed ($ra, $rb):"; cat "$dir/a.err" "$dir/b.err"; fail=1
  fi
  n=$("$FISC" --db "$db" regions | grep -c "北碚区" || true)
  [ "$n" -ge 1 ] || { echo "round $round: regions missing"; fail=1; }
  ls "$dir" | grep -q creating && { echo "round $round: temporary files left: $(ls "$dir")"; fail=1; }
done

# Four voucher imports queue behind a writer that holds the lock for 6 s.
db=$(tdb "$dir/v.db")
"$FISC" --db "$db" import "$regions" >/dev/null
for k in 1 2 3 4; do
  {
    echo "number,date,region,unit,book,function,economic,fen"
    for i in $(seq 1 50); do echo "F$k-$i,2024-0$k-1$((i % 10)),500109,10100$k,gpb,2050201,30101,$((k * 100 + i))"; done
  } >"$dir/v$k.csv"
done
# (On PostgreSQL: a session holding the aggregate table every voucher
# import updates, which the imports wait for without a timeout.)
if tpg; then
  tsql "$db" "BEGIN; LOCK TABLE voucher_month IN EXCLUSIVE MODE; \\! touch $dir/locked
SELECT pg_sleep(6); ROLLBACK;" >/dev/null & holder=$!
else
  printf "BEGIN IMMEDIATE;\nINSERT INTO meta VALUES('lock-holder', 'x');\n.shell touch %s/locked; sleep 6\nROLLBACK;\n" "$dir" |
    sqlite3 "$db" >/dev/null & holder=$!
fi
pids+=($holder)
for _ in $(seq 400); do [ -e "$dir/locked" ] && break; sleep 0.05; done
[ -e "$dir/locked" ] || { echo "the lock holder did not start"; exit 1; }
ipids=()
for k in 1 2 3 4; do
  "$FISC" --db "$db" import-vouchers "$dir/v$k.csv" >"$dir/i$k.out" 2>"$dir/i$k.err" & ipids+=($!)
done
# A writer with a terminal on stderr says it is waiting (SQLite's busy
# handler; a PostgreSQL session waits for a lock in the server, silently).
if ! tpg && command -v script >/dev/null 2>&1; then
  script -qec "'$FISC' --db '$db' rollup --by total >/dev/null; '$FISC' --db '$db' catalog import 2024 '$PWD/data/classification'" \
    "$dir/tty.log" >/dev/null 2>&1 || true
fi
for k in 1 2 3 4; do
  rc=0; wait "${ipids[$((k - 1))]}" || rc=$?
  [ $rc = 0 ] || { echo "voucher import $k: exit $rc"; cat "$dir/i$k.err"; fail=1; }
  grep -q "waiting for another writer" "$dir/i$k.err" &&
    { echo "import $k printed the waiting note without a terminal"; fail=1; }
done
wait $holder || true
got=$("$FISC" --db "$db" rollup --by total | tail -1)
want=$(printf '200\t%s' $(( (100 + 200 + 300 + 400) * 50 + 4 * (50 * 51 / 2) )))
[ "$got" = "$want" ] || { echo "after 4 concurrent imports: $got, want $want"; fail=1; }
if [ -f "$dir/tty.log" ]; then
  grep -q "waiting for another writer" "$dir/tty.log" || { echo "no waiting note on a terminal:"; cat "$dir/tty.log"; fail=1; }
fi
exit $fail
