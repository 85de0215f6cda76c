#!/usr/bin/env bash
# The twelve balance tables of seed 003, computed from examples/ and compared
# with the published tables cell for cell.
. "$(dirname "$0")/../storelib.sh"
set -eu
gdir=$(mktemp -d); db=$(tdb "$gdir/g.db")
trap 'rm -rf "$gdir"' EXIT
"$FISC" --db "$db" import examples/regions.csv examples/003_beibei_2023_2024.csv >/dev/null
fail=0
for g in tests/golden/003/*.tsv; do
  base=$(basename "$g" .tsv)             # 2023_all_gpb
  IFS=_ read -r year scope book <<<"$base"
  phase=execution; [ "$year" = 2024 ] && phase=budget
  if ! diff -u "$g" <("$FISC" --db "$db" report balance --region 北碚区 --year "$year" \
        --book "$book" --scope "$scope" --phase "$phase" --format tsv) ; then
    echo "golden mismatch: $base" >&2; fail=1
  fi
done
exit $fail
