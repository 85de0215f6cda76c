#!/usr/bin/env bash
# Issue 10, item 9: names from imported files reach the terminal as visible
# text in `fisc check` output: a region name holding ESC [31m (colour) and a
# fact with a department holding ESC [2J (clear screen) are shown as "\x1b",
# never as the raw byte.
. "$(dirname "$0")/../storelib.sh"
set -u
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
db=$(tdb "$dir/t.db")
printf 'code,name,parent,level\n500109,北碚\033[31m区,,区县\n' >"$dir/r.csv"
# one total off by 1 万元 so that check has a finding to print
sed 's/^500109,all,2023,gpb,execution,income_total,883868,/500109,all,2023,gpb,execution,income_total,883869,/' \
  examples/003_beibei_2023_2024.csv >"$dir/f.csv"
"$FISC" --db "$db" import "$dir/r.csv" "$dir/f.csv" >/dev/null || { echo "FAIL import"; exit 1; }
"$FISC" --db "$db" check >"$dir/out" 2>&1
fail=0
grep -q '北碚\\x1b\[31m区' "$dir/out" || { echo "FAIL the name is not shown with a visible \\x1b"; fail=1; }
if LC_ALL=C grep -q $'\033' "$dir/out"; then echo "FAIL a raw ESC reached the output"; fail=1; fi
grep -q 'income_total\|收入总计\|总计' "$dir/out" || { echo "FAIL no finding printed: $(head -5 "$dir/out")"; fail=1; }
# regions and departments print names from the store the same way
"$FISC" --db "$db" regions >"$dir/regions" 2>&1
grep -q '北碚\\x1b\[31m区' "$dir/regions" || { echo "FAIL regions: no visible \\x1b: $(cat -v "$dir/regions")"; fail=1; }
printf 'region,scope,year,book,phase,item,amount,unit,kind,department\n500109,self,2024,gpb,budget,205,1,万元,base,教育\033]0;x\007局\n' >"$dir/d.csv"
"$FISC" --db "$db" import "$dir/d.csv" >/dev/null 2>&1 || { echo "FAIL import of a department fact"; fail=1; }
"$FISC" --db "$db" departments >"$dir/depts" 2>&1
grep -q '教育\\x1b\]0;x\\x07局' "$dir/depts" || { echo "FAIL departments: no visible escapes: $(cat -v "$dir/depts")"; fail=1; }
for f in regions depts; do
  if LC_ALL=C grep -q $'[\033\007]' "$dir/$f"; then echo "FAIL a raw control character reached $f"; fail=1; fi
done
exit $fail
