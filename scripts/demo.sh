#!/usr/bin/env bash
# demo.sh FISC — the main job on the bundled data: a fresh SQLite store built
# from examples/, then every balance table and statement the data supports.
set -euo pipefail
fisc=${1:-build/fisc}
out=demo-out
mkdir -p "$out"
db="$out/fisc.db"
rm -f "$db" "$db-wal" "$db-shm"
export FISC_DATADIR="${FISC_DATADIR:-$PWD/data}"
echo "== fisc import examples/ → $db"
"$fisc" --db "$db" import examples/regions.csv examples/[0-9]*.csv
echo
echo "== 收支平衡情况表 (fisc report balance --all)"
"$fisc" --db "$db" report balance --all --format md | tee "$out/balance.md"
echo
echo "== 收支平衡情况表述 (fisc report statement --all)"
"$fisc" --db "$db" report statement --all | tee "$out/statements.md"
if "$fisc" --help | grep -q '^  check'; then
  echo
  echo "== fisc check"
  "$fisc" --db "$db" check | tee "$out/check.txt" || true
fi
echo
echo "demo: store $db; tables and statements also written to $out/"
