#!/usr/bin/env bash
# test_all_regions.sh — `fisc report congress|debt --all-regions --year Y -o DIR`:
# one process writes one file per region that has the year's data, named
# CODE_NAME.EXT, each byte for byte what `fisc report KIND --region CODE`
# writes, in every format the report supports; a region without the data is
# skipped and counted; --level keeps regions of the given levels; a department
# report or a missing -o is a usage error.
. "$(dirname "$0")/../storelib.sh"
set -u
: "${FISC:?FISC must name the fisc binary}"
export FISC_DATADIR=${FISC_DATADIR:-$PWD/data}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
db=$(tdb "$tmp/fisc.db")
"$FISC" --db "$db" import examples/*.csv > /dev/null || fail import

for kind in congress debt; do
  for fmt in md html json text; do
    out=$tmp/$kind-$fmt
    "$FISC" --db "$db" report $kind --all-regions --year 2023 --format $fmt -o "$out" 2> "$tmp/err" ||
      fail "$kind $fmt: $(cat "$tmp/err")"
    ext=$fmt; [ $fmt = text ] && ext=txt
    [ "$(ls "$out" | sort | tr '\n' ' ')" = "410802_解放区.$ext 500109_北碚区.$ext " ] ||
      fail "$kind $fmt files: $(ls "$out")"
    for f in "$out"/*; do
      code=$(basename "$f"); code=${code%%_*}
      "$FISC" --db "$db" report $kind --region "$code" --year 2023 --format $fmt > "$tmp/one" || fail "$kind $code"
      cmp -s "$f" "$tmp/one" || fail "$kind $fmt of $code differs from fisc report $kind --region $code"
    done
  done
  for fmt in xlsx docx pdf; do
    "$FISC" --db "$db" report $kind --all-regions --year 2023 --format $fmt -o "$tmp/$kind-$fmt" 2> "$tmp/err" ||
      fail "$kind $fmt (exit $?): $(grep -v '数据缺口' "$tmp/err" | tail -40)"
    [ -s "$tmp/$kind-$fmt/500109_北碚区.$fmt" ] || fail "$kind $fmt: no 500109_北碚区.$fmt"
  done
  case "$(head -c 4 "$tmp/$kind-pdf/500109_北碚区.pdf")" in %PDF) ;; *) fail "$kind pdf is not a PDF" ;; esac
  [ "$(head -c 2 "$tmp/$kind-xlsx/500109_北碚区.xlsx")" = PK ] || fail "$kind xlsx is not a workbook"
  "$FISC" --db "$db" report $kind --all-regions --year 2023 --format csv -o "$tmp/$kind-csv" 2> "$tmp/err" ||
    fail "$kind csv (exit $?): $(grep -v '数据缺口' "$tmp/err" | tail -40)"
  ls "$tmp/$kind-csv" | grep -q '^500109_北碚区_.*\.csv$' || fail "$kind csv files: $(ls "$tmp/$kind-csv")"
done

# A region without the report's data is skipped and counted.
"$FISC" --db "$db" report congress --all-regions --year 2024 -o "$tmp/y2024" 2> "$tmp/err" || fail "2024: $(cat "$tmp/err")"
grep -q 'wrote 1 report(s)' "$tmp/err" || fail "2024 summary: $(cat "$tmp/err")"
[ -f "$tmp/y2024/210200-GX_大连高新技术产业园区.md" ] || fail "2024 files: $(ls "$tmp/y2024")"

# --level: only regions of the given levels (both regions with 2023 data are 区).
"$FISC" --db "$db" report congress --all-regions --level 县,区 --year 2023 -o "$tmp/lv" 2> "$tmp/err" ||
  fail "--level 县,区: $(cat "$tmp/err")"
[ "$(ls "$tmp/lv" | sort | tr '\n' ' ')" = "410802_解放区.md 500109_北碚区.md " ] || fail "--level files: $(ls "$tmp/lv")"
cmp -s "$tmp/lv/500109_北碚区.md" "$tmp/congress-md/500109_北碚区.md" || fail "--level report differs"
"$FISC" --db "$db" report congress --all-regions --level 省,市 --year 2023 -o "$tmp/lv2" 2> "$tmp/err"; [ $? = 2 ] ||
  fail "--level 省,市 wrote reports"
grep -q 'wrote 0 report(s)' "$tmp/err" || fail "--level 省,市 summary: $(cat "$tmp/err")"
"$FISC" --db "$db" report congress --region 500109 --level 区 --year 2023 > /dev/null 2>&1; [ $? = 2 ] ||
  fail "--level without --all-regions"

"$FISC" --db "$db" report department --all-regions --year 2025 -o "$tmp/d" 2> /dev/null; [ $? = 2 ] || fail "department --all-regions"
"$FISC" --db "$db" report congress --all-regions --year 2023 2> /dev/null; [ $? = 2 ] || fail "--all-regions without -o"
echo "ok: report --all-regions"
