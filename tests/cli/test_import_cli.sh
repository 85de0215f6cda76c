#!/usr/bin/env bash
# fisc import from the command line: a bad file is reported with file, line,
# field and reason in Chinese and English, exits 1, and leaves the store as it
# was; a missing file exits 2; a good import reports its counts.
set -eu
dir=$(mktemp -d); db=$dir/i.db
trap 'rm -rf "$dir"' EXIT
"$FISC" --db "$db" import examples/regions.csv >/dev/null
cat >"$dir/bad.csv" <<'CSV'
region,scope,year,book,phase,item,amount,unit
500109,all,2023,gpb,execution,tax,160198,万元
500109,all,2023,gpb,execution,nontax,14x078,万元
500109,全世界,2023,gpb,execution,上年结转,57052,万元
CSV
set +e
"$FISC" --db "$db" import "$dir/bad.csv" 2>"$dir/err"; rc=$?
set -e
fail=0
[ $rc = 1 ] || { echo "bad import: exit $rc, want 1"; fail=1; }
grep -qF "bad.csv:3: 字段「amount」：无法解析金额「14x078」 | field 'amount': cannot parse amount '14x078' [bad-amount]" "$dir/err" \
  || { echo "missing amount error:"; cat "$dir/err"; fail=1; }
grep -qF "bad.csv:4: 字段「scope」：无法识别的口径「全世界」 | field 'scope': unknown scope '全世界' [bad-value]" "$dir/err" \
  || { echo "missing scope error:"; cat "$dir/err"; fail=1; }
# All or nothing: the good row 2 was not written either.
n=$(sqlite3 "$db" 'select count(*) from fact')
[ "$n" = 0 ] || { echo "store changed by a failed import: $n facts"; fail=1; }
set +e
"$FISC" --db "$db" import "$dir/nope.csv" 2>/dev/null; rc=$?
set -e
[ $rc = 2 ] || { echo "missing file: exit $rc, want 2"; fail=1; }
out=$("$FISC" --db "$db" import examples/003_beibei_2023_2024.csv)
grep -q "imported 1 file(s): 0 region(s), [0-9]* fact(s)" <<<"$out" || { echo "good import: $out"; fail=1; }
# Importing the same facts again is a duplicate, and changes nothing.
before=$(sqlite3 "$db" 'select count(*) from fact')
set +e
"$FISC" --db "$db" import examples/003_beibei_2023_2024.csv 2>"$dir/err2"; rc=$?
set -e
[ $rc = 1 ] && grep -q "duplicate-fact" "$dir/err2" || { echo "re-import: rc=$rc"; fail=1; }
[ "$(sqlite3 "$db" 'select count(*) from fact')" = "$before" ] || { echo "re-import changed the store"; fail=1; }
exit $fail
