#!/usr/bin/env bash
# Issue 10, item 15: fact and voucher imports and `report balance --all` draw a progress line
# on stderr when it is a terminal (one line redrawn with \r, cleared at the
# end), and print nothing extra when stderr is not a terminal.
. "$(dirname "$0")/../storelib.sh"
set -u
command -v script >/dev/null || { echo "SKIP: no script(1)"; exit 0; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
db=$(tdb "$dir/t.db") db2=$(tdb "$dir/u.db")
esc=$(printf '\033[K')
ex=$PWD/examples
# under a pseudo-terminal (script -qc): the line appears, then is cleared
script -qc "'$FISC' --db '$db' import '$ex/regions.csv' '$ex/003_beibei_2023_2024.csv' >/dev/null" \
  /dev/null >"$dir/tty" 2>&1 </dev/null
grep -qF "importing" "$dir/tty" || { echo "FAIL no import progress on a terminal: $(cat -v "$dir/tty")"; fail=1; }
grep -qF "$esc" "$dir/tty" || { echo "FAIL the progress line is not cleared"; fail=1; }
script -qc "'$FISC' --db '$db' report balance --all >/dev/null" /dev/null >"$dir/tty" 2>&1 </dev/null
grep -qF "tables" "$dir/tty" || { echo "FAIL no report --all progress on a terminal: $(cat -v "$dir/tty")"; fail=1; }
# a voucher file long enough to report progress (every 8192 lines)
{ grep -v '^#' "$ex/vouchers/beibei_2024q1.csv" | head -1
  for i in $(seq 900); do grep -v '^#' "$ex/vouchers/beibei_2024q1.csv" | tail -n +2 | head -10; done; } >"$dir/v.csv"
script -qc "'$FISC' --db '$db' import-vouchers '$dir/v.csv' >/dev/null" /dev/null >"$dir/tty" 2>&1 </dev/null
grep -qF "importing vouchers" "$dir/tty" || { echo "FAIL no voucher import progress on a terminal: $(cat -v "$dir/tty")"; fail=1; }
# stderr to a file: nothing at all
"$FISC" --db "$db2" import "$ex/regions.csv" "$ex/003_beibei_2023_2024.csv" >/dev/null 2>"$dir/err" ||
  { echo "FAIL import"; fail=1; }
"$FISC" --db "$db2" report balance --all >/dev/null 2>>"$dir/err" || { echo "FAIL report --all"; fail=1; }
"$FISC" --db "$db2" import-vouchers "$dir/v.csv" >/dev/null 2>>"$dir/err" || { echo "FAIL import-vouchers"; fail=1; }
[ -s "$dir/err" ] && { echo "FAIL stderr not a terminal got: $(cat -v "$dir/err")"; fail=1; }
exit $fail
