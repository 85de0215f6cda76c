#!/usr/bin/env bash
# Issue 10, item 6: a write that fails (a full disk: /dev/full) is an error
# for every output, to -o and to stdout: "写入失败 / write failed: PATH:
# reason" and a non-zero exit, never exit 0 with the output lost.
. "$(dirname "$0")/../storelib.sh"
set -u
dir=$(mktemp -d); db=$(tdb "$dir/w.db")
trap 'rm -rf "$dir"' EXIT
[ -w /dev/full ] || { echo "SKIP: no /dev/full"; exit 0; }
"$FISC" --db "$db" import examples/regions.csv examples/[0-9]*.csv >/dev/null || { echo "FAIL import"; exit 1; }
fail=0
seed=examples/001_jiefang_report.txt

# full CMD…: stdout to /dev/full must fail with the message
full() {
  "$FISC" --db "$db" "$@" >/dev/full 2>"$dir/err"
  local rc=$?
  if [ $rc -eq 0 ] || ! grep -qF "写入失败 / write failed: 标准输出 / stdout: No space left on device" "$dir/err"; then
    echo "FAIL fisc $* >/dev/full: exit $rc: $(cat "$dir/err")"; fail=1
  fi
}
# fullo CMD…: -o /dev/full must fail with the message naming the path
fullo() {
  "$FISC" --db "$db" "$@" -o /dev/full >/dev/null 2>"$dir/err"
  local rc=$?
  if [ $rc -eq 0 ] || ! grep -qF "/dev/full" "$dir/err"; then
    echo "FAIL fisc $* -o /dev/full: exit $rc: $(cat "$dir/err")"; fail=1
  fi
}

full report balance --region 北碚区 --year 2023
full report statement --region 北碚区 --year 2023
full report balance --all --format md
full report congress --region 北碚区 --year 2023
full report congress --region 北碚区 --year 2023 --format json
full report debt --region 解放区 --year 2023 --format html
full regions
full departments
full catalog lookup 2050201
full catalog editions
full check --list-rules
full rollup --by total
full --help
full report --help
full audit "$seed"
fullo report balance --region 北碚区 --year 2023
fullo report statement --region 北碚区 --year 2023
fullo report balance --all
fullo report congress --region 北碚区 --year 2023
fullo report congress --region 北碚区 --year 2023 --format html
fullo report debt --region 解放区 --year 2023 --format xlsx
# and the same outputs to a real file still succeed
"$FISC" --db "$db" report balance --region 北碚区 --year 2023 -o "$dir/b.tsv" || { echo "FAIL -o file"; fail=1; }
grep -q "总 计" "$dir/b.tsv" || { echo "FAIL -o file content"; fail=1; }
# a report that fails leaves the file -o names as it was, and no temporary
echo keep >"$dir/k.md"
"$FISC" --db "$db" report congress --region 北碚区 --year 2031 -o "$dir/k.md" 2>/dev/null
[ "$(cat "$dir/k.md")" = keep ] || { echo "FAIL a failed report overwrote -o"; fail=1; }
ls "$dir" | grep -q tmp- && { echo "FAIL a temporary output file was left: $(ls "$dir")"; fail=1; }
exit $fail
