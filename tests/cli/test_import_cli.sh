#!/usr/bin/env bash
# fisc import from the command line: a bad file is reported with file, line,
# field and reason in Chinese and English, exits 1, and leaves the store as it
# was; a missing file exits 2; a good import reports its counts. The files of
# one import may come in any order (regions.csv sorts last in a glob); a
# duplicate shows the stored and the new value; a GB18030 file is converted
# with one note.
. "$(dirname "$0")/../storelib.sh"
set -eu
dir=$(mktemp -d); db=$(tdb "$dir/i.db")
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
n=$(tsql "$db" 'select count(*) from fact')
[ "$n" = 0 ] || { echo "store changed by a failed import: $n facts"; fail=1; }
set +e
"$FISC" --db "$db" import "$dir/nope.csv" 2>/dev/null; rc=$?
set -e
[ $rc = 2 ] || { echo "missing file: exit $rc, want 2"; fail=1; }
out=$("$FISC" --db "$db" import examples/003_beibei_2023_2024.csv)
grep -q "imported 1 file(s): 0 region(s), [0-9]* fact(s)" <<<"$out" || { echo "good import: $out"; fail=1; }
# Importing the same facts again is a duplicate, and changes nothing.
before=$(tsql "$db" 'select count(*) from fact')
set +e
"$FISC" --db "$db" import examples/003_beibei_2023_2024.csv 2>"$dir/err2"; rc=$?
set -e
[ $rc = 1 ] && grep -q "duplicate-fact" "$dir/err2" || { echo "re-import: rc=$rc"; fail=1; }
[ "$(tsql "$db" 'select count(*) from fact')" = "$before" ] || { echo "re-import changed the store"; fail=1; }
grep -qF "已存在：库中为 883868万元，文件中为 883868万元（与库中相同）" "$dir/err2" \
  && grep -qF "already stored: 883868万元, file: 883868万元 (identical to the stored value)" "$dir/err2" \
  || { echo "re-import does not say the values are identical:"; head -3 "$dir/err2"; fail=1; }
# A corrected figure: the message shows the old and the new value.
sed 's/^500109,all,2023,gpb,execution,income_total,883868,/500109,all,2023,gpb,execution,income_total,883869,/' \
  examples/003_beibei_2023_2024.csv >"$dir/fixed.csv"
set +e
"$FISC" --db "$db" import "$dir/fixed.csv" 2>"$dir/err3"; rc=$?
set -e
[ $rc = 1 ] && grep -qF "字段「amount」：重复的事实：已存在：库中为 883868万元，文件中为 883869万元（已有的数不会被覆盖） | field 'amount': duplicate fact: already stored: 883868万元, file: 883869万元 (a stored figure is not overwritten) [duplicate-fact]" "$dir/err3" \
  || { echo "corrected re-import: rc=$rc"; grep 883869 "$dir/err3"; fail=1; }

# examples/*.csv: regions.csv comes last, yet its regions are known to the
# files before it; the reverse order works as well.
for order in forward reverse; do
  rm -f "$dir/ex.db"; ex=$(tdb "$dir/ex.db")
  if [ $order = forward ]; then files=(examples/*.csv); else mapfile -t files < <(ls examples/*.csv | sort -r); fi
  set +e
  out=$("$FISC" --db "$ex" import "${files[@]}" 2>"$dir/err4"); rc=$?
  set -e
  [ $rc = 0 ] && grep -q "imported 9 file(s): 12 region(s), 458 fact(s), 7 performance indicator(s), 12 text section(s)" <<<"$out" \
    || { echo "examples in $order order: rc=$rc $out"; head -3 "$dir/err4"; fail=1; }
done

# A CSV saved by Excel on Chinese Windows (GB18030): converted, noted once.
iconv -f UTF-8 -t GB18030 examples/003_beibei_2023_2024.csv >"$dir/gbk.csv"
rm -f "$dir/gbk.db"; gbk=$(tdb "$dir/gbk.db")
"$FISC" --db "$gbk" import examples/regions.csv >/dev/null
set +e
"$FISC" --db "$gbk" import "$dir/gbk.csv" >"$dir/out5" 2>"$dir/err5"; rc=$?
set -e
[ $rc = 0 ] || { echo "GB18030 file: exit $rc"; head -3 "$dir/err5"; fail=1; }
[ "$(cat "$dir/err5")" = "$dir/gbk.csv: 注意：文件不是 UTF-8 编码，已按 GB18030 转换后读取 | note: the file is not UTF-8; converted from GB18030" ] \
  || { echo "GB18030 note:"; cat "$dir/err5"; fail=1; }
[ "$(tsql "$gbk" 'select count(*) from fact')" = "$before" ] || { echo "GB18030 file: wrong fact count"; fail=1; }
exit $fail
